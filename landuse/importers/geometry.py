"""Area clean-up shared by the land-use readers. CRS handling and "inside Germany" live in
geoportal.crs (one module for every importer); the names are re-exported here for the readers."""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry

from geoportal.crs import (  # noqa: F401 - the readers' names for the shared CRS module
    TARGET_CRS,
    SourceCrs,
    UnknownCrsError,
    outside_germany,
    reproject,
    resolve_srs_name,
    resolve_user_crs,
)


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
