"""The OpenAPI 3.0 document of /ogcapi/, generated from the layer registry, so a collection an
app registers is documented with its own properties."""

from django.conf import settings
from django.urls import reverse

from .layers import Layer

_PARAMS = {
    "bbox": {
        "name": "bbox",
        "in": "query",
        "required": False,
        "style": "form",
        "explode": False,
        "description": "minLon,minLat,maxLon,maxLat (CRS84)",
        "schema": {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}},
    },
    "limit": {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 100},
    },
    "offset": {
        "name": "offset",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 0, "default": 0},
    },
    "datetime": {
        "name": "datetime",
        "in": "query",
        "required": False,
        "description": "RFC 3339 instant, date or interval start/end ('..' = open)",
        "schema": {"type": "string"},
    },
    "crs": {
        "name": "crs",
        "in": "query",
        "required": False,
        "description": "Output CRS URI (OGC API Features Part 2); default CRS84",
        "schema": {"type": "string", "format": "uri"},
    },
    "bbox-crs": {
        "name": "bbox-crs",
        "in": "query",
        "required": False,
        "description": "CRS URI of bbox; default CRS84",
        "schema": {"type": "string", "format": "uri"},
    },
    "filter": {
        "name": "filter",
        "in": "query",
        "required": False,
        "description": "CQL2 filter (OGC API Features Part 3) on the queryables of the collection",
        "schema": {"type": "string"},
    },
    "filter-lang": {
        "name": "filter-lang",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": ["cql2-text", "cql2-json"], "default": "cql2-text"},
    },
    "filter-crs": {
        "name": "filter-crs",
        "in": "query",
        "required": False,
        "description": "CRS URI of geometries in filter; default CRS84",
        "schema": {"type": "string", "format": "uri"},
    },
    "f": {
        "name": "f",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": ["json", "html"]},
    },
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def _json(description: str, media: str = "application/json") -> dict:
    return {"description": description, "content": {media: {"schema": {"type": "object"}}}}


def _collection_paths(layer: Layer) -> dict:
    base = f"/collections/{layer.name}"
    props = [
        {
            "name": p.name,
            "in": "query",
            "required": False,
            "description": "equals",
            "schema": {"type": p.json_type, **({"format": p.format} if p.format else {})},
        }
        for p in layer.properties
    ]
    params = [
        _ref("bbox"),
        _ref("bbox-crs"),
        _ref("crs"),
        _ref("limit"),
        _ref("offset"),
        _ref("filter"),
        _ref("filter-lang"),
        _ref("filter-crs"),
        _ref("f"),
    ]
    if layer.datetime_property:
        params.append(_ref("datetime"))
    return {
        base: {
            "get": {
                "summary": f"{layer.title}: metadata",
                "operationId": f"{layer.name}-col",
                "parameters": [_ref("f")],
                "responses": {"200": _json("Collection")},
            }
        },
        f"{base}/queryables": {
            "get": {
                "summary": f"{layer.title}: queryables",
                "operationId": f"{layer.name}-queryables",
                "responses": {"200": _json("Queryables", "application/schema+json")},
            }
        },
        f"{base}/items": {
            "get": {
                "summary": f"{layer.title}: features",
                "operationId": f"{layer.name}-items",
                "parameters": params + props,
                "responses": {
                    "200": _json("FeatureCollection", "application/geo+json"),
                    "400": _json("Problem", "application/problem+json"),
                },
            }
        },
        f"{base}/items/{{featureId}}": {
            "get": {
                "summary": f"{layer.title}: one feature",
                "operationId": f"{layer.name}-item",
                "parameters": [
                    {
                        "name": "featureId",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    _ref("crs"),
                    _ref("f"),
                ],
                "responses": {
                    "200": _json("Feature", "application/geo+json"),
                    "404": _json("Problem", "application/problem+json"),
                },
            }
        },
    }


def openapi_document(request, layers: list[Layer]) -> dict:
    paths = {
        "/": {
            "get": {
                "summary": "Landing page",
                "operationId": "landing",
                "parameters": [_ref("f")],
                "responses": {"200": _json("Landing page")},
            }
        },
        "/conformance": {
            "get": {
                "summary": "Conformance classes",
                "operationId": "conformance",
                "parameters": [_ref("f")],
                "responses": {"200": _json("Conformance")},
            }
        },
        "/collections": {
            "get": {
                "summary": "Collections",
                "operationId": "collections",
                "parameters": [_ref("f")],
                "responses": {"200": _json("Collections")},
            }
        },
    }
    for layer in layers:
        paths.update(_collection_paths(layer))
    server = request.build_absolute_uri(reverse("services:ogc-landing")).rstrip("/")
    return {
        "openapi": "3.0.3",
        "info": {"title": f"{settings.GEOPORTAL_NAME} – OGC API Features", "version": "1.0"},
        "servers": [{"url": server}],
        "paths": paths,
        "components": {"parameters": _PARAMS},
    }
