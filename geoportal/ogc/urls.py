"""Geodata services for GIS clients and big maps: WFS, OGC API - Features, vector tiles,
GeoJSON. Included at the site root by geoportal/urls.py."""

from django.urls import path, register_converter

from . import ogcapi, qgis_project, tiles, views
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
    path("ogcapi/qgis-projekt.qgz", qgis_project.download, name="qgis-project"),
    path("ogcapi/conformance", ogcapi.conformance, name="ogc-conformance"),
    path("ogcapi/collections", ogcapi.collections, name="ogc-collections"),
    path("ogcapi/collections/<layer:name>", ogcapi.collection, name="ogc-collection"),
    path("ogcapi/collections/<layer:name>/schema", ogcapi.schema, name="ogc-schema"),
    path(
        "ogcapi/collections/<layer:name>/queryables", ogcapi.queryables, name="ogc-queryables"
    ),
    path("ogcapi/collections/<layer:name>/items", ogcapi.items, name="ogc-items"),
    path("ogcapi/collections/<layer:name>/styles/default", ogcapi.style, name="ogc-style"),
    # OGC API - Tiles: per collection, all collections together, the tile matrix set.
    path("ogcapi/tileMatrixSets", tiles.tile_matrix_sets, name="ogc-tmss"),
    path("ogcapi/tileMatrixSets/<str:tms>", tiles.tile_matrix_set, name="ogc-tms"),
    path("ogcapi/tiles", tiles.tilesets),
    path("ogcapi/tiles/", tiles.tilesets, name="ogc-tilesets"),
    path("ogcapi/tiles/<str:tms>", tiles.tileset, name="ogc-tileset"),
    path("ogcapi/tiles/<str:tms>/tilejson", tiles.tilejson, name="ogc-tilejson"),
    path("ogcapi/tiles/<str:tms>/style", tiles.style, name="ogc-tiles-style"),
    path("ogcapi/tiles/<str:tms>/<int:z>/<int:y>/<int:x>", tiles.tile, name="ogc-tile"),
    path(
        "ogcapi/collections/<layer:name>/tiles", tiles.tilesets, name="ogc-collection-tilesets"
    ),
    path(
        "ogcapi/collections/<layer:name>/tiles/<str:tms>",
        tiles.tileset,
        name="ogc-collection-tileset",
    ),
    path(
        "ogcapi/collections/<layer:name>/tiles/<str:tms>/tilejson",
        tiles.tilejson,
        name="ogc-collection-tilejson",
    ),
    path(
        "ogcapi/collections/<layer:name>/tiles/<str:tms>/style",
        tiles.style,
        name="ogc-collection-tiles-style",
    ),
    path(
        "ogcapi/collections/<layer:name>/tiles/<str:tms>/<int:z>/<int:y>/<int:x>",
        tiles.tile,
        name="ogc-collection-tile",
    ),
    path("ogcapi/collections/<layer:name>/items/<str:fid>", ogcapi.item, name="ogc-item"),
    path("tiles/<layer:name>.json", views.tilejson, name="tilejson"),
    path("basemap/<int:z>/<int:x>/<int:y>.mvt", views.basemap_tile, name="basemap-tile"),
    path("tiles/<layer:name>/<int:z>/<int:x>/<int:y>.mvt", views.tile, name="tile"),
    path("geojson/<layer:name>.geojson", views.geojson, name="geojson"),
]
