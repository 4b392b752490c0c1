"""The one OGR reader every importer uses: geoportal's areas/streets/addresses, the land-use
plan (Shapefile/GeoPackage/GeoJSON) and dataset layers (themes).

It opens any OGR vector source (GeoJSON with or without `crs`, Shapefile with .prj, zipped or
not, GeoPackage, CSV, FlatGeobuf, ...), picks the layer, takes the CRS from the source (or the
one the caller names), reprojects to EPSG:25832 and refuses data outside Germany, both through
geoportal.crs. Django-free like geoportal.crs, so the land-use readers stay plain Python; each
caller turns `SourceError` into its own error type (ImportFailed, PlanReadError).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj.exceptions import ProjError

from .crs import (
    TARGET_CRS,
    SourceCrs,
    UnknownCrsError,
    features_outside_germany,
    reproject,
    resolve_user_crs,
)

VECTOR_SUFFIXES = {".geojson", ".json", ".shp", ".gpkg", ".csv", ".gml", ".fgb", ".kml"}
# Formats that hold exactly one layer: no need to open the source twice to list its layers
# (GDAL parses a whole GeoJSON on every open: 100,000 features cost seconds each time).
SINGLE_LAYER_SUFFIXES = {".geojson", ".json", ".shp", ".csv", ".fgb"}
DRIVERS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".shp": "ESRI Shapefile",
           ".gpkg": "GPKG", ".csv": "CSV", ".gml": "GML", ".fgb": "FlatGeobuf", ".kml": "KML"}
READABLE = ("use GeoJSON, a Shapefile with its .shx/.dbf/.prj (or all of them zipped), a "
            "GeoPackage or a CSV")


class SourceError(Exception):
    """A source that cannot be read; says where (file, feature, field) and how to fix it."""

    def __init__(self, problem: str, *, path: Path, feature_id=None, field_name: str | None = None,
                 hint: str | None = None) -> None:
        self.problem, self.path, self.hint = problem, Path(path), hint
        self.feature_id = None if feature_id is None else str(feature_id)
        self.field_name = field_name
        super().__init__(self.message(self.path.name))

    def message(self, file_label: str) -> str:
        """`file, feature F, field X: problem. Fix: hint`, with the file named as the caller
        names it (geoportal: the file name; land use: the path as given)."""
        where = [file_label]
        if self.feature_id is not None:
            where.append(f"feature {self.feature_id}")
        if self.field_name:
            where.append(f"field {self.field_name}")
        text = f"{', '.join(where)}: {self.problem}"
        return f"{text}. Fix: {self.hint}" if self.hint else text


@dataclass
class Source:
    path: Path
    layer: str  # the layer read (a single-layer format's is its file name without suffix)
    driver: str  # GDAL driver name, e.g. "ESRI Shapefile", "GPKG", "GeoJSON"
    crs: SourceCrs  # the source's CRS as resolved (or the one the caller named)
    frame: gpd.GeoDataFrame  # index: GDAL feature id; geometry in EPSG:25832, None if absent

    @property
    def fields(self) -> list[str]:
        return [c for c in self.frame.columns if c != self.frame.geometry.name]

    @property
    def crs_label(self) -> str:
        """"EPSG:31467", or the CRS's name where it has no EPSG code."""
        epsg = self.crs.crs.to_epsg()
        return f"EPSG:{epsg}" if epsg else self.crs.crs.name


def read_source(
    path: str | Path,
    *,
    layer: str | None = None,
    source_crs: str | None = None,
    open_options: dict | None = None,
    check_extent: bool = True,
    where: str | None = None,
) -> Source:
    """Read one vector layer, reprojected to EPSG:25832; raises SourceError.

    source_crs: the CRS of the coordinates when the caller knows better than the source (a CSV
    declares none; a GeoJSON without `crs` is taken as WGS84 by GDAL): it wins over the source's.
    check_extent: refuse features that land outside Germany (a wrong CRS shows that way).
    where: an OGR SQL filter on the source's fields ("ags8 = '08221000'"): one municipality
    out of a file of many, as the BKG's are.
    """
    path = Path(path)
    if not path.exists():
        raise SourceError("file not found", path=path,
                          hint=f"check the path (relative to {Path.cwd()}); Shapefiles need "
                               ".shp, .shx, .dbf and .prj")
    dataset = _dataset_name(path)
    layer = layer if layer is not None else _only_layer(path, dataset)
    try:
        frame = pyogrio.read_dataframe(dataset, layer=layer, fid_as_index=True,
                                       on_invalid="ignore", where=where, **(open_options or {}))
    except (DataSourceError, DataLayerError) as exc:
        raise SourceError(f"not a readable vector file: GDAL cannot read it ({exc})", path=path,
                          hint=f"{READABLE} (name one layer of several)") from exc
    except ValueError as exc:
        if not where:
            raise
        # pyogrio's word for a filter GDAL cannot parse or whose field does not exist.
        raise SourceError(f"--where {where!r} is not a filter GDAL can apply", path=path,
                          hint="OGR SQL on the source's fields, e.g. \"ags8 = '08221000'\"; "
                               "ogrinfo -so -al lists them") from exc
    if where and frame.empty:
        raise SourceError(f"--where {where!r} matches no feature", path=path,
                          hint="check the value and the field (ogrinfo -al lists them)")
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame:
        raise SourceError("the layer has no geometry column", path=path,
                          hint="import a layer with geometries")
    crs = _source_crs(path, frame, source_crs)
    geometries = np.asarray(frame.geometry.values, dtype=object)
    try:
        geometries = reproject(geometries, crs)
    except ProjError as exc:
        raise SourceError(f"coordinates cannot be reprojected from {crs.crs.name} ({exc})",
                          path=path, field_name="crs",
                          hint="the source CRS is wrong: check the .prj or name the right "
                               "one (--source-crs)") from exc
    frame = gpd.GeoDataFrame(frame.drop(columns=frame.geometry.name),
                             geometry=gpd.GeoSeries(geometries, index=frame.index),
                             crs=TARGET_CRS)
    if check_extent:
        _check_inside_germany(path, frame, crs)
    driver = DRIVERS.get(Path(dataset).suffix.lower(), path.suffix.lstrip(".").upper())
    return Source(path=path, layer=layer or Path(dataset).stem, driver=driver, crs=crs,
                  frame=frame)


def _dataset_name(path: Path) -> str:
    """A zip holding one vector file (a zipped Shapefile): read it in place through /vsizip/."""
    if path.suffix.lower() != ".zip":
        return str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = [n for n in archive.namelist() if not n.startswith("__MACOSX/")
                       and Path(n).suffix.lower() in VECTOR_SUFFIXES]
    except zipfile.BadZipFile as exc:
        raise SourceError(f"not a readable vector file ({exc})", path=path, hint=READABLE) from exc
    if len(members) != 1:
        raise SourceError(
            f"expected one vector file in the zip, found {', '.join(members) or 'none'}",
            path=path, hint="zip one layer (a Shapefile with its .shx, .dbf and .prj), or unzip "
                            "it and name the file to import")
    return f"/vsizip/{path}/{members[0]}"


def _only_layer(path: Path, dataset: str) -> str | None:
    """The source's one layer; a source with several (a GeoPackage) needs the caller to pick."""
    if Path(dataset).suffix.lower() in SINGLE_LAYER_SUFFIXES:
        return None
    try:
        layers = pyogrio.list_layers(dataset)
    except DataSourceError as exc:
        raise SourceError(f"not a readable vector file ({exc})", path=path, hint=READABLE) from exc
    if len(layers) != 1:
        names = ", ".join(str(name) for name, _ in layers) or "none"
        raise SourceError(f"{len(layers)} layers ({names})", path=path, field_name="layer",
                          hint="name the layer to import (--layer)")
    return str(layers[0][0])


def _source_crs(path: Path, frame: gpd.GeoDataFrame, named: str | None) -> SourceCrs:
    if named:
        try:
            return resolve_user_crs(named)
        except UnknownCrsError as exc:
            raise SourceError(f"--source-crs {named!r} is not a CRS PROJ knows ({exc})",
                              path=path, field_name="crs",
                              hint="name it as EPSG:25832, a URN or WKT") from exc
    if frame.crs is None:
        raise SourceError("no coordinate reference system: the source declares no CRS",
                          path=path, field_name="crs",
                          hint="ship the .prj with the Shapefile or name it with --source-crs, "
                               "e.g. --source-crs EPSG:25832")
    declared = frame.crs.to_string() if frame.crs.to_epsg() else frame.crs.to_wkt()
    try:
        return resolve_user_crs(declared)
    except UnknownCrsError as exc:
        raise SourceError(str(exc), path=path, field_name="crs",
                          hint="fix the .prj or name the CRS with --source-crs") from exc


def _check_inside_germany(path: Path, frame: gpd.GeoDataFrame, crs: SourceCrs) -> None:
    """A wrong CRS shows as coordinates far from Germany; refuse before anything is written."""
    outside = features_outside_germany(np.asarray(frame.geometry.values, dtype=object))
    if not outside.any():
        return
    first = int(np.argmax(outside))
    x, y = frame.geometry.iloc[first].representative_point().coords[0]
    raise SourceError(
        f"{int(outside.sum())} of {len(frame)} features lie outside Germany after reprojection "
        f"from {crs.crs.name} to EPSG:25832 (first: feature {frame.index[first]} at "
        f"x={x:.0f}, y={y:.0f})", path=path, field_name="crs",
        hint="the source CRS is wrong: check the .prj (e.g. a UTM false easting of 2,500,000 "
             "read as EPSG:25832) or name the right one with --source-crs")
