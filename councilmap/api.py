"""REST endpoints of Open.RIS.Map: thin — validate the query, call one selector, pass bytes on."""

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.api.serializers import parse_bbox

from .selectors import (
    MAX_FEATURES,
    DecisionFilter,
    decision_geojson,
    decision_stats_by_district,
    district_codes,
)


class DecisionQuery(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="Decided (or dated) on or after")
    date_to = serializers.DateField(required=False)
    committee = serializers.IntegerField(required=False, min_value=1, help_text="Organization id")
    paper_type = serializers.CharField(required=False, max_length=200, allow_blank=True)
    result = serializers.CharField(required=False, max_length=300, allow_blank=True)
    district = serializers.RegexField(
        r"^[0-9A-Za-z\-]{1,40}$", required=False, allow_blank=True, help_text="District code"
    )
    bbox = serializers.CharField(required=False, help_text="west,south,east,north in WGS84")
    decided = serializers.BooleanField(required=False, default=False,
                                       help_text="only papers with a result")
    paper = serializers.IntegerField(required=False, min_value=1, help_text="One paper's places")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_FEATURES,
                                     default=MAX_FEATURES)

    def validate_district(self, value: str):
        # An unknown code filtered silently to nothing: an empty map looks like "no decisions".
        codes = district_codes()
        if value and value not in codes:
            raise serializers.ValidationError(
                _("Unbekannter Stadtbezirk „%(value)s“; gültige Codes: %(codes)s.")
                % {"value": value, "codes": ", ".join(codes)}
            )
        return value

    def validate_bbox(self, value: str):
        # geoportal's parser: the same rule and message, in the request's language, as every
        # other bbox of the portal (this one answered in English only, also on the German page).
        return parse_bbox(value)

    def validate(self, attrs):
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start > end:
            raise serializers.ValidationError({"date_to": [_("date_to liegt vor date_from.")]})
        return attrs

    def to_filter(self) -> DecisionFilter:
        data = self.validated_data
        return DecisionFilter(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            committee=data.get("committee"),
            paper_type=data.get("paper_type", ""),
            result=data.get("result", ""),
            district=data.get("district", ""),
            bbox=data.get("bbox"),
            decided_only=data["decided"],
            paper=data.get("paper"),
            limit=data["limit"],
        )


def parse_filter(query_params) -> DecisionFilter:
    query = DecisionQuery(data=query_params)
    query.is_valid(raise_exception=True)
    return query.to_filter()


class DecisionGeoJSON(APIView):
    """Geocoded papers and decisions as GeoJSON (EPSG:4326, 6 decimals): one feature per place."""

    @extend_schema(parameters=[DecisionQuery], responses={(200, "application/geo+json"): dict})
    def get(self, request):
        filters = parse_filter(request.query_params)
        prefix = reverse("councilmap:paper", args=[1]).rsplit("1/", 1)[0]
        body = decision_geojson(filters=filters, paper_url_prefix=prefix)
        return HttpResponse(body, content_type="application/geo+json")


class DistrictCount(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    papers = serializers.IntegerField()
    decisions = serializers.IntegerField()


class DistrictStatistics(serializers.Serializer):
    districts = DistrictCount(many=True)


class DecisionStatistics(APIView):
    """Papers with a place and decisions per Stadtbezirk, with the same filters as the map."""

    @extend_schema(parameters=[DecisionQuery], responses=DistrictStatistics)
    def get(self, request):
        filters = parse_filter(request.query_params)
        return Response({"districts": decision_stats_by_district(filters=filters)})
