"""GML 3.2 geometry → shapely, with curve segments linearised.

Covers what XPlanGML producers write: Polygon, Surface/PolygonPatch,
MultiSurface, CompositeSurface, LinearRing and Ring, Curve with
LineStringSegment, Arc, ArcString, Circle, ArcByCenterPoint and
CircleByCenterPoint, plus points and lines (so non-areas can be reported).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import shapely
from lxml import etree
from shapely.geometry.base import BaseGeometry

from .xmltree import children, local

GML_NAMESPACES = ("http://www.opengis.net/gml/3.2", "http://www.opengis.net/gml")

# Largest gap between an arc and its chords, in source units (metres for
# projected CRSs); at 1:10,000 a millimetre on paper is 10 m.
ARC_TOLERANCE = 0.05
MAX_ARC_STEP = math.radians(5)

Coords = list[tuple[float, float]]


class GmlError(ValueError):
    """Geometry that cannot be read; the message names the GML element."""


@dataclass
class ParsedGeometry:
    geometry: BaseGeometry
    srs_name: str | None
    linearised: bool


def is_gml(element: etree._Element) -> bool:
    return etree.QName(element).namespace in GML_NAMESPACES


def parse_geometry(element: etree._Element, inherited_srs: str | None) -> ParsedGeometry:
    """Parse one GML geometry element; srsName falls back to inherited_srs."""
    reader = _Reader()
    srs = element.get("srsName") or _descendant_srs(element) or inherited_srs
    geometry = reader.geometry(element)
    return ParsedGeometry(geometry, srs, reader.linearised)


def _descendant_srs(element: etree._Element) -> str | None:
    for child in element.iter():
        if isinstance(child.tag, str) and child.get("srsName"):
            return child.get("srsName")
    return None


def _gml_children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    return (c for c in children(element) if is_gml(c) and local(c) == name)


class _Reader:
    def __init__(self) -> None:
        self.linearised = False

    def geometry(self, element: etree._Element) -> BaseGeometry:
        name = local(element)
        handler = getattr(self, f"_{name.lower()}", None)
        if not is_gml(element) or handler is None:
            raise GmlError(f"unsupported geometry element <{element.tag}>")
        return handler(element)

    # --- areas -----------------------------------------------------------
    def _polygon(self, element: etree._Element) -> shapely.Polygon:
        exterior = next(_gml_children(element, "exterior"), None)
        if exterior is None:
            raise GmlError(f"<{local(element)}> without gml:exterior")
        shell = self._ring_of(exterior)
        holes = [self._ring_of(interior) for interior in _gml_children(element, "interior")]
        return shapely.Polygon(shell, holes)

    _polygonpatch = _polygon

    def _surface(self, element: etree._Element) -> BaseGeometry:
        patches = next(_gml_children(element, "patches"), None)
        if patches is None:
            raise GmlError("gml:Surface without gml:patches")
        polygons = [self.geometry(patch) for patch in children(patches)]
        return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)

    def _multisurface(self, element: etree._Element) -> BaseGeometry:
        parts: list[BaseGeometry] = []
        for member in children(element):
            if local(member) in ("surfaceMember", "surfaceMembers", "polygonMember"):
                parts.extend(self.geometry(g) for g in children(member))
        polygons = [p for part in parts for p in shapely.get_parts(part)]
        if not polygons:
            raise GmlError(f"<{local(element)}> without members")
        return shapely.MultiPolygon(polygons)

    _compositesurface = _multisurface
    _multipolygon = _multisurface

    def _ring_of(self, boundary: etree._Element) -> Coords:
        ring = next(children(boundary), None)
        if ring is None:
            raise GmlError(f"empty <{local(boundary)}>")
        if local(ring) == "LinearRing":
            return _coords(ring)
        if local(ring) == "Ring":
            coords: Coords = []
            for member in _gml_children(ring, "curveMember"):
                for curve in children(member):
                    _append(coords, self._curve_coords(curve))
            return coords
        raise GmlError(f"unsupported ring element <{local(ring)}>")

    # --- curves ----------------------------------------------------------
    def _curve_coords(self, element: etree._Element) -> Coords:
        name = local(element)
        if name == "LineString":
            return _coords(element)
        if name == "Curve":
            segments = next(_gml_children(element, "segments"), None)
            if segments is None:
                raise GmlError("gml:Curve without gml:segments")
            coords: Coords = []
            for segment in children(segments):
                _append(coords, self._segment_coords(segment))
            return coords
        if name == "CompositeCurve":
            coords = []
            for member in _gml_children(element, "curveMember"):
                for curve in children(member):
                    _append(coords, self._curve_coords(curve))
            return coords
        if name == "OrientableCurve":
            base = next(_gml_children(element, "baseCurve"), None)
            curve = next(children(base), None) if base is not None else None
            if curve is None:
                raise GmlError("gml:OrientableCurve without gml:baseCurve")
            coords = self._curve_coords(curve)
            return coords[::-1] if element.get("orientation") == "-" else coords
        raise GmlError(f"unsupported curve element <{name}>")

    def _segment_coords(self, segment: etree._Element) -> Coords:
        name = local(segment)
        points = _coords(segment) if name not in _CENTRE_SEGMENTS else []
        if name == "LineStringSegment":
            return points
        self.linearised = True
        if name in ("Arc", "ArcString"):
            if len(points) < 3 or len(points) % 2 == 0:
                raise GmlError(f"gml:{name} needs an odd number (>= 3) of points")
            coords: Coords = []
            for i in range(0, len(points) - 2, 2):
                _append(coords, arc_points(*points[i : i + 3]))
            return coords
        if name == "Circle":
            if len(points) != 3:
                raise GmlError("gml:Circle needs exactly 3 points")
            return circle_points(*points)
        if name in _CENTRE_SEGMENTS:
            return _centre_arc(segment, full=name == "CircleByCenterPoint")
        raise GmlError(f"unsupported curve segment gml:{name}")

    # --- non-areas, parsed so they can be reported by type ----------------
    def _point(self, element: etree._Element) -> shapely.Point:
        coords = _coords(element)
        return shapely.Point(coords[0])

    def _multipoint(self, element: etree._Element) -> shapely.MultiPoint:
        points = [self.geometry(p) for m in children(element) for p in children(m)]
        return shapely.MultiPoint(points)

    def _linestring(self, element: etree._Element) -> shapely.LineString:
        return shapely.LineString(_coords(element))

    def _curve(self, element: etree._Element) -> shapely.LineString:
        return shapely.LineString(self._curve_coords(element))

    _compositecurve = _curve
    _orientablecurve = _curve

    def _multicurve(self, element: etree._Element) -> shapely.MultiLineString:
        lines = [self._curve_coords(c) for m in children(element) for c in children(m)]
        return shapely.MultiLineString(lines)


_CENTRE_SEGMENTS = ("ArcByCenterPoint", "CircleByCenterPoint")


def _append(coords: Coords, more: Coords) -> None:
    if coords and more and coords[-1] == more[0]:
        more = more[1:]
    coords.extend(more)


def _coords(element: etree._Element) -> Coords:
    """Coordinates of a gml:posList, a run of gml:pos or gml:coordinates."""
    pos_list = next(_gml_children(element, "posList"), None)
    if pos_list is not None:
        dim = _dimension(pos_list)
        return _pairs(_numbers(pos_list.text), dim, element)
    positions = list(_gml_children(element, "pos"))
    if positions:
        return [_pairs(_numbers(p.text), len(_numbers(p.text)), element)[0] for p in positions]
    coordinates = next(_gml_children(element, "coordinates"), None)
    if coordinates is not None:
        return _legacy_coordinates(coordinates)
    raise GmlError(f"<{local(element)}> has no gml:posList, gml:pos or gml:coordinates")


def _dimension(pos_list: etree._Element) -> int:
    """srsDimension of a posList, inherited from the enclosing geometry; default 2."""
    for element in (pos_list, *pos_list.iterancestors()):
        if element.get("srsDimension"):
            return int(element.get("srsDimension"))
    return 2


def _numbers(text: str | None) -> list[float]:
    try:
        return [float(v) for v in (text or "").split()]
    except ValueError as exc:
        raise GmlError(f"coordinate is not a number ({exc})") from exc


def _pairs(values: list[float], dim: int, element: etree._Element) -> Coords:
    if dim < 2 or not values or len(values) % dim:
        raise GmlError(f"<{local(element)}>: {len(values)} numbers do not fit srsDimension {dim}")
    return [(values[i], values[i + 1]) for i in range(0, len(values), dim)]


def _legacy_coordinates(element: etree._Element) -> Coords:
    cs, ts = element.get("cs", ","), element.get("ts", " ")
    coords = []
    for tuple_text in (element.text or "").split(ts):
        if tuple_text.strip():
            parts = [float(v) for v in tuple_text.strip().split(cs)]
            coords.append((parts[0], parts[1]))
    return coords


# --- arc maths -------------------------------------------------------------
def _circle_through(p0, p1, p2) -> tuple[float, float, float] | None:
    (ax, ay), (bx, by), (cx, cy) = p0, p1, p2
    d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by))
    if abs(d) < 1e-12:
        return None  # collinear: the "arc" is a straight line
    a2, b2, c2 = ax * ax + ay * ay, bx * bx + by * by, cx * cx + cy * cy
    ux = (a2 * (by - cy) + b2 * (cy - ay) + c2 * (ay - by)) / d
    uy = (a2 * (cx - bx) + b2 * (ax - cx) + c2 * (bx - ax)) / d
    return ux, uy, math.hypot(ax - ux, ay - uy)


def _step(radius: float) -> float:
    if radius <= ARC_TOLERANCE:
        return MAX_ARC_STEP
    return min(MAX_ARC_STEP, 2 * math.acos(1 - ARC_TOLERANCE / radius))


def _sweep(centre, radius, start_angle, sweep) -> Coords:
    count = max(2, math.ceil(abs(sweep) / _step(radius)))
    cx, cy = centre
    return [
        (cx + radius * math.cos(start_angle + sweep * i / count),
         cy + radius * math.sin(start_angle + sweep * i / count))
        for i in range(count + 1)
    ]


def arc_points(p0, p1, p2) -> Coords:
    """Points along the circular arc from p0 through p1 to p2 (ends kept exact)."""
    circle = _circle_through(p0, p1, p2)
    if circle is None:
        return [p0, p2] if p1 in (p0, p2) else [p0, p1, p2]
    cx, cy, radius = circle
    a0, a1, a2 = (math.atan2(p[1] - cy, p[0] - cx) for p in (p0, p1, p2))
    sweep = (a2 - a0) % (2 * math.pi)
    if (a1 - a0) % (2 * math.pi) > sweep:  # p1 not on the counter-clockwise way
        sweep -= 2 * math.pi
    coords = _sweep((cx, cy), radius, a0, sweep)
    coords[0], coords[-1] = tuple(p0), tuple(p2)
    return coords


def circle_points(p0, p1, p2) -> Coords:
    circle = _circle_through(p0, p1, p2)
    if circle is None:
        raise GmlError("gml:Circle through three collinear points")
    cx, cy, radius = circle
    start = math.atan2(p0[1] - cy, p0[0] - cx)
    coords = _sweep((cx, cy), radius, start, 2 * math.pi)
    coords[-1] = coords[0]
    return coords


def _centre_arc(segment: etree._Element, *, full: bool) -> Coords:
    centre = _coords(segment)[0]
    radius_el = next(_gml_children(segment, "radius"), None)
    if radius_el is None:
        raise GmlError(f"gml:{local(segment)} without gml:radius")
    radius = float(radius_el.text)
    if full:
        coords = _sweep(centre, radius, 0.0, 2 * math.pi)
        coords[-1] = coords[0]
        return coords
    start = _angle(segment, "startAngle")
    end = _angle(segment, "endAngle")
    return _sweep(centre, radius, start, end - start)


def _angle(segment: etree._Element, name: str) -> float:
    element = next(_gml_children(segment, name), None)
    if element is None:
        raise GmlError(f"gml:{local(segment)} without gml:{name}")
    value = float(element.text)
    unit = (element.get("uom") or "deg").lower()
    return value if unit.startswith("rad") else math.radians(value)
