"""Thin JSON views: validate the query, call one selector, serialize."""

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import conf, selectors
from ..geo import OutsideServiceArea, point_from_lonlat
from .errors import bad_request, validated_query
from .serializers import (
    AreaKindSerializer,
    AreaSerializer,
    LatLonSerializer,
    ReverseResultSerializer,
    SearchAnswerSerializer,
    SearchHitSerializer,
    SearchQuerySerializer,
)


class AreasAtPointView(APIView):
    """Areas (municipality, district, quarter, ...) covering a WGS84 point, widest first."""

    @extend_schema(parameters=[LatLonSerializer], responses=AreaSerializer(many=True))
    def get(self, request):
        data = validated_query(LatLonSerializer, request)
        try:
            point = point_from_lonlat(lon=data["lon"], lat=data["lat"])
        except OutsideServiceArea as exc:
            return bad_request(str(exc), {"lat": [str(exc)]})
        areas = selectors.areas_covering(point=point)
        return Response({"results": AreaSerializer(areas, many=True).data})


class ReverseGeocodeView(APIView):
    """What is at a WGS84 point: the nearest address point, else the house number interpolated
    on the nearest street segment's side ("Venloer Straße 292"), else the nearest street."""

    @extend_schema(parameters=[LatLonSerializer], responses=ReverseResultSerializer)
    def get(self, request):
        data = validated_query(LatLonSerializer, request)
        try:
            point = point_from_lonlat(lon=data["lon"], lat=data["lat"])
        except OutsideServiceArea as exc:
            return bad_request(str(exc), {"lat": [str(exc)]})
        result = selectors.geocode_reverse(point=point)
        areas = selectors.areas_covering(point=point)
        return Response(
            {
                "result": ReverseResultSerializer(result).data if result else None,
                "areas": AreaSerializer(areas, many=True).data,
            }
        )


class SearchView(APIView):
    """Search addresses, house numbers, streets and areas ("Venloer Str. 200", "Hauptstraße,
    Zündorf", "Ehrenfeld"). Each hit has a confidence (0..1) and a precision; a place or postcode
    outside the service area gives no hits and a `reason`."""

    @extend_schema(parameters=[SearchQuerySerializer], responses=SearchAnswerSerializer)
    def get(self, request):
        data = validated_query(SearchQuerySerializer, request)
        result = selectors.geocode_search(query=data["q"], limit=data["limit"])
        return Response(
            {
                "results": SearchHitSerializer(result.hits, many=True).data,
                "reason": result.reason,
                "code": result.code,
                # The live search marks a guess by the forms' own threshold, not a copy of it.
                "accept_confidence": conf.GEOPORTAL_SEARCH_ACCEPT_CONFIDENCE,
            }
        )


class AreasGeoJSONView(APIView):
    """All areas of one kind as a GeoJSON FeatureCollection in WGS84 (built in PostgreSQL)."""

    @extend_schema(
        parameters=[AreaKindSerializer],
        responses={(200, "application/geo+json"): OpenApiResponse(description="FeatureCollection")},
    )
    def get(self, request):
        data = validated_query(AreaKindSerializer, request)
        body = selectors.areas_geojson(kind=data["kind"])
        response = HttpResponse(body, content_type="application/geo+json")
        response["Cache-Control"] = "public, max-age=300"
        return response
