"""Coordinate reference systems and "inside Germany": the one module every importer uses
(geoportal's OGR loader, the land-use and Bebauungsplan readers, dataset layers).

Django-free (pyproj and shapely only), so the readers stay plain Python. `GERMANY_WGS84` is
also the box user coordinates must fall in (settings.GEOPORTAL_BOUNDS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyproj
import shapely
from pyproj.exceptions import CRSError
from shapely.geometry.base import BaseGeometry

# Germany with a margin, as WGS84 lon/lat (west, south, east, north). Data that lands outside
# after reprojection was read in the wrong CRS, e.g. Köln's UTM with a false easting of
# 2,500,000 read as plain EPSG:25832, or x/y swapped.
GERMANY_WGS84 = (5.5, 47.0, 15.5, 55.2)

TARGET_CRS = "EPSG:25832"


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


@lru_cache(maxsize=8)
def germany_box(srid: int = 25832) -> tuple[float, float, float, float]:
    """GERMANY_WGS84 in another CRS (densified edges, so the box holds all of it)."""
    to_target = pyproj.Transformer.from_crs(4326, srid, always_xy=True)
    return tuple(to_target.transform_bounds(*GERMANY_WGS84, densify_pts=21))


def outside_germany(bounds: tuple[float, float, float, float], srid: int = 25832) -> bool:
    """True when bounds (in `srid`) are not wholly inside Germany's box."""
    minx, miny, maxx, maxy = bounds
    gx0, gy0, gx1, gy1 = germany_box(srid)
    return not (gx0 <= minx <= maxx <= gx1 and gy0 <= miny <= maxy <= gy1)


def features_outside_germany(geometries: np.ndarray, srid: int = 25832) -> np.ndarray:
    """Per geometry (in `srid`): True where it does not touch Germany's box at all. Missing and
    empty geometries are not outside (the importers name those themselves)."""
    box = shapely.box(*germany_box(srid))
    present = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
    return present & ~shapely.intersects(geometries, box)
