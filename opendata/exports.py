"""Writes a dataset's files: GeoJSON (EPSG:4326, RFC 7946), CSV with a WKT column and
GeoPackage (both EPSG:25832). Files are cached as MEDIA_ROOT/opendata/<layer>-<version>.<ext>;
a new version of the layer's rows gets a new file name, older files of the layer are deleted.

Rows come from the layer's SQL (geoportal.ogc.sql: its queryset, its whitelisted fields) over a
server-side cursor, so memory stays flat for CSV and GeoJSON whatever the layer's size.
"""
# ruff: noqa: S608 - SQL below only interpolates identifiers from the layer registry's whitelist
# and SQL Django compiled from the layer's queryset; values are parameters.

import csv
import dataclasses
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geoportal.ogc import sql
from geoportal.ogc.layers import Layer

from .datasets import Dataset, cache_dir

CHUNK = 5000
STORAGE_SRID = 25832
WKT_COLUMN = "wkt"


def export_path(dataset: Dataset, ext: str) -> Path:
    """The cached file of this version of the dataset, written first if it is missing."""
    path = cache_dir() / f"{dataset.name}-{dataset.version}.{ext}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        WRITERS[ext](dataset.layer, path)
        _drop_older(dataset, ext, keep=path)
    return path


def _drop_older(dataset: Dataset, ext: str, *, keep: Path) -> None:
    for old in cache_dir().glob(f"{dataset.name}-*.{ext}"):
        if old != keep:
            old.unlink(missing_ok=True)


def _atomic(path: Path):
    """A temp file next to `path`, renamed over it once complete: a reader never sees half a
    file, and two requests writing the same version at once both end with a whole one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
    os.close(fd)
    return Path(tmp)


def _rows(layer: Layer, select: str) -> Iterator[tuple]:
    source, params = sql.source_sql(layer)
    query = f"SELECT {select} FROM ({source}) AS t ORDER BY {sql.order_sql(layer)}"
    with sql.timed_transaction() as db, db.chunked_cursor() as cursor:
        cursor.execute(query, params)
        while rows := cursor.fetchmany(CHUNK):
            yield from rows


def _columns(layer: Layer) -> str:
    return ", ".join(f"t.{sql.q(p.column)}" for p in layer.properties)


def _geometry(layer: Layer) -> str:
    geom = f"t.{sql.q(layer.geometry.column)}"
    if layer.geometry.srid != STORAGE_SRID:
        geom = f"ST_Transform({geom}, {STORAGE_SRID})"
    return geom


def write_geojson(layer: Layer, path: Path) -> None:
    tmp = _atomic(path)
    # The web map's simplification (e.g. land use, 1 m) is for drawing; downloads are exact.
    exact = dataclasses.replace(layer, geojson_simplify_m=0.0)
    with tmp.open("w", encoding="utf-8") as out:
        out.write('{"type":"FeatureCollection","features":[')
        for i, chunk in enumerate(sql.feature_stream(exact, sql.Where(), srid=sql.WGS84)):
            out.write(("," if i else "") + chunk)
        out.write("]}")
    tmp.replace(path)


def write_csv(layer: Layer, path: Path) -> None:
    tmp = _atomic(path)
    select = f"{_columns(layer)}, ST_AsText({_geometry(layer)}, {sql.METRIC_PRECISION})"
    with tmp.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*(p.name for p in layer.properties), WKT_COLUMN])
        for row in _rows(layer, select):
            writer.writerow(["" if v is None else _text(v) for v in row])
    tmp.replace(path)


def _text(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def write_gpkg(layer: Layer, path: Path) -> None:
    names = [p.name for p in layer.properties]
    select = f"{_columns(layer)}, ST_AsBinary({_geometry(layer)})"
    columns: dict[str, list] = {name: [] for name in names}
    wkb: list[bytes] = []
    for row in _rows(layer, select):
        for name, value in zip(names, row[:-1], strict=True):
            columns[name].append(_gpkg_value(value))
        wkb.append(bytes(row[-1]))
    frame = gpd.GeoDataFrame(
        pd.DataFrame(columns, columns=names),
        geometry=shapely.from_wkb(wkb) if wkb else gpd.GeoSeries([]),
        crs=f"EPSG:{STORAGE_SRID}",
    )
    tmp = _atomic(path)
    tmp.unlink()  # the GPKG driver creates the file itself
    pyogrio.write_dataframe(
        frame,
        tmp,
        layer=layer.name,
        driver="GPKG",
        # "Unknown": a layer of mixed geometries (council places are points and lines).
        geometry_type="Unknown" if layer.geometry_type == "Geometry" else layer.geometry_type,
        promote_to_multi=False,
    )
    tmp.replace(path)


def _gpkg_value(value):
    # GeoPackage stores date-times as text anyway; ISO 8601 keeps the UTC offset readable.
    return value.isoformat() if hasattr(value, "isoformat") else value


WRITERS = {"geojson": write_geojson, "csv": write_csv, "gpkg": write_gpkg}
