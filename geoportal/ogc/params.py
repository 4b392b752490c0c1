"""Query parameter parsing shared by OGC API, GeoJSON and tiles; errors as RFC 9457 problems."""

import json
import math
from dataclasses import dataclass
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from .layers import Layer, get_layer
from .sql import WGS84, Where, q

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/{}"


@dataclass(frozen=True)
class OutputCRS:
    """A CRS OGC API clients may ask for (Part 2): its URI, SRID and axis order."""

    uri: str
    srid: int
    lat_lon: bool = False  # EPSG:4326 by the book: latitude first

    @property
    def geographic(self) -> bool:
        return self.srid == WGS84


def supported_crs(storage_srid: int) -> dict[str, OutputCRS]:
    crs = [
        OutputCRS(CRS84, WGS84),
        OutputCRS(EPSG_URI.format(4326), WGS84, lat_lon=True),
        OutputCRS(EPSG_URI.format(storage_srid), storage_srid),
        OutputCRS(EPSG_URI.format(3857), 3857),
    ]
    return {c.uri: c for c in crs}


def parse_crs(value: str | None, storage_srid: int, *, name: str = "crs") -> OutputCRS:
    options = supported_crs(storage_srid)
    if not value:
        return options[CRS84]
    found = options.get(value.strip("<>"))
    if found is None:
        raise ProblemError(f"{name} must be one of: {', '.join(options)}.")
    return found


class ProblemError(Exception):
    """Raised by parsers; the view turns it into application/problem+json."""

    def __init__(self, detail: str, *, status: int = 400, title: str = "Bad Request"):
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.title = title


def problem(exc: ProblemError) -> HttpResponse:
    body = {"type": "about:blank", "title": exc.title, "status": exc.status, "detail": exc.detail}
    return HttpResponse(
        json.dumps(body), status=exc.status, content_type="application/problem+json"
    )


def layer_or_404(name: str) -> Layer:
    layer = get_layer(name)
    if layer is None:
        raise ProblemError(f"There is no layer {name!r}.", status=404, title="Not Found")
    return layer


def parse_bbox(
    value: str | None, crs: "OutputCRS | None" = None
) -> tuple[float, float, float, float] | None:
    """`minx,miny,maxx,maxy` in CRS84 (or `crs`, axis order as it defines), returned as x/y;
    finite numbers, min < max, inside the world for geographic boxes."""
    if not value:
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise ProblemError("bbox needs four numbers: minLon,minLat,maxLon,maxLat.")
    try:
        box = tuple(float(p) for p in parts)
    except ValueError:
        raise ProblemError("bbox needs four numbers: minLon,minLat,maxLon,maxLat.") from None
    if not all(math.isfinite(v) for v in box):
        raise ProblemError("bbox values must be finite numbers.")
    if crs is not None and crs.lat_lon:
        box = (box[1], box[0], box[3], box[2])
    if box[0] >= box[2] or box[1] >= box[3]:
        raise ProblemError("bbox: the minimum must be below the maximum on both axes.")
    if (crs is None or crs.geographic) and (
        box[0] < -180 or box[2] > 180 or box[1] < -90 or box[3] > 90
    ):
        raise ProblemError("bbox is in longitude/latitude (CRS84) and must lie within the world.")
    return box


def parse_int(value: str | None, *, name: str, default: int, minimum: int, maximum: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise ProblemError(f"{name} must be a whole number.") from None
    if not minimum <= number <= maximum:
        raise ProblemError(f"{name} must be between {minimum} and {maximum}.")
    return number


def _instant(text: str, *, end: bool) -> datetime | None:
    if text in ("", ".."):
        return None
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text)
        if day is None:
            raise ValueError(text)
        moment = datetime.combine(day, time.max if end else time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def apply_datetime(where: Where, layer: Layer, value: str | None) -> None:
    """OGC API `datetime`: an instant, or an interval `start/end` with `..` for open ends."""
    if not value:
        return
    prop = layer.datetime_property
    if prop is None:
        raise ProblemError(f"Layer {layer.name} has no time property to filter by datetime.")
    column = f"t.{q(prop.column)}"
    try:
        if "/" in value:
            start_text, end_text = value.split("/", 1)
            start, end = _instant(start_text, end=False), _instant(end_text, end=True)
            if start is not None:
                where.add(f"{column} >= %s", start)
            if end is not None:
                where.add(f"{column} <= %s", end)
        elif "T" in value:
            where.add(f"{column} = %s", _instant(value, end=False))
        else:  # a whole day
            where.add(
                f"{column} BETWEEN %s AND %s", _instant(value, end=False), _instant(value, end=True)
            )
    except ValueError:
        raise ProblemError(
            "datetime must be RFC 3339 (2024-05-01T12:00:00Z), a date, or an interval a/b "
            "with '..' for an open end."
        ) from None


def apply_properties(where: Where, layer: Layer, query: dict[str, str]) -> None:
    """`?name=Ehrenfeld`: equality on published properties only (the whitelist again)."""
    for name, value in query.items():
        prop = layer.get_property(name)
        if prop is None:
            continue
        try:
            python_value = prop.model_field.to_python(value)
        except ValidationError:
            raise ProblemError(f"{name}: {value!r} is not a valid {prop.json_type}.") from None
        where.add(f"t.{q(prop.column)} = %s", python_value)


def bbox_where(layer: Layer, box, srid: int = WGS84) -> Where:
    where = Where()
    if box is not None:
        where.bbox(layer, box, srid)
    return where
