"""Read a land-use layer from a Shapefile (with .prj), GeoPackage or GeoJSON via GDAL.

Classes come from an attribute: a `classifier`, or the Köln FNP coding (TYP and subtype)
mapped through the PlanZV category CSV named by `classes_csv`, see importers/koeln.py.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyogrio
import shapely
from pyogrio import raw
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj.exceptions import ProjError

from .geometry import SourceCrs, UnknownCrsError, as_area, outside_germany, reproject
from .geometry import resolve_user_crs as _resolve_crs
from .koeln import koeln_classifier
from .types import AreaFeature, PlanData, PlanMeta, PlanReadError


def read_plan(path: str | Path, *, source_crs: str | None = None, **options) -> PlanData:
    """Read a land-use layer; every feature ends up imported or in rejected.

    source_crs: CRS to assume when the file declares none (no .prj).
    options: layer, class_field ("TYP"), subtype_field ("subtype"), id_field
    (default: the GDAL feature id), classifier (row dict → (class key,
    problems, extra attributes)) or classes_csv (the Köln coding's category CSV), name,
    municipality, legal_status, legal_status_code, check_extent (True: refuse plans outside
    Germany).
    """
    path = Path(path)
    if not path.exists():
        raise PlanReadError("file not found", path=path,
                            hint="check the path; Shapefiles need .shp, .shx, .dbf and .prj")
    layer = _layer(path, options.get("layer"))
    try:
        info = pyogrio.read_info(path, layer=layer)
        meta, fids, wkb, field_data = raw.read(path, layer=layer, return_fids=True)
    except (DataSourceError, DataLayerError) as exc:
        raise PlanReadError(f"not a readable vector file ({exc})", path=path,
                            hint="use a Shapefile (.shp or zipped), GeoPackage or GeoJSON") from exc
    source = _source_crs(path, meta.get("crs"), source_crs)
    rows = _rows(meta["fields"], field_data, len(fids))
    class_field = options.get("class_field", "TYP")
    if len(fids) and class_field not in meta["fields"]:
        raise PlanReadError("class attribute missing", path=path, field_name=class_field,
                            hint=f"pass class_field=, one of {', '.join(meta['fields'])}")
    classify = options.get("classifier")
    if classify is None:
        if not options.get("classes_csv"):
            raise PlanReadError("no class table", path=path, field_name=class_field,
                                hint="pass classifier= or classes_csv= (the PlanZV category CSV)")
        classify = koeln_classifier(classes_csv=options["classes_csv"], class_field=class_field,
                                    subtype_field=options.get("subtype_field", "subtype"))
    try:
        geometries = reproject(shapely.from_wkb(np.asarray(wkb, dtype=object),
                                                on_invalid="ignore"), source)
    except ProjError as exc:
        raise PlanReadError(f"coordinates cannot be reprojected from {source.crs.name} ({exc})",
                            path=path, field_name="crs",
                            hint="check the .prj or pass the right source_crs") from exc
    id_field = options.get("id_field")
    if id_field and id_field not in meta["fields"]:
        raise PlanReadError("id attribute missing", path=path, field_name=id_field,
                            hint=f"pass one of {', '.join(meta['fields'])}")
    features, rejected = [], []
    for fid, row, geometry in zip(fids, rows, geometries, strict=True):
        source_id = str(row.get(id_field) if id_field else fid)
        _read_feature(source_id, row, geometry, class_field, classify, features, rejected)
    data = PlanData(meta=_meta(path, layer, info, source, options), features=features,
                    rejected=rejected)
    if options.get("check_extent", True):
        _check_extent(path, geometries, source)
    return data


def _read_feature(source_id, row, geometry, class_field, classify, features, rejected) -> None:
    key, problems, extra = classify(row)
    if key is None:
        rejected.append((source_id, f"field {class_field}: " + "; ".join(problems)))
        return
    result = as_area(geometry)
    if result.geometry is None:
        rejected.append((source_id, f"{row.get(class_field)} ({key}): {result.problem}"))
        return
    if result.problem:
        problems = [*problems, result.problem]
    features.append(AreaFeature(
        source_id=source_id, feature_class=str(row.get(class_field)), attributes={**row, **extra},
        geometry_wkb=shapely.to_wkb(result.geometry), class_code=key, repaired=result.repaired,
        problems=problems,
    ))


def _layer(path: Path, layer: str | None) -> str:
    if layer is not None:
        return layer
    try:
        layers = pyogrio.list_layers(path)
    except DataSourceError as exc:
        raise PlanReadError(f"not a readable vector file ({exc})", path=path,
                            hint="use a Shapefile (.shp or zipped), GeoPackage or GeoJSON") from exc
    if len(layers) != 1:
        names = ", ".join(str(name) for name, _ in layers) or "none"
        raise PlanReadError(f"{len(layers)} layers ({names})", path=path, field_name="layer",
                            hint="pass layer= with the land-use layer")
    return str(layers[0][0])


def _source_crs(path: Path, declared: str | None, fallback: str | None) -> SourceCrs:
    text = declared or fallback
    if not text:
        raise PlanReadError("no coordinate reference system", path=path,
                            hint="ship the .prj with the Shapefile or pass source_crs")
    try:
        return _resolve_crs(text)
    except UnknownCrsError as exc:
        raise PlanReadError(str(exc), path=path, field_name="crs",
                            hint="fix the .prj or pass source_crs, e.g. EPSG:25832") from exc


def _rows(names, columns, count: int) -> list[dict]:
    converted = [[_python(value) for value in column] for column in columns]
    rows = [dict(zip(names, values, strict=True)) for values in zip(*converted, strict=True)]
    return rows if converted else [{} for _ in range(count)]


def _python(value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def _meta(path: Path, layer, info: dict, source: SourceCrs, options: dict) -> PlanMeta:
    crs = source.crs
    return PlanMeta(
        name=options.get("name") or layer,
        municipality=options.get("municipality"),
        legal_status=options.get("legal_status"),
        legal_status_code=options.get("legal_status_code"),
        drawn_up=options.get("drawn_up"),
        effective=options.get("effective"),
        source_format=info.get("driver") or path.suffix.lstrip("."),
        source_crs=f"EPSG:{crs.to_epsg()}" if crs.to_epsg() else source.declared,
        extra={"crs_name": crs.name, "layer": layer, "feature_count": info.get("features")},
    )


def _check_extent(path: Path, geometries, source: SourceCrs) -> None:
    present = [g for g in geometries if g is not None and not g.is_empty]
    if not present:
        return
    bounds = tuple(shapely.total_bounds(present))
    if outside_germany(bounds):
        raise PlanReadError(
            f"after reprojection from {source.crs.name} to EPSG:25832 the plan lies outside "
            f"Germany (bounds {tuple(round(b) for b in bounds)})", path=path, field_name="crs",
            hint="check the .prj (e.g. a UTM false easting of 2,500,000) or pass source_crs")
