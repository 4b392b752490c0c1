"""Loader: any OGR vector source (GeoJSON, Shapefile with .prj, GeoPackage, CSV, zip of one)
read with pyogrio and reprojected to the storage CRS with pyproj, the CRS taken from the source."""

import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS

from ..crs import UnknownCrsError, germany_box, resolve_user_crs
from .core import ImportFailed

VECTOR_SUFFIXES = {".geojson", ".json", ".shp", ".gpkg", ".csv", ".gml", ".fgb", ".kml"}


@dataclass
class Layer:
    path: Path
    frame: gpd.GeoDataFrame  # index: feature id in the source; geometry in the storage CRS
    source_crs: str
    fields: list[str]

    def require_field(self, name: str, option: str) -> None:
        if name not in self.fields:
            raise ImportFailed(
                f"{self.path.name}: no field {name!r} (named by {option}). "
                f"The layer's fields are: {', '.join(self.fields) or 'none'}."
            )


def read_layer(
    path: str | Path,
    *,
    layer: str | None = None,
    source_crs: str | None = None,
    open_options: dict | None = None,
) -> Layer:
    path = Path(path)
    if not path.exists():
        raise ImportFailed(f"{path}: file not found. Check the path (relative to {Path.cwd()}).")
    dataset = _dataset_name(path)
    try:
        frame = pyogrio.read_dataframe(
            dataset, layer=layer, fid_as_index=True, **(open_options or {})
        )
    except (DataSourceError, DataLayerError) as exc:
        raise ImportFailed(
            f"{path.name}: GDAL cannot read it as a vector layer ({exc}). Use GeoJSON, a Shapefile "
            "with its .shx/.dbf/.prj, a GeoPackage (--layer for one of several), or a CSV."
        ) from exc
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame:
        raise ImportFailed(f"{path.name}: the layer has no geometry column.")
    crs = _source_crs(path, frame, source_crs)
    frame = frame.set_crs(crs, allow_override=True).to_crs(settings.GEOPORTAL_SRID)
    _check_inside_service_area(path, frame, crs)
    return Layer(
        path=path,
        frame=frame,
        source_crs=crs.to_string() if crs.to_epsg() else crs.name,
        fields=[c for c in frame.columns if c != frame.geometry.name],
    )


def _dataset_name(path: Path) -> str:
    if path.suffix.lower() != ".zip":
        return str(path)
    with zipfile.ZipFile(path) as archive:
        members = [n for n in archive.namelist() if Path(n).suffix.lower() in VECTOR_SUFFIXES]
    if len(members) != 1:
        found = ", ".join(members) or "none"
        raise ImportFailed(
            f"{path.name}: expected one vector file in the zip, found {found}. Unzip it and "
            "name the file to import."
        )
    return f"/vsizip/{path}/{members[0]}"


def _source_crs(path: Path, frame: gpd.GeoDataFrame, declared: str | None) -> CRS:
    if declared:
        try:
            return resolve_user_crs(declared).crs
        except UnknownCrsError as exc:
            raise ImportFailed(f"--source-crs {declared!r} is not a CRS PROJ knows: {exc}") from exc
    if frame.crs is None:
        raise ImportFailed(
            f"{path.name}: the source declares no CRS (a Shapefile needs its .prj). "
            "Name it with --source-crs, e.g. --source-crs EPSG:25832."
        )
    return frame.crs


def _check_inside_service_area(path: Path, frame: gpd.GeoDataFrame, crs: CRS) -> None:
    """A wrong CRS shows as coordinates far from Germany; refuse before anything is written."""
    box = shapely.box(*germany_box(settings.GEOPORTAL_SRID))
    geoms = frame.geometry
    outside = ~geoms.isna() & ~geoms.is_empty & ~geoms.intersects(box)
    if outside.any():
        fid = outside.idxmax()
        x, y = geoms.loc[fid].representative_point().coords[0]
        raise ImportFailed(
            f"{path.name}: {int(outside.sum())} of {len(frame)} features lie outside Germany after "
            f"reprojection from {crs.name} (first: feature {fid} at x={x:.0f}, y={y:.0f} in "
            "EPSG:25832). The source CRS is wrong: check the .prj or pass --source-crs."
        )


def check_geometry_types(layer: Layer, allowed: set[str], command: str) -> None:
    types = layer.frame.geometry.geom_type
    bad = types.isna() | ~types.isin(allowed)
    if bad.any():
        fid = bad.idxmax()
        found = types.loc[fid] or "no geometry"
        raise ImportFailed(
            f"{layer.path.name}: feature {fid} has {found}; {command} needs "
            f"{' or '.join(sorted(allowed))}. ({int(bad.sum())} such features.)"
        )


def to_geos(geometry: shapely.Geometry, srid: int | None = None) -> GEOSGeometry:
    wkb = shapely.to_wkb(shapely.force_2d(geometry))
    return GEOSGeometry(memoryview(wkb), srid=srid or settings.GEOPORTAL_SRID)
