"""Areas (Landkreis, Gemeinde, Stadtbezirk, Stadtteil) from any OGR polygon layer."""

from dataclasses import dataclass
from pathlib import Path

import shapely
from django.contrib.gis.geos import MultiPolygon
from django.db import connection

from ..models import Area, AreaKind
from .core import ImportFailed, ImportSummary, atomic_import, progress
from .ogr import check_geometry_types, read_layer, to_geos


@dataclass(frozen=True)
class AreaOptions:
    kind: str
    name_field: str | None = None
    code_field: str | None = None
    name: str | None = None  # one name for a single-feature source (a city boundary)
    code: str | None = None
    code_prefix: str = ""
    parent: str | None = None  # a kind (spatial: largest overlap) or "kind:code"
    layer: str | None = None
    source_crs: str | None = None
    where: str | None = None  # OGR SQL: one municipality out of a file of many (BKG VG250)


def import_areas(
    *, path: str | Path, options: AreaOptions, dry_run: bool = False, show_progress: bool = False
) -> ImportSummary:
    if options.kind not in AreaKind.values:
        raise ImportFailed(
            f"--kind {options.kind!r} is unknown; use one of {', '.join(AreaKind.values)}."
        )
    layer = read_layer(
        path, layer=options.layer, source_crs=options.source_crs, where=options.where
    )
    check_geometry_types(layer, {"Polygon", "MultiPolygon"}, "import_areas")
    rows = list(_map(layer, options))
    summary = ImportSummary(
        what=f"{AreaKind(options.kind).label} areas",
        source=layer.path.name,
        source_crs=layer.source_crs,
        read=len(rows),
    )
    fixed_parent = _fixed_parent(options.parent)
    with atomic_import(summary, dry_run=dry_run):
        imported = []
        for fid, code, name, geom, repaired in progress(
            rows, total=len(rows), label="areas", enabled=show_progress
        ):
            if repaired:
                summary.repaired.append(str(fid))
            area, created = Area.objects.update_or_create(
                kind=options.kind,
                code=code,
                defaults={
                    "name": name,
                    "geom": geom,
                    "source": layer.path.name,
                    "parent": fixed_parent,
                },
            )
            summary.created += created
            summary.updated += not created
            imported.append(area.pk)
        if options.parent and not fixed_parent:
            _assign_parents_by_overlap(imported, parent_kind=options.parent, summary=summary)
    return summary


def _map(layer, options: AreaOptions):
    frame = layer.frame
    for option, name in (
        ("--name-field", options.name_field),
        ("--code-field", options.code_field),
    ):
        if name:
            layer.require_field(name, option)
    if not (options.name_field or options.name):
        raise ImportFailed(
            "Say where the name comes from: --name-field FIELD, or --name for one area."
        )
    if not (options.code_field or options.code):
        raise ImportFailed(
            "Say where the code comes from: --code-field FIELD, or --code for one area."
        )
    if (
        (options.name or options.code)
        and len(frame) != 1
        and not (options.name_field and options.code_field)
    ):
        raise ImportFailed(
            f"{layer.path.name} has {len(frame)} features; --name/--code name one area only. "
            "Use --name-field and --code-field."
        )
    seen: dict[str, object] = {}
    for fid, row in frame.iterrows():
        name = _text(row, options.name_field) or options.name
        code = _text(row, options.code_field) or options.code
        if not name or not code:
            field = options.name_field if not name else options.code_field
            raise ImportFailed(f"{layer.path.name}: feature {fid} has no value in field {field!r}.")
        code = f"{options.code_prefix}{code}"
        if code in seen:
            raise ImportFailed(
                f"{layer.path.name}: features {seen[code]} and {fid} share the code {code!r}; "
                "codes must be unique per kind. Pick another --code-field."
            )
        seen[code] = fid
        geom, repaired = _multipolygon(row.geometry)
        yield fid, code, name, geom, repaired


def _text(row, field: str | None) -> str:
    if not field:
        return ""
    value = row[field]
    return "" if value is None or value != value else " ".join(str(value).split())


def _multipolygon(geometry) -> tuple[MultiPolygon, bool]:
    repaired = not geometry.is_valid
    if repaired:
        geometry = shapely.make_valid(geometry)
    polygons = [
        g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    merged = shapely.MultiPolygon(
        [p for g in polygons for p in (g.geoms if g.geom_type == "MultiPolygon" else [g])]
    )
    return to_geos(merged), repaired


def _fixed_parent(parent: str | None) -> Area | None:
    if not parent or ":" not in parent:
        if parent and parent not in AreaKind.values:
            raise ImportFailed(
                f"--parent {parent!r}: give a kind ({', '.join(AreaKind.values)}) or kind:code."
            )
        return None
    kind, code = parent.split(":", 1)
    area = Area.objects.filter(kind=kind, code=code).first()
    if area is None:
        raise ImportFailed(f"--parent {parent}: no {kind} with code {code!r}; import it first.")
    return area


def _assign_parents_by_overlap(
    area_ids: list[int], *, parent_kind: str, summary: ImportSummary
) -> None:
    # The parent is the area of `parent_kind` that shares the most surface; slivers from
    # boundaries digitised at different scales would make "contains" fail.
    sql = """
        UPDATE geoportal_area child SET parent_id = (
            SELECT p.id FROM geoportal_area p
            WHERE p.kind = %s AND p.geom && child.geom AND ST_Intersects(p.geom, child.geom)
            ORDER BY ST_Area(ST_Intersection(p.geom, child.geom)) DESC, p.code LIMIT 1)
        WHERE child.id = ANY(%s)
        RETURNING child.parent_id IS NOT NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [parent_kind, area_ids])
        orphans = sum(1 for (has_parent,) in cursor.fetchall() if not has_parent)
    if orphans:
        summary.notes.append(f"{orphans} areas overlap no {parent_kind} and have no parent")
