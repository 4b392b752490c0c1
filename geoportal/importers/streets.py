"""Streets (name and line geometry) from any OGR line layer; segments of one street merged.

Names lose the city's quarter suffix ("Schillerstr. We", "Hauptstr. (Rodenkirchen)"); the
suffix is resolved to the quarter it names, and every street gets a label that names the
quarter where the same name occurs elsewhere in the municipality.
"""

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import shapely
from django.db import connection

from ..models import Area, AreaKind, Street
from ..text import expand_abbreviations, normalize_street, split_quarter_suffix
from .core import ImportFailed, ImportSummary, atomic_import, progress
from .ogr import check_geometry_types, read_layer, to_geos


@dataclass(frozen=True)
class StreetOptions:
    name_field: str = "NAME"
    code_field: str | None = None  # the city's street key; without it, segments merge by name
    # A longer name that spells out the suffix's place ("Schillerstr. (Weiden)"), if any.
    long_name_field: str | None = None
    municipality: str | None = None  # AGS of the municipality the streets belong to
    source: str | None = None
    layer: str | None = None
    source_crs: str | None = None


@dataclass
class _Street:
    source_name: str
    name: str
    suffix: str
    locality: str
    lines: list


def import_streets(
    *, path: str | Path, options: StreetOptions, dry_run: bool = False, show_progress: bool = False
) -> ImportSummary:
    layer = read_layer(path, layer=options.layer, source_crs=options.source_crs)
    layer.require_field(options.name_field, "--name-field")
    if options.code_field:
        layer.require_field(options.code_field, "--code-field")
    if options.long_name_field:
        layer.require_field(options.long_name_field, "--long-name-field")
    check_geometry_types(layer, {"LineString", "MultiLineString"}, "import_streets")
    municipality = _municipality(options.municipality)
    source = options.source or layer.path.stem
    summary = ImportSummary(
        what="Streets", source=layer.path.name, source_crs=layer.source_crs, read=len(layer.frame)
    )
    streets = _group(layer, options, summary)
    quarters = _quarters_by_key()
    with atomic_import(summary, dry_run=dry_run):
        existing = Street.objects.filter(source=source, code__in=list(streets)).count()
        rows = [
            Street(
                source=source, code=code, name=street.name, name_key=normalize_street(street.name),
                source_name=street.source_name, suffix=street.suffix, locality=street.locality,
                quarter_id=_quarter_id(street.locality, quarters),
                municipality=municipality, geom=to_geos(_merge(street.lines)),
            )
            for code, street in progress(
                streets.items(), total=len(streets), label="streets", enabled=show_progress
            )
        ]
        Street.objects.bulk_create(
            rows, batch_size=1000, update_conflicts=True, unique_fields=["source", "code"],
            update_fields=[
                "name", "name_key", "source_name", "suffix", "locality", "quarter",
                "municipality", "geom",
            ],
        )
        summary.updated = existing
        summary.created = len(rows) - existing
        located = _locate_quarters(source)
        if located:
            summary.notes.append(f"quarter taken from the geometry for {located} streets")
        street_labels_update(source=source)
    return summary


def _merge(lines: list) -> shapely.MultiLineString:
    return shapely.multilinestrings([part for line in lines for part in shapely.get_parts(line)])


def _text(value) -> str:
    return "" if value is None or value != value else " ".join(str(value).split())


def _group(layer, options: StreetOptions, summary: ImportSummary) -> dict[str, _Street]:
    streets: dict[str, _Street] = {}
    lines = defaultdict(list)
    for fid, row in layer.frame.iterrows():
        raw = _text(row[options.name_field])
        if not raw:
            summary.skipped.append((str(fid), f"no name in {options.name_field!r}"))
            continue
        base, suffix, locality = split_quarter_suffix(raw)
        if suffix and options.long_name_field:
            # The long name spells the code out: "Schillerstr. We" / "Schillerstr. (Weiden)".
            locality = split_quarter_suffix(_text(row[options.long_name_field]))[2]
        name = expand_abbreviations(base)
        code = _text(row[options.code_field]) if options.code_field else normalize_street(raw)
        streets.setdefault(code, _Street(raw, name, suffix, locality, lines[code]))
        lines[code].append(row.geometry)
    return streets


def _quarters_by_key() -> dict[str, int]:
    """Quarter ids by the normalised name and by each part of a double name ("Esch/Auweiler")."""
    keys: dict[str, int] = {}
    for pk, name in Area.objects.filter(kind=AreaKind.QUARTER).values_list("pk", "name"):
        for part in [name, *name.split("/")]:
            keys.setdefault(normalize_street(part), pk)
    return keys


def _quarter_id(locality: str, quarters: dict[str, int]) -> int | None:
    return quarters.get(normalize_street(locality)) if locality else None


def _locate_quarters(source: str) -> int:
    """Streets whose suffix names no quarter (or that have none) get the quarter at their middle."""
    # One UPDATE over the area parts' spatial index instead of a lookup per street. Areas
    # imported in the same transaction have no statistics yet: without ANALYZE the planner
    # walks every quarter's polygon for every street.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE geoportal_area, geoportal_areapart")
        cursor.execute(
            """
            WITH middle AS (
                SELECT id, ST_ClosestPoint(geom, ST_Centroid(geom)) AS point
                FROM geoportal_street WHERE source = %s AND quarter_id IS NULL
            )
            UPDATE geoportal_street s SET quarter_id = hit.area_id
            FROM middle CROSS JOIN LATERAL (
                SELECT a.id AS area_id FROM geoportal_areapart p
                JOIN geoportal_area a ON a.id = p.area_id
                WHERE ST_Covers(p.geom, middle.point) AND a.kind = %s
                ORDER BY a.code LIMIT 1
            ) hit
            WHERE s.id = middle.id
            """,
            [source, AreaKind.QUARTER.value],
        )
        return cursor.rowcount


def street_labels_update(*, source: str) -> None:
    """Label each street: "Venloer Straße, Köln", or "Schillerstraße, Köln-Weiden" where the
    municipality has the name more than once (the place is the suffix's, else the quarter)."""
    # A window count over each municipality: a label depends on the other streets' names.
    # ANALYZE first: streets written in this transaction have no statistics yet.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE geoportal_street")
        cursor.execute(
            """
            WITH touched AS (
                SELECT DISTINCT municipality_id FROM geoportal_street WHERE source = %s
            ), counted AS (
                SELECT s.id, s.name, s.locality, s.municipality_id, s.quarter_id,
                       count(*) OVER (PARTITION BY s.municipality_id, s.name_key) AS n
                FROM geoportal_street s
                WHERE s.municipality_id IN (SELECT municipality_id FROM touched)
                   OR s.source = %s
            ), labelled AS (
                SELECT c.id, c.name || CASE
                    WHEN c.n > 1 AND m.name IS NOT NULL
                        THEN ', ' || m.name || '-' || COALESCE(NULLIF(c.locality, ''), q.name, '?')
                    WHEN c.n > 1 THEN ' (' || COALESCE(NULLIF(c.locality, ''), q.name, '?') || ')'
                    WHEN m.name IS NOT NULL THEN ', ' || m.name
                    ELSE '' END AS label
                FROM counted c
                LEFT JOIN geoportal_area m ON m.id = c.municipality_id
                LEFT JOIN geoportal_area q ON q.id = c.quarter_id
            )
            UPDATE geoportal_street s SET label = labelled.label
            FROM labelled WHERE s.id = labelled.id AND s.label IS DISTINCT FROM labelled.label
            """,
            [source, source],
        )


def _municipality(code: str | None) -> Area | None:
    if not code:
        return None
    area = Area.objects.filter(kind=AreaKind.MUNICIPALITY, code=code).first()
    if area is None:
        raise ImportFailed(
            f"--municipality {code}: no municipality with that code; import it first."
        )
    return area
