from django.utils.translation import gettext as _
from rest_framework import serializers

from geoportal.api.serializers import LatLonSerializer

from .. import conf


class NearQuerySerializer(LatLonSerializer):
    radius = serializers.FloatField(
        default=1000, help_text="metres around the point (more than 0, at most THEMES_MAX_RADIUS_M)"
    )
    limit = serializers.IntegerField(default=20, help_text="most places returned")

    def validate_radius(self, value: float) -> float:
        if value <= 0:
            raise serializers.ValidationError(_("Der Radius muss größer als 0 Meter sein."))
        if value > conf.THEMES_MAX_RADIUS_M:
            raise serializers.ValidationError(
                _("Der Radius darf höchstens %(max)d Meter sein.")
                % {"max": conf.THEMES_MAX_RADIUS_M}
            )
        return value

    def validate_limit(self, value: int) -> int:
        if not 1 <= value <= conf.THEMES_MAX_LIMIT:
            raise serializers.ValidationError(
                _("limit muss zwischen 1 und %(max)d liegen.") % {"max": conf.THEMES_MAX_LIMIT}
            )
        return value


class ZoneSerializer(serializers.Serializer):
    label = serializers.CharField()
    source_id = serializers.CharField()
    properties = serializers.DictField()


class ZoneLayerHitSerializer(serializers.Serializer):
    layer = serializers.CharField()
    title = serializers.CharField()
    legend = serializers.CharField()
    zones = ZoneSerializer(many=True)
