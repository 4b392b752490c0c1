"""Read a land-use layer from a Shapefile (with .prj), GeoPackage or GeoJSON via GDAL.

Classes come from an attribute: a `classifier`, or the Köln FNP coding (TYP and subtype)
mapped through the PlanZV category CSV named by `classes_csv`, see importers/koeln.py.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from geoportal.ogr import Source, SourceError, read_source

from .geometry import as_area
from .koeln import koeln_classifier
from .types import AreaFeature, PlanData, PlanMeta, PlanReadError


def read_plan(path: str | Path, *, source_crs: str | None = None, **options) -> PlanData:
    """Read a land-use layer through the one OGR reader (geoportal.ogr); every feature ends up
    imported or in rejected.

    source_crs: the CRS of the coordinates (wins over the source's, e.g. for a file without
    .prj). options: layer, class_field ("TYP"), subtype_field ("subtype"), id_field
    (default: the GDAL feature id), classifier (row dict → (class key,
    problems, extra attributes)) or classes_csv (the Köln coding's category CSV), name,
    municipality, legal_status, legal_status_code, check_extent (True: refuse plans outside
    Germany).
    """
    path = Path(path)
    try:
        source = read_source(path, layer=options.get("layer"), source_crs=source_crs,
                             check_extent=options.get("check_extent", True))
    except SourceError as exc:
        raise PlanReadError(exc.problem, path=path, feature_id=exc.feature_id,
                            field_name=exc.field_name, hint=exc.hint) from exc
    fields = source.fields
    rows = _rows(source)
    class_field = options.get("class_field", "TYP")
    if len(rows) and class_field not in fields:
        raise PlanReadError("class attribute missing", path=path, field_name=class_field,
                            hint=f"name the field holding each area's class code with "
                            f"--class-field (class_field=), one of {', '.join(fields)}")
    classify = options.get("classifier")
    if classify is None:
        if not options.get("classes_csv"):
            raise PlanReadError("no class table", path=path, field_name=class_field,
                                hint="pass classifier= or classes_csv= (the PlanZV category CSV)")
        try:
            classify = koeln_classifier(classes_csv=options["classes_csv"],
                                        class_field=class_field,
                                        subtype_field=options.get("subtype_field", "subtype"))
        except (OSError, KeyError, ValueError) as exc:
            raise PlanReadError(
                f"class table {options['classes_csv']} unreadable ({exc!r})", path=path,
                hint="point LANDUSE_CLASSES_CSV or --classes-csv at a UTF-8 CSV with the "
                "columns of fixtures/landuse/koeln_fnp_planzv_categories.csv") from exc
    id_field = options.get("id_field")
    if id_field and id_field not in fields:
        raise PlanReadError("id attribute missing", path=path, field_name=id_field,
                            hint=f"pass one of {', '.join(fields)}")
    features, rejected = [], []
    plan = PlanData(meta=_meta(path, source, options), features=features, rejected=rejected,
                    class_field=class_field)
    geometries = source.frame.geometry.values
    for fid, row, geometry in zip(source.frame.index, rows, geometries, strict=True):
        source_id = str(row.get(id_field) if id_field else fid)
        _read_feature(source_id, row, geometry, class_field, classify, plan)
    return plan


def _read_feature(source_id, row, geometry, class_field, classify, plan: PlanData) -> None:
    features, rejected = plan.features, plan.rejected
    key, problems, extra = classify(row)
    if key is None:
        rejected.append((source_id, f"field {class_field}: " + "; ".join(problems)))
        plan.unclassified[str(row.get(class_field))] += 1
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


def _rows(source: Source) -> list[dict]:
    frame = source.frame
    columns = [[_python(value) for value in frame[name]] for name in source.fields]
    rows = [dict(zip(source.fields, values, strict=True)) for values in zip(*columns, strict=True)]
    return rows if columns else [{} for _ in range(len(frame))]


def _python(value):
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
        # GDAL gives a date field as midnight; keep a plain date as the raw reader did.
        return value.date() if value.time() == dt.time(0) and value.tzinfo is None else value
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def _meta(path: Path, source: Source, options: dict) -> PlanMeta:
    crs = source.crs.crs
    layer = source.layer
    return PlanMeta(
        name=options.get("name") or layer,
        municipality=options.get("municipality"),
        legal_status=options.get("legal_status"),
        legal_status_code=options.get("legal_status_code"),
        drawn_up=options.get("drawn_up"),
        effective=options.get("effective"),
        source_format=source.driver,
        source_crs=f"EPSG:{crs.to_epsg()}" if crs.to_epsg() else source.crs.declared,
        extra={"crs_name": crs.name, "layer": layer, "feature_count": len(source.frame)},
    )
