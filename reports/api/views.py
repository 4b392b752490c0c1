"""REST API for reports: validate, call one selector or service, serialize. Errors use the
portal's {"status", "detail", "errors"} shape (geoportal/api/errors.py)."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.api.errors import bad_request
from geoportal.geo import OutsideServiceArea, point_from_lonlat

from .. import selectors, services
from ..models import ApiKey
from ..photos import PhotoError, photo_gps
from .serializers import (
    CategorySerializer,
    DuplicateQuerySerializer,
    DuplicateSerializer,
    OutboxHealthSerializer,
    PhotoLocationResultSerializer,
    PhotoLocationSerializer,
    PlaceQuerySerializer,
    PlaceSerializer,
    ReportCreatedSerializer,
    ReportCreateSerializer,
    ReportGeoJSONQuerySerializer,
    ReportQuerySerializer,
    ReportSerializer,
)

# Intake fields named differently in the API: a place is always given as lat/lon here.
API_FIELDS = {"location": "lat"}


def _query(serializer_class, request) -> dict:
    # An empty form field ("status=") means "no filter", as in the HTML filter form.
    params = {k: v for k, v in request.query_params.items() if v != ""}
    serializer = serializer_class(data=params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _filters(request) -> selectors.ReportFilter:
    data = _query(ReportQuerySerializer, request)
    return selectors.ReportFilter(
        category=data.get("category", ""),
        status=data.get("status", ""),
        district=data.get("district", ""),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        bbox=data.get("bbox"),
    )


def require_api_key(request) -> ApiKey:
    key = request.headers.get("X-Api-Key") or request.query_params.get("api_key", "")
    api_key = selectors.api_key_active(key=key)
    if api_key is None:
        raise PermissionDenied(_("Ein gültiger API-Schlüssel ist nötig (Kopfzeile X-Api-Key)."))
    return api_key


class ReportListView(generics.ListAPIView):
    """Public reports, newest first; filter by category, status, district, date and bbox."""

    serializer_class = ReportSerializer
    parser_classes = [JSONParser, MultiPartParser]

    def get_queryset(self):
        return selectors.report_list_public(filters=_filters(self.request))

    @extend_schema(parameters=[ReportQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request={
            "application/json": ReportCreateSerializer,
            "multipart/form-data": ReportCreateSerializer,
        },
        responses={201: ReportCreatedSerializer},
    )
    def post(self, request):
        """File a report (needs an API key). Reporter contact data is stored, never returned."""
        api_key = require_api_key(request)
        serializer = ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            report = services.report_submit(
                category=data["category"],
                location=services.Location(lat=data["lat"], lon=data["lon"]),
                description=data["description"],
                contact=services.ContactData(
                    email=data["email"], name=data["name"], phone=data["phone"]
                ),
                uploads=[f.read() for f in data["photos"]],
                source="api",
                api_key=api_key,
            )
        except services.ReportSubmitError as exc:
            if exc.code == "forbidden":
                raise PermissionDenied(exc.message) from exc
            return bad_request(exc.message, {API_FIELDS.get(exc.field, exc.field): [exc.message]})
        body = {
            "number": report.number,
            "token": report.token,
            "status": report.status,
            "published": report.is_public,
            "office": report.office.name,
        }
        return Response(body, status=status.HTTP_201_CREATED)


class ReportDetailView(APIView):
    @extend_schema(responses=ReportSerializer)
    def get(self, request, number: str):
        report = selectors.report_get_public(number=number)
        if report is None:
            raise NotFound(_("Keine öffentliche Meldung mit dieser Nummer."))
        return Response(ReportSerializer(report).data)


class CategoryListView(APIView):
    @extend_schema(responses=CategorySerializer(many=True))
    def get(self, request):
        return Response(
            {"results": CategorySerializer(selectors.category_leaves(), many=True).data}
        )


class DuplicatesView(APIView):
    """Open reports of the same category within 250 m: "already reported?"."""

    @extend_schema(parameters=[DuplicateQuerySerializer], responses=DuplicateSerializer(many=True))
    def get(self, request):
        data = _query(DuplicateQuerySerializer, request)
        category = selectors.category_get(code=data["category"])
        if category is None:
            return bad_request(
                _("Unbekannte Kategorie."), {"category": [_("Unbekannter Kategorie-Code.")]}
            )
        try:
            point = point_from_lonlat(lon=data["lon"], lat=data["lat"])
        except OutsideServiceArea as exc:
            return bad_request(str(exc), {"lat": [str(exc)]})
        found = selectors.report_duplicates_nearby(point=point, category=category)
        return Response({"results": DuplicateSerializer(found, many=True).data})


class PlaceView(APIView):
    """Are reports taken at this place? Asked when the pin is placed, before any submit."""

    @extend_schema(parameters=[PlaceQuerySerializer], responses=PlaceSerializer)
    def get(self, request):
        data = _query(PlaceQuerySerializer, request)
        detail = selectors.report_place_not_served(lon=data["lon"], lat=data["lat"])
        return Response({"served": not detail, "detail": detail})


class PhotoLocationView(APIView):
    """The GPS position in a photo's EXIF, read and forgotten; the photo is not stored."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": PhotoLocationSerializer},
        responses=PhotoLocationResultSerializer,
    )
    def post(self, request):
        serializer = PhotoLocationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            gps = photo_gps(data=serializer.validated_data["photo"].read())
        except PhotoError as exc:
            return bad_request(str(exc), {"photo": [str(exc)]})
        if gps is None:
            return Response({"lat": None, "lon": None})
        return Response({"lon": gps[0], "lat": gps[1]})


class GeoJSONRenderer(JSONRenderer):
    """Lets clients ask for application/geo+json; errors then come as JSON in that type."""

    media_type = "application/geo+json"
    format = "geojson"


class ReportsGeoJSONView(APIView):
    """Public reports as a GeoJSON FeatureCollection (WGS84), built in PostgreSQL."""

    renderer_classes = [JSONRenderer, GeoJSONRenderer]

    @extend_schema(
        parameters=[ReportGeoJSONQuerySerializer],
        responses={(200, "application/geo+json"): OpenApiResponse(description="FeatureCollection")},
    )
    def get(self, request):
        filters = _filters(request)
        zoom = _query(ReportGeoJSONQuerySerializer, request).get("cluster_zoom")
        if zoom is None:
            body = selectors.reports_geojson(filters=filters)
        else:
            body = selectors.reports_clusters_geojson(filters=filters, zoom=zoom)
        return HttpResponse(body, content_type="application/geo+json")


class OutboxHealthView(APIView):
    """Delivery health for the status page: counts and the oldest undelivered message's age."""

    @extend_schema(responses=OutboxHealthSerializer)
    def get(self, request):
        return Response(selectors.outbox_health())
