"""The one geometry widget of the admin: Django's OpenLayers editor, with OpenLayers from our own
static files and the portal's own vector base map under it.

Django's widgets load ol.js/ol.css from cdn.jsdelivr.net, draw OpenStreetMap's tiles and start the
map from an inline script: the CSP (trust/middleware.py) refuses all three, so no admin form
showed a map, and the OSM base map would send every staff member's view to a third party. Here
ol is vendored (`make vendor`, the version Django 5.2's OLMapWidget.js was written for), the
options travel as JSON (json_script is data, not script) and geoportal/admin-map.js starts every
map, also the ones an inline formset adds later.
"""

from django.conf import settings
from django.contrib.admin import StackedInline, TabularInline
from django.contrib.gis.admin import GISModelAdmin
from django.contrib.gis.admin.options import GeoModelAdminMixin
from django.contrib.gis.forms import OpenLayersWidget
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString


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


class PortalGeoAdminMixin(GeoModelAdminMixin):
    """Every geometry field of an admin form gets the PortalMapWidget."""

    gis_widget = PortalMapWidget


class GeoModelAdmin(PortalGeoAdminMixin, GISModelAdmin):
    pass


class GeoStackedInline(PortalGeoAdminMixin, StackedInline):
    pass


class GeoTabularInline(PortalGeoAdminMixin, TabularInline):
    pass
