from django.contrib.gis import admin

from .models import Address, Area, Incident, PostcodeArea, Street, WorkerHeartbeat
from .widgets import GeoModelAdmin


@admin.register(Area)
class AreaAdmin(GeoModelAdmin):
    list_display = ["name", "kind", "code", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    readonly_fields = ["name_key", "updated_at"]


@admin.register(PostcodeArea)
class PostcodeAreaAdmin(GeoModelAdmin):
    list_display = ["code", "place", "source", "updated_at"]
    search_fields = ["code", "place"]
    readonly_fields = ["updated_at"]


@admin.register(Street)
class StreetAdmin(GeoModelAdmin):
    list_display = ["name", "code", "municipality", "source"]
    list_filter = ["source"]
    search_fields = ["name", "code"]


@admin.register(Address)
class AddressAdmin(GeoModelAdmin):
    list_display = ["street_name", "house_number", "house_number_suffix", "postcode", "city"]
    list_filter = ["source", "city"]
    search_fields = ["street_name", "postcode"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "started_at", "resolved_at"]
    list_filter = ["state"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "last_seen"]
    readonly_fields = ["name", "last_seen"]
