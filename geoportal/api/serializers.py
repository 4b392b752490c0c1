from django.utils.translation import gettext as _
from rest_framework import serializers

from geoportal.geo import WEB_SRID, transformed

from ..models import AreaKind


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """A WGS84 bbox "west,south,east,north" of the REST API and Open311, or a ValidationError
    in the request's language (NaN fails the range test)."""
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError as exc:
        raise serializers.ValidationError(
            _("Bitte west,süd,ost,nord in WGS84-Grad angeben.")
        ) from exc
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise serializers.ValidationError(
            _("Bitte west,süd,ost,nord mit west<ost und süd<nord angeben.")
        )
    return (west, south, east, north)


class BBoxField(serializers.CharField):
    """west,south,east,north in WGS84 degrees, as a tuple of floats."""

    def to_internal_value(self, data):
        return parse_bbox(super().to_internal_value(data))


class LatLonSerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90, help_text="WGS84 latitude")
    lon = serializers.FloatField(min_value=-180, max_value=180, help_text="WGS84 longitude")


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        min_length=2, max_length=200, help_text="Street, address or area name"
    )
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)


class AreaKindSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AreaKind.values)


class AreaSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    code = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.CharField(source="parent.name", default=None)


class ReverseResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    street = serializers.CharField()
    house_number = serializers.CharField()
    postcode = serializers.CharField()
    city = serializers.CharField()
    distance_m = serializers.FloatField()
    precision = serializers.CharField(help_text="address, interpolated or street")
    confidence = serializers.FloatField(help_text="0..1")
    lon = serializers.SerializerMethodField()
    lat = serializers.SerializerMethodField()

    def _wgs84(self, obj):
        return transformed(obj.point, WEB_SRID)

    def get_lon(self, obj) -> float:
        return round(self._wgs84(obj).x, 6)

    def get_lat(self, obj) -> float:
        return round(self._wgs84(obj).y, 6)


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    lon = serializers.FloatField()
    lat = serializers.FloatField()
    bbox = serializers.ListField(child=serializers.FloatField(), allow_null=True)
    confidence = serializers.FloatField(help_text="0..1: how sure the hit is what was meant")
    precision = serializers.CharField(help_text="address, interpolated, street or area")
    postcode = serializers.CharField(
        help_text="of an address or interpolated house number, where known; else empty"
    )


class SearchAnswerSerializer(serializers.Serializer):
    results = SearchHitSerializer(many=True)
    reason = serializers.CharField(help_text="why there is no hit or no sure one; else empty")
    code = serializers.CharField(
        help_text="address_unavailable: no street register is loaded yet, so no address can be "
        "looked up (as the report intake's code); else empty"
    )
    accept_confidence = serializers.FloatField(
        help_text="a hit below this confidence is a guess: show it as a question "
        "(“Did you mean:”), as the forms without JavaScript do"
    )
