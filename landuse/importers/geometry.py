"""CRS handling, reprojection to EPSG:25832 and area clean-up shared by the readers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyproj
import shapely
from pyproj.exceptions import CRSError
from shapely.geometry.base import BaseGeometry

TARGET_CRS = "EPSG:25832"

# Where a German plan can lie once in EPSG:25832: zone 32 extended over all of
# Germany, with margin. Coordinates outside mean the source CRS is wrong, e.g.
# Köln's UTM with a false easting of 2,500,000 read as plain EPSG:25832.
GERMANY_25832 = (150_000.0, 5_200_000.0, 1_000_000.0, 6_150_000.0)

_URN_RE = re.compile(r"^urn:(?:ogc|x-ogc):def:crs:EPSG:[\d.]*:(\d+)$", re.IGNORECASE)
_HTTP_RE = re.compile(r"^https?://www\.opengis\.net/def/crs/EPSG/[\d.]+/(\d+)$", re.IGNORECASE)
_GML_SRS_RE = re.compile(r"^https?://www\.opengis\.net/gml/srs/epsg\.xml#(\d+)$", re.IGNORECASE)
_SHORT_RE = re.compile(r"^EPSG:(\d+)$", re.IGNORECASE)
_ADV_RE = re.compile(r"^urn:adv:crs:([A-Za-z0-9_]+)(?:\*.*)?$", re.IGNORECASE)
# AdV names as written in NAS/ALKIS and some XPlanung exports; easting first.
# A "*DE_DHHN..." suffix adds a height system, which 2D plans ignore.
ADV_CRS = {
    "ETRS89_UTM32": 25832,
    "ETRS89_UTM33": 25833,
    "DE_DHDN_3GK2": 31466,
    "DE_DHDN_3GK3": 31467,
    "DE_DHDN_3GK4": 31468,
    "DE_DHDN_3GK5": 31469,
}


@dataclass(frozen=True)
class SourceCrs:
    """A declared CRS, resolved, with the axis order its coordinates use."""

    declared: str
    crs: pyproj.CRS
    authority_axis_order: bool  # True: coordinates follow the EPSG axis order (URN/URI form)


def resolve_srs_name(declared: str) -> SourceCrs:
    """Resolve a GML srsName.

    The URN and http URI forms promise the EPSG axis order (lat/lon for
    EPSG:4326, northing/easting for EPSG:31467); the short "EPSG:n" form is read
    as easting/longitude first, as GDAL and XPlanung producers do.
    """
    text = declared.strip()
    for pattern in (_URN_RE, _HTTP_RE):
        match = pattern.match(text)
        if match:
            return SourceCrs(text, _crs_from_epsg(int(match.group(1)), text), True)
    for pattern in (_SHORT_RE, _GML_SRS_RE):
        match = pattern.match(text)
        if match:
            return SourceCrs(text, _crs_from_epsg(int(match.group(1)), text), False)
    match = _ADV_RE.match(text)
    if match and match.group(1).upper() in ADV_CRS:
        return SourceCrs(text, _crs_from_epsg(ADV_CRS[match.group(1).upper()], text), False)
    raise UnknownCrsError(text)


def resolve_user_crs(declared: str) -> SourceCrs:
    """Resolve a CRS given by a caller or a .prj (EPSG code, URN or WKT); x is east."""
    try:
        return resolve_srs_name(declared)
    except UnknownCrsError:
        pass
    try:
        crs = pyproj.CRS.from_user_input(declared)
    except CRSError as exc:
        raise UnknownCrsError(declared) from exc
    return SourceCrs(declared, _two_d(crs), False)


class UnknownCrsError(ValueError):
    def __init__(self, declared: str) -> None:
        super().__init__(f"unknown coordinate reference system {declared[:120]!r}")
        self.declared = declared


def _crs_from_epsg(code: int, declared: str) -> pyproj.CRS:
    try:
        return _two_d(pyproj.CRS.from_epsg(code))
    except CRSError as exc:
        raise UnknownCrsError(declared) from exc


def _two_d(crs: pyproj.CRS) -> pyproj.CRS:
    # Esri .prj files with a VERTCS give a 3D CRS; the plans are 2D.
    return crs.to_2d() if len(crs.axis_info) > 2 else crs


@lru_cache(maxsize=32)
def _transformer(crs_wkt: str, authority_axis_order: bool) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(
        pyproj.CRS.from_wkt(crs_wkt), TARGET_CRS, always_xy=not authority_axis_order
    )


def reproject(geometry: BaseGeometry | np.ndarray, source: SourceCrs):
    """Reproject one geometry or an array of geometries to EPSG:25832 (2D)."""
    if source.crs.to_epsg() == 25832 and not source.authority_axis_order:
        return shapely.force_2d(geometry)
    transformer = _transformer(source.crs.to_wkt(), source.authority_axis_order)

    def _apply(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1], errcheck=True)
        return np.column_stack([x, y])

    return shapely.transform(shapely.force_2d(geometry), _apply)


def outside_germany(bounds: tuple[float, float, float, float]) -> bool:
    """True when reprojected bounds cannot belong to a German plan."""
    minx, miny, maxx, maxy = bounds
    gx0, gy0, gx1, gy1 = GERMANY_25832
    return not (gx0 <= minx <= maxx <= gx1 and gy0 <= miny <= maxy <= gy1)


@dataclass
class AreaResult:
    geometry: shapely.MultiPolygon | None
    repaired: bool
    problem: str | None  # why it was repaired, or why nothing usable is left


def as_area(geometry: BaseGeometry | None) -> AreaResult:
    """Turn a geometry into a valid 2D MultiPolygon, repairing it if needed.

    Repair uses make_valid and keeps only polygonal parts; a geometry with no
    area left (a line, a point, a collapsed ring) comes back as None.
    """
    if geometry is None or geometry.is_empty:
        return AreaResult(None, False, "no geometry")
    geometry = shapely.force_2d(geometry)
    if not _is_polygonal(geometry) and not isinstance(geometry, shapely.GeometryCollection):
        return AreaResult(None, False, f"geometry is a {geometry.geom_type}, not an area")
    if geometry.is_valid and _is_polygonal(geometry):
        return AreaResult(_to_multi(geometry), False, None)
    reason = shapely.is_valid_reason(geometry)
    fixed = _polygonal_parts(shapely.make_valid(geometry))
    if fixed is None:
        return AreaResult(None, True, f"invalid area with nothing polygonal left ({reason})")
    return AreaResult(fixed, True, f"repaired invalid geometry ({reason})")


def _is_polygonal(geometry: BaseGeometry) -> bool:
    return isinstance(geometry, shapely.Polygon | shapely.MultiPolygon)


def _polygonal_parts(geometry: BaseGeometry) -> shapely.MultiPolygon | None:
    parts = [
        part
        for part in shapely.get_parts(shapely.get_parts(geometry))
        if isinstance(part, shapely.Polygon) and not part.is_empty
    ]
    if not parts:
        return None
    merged = shapely.MultiPolygon(parts)
    if not merged.is_valid:  # touching parts from make_valid: dissolve them
        merged = _to_multi(shapely.union_all(parts))
    return merged if merged.area > 0 else None


def _to_multi(geometry: BaseGeometry) -> shapely.MultiPolygon:
    if isinstance(geometry, shapely.MultiPolygon):
        return geometry
    if isinstance(geometry, shapely.Polygon):
        return shapely.MultiPolygon([geometry])
    parts = shapely.get_parts(geometry)
    return shapely.MultiPolygon([p for p in parts if isinstance(p, shapely.Polygon)])
