from rest_framework import serializers

from geoportal.api.serializers import parse_bbox
from geoportal.geo import WEB_SRID, transformed

from ..models import Category, Report, Status


class CategorySerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="parent.name", default=None)

    class Meta:
        model = Category
        fields = ["code", "name", "group", "description", "requires_confirmation"]


class ReportSerializer(serializers.ModelSerializer):
    """Public fields only: `Report` has no personal data, and `reporter` is never named here."""

    category = serializers.CharField(source="category.code")
    category_name = serializers.CharField(source="category.__str__")
    status_label = serializers.CharField()
    duplicate_of = serializers.CharField(
        source="original_number", help_text="A duplicate's original report ('' if none)."
    )
    district = serializers.CharField(source="district.name", default=None)
    quarter = serializers.CharField(source="quarter.name", default=None)
    office = serializers.CharField(source="office.name")
    lat = serializers.SerializerMethodField()
    lon = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "number",
            "category",
            "category_name",
            "status",
            "status_label",
            "status_notes",
            "duplicate_of",
            "description",
            "address",
            "district",
            "quarter",
            "office",
            "lat",
            "lon",
            "supporters",
            "created_at",
            "updated_at",
            "url",
        ]

    def _wgs84(self, obj):
        # Public selectors annotate the WGS84 point in SQL; transform here only as a fallback.
        return getattr(obj, "geom_wgs84", None) or transformed(obj.geom, WEB_SRID)

    def get_lat(self, obj) -> float:
        return round(self._wgs84(obj).y, 6)

    def get_lon(self, obj) -> float:
        return round(self._wgs84(obj).x, 6)

    def get_url(self, obj) -> str:
        return f"/meldungen/{obj.number}/"


class ReportQuerySerializer(serializers.Serializer):
    category = serializers.CharField(
        required=False, help_text="Category code; a group includes its children"
    )
    status = serializers.ChoiceField(
        required=False, choices=[s for s in Status.values if s != Status.UNCONFIRMED] + ["open_all"]
    )
    district = serializers.CharField(required=False, help_text="Area code, e.g. 05315000-1")
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    bbox = serializers.CharField(required=False, help_text="west,south,east,north in WGS84")

    def validate_bbox(self, value):
        return parse_bbox(value)


class ReportGeoJSONQuerySerializer(ReportQuerySerializer):
    cluster_zoom = serializers.IntegerField(
        required=False, min_value=0, max_value=22,
        help_text="Group the reports on a grid that fits this map zoom (points with a count)",
    )


class DuplicateQuerySerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)
    category = serializers.CharField()


class PlaceQuerySerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)


class PlaceSerializer(serializers.Serializer):
    served = serializers.BooleanField()
    detail = serializers.CharField(help_text="Why not, where reports are not taken here.")


class DuplicateSerializer(serializers.Serializer):
    number = serializers.CharField()
    category = serializers.CharField(source="category.name")
    status = serializers.CharField()
    address = serializers.CharField()
    description = serializers.CharField()
    distance_m = serializers.FloatField(source="distance.m")
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return f"/meldungen/{obj.number}/"


class ReportCreateSerializer(serializers.Serializer):
    category = serializers.CharField(
        help_text="A leaf category code (see /api/reports/categories/)"
    )
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)
    description = serializers.CharField(min_length=5, max_length=2000)
    email = serializers.EmailField()
    name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,  # how many and what kind: checked by the intake (services.report_submit)
        help_text="Up to 3 photos (multipart/form-data only); metadata is stripped.",
    )


class ReportCreatedSerializer(serializers.Serializer):
    number = serializers.CharField()
    token = serializers.CharField()
    status = serializers.CharField()
    published = serializers.BooleanField()
    office = serializers.CharField()


class PhotoLocationSerializer(serializers.Serializer):
    photo = serializers.FileField()


class PhotoLocationResultSerializer(serializers.Serializer):
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)


class OutboxHealthSerializer(serializers.Serializer):
    pending = serializers.IntegerField()
    failed = serializers.IntegerField()
    oldest_undelivered_age_seconds = serializers.FloatField()
    healthy = serializers.BooleanField()
