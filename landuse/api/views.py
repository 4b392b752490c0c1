"""Thin JSON views: validate the query, call one selector, serialize."""

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.api.errors import bad_request, validated_query
from geoportal.geo import OutsideServiceArea, point_from_lonlat

from .. import bplan_selectors, selectors
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
        return Response({
            "results": LandUseAnswerSerializer(answers, many=True).data,
            # "Which Bebauungsplan applies here?": binding law next to the FNP's intention.
            "bplans": bplan_answers(request, bplan_selectors.bplans_at(point=point)),
        })


def bplan_answers(request, plans) -> list[dict]:
    return [
        {
            "id": plan.pk,
            "name": plan.name,
            "number": plan.number,
            "municipality": plan.municipality,
            "plan_type": plan.plan_type,
            "legal_status": plan.legal_status,
            "effective": plan.effective,
            "dates": plan.dates,
            "xplan": request.build_absolute_uri(
                reverse("landuse:bplan-original", args=[plan.pk])),
            "documents": [
                {"name": d.name, "kind": d.kind, "title": d.title,
                 "url": request.build_absolute_uri(
                     reverse("landuse:bplan-document", args=[plan.pk, d.name]))}
                for d in plan.documents.all()
            ],
            "here": [
                {"label": f.label, "feature_class": f.feature_class, "art": f.art,
                 "grz": f.grz, "gfz": f.gfz, "z": f.z, "z_max": f.z_max,
                 "bauweise": f.bauweise, "zweckbestimmung": f.zweckbestimmung}
                for f in plan.here
            ],
        }
        for plan in plans
    ]


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
