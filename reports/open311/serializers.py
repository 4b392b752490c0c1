"""Open311 POST parameters, parsed like the REST API's: syntax here, the report's own checks in
the intake (`services.report_submit`). Every field is optional at this level, so a missing one
is reported by the intake in the same order for every entry point."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# Lazy: worded in the language of the request that is parsed, not of the import.
DEGREES = _("lat und long müssen Dezimalgrad sein (WGS84)")


class RequestCreateSerializer(serializers.Serializer):
    api_key = serializers.CharField(required=False, allow_blank=True, default="")
    service_code = serializers.CharField(required=False, allow_blank=True, default="")
    lat = serializers.FloatField(
        required=False,
        allow_null=True,
        default=None,
        error_messages={"invalid": DEGREES},
    )
    long = serializers.FloatField(
        required=False,
        allow_null=True,
        default=None,
        error_messages={"invalid": DEGREES},
    )
    address_string = serializers.CharField(required=False, allow_blank=True, default="")
    email = serializers.CharField(required=False, allow_blank=True, default="")
    first_name = serializers.CharField(required=False, allow_blank=True, default="")
    last_name = serializers.CharField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")

    def to_internal_value(self, data):
        # A form sends "lat=" for "no coordinates"; that is absence, not a malformed number.
        data = {k: v for k, v in data.items() if not (k in ("lat", "long") and v == "")}
        return super().to_internal_value(data)
