"""Thin JSON views: validate the query, call one selector, serialize."""

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.api.errors import bad_request, validated_query
from geoportal.geo import OutsideServiceArea, point_from_lonlat

from .. import selectors
from .serializers import (
    LandUseAnswerSerializer,
    LandUseAtSerializer,
    PlanGeoJSONQuerySerializer,
    PlanParamSerializer,
    StatsSerializer,
)


def _unknown_plan(exc: selectors.UnknownPlan):
    return bad_request(str(exc), {"plan": [str(exc)]})


class LandUseAtView(APIView):
    """What the Flächennutzungsplan shows at a WGS84 point: class, legal basis, colour, plan.

    `results` is empty outside every plan area; the main Darstellung comes first."""

    @extend_schema(parameters=[LandUseAtSerializer], responses=LandUseAnswerSerializer(many=True))
    def get(self, request):
        data = validated_query(LandUseAtSerializer, request)
        try:
            point = point_from_lonlat(lon=data["lon"], lat=data["lat"])
            answers = selectors.landuse_at(point=point, plan_id=data.get("plan"))
        except OutsideServiceArea as exc:
            return bad_request(str(exc), {"lat": [str(exc)]})
        except selectors.UnknownPlan as exc:
            return _unknown_plan(exc)
        return Response({"results": LandUseAnswerSerializer(answers, many=True).data})


class PlanGeoJSONView(APIView):
    """The plan's areas as GeoJSON (WGS84), built in PostgreSQL, filtered by bbox and
    simplified by zoom. Properties: class key, source id, plan id."""

    @extend_schema(
        parameters=[PlanGeoJSONQuerySerializer],
        responses={(200, "application/geo+json"): OpenApiResponse(description="FeatureCollection")},
    )
    def get(self, request):
        data = validated_query(PlanGeoJSONQuerySerializer, request)
        try:
            body = selectors.plan_geojson(plan_id=data.get("plan"), bbox=data.get("bbox"),
                                          zoom=data.get("zoom"))
        except selectors.UnknownPlan as exc:
            return _unknown_plan(exc)
        response = HttpResponse(body, content_type="application/geo+json")
        response["Cache-Control"] = "public, max-age=300"
        return response


class StatsView(APIView):
    """Hectares per land-use class, in total and per Stadtbezirk."""

    @extend_schema(parameters=[PlanParamSerializer], responses=StatsSerializer)
    def get(self, request):
        data = validated_query(PlanParamSerializer, request)
        try:
            stats = selectors.landuse_stats(plan_id=data.get("plan"))
        except selectors.UnknownPlan as exc:
            return _unknown_plan(exc)
        return Response(StatsSerializer(stats).data)
