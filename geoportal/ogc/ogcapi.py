"""OGC API - Features (Part 1: Core) at /ogcapi/, JSON and HTML, over the layer registry.

Items are GeoJSON written by PostgreSQL (one feature text per row, see sql.feature_sql);
Python only wraps them with the paging links, so a page never goes through json.loads except
for the HTML view.
"""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.vary import vary_on_headers

from . import cql2, sql, styles, tiles
from .layers import Layer, all_layers
from .openapi import openapi_document
from .params import (
    CRS84,
    EPSG_URI,
    ProblemError,
    apply_datetime,
    apply_properties,
    bbox_where,
    layer_or_404,
    parse_bbox,
    parse_crs,
    parse_int,
    supported_crs,
)
from .views import problems


def ogc_view(view):
    # JSON or HTML is chosen by Accept as well as by ?f=: caches must key on Accept.
    return problems(vary_on_headers("Accept")(view))


DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
MAX_OFFSET = 10_000_000
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    *cql2.CONFORMANCE,
    *tiles.CONFORMANCE,
]
ITEMS_PARAMS = {
    "f",
    "bbox",
    "bbox-crs",
    "crs",
    "limit",
    "offset",
    "datetime",
    "filter",
    "filter-lang",
    "filter-crs",
}
BIGINT = 2**63
JSON = "application/json"
GEOJSON = "application/geo+json"
HTML = "text/html"


def _wants_html(request) -> bool:
    f = request.GET.get("f")
    if f is not None:
        if f not in ("json", "html"):
            raise ProblemError("f must be json or html.")
        return f == "html"
    return request.get_preferred_type([JSON, GEOJSON, HTML]) == HTML


def _url(request, route: str, *args, query: dict | None = None) -> str:
    url = request.build_absolute_uri(reverse(f"services:{route}", args=args))
    return f"{url}?{urlencode(query)}" if query else url


def _links(request, name: str, *args, data_type: str = JSON, title: str = "") -> list[dict]:
    """self + alternate for a resource offered as JSON and HTML."""
    html = _wants_html(request)
    json_link = {
        "href": _url(request, name, *args, query={"f": "json"}),
        "type": data_type,
        "title": "JSON",
    }
    html_link = {
        "href": _url(request, name, *args, query={"f": "html"}),
        "type": HTML,
        "title": "HTML",
    }
    self_link, other = (html_link, json_link) if html else (json_link, html_link)
    return [{**self_link, "rel": "self"}, {**other, "rel": "alternate"}]


def _respond(
    request,
    body: dict,
    *,
    title: str,
    template_context: dict | None = None,
    content_type: str = JSON,
) -> HttpResponse:
    if _wants_html(request):
        context = {"title": title, "doc": body, **(template_context or {})}
        return render(request, "services/ogcapi.html", context)
    return HttpResponse(json.dumps(body), content_type=content_type)


@ogc_view
def landing(request):
    body = {
        "title": f"{settings.GEOPORTAL_NAME} – OGC API Features",
        "description": "Verwaltungsgrenzen, Straßen, Adressen und die Fachdaten der Stadt.",
        "links": _links(request, "ogc-landing")
        + [
            {
                "rel": "service-desc",
                "href": _url(request, "ogc-api"),
                "type": "application/vnd.oai.openapi+json;version=3.0",
                "title": "OpenAPI",
            },
            {
                "rel": "service-doc",
                "href": _url(request, "ogc-api", query={"f": "html"}),
                "type": HTML,
                "title": "OpenAPI (HTML)",
            },
            {
                "rel": "conformance",
                "href": _url(request, "ogc-conformance"),
                "type": JSON,
                "title": "Conformance",
            },
            {
                "rel": "data",
                "href": _url(request, "ogc-collections"),
                "type": JSON,
                "title": "Collections",
            },
            {
                "rel": "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
                "href": _url(request, "ogc-tilesets"),
                "type": JSON,
                "title": "Vector tiles of all collections",
            },
            {
                "rel": "related",
                "href": _url(request, "qgis-project"),
                "type": "application/x-qgis-project",
                "title": "QGIS-Projekt herunterladen",
            },
            {
                "rel": "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes",
                "href": _url(request, "ogc-tmss"),
                "type": JSON,
                "title": "Tile matrix sets",
            },
        ],
    }
    return _respond(request, body, title=body["title"])


@ogc_view
def openapi(request):
    document = openapi_document(request, all_layers())
    if request.GET.get("f") == "html":
        return render(
            request,
            "services/ogcapi.html",
            {"title": "OpenAPI", "doc": document, "raw": json.dumps(document, indent=2)},
        )
    return HttpResponse(
        json.dumps(document), content_type="application/vnd.oai.openapi+json;version=3.0"
    )


@ogc_view
def conformance(request):
    body = {"conformsTo": CONFORMANCE, "links": _links(request, "ogc-conformance")}
    return _respond(request, body, title="Conformance")


def _collection(request, layer: Layer, *, self_links: bool) -> dict:
    extent = sql.extent_wgs84(layer)
    body = {
        "id": layer.name,
        "title": layer.title,
        "description": layer.description,
        "keywords": list(layer.keywords),
        "itemType": "feature",
        "crs": list(supported_crs(layer.geometry.srid)),
        "storageCrs": EPSG_URI.format(layer.geometry.srid),
        "extent": {"spatial": {"bbox": [list(extent)] if extent else [], "crs": CRS84}},
        "links": [
            {
                "rel": "items",
                "href": _url(request, "ogc-items", layer.name, query={"f": "json"}),
                "type": GEOJSON,
                "title": "Features (GeoJSON)",
            },
            {
                "rel": "items",
                "href": _url(request, "ogc-items", layer.name, query={"f": "html"}),
                "type": HTML,
                "title": "Features (HTML)",
            },
            {
                "rel": "describedby",
                "href": _url(request, "ogc-schema", layer.name),
                "type": SCHEMA,
                "title": "Schema of the features",
            },
            {
                "rel": "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
                "href": _url(request, "ogc-collection-tilesets", layer.name),
                "type": JSON,
                "title": "Vector tiles (OGC API - Tiles)",
            },
            {
                "rel": "stylesheet",
                "href": _url(request, "ogc-style", layer.name, query={"f": "qml"}),
                "type": "application/vnd.qgis.qml",
                "title": "QGIS style (.qml)",
            },
            {
                "rel": "stylesheet",
                "href": _url(request, "ogc-style", layer.name, query={"f": "sld"}),
                "type": "application/vnd.ogc.sld+xml",
                "title": "SLD 1.0",
            },
            {
                "rel": QUERYABLES_REL,
                "href": _url(request, "ogc-queryables", layer.name),
                "type": SCHEMA,
                "title": "Queryables (for filter=)",
            },
        ],
    }
    if layer.datetime_property:
        body["extent"]["temporal"] = {"interval": [[None, None]]}
    if self_links:
        body["links"] = _links(request, "ogc-collection", layer.name) + body["links"]
    else:
        body["links"].insert(
            0, {"rel": "self", "type": JSON, "href": _url(request, "ogc-collection", layer.name)}
        )
    return body


SCHEMA = "application/schema+json"


def _property_schemas(layer: Layer) -> dict[str, dict]:
    props = {}
    for p in layer.properties:
        props[p.name] = {"type": p.json_type, **({"format": p.format} if p.format else {})}
        if p.nullable:
            props[p.name]["type"] = [p.json_type, "null"]
        if p.model_field.max_length:
            props[p.name]["maxLength"] = p.model_field.max_length
    return props


QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"


@ogc_view
def queryables(request, name: str):
    """Part 3: what a `filter` may name. The published properties and the geometry; the same
    whitelist cql2.py enforces."""
    layer = layer_or_404(name)
    props = _property_schemas(layer)
    props["geometry"] = {
        "format": f"geometry-{layer.geometry_type.lower()}",
        "x-ogc-role": "primary-geometry",
    }
    body = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _url(request, "ogc-queryables", layer.name),
        "type": "object",
        "title": layer.title,
        "properties": props,
        "additionalProperties": False,
    }
    return HttpResponse(json.dumps(body), content_type=SCHEMA)


@ogc_view
def schema(request, name: str):
    """JSON Schema of a collection's features, from the same whitelist as the data, so a client
    knows the columns and their types before (or without) reading a feature."""
    layer = layer_or_404(name)
    props = _property_schemas(layer)
    body = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _url(request, "ogc-schema", layer.name),
        "title": layer.title,
        "type": "object",
        "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": "integer"},
            "geometry": {
                "format": f"geometry-{layer.geometry_type.lower()}",
                "x-ogc-role": "primary-geometry",
            },
            "properties": {"type": "object", "properties": props},
        },
    }
    return HttpResponse(json.dumps(body), content_type=SCHEMA)


@ogc_view
def collections(request):
    body = {
        "collections": [_collection(request, layer, self_links=False) for layer in all_layers()],
        "links": _links(request, "ogc-collections"),
    }
    return _respond(request, body, title="Collections")


@ogc_view
def collection(request, name: str):
    layer = layer_or_404(name)
    body = _collection(request, layer, self_links=True)
    return _respond(request, body, title=layer.title)


@ogc_view
def items(request, name: str):
    layer = layer_or_404(name)
    query = request.GET.dict()
    unknown = set(query) - ITEMS_PARAMS - {p.name for p in layer.properties}
    if unknown:
        raise ProblemError(f"Unknown query parameter(s): {', '.join(sorted(unknown))}.")
    limit = parse_int(
        query.get("limit"), name="limit", default=DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT
    )
    offset = parse_int(query.get("offset"), name="offset", default=0, minimum=0, maximum=MAX_OFFSET)
    crs = parse_crs(query.get("crs"), layer.geometry.srid)
    bbox_crs = parse_crs(query.get("bbox-crs"), layer.geometry.srid, name="bbox-crs")
    where = bbox_where(layer, parse_bbox(query.get("bbox"), bbox_crs), bbox_crs.srid)
    apply_datetime(where, layer, query.get("datetime"))
    apply_properties(where, layer, query)
    if query.get("filter"):
        request_filter = cql2.FilterRequest(
            query["filter"], query.get("filter-lang", cql2.CQL2_TEXT), query.get("filter-crs")
        )
        where.filter(cql2.filter_q(layer, request_filter))
    elif "filter-lang" in query or "filter-crs" in query:
        raise ProblemError("filter-lang and filter-crs need a filter.")

    matched, features = sql.feature_page(
        layer, where, srid=crs.srid, limit=limit, offset=offset, lat_lon=crs.lat_lon
    )
    links = _page_links(request, layer, query, limit=limit, offset=offset, matched=matched)
    meta = {
        "numberMatched": matched,
        "numberReturned": len(features),
        "timeStamp": timezone.now().isoformat(timespec="seconds"),
        "links": links,
    }
    if _wants_html(request):
        doc = {"type": "FeatureCollection", "features": [json.loads(f) for f in features], **meta}
        return render(
            request,
            "services/ogcapi.html",
            {
                "title": layer.title,
                "doc": doc,
                "layer": layer,
                "features": doc["features"],
                "columns": [p.name for p in layer.properties],
                "item_base": _url(request, "ogc-items", layer.name),
            },
        )
    # Splice PostgreSQL's feature texts into the envelope without parsing them.
    head = json.dumps({"type": "FeatureCollection", **meta})[:-1]
    body = f'{head}, "features": [{",".join(features)}]}}'
    response = HttpResponse(body, content_type=GEOJSON)
    response["Content-Crs"] = f"<{crs.uri}>"
    return response


def _page_links(request, layer, query, *, limit, offset, matched) -> list[dict]:
    base = {k: v for k, v in query.items() if k not in ("offset", "f")}
    fmt = "html" if _wants_html(request) else "json"
    page_type = HTML if fmt == "html" else GEOJSON

    def page(rel: str, new_offset: int, f: str, kind: str) -> dict:
        params = {**base, "offset": new_offset, "limit": limit, "f": f}
        return {
            "rel": rel,
            "type": kind,
            "href": _url(request, "ogc-items", layer.name, query=params),
        }

    links = [
        page("self", offset, fmt, page_type),
        page(
            "alternate",
            offset,
            "html" if fmt == "json" else "json",
            GEOJSON if fmt == "html" else HTML,
        ),
        {"rel": "collection", "type": JSON, "href": _url(request, "ogc-collection", layer.name)},
    ]
    if offset + limit < matched:
        links.append(page("next", offset + limit, fmt, page_type))
    if offset > 0:
        links.append(page("prev", max(0, offset - limit), fmt, page_type))
    return links


@ogc_view
def item(request, name: str, fid: str):
    layer = layer_or_404(name)
    try:
        pk = layer.model._meta.pk.to_python(fid)
    except Exception:  # noqa: BLE001 - any unparseable id is simply not a feature here
        pk = None
    crs = parse_crs(request.GET.get("crs"), layer.geometry.srid)
    where = bbox_where(layer, None)
    if pk is None or (isinstance(pk, int) and not -BIGINT <= pk < BIGINT):
        raise ProblemError(
            f"There is no feature {fid!r} in {layer.name}.", status=404, title="Not Found"
        )
    where.add(f"t.{sql.q(layer.pk_column)} = %s", pk)
    _, features = sql.feature_page(
        layer, where, srid=crs.srid, limit=1, offset=0, lat_lon=crs.lat_lon
    )
    if not features:
        raise ProblemError(
            f"There is no feature {fid!r} in {layer.name}.", status=404, title="Not Found"
        )
    links = _links(request, "ogc-item", layer.name, fid, data_type=GEOJSON) + [
        {"rel": "collection", "type": JSON, "href": _url(request, "ogc-collection", layer.name)}
    ]
    if _wants_html(request):
        feature = json.loads(features[0])
        doc = {"type": "FeatureCollection", "features": [feature], "links": links}
        return render(
            request,
            "services/ogcapi.html",
            {
                "title": f"{layer.title} {fid}",
                "doc": doc,
                "layer": layer,
                "features": [feature],
                "columns": [p.name for p in layer.properties],
                "item_base": _url(request, "ogc-items", layer.name),
            },
        )
    body = features[0][:-1] + ', "links": ' + json.dumps(links) + "}"
    response = HttpResponse(body, content_type=GEOJSON)
    response["Content-Crs"] = f"<{crs.uri}>"
    return response


STYLE_FORMATS = {
    "qml": ("application/vnd.qgis.qml", "qml", styles.qml),
    "sld": ("application/vnd.ogc.sld+xml", "sld", styles.sld),
}


@problems
def style(request, name: str):
    """The layer's symbology for desktop GIS: ?f=qml (QGIS) or ?f=sld (SLD 1.0); the MapLibre
    style of its tiles is under tiles/WebMercatorQuad/style."""
    layer = layer_or_404(name)
    fmt = request.GET.get("f", "qml")
    if fmt not in STYLE_FORMATS:
        raise ProblemError(f"f must be one of: {', '.join(STYLE_FORMATS)}.")
    content_type, extension, render = STYLE_FORMATS[fmt]
    response = HttpResponse(render(layer), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{layer.name}.{extension}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
