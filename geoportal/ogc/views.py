"""Vector tiles and streamed GeoJSON for the web map. Thin: parse, ask sql/selectors, send bytes."""

import hashlib
import json
from functools import wraps

from django.db import DataError, OperationalError
from django.http import HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.views.decorators.http import require_safe

from . import sql
from .basemap import basemap_layers
from .params import (
    ProblemError,
    apply_properties,
    bbox_where,
    layer_or_404,
    parse_bbox,
    problem,
)
from .selectors import layer_fingerprint, layer_fingerprint_recent

TILE_MAX_AGE = 300
MVT = "application/vnd.mapbox-vector-tile"
GEOJSON_MAX_AGE = 60
# Tile units (of 4096) the base map's lines and polygons may be simplified by: it is drawn as a
# 512-pixel background, where 2 units are a quarter pixel.
BASEMAP_SIMPLIFY = 2.0


def problems(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ProblemError as exc:
            return problem(exc)
        except DataError as exc:
            # A filter value PostgreSQL cannot read as its column's type ('abc' for an id).
            detail = str(exc).splitlines()[0]
            return problem(ProblemError(f"A value in the request does not fit: {detail}"))
        except OperationalError as exc:
            if not sql.is_timeout(exc):
                raise
            return problem(
                ProblemError(
                    "The query took too long; ask for a smaller bbox or page.",
                    status=503,
                    title="Service Unavailable",
                )
            )

    return require_safe(wrapper)


def _matches(request, etag: str) -> bool:
    # GZipMiddleware weakens our ETag to W/"..."; a client echoes that back, so compare weakly.
    sent = parse_etags(request.headers.get("If-None-Match", ""))
    return any(tag.removeprefix("W/") == etag for tag in sent) or "*" in sent


def _not_modified(request, fingerprint) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when sent; else If-Modified-Since."""
    if "If-None-Match" in request.headers:
        return _matches(request, fingerprint.etag)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if since is None or fingerprint.last_modified is None:
        return False
    return int(fingerprint.last_modified.timestamp()) <= since


@problems
def tilejson(request, name: str):
    layer = layer_or_404(name)
    template = request.build_absolute_uri(
        reverse("services:tile", args=[layer.name, 0, 0, 0])
    ).replace("/0/0/0.mvt", "/{z}/{x}/{y}.mvt")
    extent = sql.extent_wgs84(layer)
    body = {
        "tilejson": "3.0.0",
        "name": layer.title,
        "description": layer.description,
        "scheme": "xyz",
        "tiles": [template],
        "minzoom": layer.min_zoom,
        "maxzoom": layer.max_zoom,
        "bounds": list(extent) if extent else [-180, -85.0511, 180, 85.0511],
        "vector_layers": [
            {
                "id": layer.name,
                "description": layer.title,
                "minzoom": layer.min_zoom,
                "maxzoom": layer.max_zoom,
                "fields": {p.name: p.json_type.title() for p in layer.properties},
            }
        ],
    }
    response = HttpResponse(json.dumps(body), content_type="application/json")
    response["Cache-Control"] = f"public, max-age={TILE_MAX_AGE}"
    return response


@problems
def tile(request, name: str, z: int, x: int, y: int):
    return tile_response(request, [layer_or_404(name)], z, x, y)


@problems
def basemap_tile(request, z: int, x: int, y: int):
    """The portal's own base map: land use, water, areas and named streets in one tile."""
    return tile_response(request, basemap_layers(), z, x, y, simplify_units=BASEMAP_SIMPLIFY)


def tile_response(
    request, layers: list, z: int, x: int, y: int, *, simplify_units: float = 0.25
) -> HttpResponse:
    """One MVT of one or more layers (each an MVT layer of its own name).

    The ETag comes from the layers' change fingerprints and z/x/y, so a conditional request is
    answered before PostGIS builds anything; only a miss builds the tile."""
    if z > 24 or x >= 2**z or y >= 2**z:
        raise ProblemError(f"There is no tile {z}/{x}/{y}.", status=404, title="Not Found")
    shown = [layer for layer in layers if layer.min_zoom <= z <= layer.max_zoom]
    versions = "|".join(layer_fingerprint_recent(layer=layer).etag for layer in shown)
    raw = f"{','.join(layer.name for layer in shown)}|{versions}|{z}/{x}/{y}"
    etag = f'"{hashlib.sha256(raw.encode()).hexdigest()[:32]}"'
    if _matches(request, etag):
        response = HttpResponseNotModified()
    else:
        # MVT layers are concatenable protobuf messages: one tile per layer, joined, is one tile.
        # An empty tile is a valid, empty MVT; 200 keeps map clients from logging errors.
        body = b"".join(
            sql.tile(layer, z, x, y, simplify_units=simplify_units) for layer in shown
        )
        response = HttpResponse(body, content_type=MVT)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={TILE_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@problems
def geojson(request, name: str):
    """The whole layer (or a bbox of it) as one FeatureCollection in EPSG:4326.

    PostgreSQL writes every feature; we stream them from a server-side cursor, so a 100,000
    feature layer neither waits for nor holds the whole document. The ETag is checked first:
    a conditional GET costs one aggregate query and no geometry work."""
    layer = layer_or_404(name)
    box = parse_bbox(request.GET.get("bbox"))
    where = bbox_where(layer, box)
    apply_properties(where, layer, request.GET.dict())
    variant = json.dumps(sorted(request.GET.items()))
    fingerprint = layer_fingerprint(layer=layer, variant=variant)
    if _not_modified(request, fingerprint):
        response = HttpResponseNotModified()
    else:
        response = StreamingHttpResponse(
            _collection(sql.feature_stream(layer, where, srid=sql.WGS84)),
            content_type="application/geo+json",
        )
    response["ETag"] = fingerprint.etag
    if fingerprint.last_modified:
        response["Last-Modified"] = http_date(fingerprint.last_modified.timestamp())
    response["Cache-Control"] = f"public, max-age={GEOJSON_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _collection(chunks):
    yield '{"type":"FeatureCollection","features":['
    first = True
    for chunk in chunks:
        yield chunk if first else "," + chunk
        first = False
    yield "]}"
