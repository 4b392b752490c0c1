"""OGC API - Tiles at /ogcapi/: the WebMercatorQuad tile matrix set, a vector tileset per
collection and one of all collections together, TileJSON, and a MapLibre style.

The tiles themselves are the ones /tiles/ serves (views.tile_response, ST_AsMVT); this module only
describes them the way OGC API - Tiles clients, QGIS's Vector Tiles connection and MapLibre read
them, so nobody has to write a tile URL template by hand.
"""

import json
import math

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse

from . import sql
from .layers import Layer, all_layers
from .params import CRS84, ProblemError, layer_or_404
from .styles import maplibre_style
from .views import MVT, problems, tile_response

TMS_ID = "WebMercatorQuad"
TMS_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
WEB_MERCATOR_URI = "http://www.opengis.net/def/crs/EPSG/0/3857"
MAX_ZOOM = 24
ORIGIN = 20037508.3427892
# OGC 2D TMS: scale denominator at zoom 0 for 256-pixel tiles and 0.28 mm pixels.
SCALE_0 = 559082264.028717
JSON = "application/json"
TILEJSON = "application/vnd.mapbox.tile+json"
STYLE = "application/vnd.mapbox.style+json"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/dataset-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
]


def _abs(request, route: str, *args) -> str:
    return request.build_absolute_uri(reverse(f"services:{route}", args=args))


def _json(body: dict, content_type: str = JSON) -> HttpResponse:
    response = HttpResponse(json.dumps(body), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _check_tms(tms: str) -> None:
    if tms != TMS_ID:
        raise ProblemError(
            f"There is no tile matrix set {tms!r}; use {TMS_ID}.", status=404, title="Not Found"
        )


def _template(request, layer: Layer | None) -> str:
    """The tile URL with OGC's {tileMatrix}/{tileRow}/{tileCol} placeholders."""
    if layer is None:
        base = _abs(request, "ogc-tile", TMS_ID, 0, 0, 0)
    else:
        base = _abs(request, "ogc-collection-tile", layer.name, TMS_ID, 0, 0, 0)
    return base.removesuffix("/0/0/0") + "/{tileMatrix}/{tileRow}/{tileCol}"


def _xyz(request, layer: Layer | None) -> str:
    return (
        _template(request, layer)
        .replace("{tileMatrix}", "{z}")
        .replace("{tileRow}", "{y}")
        .replace("{tileCol}", "{x}")
    )


@problems
def tile_matrix_sets(request):
    body = {
        "tileMatrixSets": [
            {
                "id": TMS_ID,
                "title": "Google Maps Compatible for the World",
                "uri": TMS_URI,
                "links": [{"rel": "self", "type": JSON, "href": _abs(request, "ogc-tms", TMS_ID)}],
            }
        ]
    }
    return _json(body)


@problems
def tile_matrix_set(request, tms: str):
    """OGC Two Dimensional Tile Matrix Set 2.0, WebMercatorQuad (EPSG:3857, 256 px tiles)."""
    _check_tms(tms)
    matrices = []
    for z in range(MAX_ZOOM + 1):
        n = 2**z
        matrices.append(
            {
                "id": str(z),
                "scaleDenominator": SCALE_0 / n,
                "cellSize": 2 * ORIGIN / 256 / n,
                "cornerOfOrigin": "topLeft",
                "pointOfOrigin": [-ORIGIN, ORIGIN],
                "tileWidth": 256,
                "tileHeight": 256,
                "matrixWidth": n,
                "matrixHeight": n,
            }
        )
    body = {
        "id": TMS_ID,
        "title": "Google Maps Compatible for the World",
        "uri": TMS_URI,
        "crs": WEB_MERCATOR_URI,
        "orderedAxes": ["E", "N"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "tileMatrices": matrices,
    }
    return _json(body)


def _tileset(request, layers: list[Layer], layer: Layer | None) -> dict:
    """OGC API - Tiles tileset metadata (2D Tile Matrix Set and Tileset Metadata 2.0)."""
    min_zoom = min((x.min_zoom for x in layers), default=0)
    max_zoom = max((x.max_zoom for x in layers), default=MAX_ZOOM)
    extents = [e for e in (sql.extent_wgs84(x) for x in layers) if e]
    bbox = (
        [
            min(e[0] for e in extents),
            min(e[1] for e in extents),
            max(e[2] for e in extents),
            max(e[3] for e in extents),
        ]
        if extents
        else [-180, -85.0511, 180, 85.0511]
    )
    self_href = (
        _abs(request, "ogc-collection-tileset", layer.name, TMS_ID)
        if layer
        else _abs(request, "ogc-tileset", TMS_ID)
    )
    return {
        "title": layer.title if layer else f"{settings.GEOPORTAL_NAME} – alle Ebenen",
        "dataType": "vector",
        "crs": WEB_MERCATOR_URI,
        "tileMatrixSetURI": TMS_URI,
        "tileMatrixSetLimits": [
            {
                "tileMatrix": str(z),
                "minTileRow": 0,
                "maxTileRow": 2**z - 1,
                "minTileCol": 0,
                "maxTileCol": 2**z - 1,
            }
            for z in range(min_zoom, max_zoom + 1)
        ],
        "boundingBox": {"lowerLeft": bbox[:2], "upperRight": bbox[2:], "crs": CRS84},
        "layers": [
            {
                "id": x.name,
                "title": x.title,
                "dataType": "vector",
                "geometryDimension": _dimension(x),
                "minTileMatrix": str(x.min_zoom),
                "maxTileMatrix": str(x.max_zoom),
                "propertiesSchema": {
                    "type": "object",
                    "properties": {p.name: {"type": p.json_type} for p in x.properties},
                },
            }
            for x in layers
        ],
        "links": [
            {"rel": "self", "type": JSON, "href": self_href},
            {
                "rel": "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme",
                "type": JSON,
                "href": _abs(request, "ogc-tms", TMS_ID),
            },
            {
                "rel": "item",
                "type": MVT,
                "templated": True,
                "href": _template(request, layer),
            },
            {
                "rel": "describedby",
                "type": TILEJSON,
                "title": "TileJSON",
                "href": self_href + "/tilejson",
            },
            {
                "rel": "stylesheet",
                "type": STYLE,
                "title": "MapLibre style",
                "href": self_href + "/style",
            },
        ],
    }


def _dimension(layer: Layer) -> int:
    kind = layer.geometry_type.replace("Multi", "")
    return {"Point": 0, "LineString": 1, "Polygon": 2}.get(kind, 2)


def _tilesets_list(request, layer: Layer | None) -> dict:
    href = (
        _abs(request, "ogc-collection-tileset", layer.name, TMS_ID)
        if layer
        else _abs(request, "ogc-tileset", TMS_ID)
    )
    return {
        "tilesets": [
            {
                "title": layer.title if layer else "Alle Ebenen",
                "dataType": "vector",
                "crs": WEB_MERCATOR_URI,
                "tileMatrixSetURI": TMS_URI,
                "links": [
                    {"rel": "self", "type": JSON, "href": href},
                    {
                        "rel": "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme",
                        "type": JSON,
                        "href": _abs(request, "ogc-tms", TMS_ID),
                    },
                ],
            }
        ]
    }


@problems
def tilesets(request, name: str | None = None):
    layer = layer_or_404(name) if name else None
    return _json(_tilesets_list(request, layer))


@problems
def tileset(request, tms: str, name: str | None = None):
    _check_tms(tms)
    layer = layer_or_404(name) if name else None
    return _json(_tileset(request, [layer] if layer else all_layers(), layer))


@problems
def tile(request, tms: str, z: int, y: int, x: int, name: str | None = None):
    _check_tms(tms)
    layers = [layer_or_404(name)] if name else all_layers()
    return tile_response(request, layers, z, x, y)


@problems
def tilejson(request, tms: str, name: str | None = None):
    _check_tms(tms)
    layer = layer_or_404(name) if name else None
    layers = [layer] if layer else all_layers()
    meta = _tileset(request, layers, layer)
    box = meta["boundingBox"]
    bounds = box["lowerLeft"] + box["upperRight"]
    min_zoom = min(x.min_zoom for x in layers) if layers else 0
    max_zoom = max(x.max_zoom for x in layers) if layers else MAX_ZOOM
    body = {
        "tilejson": "3.0.0",
        "name": meta["title"],
        "scheme": "xyz",
        "tiles": [_xyz(request, layer)],
        "minzoom": min_zoom,
        "maxzoom": max_zoom,
        "bounds": bounds,
        "center": [
            (bounds[0] + bounds[2]) / 2,
            (bounds[1] + bounds[3]) / 2,
            max(min_zoom, min(12, max_zoom)),
        ],
        "vector_layers": [
            {
                "id": x.name,
                "description": x.title,
                "minzoom": x.min_zoom,
                "maxzoom": x.max_zoom,
                "fields": {p.name: p.json_type.title() for p in x.properties},
            }
            for x in layers
        ],
    }
    if not all(math.isfinite(v) for v in bounds):
        body["bounds"] = [-180, -85.0511, 180, 85.0511]
    return _json(body, TILEJSON)


@problems
def style(request, tms: str, name: str | None = None):
    """A MapLibre / Mapbox GL style over the tileset: QGIS's Vector Tiles connection reads it as
    its Style URL, a web map passes it to `new maplibregl.Map({style})`."""
    _check_tms(tms)
    layer = layer_or_404(name) if name else None
    layers = [layer] if layer else all_layers()
    self_href = (
        _abs(request, "ogc-collection-tileset", layer.name, TMS_ID)
        if layer
        else _abs(request, "ogc-tileset", TMS_ID)
    )
    body = maplibre_style(
        layers, tilejson_url=self_href + "/tilejson", name=settings.GEOPORTAL_NAME
    )
    return _json(body, STYLE)
