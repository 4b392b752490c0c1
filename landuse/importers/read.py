"""Pick the reader for a plan file: XPlanGML (.gml/.xml, or a zip holding one) or any OGR
vector source (Shapefile with .prj, zipped Shapefile, GeoPackage, GeoJSON)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from . import ogr, xplan
from .types import PlanData, PlanReadError

XML_SUFFIXES = (".gml", ".xml")
OGR_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".zip")
SUFFIXES = XML_SUFFIXES + OGR_SUFFIXES


def is_xplan(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix in XML_SUFFIXES:
        return True
    if suffix == ".zip" and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [n.lower() for n in archive.namelist()]
        return any(n.endswith(XML_SUFFIXES) for n in names) and not any(
            n.endswith(".shp") for n in names
        )
    return False


def read_plan_file(path: str | Path, *, source_crs: str | None = None, **options) -> PlanData:
    """Read any supported plan file; raises PlanReadError naming file, feature and field."""
    path = Path(path)
    if not path.exists():
        raise PlanReadError("file not found", path=path, hint="check the path")
    if path.suffix.lower() not in SUFFIXES:
        raise PlanReadError(
            f"unsupported file type {path.suffix or '(none)'!r}", path=path,
            hint="use XPlanGML (.gml/.xml/.zip), a Shapefile (.shp or .zip), .gpkg or .geojson",
        )
    if is_xplan(path):
        return xplan.read_plan(path, source_crs=source_crs)  # ids are gml:ids, one layer
    return ogr.read_plan(path, source_crs=source_crs, **options)
