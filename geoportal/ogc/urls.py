"""Geodata services for GIS clients and big maps: WFS, OGC API - Features, vector tiles,
GeoJSON. Included at the site root by geoportal/urls.py."""

from django.urls import path, register_converter

from . import ogcapi, views
from .wfs import GeoportalWFSView


class LayerNameConverter:
    regex = "[a-z][a-z0-9_]{0,62}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(LayerNameConverter, "layer")

app_name = "services"
urlpatterns = [
    # Service roots answer at both spellings: clients differ in whether they add the slash, and
    # QGIS 3.22 cannot follow the relative redirect APPEND_SLASH would send.
    path("wfs", GeoportalWFSView.as_view(), name="wfs"),
    path("wfs/", GeoportalWFSView.as_view()),
    path("ogcapi", ogcapi.landing),
    path("ogcapi/", ogcapi.landing, name="ogc-landing"),
    path("ogcapi/api", ogcapi.openapi, name="ogc-api"),
    path("ogcapi/conformance", ogcapi.conformance, name="ogc-conformance"),
    path("ogcapi/collections", ogcapi.collections, name="ogc-collections"),
    path("ogcapi/collections/<layer:name>", ogcapi.collection, name="ogc-collection"),
    path("ogcapi/collections/<layer:name>/schema", ogcapi.schema, name="ogc-schema"),
    path("ogcapi/collections/<layer:name>/items", ogcapi.items, name="ogc-items"),
    path("ogcapi/collections/<layer:name>/items/<str:fid>", ogcapi.item, name="ogc-item"),
    path("tiles/<layer:name>.json", views.tilejson, name="tilejson"),
    path("tiles/<layer:name>/<int:z>/<int:x>/<int:y>.mvt", views.tile, name="tile"),
    path("geojson/<layer:name>.geojson", views.geojson, name="geojson"),
]
