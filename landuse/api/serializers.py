from rest_framework import serializers

from geoportal.api.serializers import BBoxField, LatLonSerializer


class PlanParamSerializer(serializers.Serializer):
    plan = serializers.IntegerField(
        min_value=1, required=False, help_text="plan version id; default: the current plans")


class LandUseAtSerializer(LatLonSerializer, PlanParamSerializer):
    pass


class PlanGeoJSONQuerySerializer(PlanParamSerializer):
    bbox = BBoxField(required=False, help_text="west,south,east,north (WGS84)")
    zoom = serializers.IntegerField(min_value=0, max_value=22, required=False,
                                    help_text="web map zoom; sets the simplification")


class PlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    version = serializers.IntegerField()
    is_current = serializers.BooleanField()
    legal_status = serializers.CharField()
    drawn_up = serializers.DateField(allow_null=True)
    effective = serializers.DateField(allow_null=True)
    municipality = serializers.CharField(allow_null=True)
    source_file = serializers.CharField()


DISPLAY_LABEL = "the label in the request's language (German: the same as label)"


class LandUseAnswerSerializer(serializers.Serializer):
    class_key = serializers.CharField()
    label = serializers.CharField(help_text="the plan's designation, German as in PlanZV")
    display_label = serializers.CharField(help_text=DISPLAY_LABEL)
    legal_basis = serializers.CharField()
    planzv = serializers.CharField(allow_null=True)
    color = serializers.CharField()
    source_id = serializers.CharField()
    feature_class = serializers.CharField()
    area_ha = serializers.FloatField()
    plan = PlanSerializer()


class ClassStatSerializer(serializers.Serializer):
    class_key = serializers.CharField()
    label = serializers.CharField()
    display_label = serializers.CharField(help_text=DISPLAY_LABEL)
    color = serializers.CharField()
    hectares = serializers.FloatField()
    areas = serializers.IntegerField()


class DistrictStatSerializer(serializers.Serializer):
    district = serializers.CharField()
    code = serializers.CharField()
    hectares = serializers.FloatField()
    by_class = serializers.DictField(child=serializers.FloatField())


class StatsSerializer(serializers.Serializer):
    plans = serializers.ListField(child=serializers.IntegerField())
    classes = ClassStatSerializer(many=True)
    districts = DistrictStatSerializer(many=True)
