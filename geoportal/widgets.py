"""The one geometry widget of the admin: Django's OpenLayers editor, with OpenLayers from our own
static files and the portal's own vector base map under it.

Django's widgets load ol.js/ol.css from cdn.jsdelivr.net, draw OpenStreetMap's tiles and start the
map from an inline script: the CSP (trust/middleware.py) refuses all three, so no admin form
showed a map, and the OSM base map would send every staff member's view to a third party. Here
ol is vendored (`make vendor`, the version Django 5.2's OLMapWidget.js was written for), the
options travel as JSON (json_script is data, not script) and geoportal/admin-map.js starts every
map, also the ones an inline formset adds later.
"""

import json
from functools import cache

from django.conf import settings
from django.contrib.admin import StackedInline, TabularInline
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.gis.admin import GISModelAdmin
from django.contrib.gis.admin.options import GeoModelAdminMixin
from django.contrib.gis.db import models as gis_models
from django.contrib.gis.forms import OpenLayersWidget
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.text import capfirst


def _basemap_tiles() -> str:
    return reverse("services:basemap-tile", args=[0, 0, 0]).replace(
        "/0/0/0.mvt", "/{z}/{x}/{y}.mvt"
    )


class PortalMapWidget(OpenLayersWidget):
    """Edits a geometry in EPSG:3857 on the city's own base map (/basemap/ tiles); the form
    field transforms the result to the model's SRID (25832)."""

    template_name = "geoportal/widgets/map.html"

    class Media:
        extend = False  # not OpenLayersWidget's CDN files
        css = {"all": ("geoportal/vendor/ol/ol.css", "gis/css/ol3.css")}
        js = (
            "geoportal/vendor/ol/ol.js",
            "gis/js/OLMapWidget.js",
            "geoportal/admin-map.js",
        )

    def get_context(self, name, value, attrs):
        # Django's widgets put their values at the top level of the context (gis/openlayers.html).
        context = super().get_context(name, value, attrs)
        lat, lon = settings.GEOPORTAL_MAP_CENTER  # where an empty geometry starts
        context["options_id"] = f"{context['id']}_options"
        context["map_options"] = {
            "geom_name": context["geom_type"],
            "id": context["id"],
            "map_id": f"{context['id']}_map",
            "map_srid": context["map_srid"],
            "name": context["name"],
            "default_lon": lon,
            "default_lat": lat,
            "default_zoom": settings.GEOPORTAL_MAP_ZOOM,
            "tiles": _basemap_tiles(),
            "attribution": settings.GEOPORTAL_BRAND["data_attribution"],
        }
        return context


def feature_map(*, features: dict, element_id: str, choice_field: str = "") -> SafeString:
    """A read-only admin map of labelled GeoJSON features (WGS84) on the same base map, e.g. the
    candidates of a council paper's placement review. With `choice_field` (a <select>'s id) a
    click on a feature selects its label there. Needs PortalMapWidget().media on the page."""
    lat, lon = settings.GEOPORTAL_MAP_CENTER  # where a map without features opens
    options = {"tiles": _basemap_tiles(), "center": [lon, lat],
               "zoom": settings.GEOPORTAL_MAP_ZOOM,
               "attribution": settings.GEOPORTAL_BRAND["data_attribution"],
               "choice_field": choice_field}
    return render_to_string("geoportal/widgets/feature_map.html", {
        "id": element_id, "features": features, "options": options,
        "features_id": f"{element_id}_features", "options_id": f"{element_id}_options"})


@cache
def _read_only_map(model: type, name: str):
    """The admin "field" a view-only user sees instead of a geometry: Django shows a read-only
    geometry as its raw WKT (for a district a string of many kilobytes). A callable in the
    fieldsets is the admin's way to render a read-only value itself; cached, so every call of
    get_fieldsets hands the admin the same object."""
    model_field = model._meta.get_field(name)

    def geometry_map(obj):
        geom = getattr(obj, name)
        if geom is None:
            return "-"  # the admin's own "empty" mark
        shape = json.loads(geom.transform(4326, clone=True).json)
        features = {"type": "FeatureCollection",
                    "features": [{"type": "Feature", "geometry": shape, "properties": {}}]}
        element_id = f"{model._meta.model_name}_{obj.pk}_{name}_map"
        return feature_map(features=features, element_id=element_id)

    geometry_map.__name__ = name  # the row's CSS class (field-geom) and help text, as editors see
    geometry_map.short_description = capfirst(model_field.verbose_name)
    return geometry_map


class PortalGeoAdminMixin(GeoModelAdminMixin):
    """Every geometry field of an admin form gets the PortalMapWidget; a user who may only view
    sees each geometry on the same map, read-only."""

    gis_widget = PortalMapWidget

    @property
    def media(self):
        return super().media + PortalMapWidget().media  # OpenLayers for the read-only maps

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # Only where the admin makes every field read-only (no change permission); `obj` is
        # the parent for an inline.
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        model = self.model
        geometry = {f.name for f in model._meta.fields if isinstance(f, gis_models.GeometryField)}
        return [
            (title, {**options, "fields": [
                _read_only_map(model, f) if isinstance(f, str) and f in geometry else f
                for f in options["fields"]
            ]})
            for title, options in fieldsets
        ]


class GeoModelAdmin(PortalGeoAdminMixin, GISModelAdmin):
    pass


class PortalGeoInlineMixin(PortalGeoAdminMixin):
    def get_formset(self, request, obj=None, **kwargs):
        # The form is built from the model's own field names: the read-only maps of
        # get_fieldsets are for display only (a ModelAdmin's view excludes them itself).
        if "fields" not in kwargs:
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
            kwargs["fields"] = [f for f in fields if isinstance(f, str)]
        return super().get_formset(request, obj, **kwargs)


class GeoStackedInline(PortalGeoInlineMixin, StackedInline):
    pass


class GeoTabularInline(PortalGeoInlineMixin, TabularInline):
    pass
