"""Loader for geoportal's importers (and dataset layers): the one OGR reader `geoportal.ogr`
with its errors as ImportFailed, plus the geometry checks the import commands share."""

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import shapely
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry

from ..ogr import SourceError, read_source
from .core import ImportFailed


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
    where: str | None = None,
) -> Layer:
    try:
        source = read_source(
            path, layer=layer, source_crs=source_crs, open_options=open_options, where=where
        )
    except SourceError as exc:
        raise ImportFailed(str(exc)) from exc
    return Layer(
        path=source.path, frame=source.frame, source_crs=source.crs_label, fields=source.fields
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
