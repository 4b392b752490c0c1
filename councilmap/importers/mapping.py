"""OParl JSON -> model field values, tolerant of what real servers send.

Each function takes one OParl object (a dict) and returns plain values; problems that do not
make the object useless are appended to `problems` and the object is still imported. Problems
that do (no `id`, a geometry that cannot be placed) raise `BadObject`, which the orchestrator
records before going on with the next object.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import strip_tags

from .types import Extent


class BadObject(ValueError):
    pass


_SPACE = re.compile(r"\s+")


def clean_text(value, *, limit: int | None = None) -> str:
    """Plain text from what may be HTML ("<b>Ehrenfeld</b> &amp; Co"): tags dropped, entities
    decoded once, whitespace collapsed. Templates escape it again on output."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    text = html.unescape(strip_tags(value)) if ("<" in value or "&" in value) else value
    # Entities decoded into tags ("&lt;script&gt;") must not survive as markup either.
    text = strip_tags(text) if "<" in text else text
    text = _SPACE.sub(" ", text).strip()
    return text[:limit] if limit else text


def object_type(obj: dict) -> str:
    """'Paper' from 'https://schema.oparl.org/1.1/Paper' (1.0 and 1.1 alike)."""
    return str(obj.get("type", "")).rstrip("/").rsplit("/", 1)[-1]


def object_id(obj: dict) -> str:
    oid = obj.get("id")
    if not isinstance(oid, str) or not oid.startswith(("http://", "https://")):
        raise BadObject(f"{object_type(obj) or 'object'} without a valid 'id': {oid!r:.80}")
    return oid


def as_datetime(value, field: str, problems: list[str]) -> datetime | None:
    if not value:
        return None
    parsed = None
    try:
        parsed = parse_datetime(str(value))
        if parsed is None and (day := parse_date(str(value))):
            parsed = datetime(day.year, day.month, day.day)  # noqa: DTZ001 - made aware below
    except ValueError:
        parsed = None
    if parsed is None:
        problems.append(f"{field}: not a date/time: {value!r:.40}")
        return None
    if parsed.tzinfo is None:
        from django.utils.timezone import make_aware

        parsed = make_aware(parsed)
    return parsed


def as_date(value, field: str, problems: list[str]) -> date | None:
    if not value:
        return None
    try:
        parsed = parse_date(str(value)[:10])
    except ValueError:
        parsed = None
    if parsed is None:
        problems.append(f"{field}: not a date: {value!r:.40}")
    return parsed


def url_or_blank(value) -> str:
    return value if isinstance(value, str) and value.startswith(("http://", "https://")) else ""


def first_url(value) -> str:
    """OParl lists references as arrays; a few servers send a single string."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("id", "")
    return url_or_blank(value)


def url_list(value) -> list[str]:
    items = value if isinstance(value, list) else [value]
    urls = [url_or_blank(item.get("id") if isinstance(item, dict) else item) for item in items]
    return [url for url in urls if url]


def common_fields(obj: dict, problems: list[str]) -> dict:
    return {
        "name": clean_text(obj.get("name"), limit=1000),
        "web": url_or_blank(obj.get("web")),
        "created": as_datetime(obj.get("created"), "created", problems),
        "modified": as_datetime(obj.get("modified"), "modified", problems),
        "deleted": bool(obj.get("deleted", False)),
    }


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class PlacedGeometry:
    geom: GEOSGeometry  # in the storage CRS
    swapped: bool


def _number(value) -> float:
    try:
        return float(value)  # Karlsruhe sends "8.317490": numbers as strings
    except (TypeError, ValueError) as exc:
        raise BadObject(f"coordinate is not a number: {value!r:.30}") from exc


def _map_coords(coords, fn):
    if isinstance(coords, list | tuple) and coords and not isinstance(coords[0], list | tuple):
        if len(coords) < 2:
            raise BadObject("a position needs two numbers")
        return fn(_number(coords[0]), _number(coords[1]))
    if not isinstance(coords, list | tuple) or not coords:
        raise BadObject("empty or malformed coordinates")
    return [_map_coords(part, fn) for part in coords]


def _positions(coords):
    if coords and not isinstance(coords[0], list):
        yield coords
        return
    for part in coords:
        yield from _positions(part)


def geometry_dict(geojson) -> dict:
    """The geometry of a Location's `geojson`: a Feature as the spec says, a bare geometry as
    some servers send, or the first feature of a FeatureCollection."""
    if not isinstance(geojson, dict):
        raise BadObject("location has no geojson object")
    kind = geojson.get("type")
    if kind == "Feature":
        geometry = geojson.get("geometry")
    elif kind == "FeatureCollection":
        features = geojson.get("features") or []
        first = features[0] if features and isinstance(features[0], dict) else {}
        geometry = first.get("geometry")
    else:
        geometry = geojson
    if not isinstance(geometry, dict) or "coordinates" not in geometry:
        raise BadObject("location geojson has no geometry with coordinates")
    if geometry.get("type") not in {
        "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
    }:
        raise BadObject(f"unsupported geometry type {geometry.get('type')!r:.30}")
    return geometry


def location_geometry(geojson, *, extent: Extent, srid: int) -> PlacedGeometry:
    """Parse, put lon/lat in order and reproject. Servers that write lat,lon are caught by
    testing every position against the municipality's extent: if none fits as given and all
    fit swapped, the axes are swapped; otherwise the geometry is refused."""
    geometry = geometry_dict(geojson)
    coords = _map_coords(geometry["coordinates"], lambda x, y: [x, y])
    positions = list(_positions(coords))
    as_given = all(extent.contains(x, y) for x, y in positions)
    swapped = not as_given and all(extent.contains(y, x) for x, y in positions)
    if not as_given and not swapped:
        x, y = positions[0]
        raise BadObject(
            f"coordinates ({x}, {y}) lie outside {extent.label} in either axis order"
        )
    if swapped:
        coords = _map_coords(coords, lambda x, y: [y, x])
    try:
        geom = GEOSGeometry(
            json.dumps({"type": geometry["type"], "coordinates": coords}), srid=4326
        )
    except (GEOSException, ValueError) as exc:
        raise BadObject(f"invalid geometry: {exc}") from exc
    if not geom.valid:
        geom = geom.buffer(0) if geom.dims == 2 else geom
    geom.transform(srid)
    return PlacedGeometry(geom=geom, swapped=swapped)
