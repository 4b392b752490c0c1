"""Street segments with house-number ranges per side, and street nodes, from OGR layers.

Köln publishes both (`koeln_strassenabschnitte`, `koeln_strassenknoten`). A segment belongs
to the street whose key its own key starts with (street "03176" Venloer Str., segment
"03176100"); where no street has that key, to the street of the same name in the source.
"""

from dataclasses import dataclass
from pathlib import Path

import shapely

from ..models import Street, StreetNode, StreetSegment
from ..text import normalize_street, parse_house_number
from .core import ImportFailed, ImportSummary, atomic_import, progress
from .ogr import check_geometry_types, read_layer, to_geos


@dataclass(frozen=True)
class SegmentOptions:
    streets_source: str  # the `source` of the streets the segments belong to
    name_field: str = "STRASSE"
    code_field: str = "NUMMER"
    street_key_length: int | None = 5  # leading characters of the segment key = street key
    left_from_field: str = "HSNR_V_L"
    left_to_field: str = "HSNR_B_L"
    right_from_field: str = "HSNR_V_R"
    right_to_field: str = "HSNR_B_R"
    source: str | None = None
    layer: str | None = None
    source_crs: str | None = None


@dataclass(frozen=True)
class NodeOptions:
    code_field: str = "NUMMER"
    kind_field: str | None = "TYP"
    source: str | None = None
    layer: str | None = None
    source_crs: str | None = None


def _text(value) -> str:
    return "" if value is None or value != value else " ".join(str(value).split())


def _number(value) -> tuple[str, int | None]:
    parsed = parse_house_number(_text(value))
    return (f"{parsed[0]}{parsed[1]}", parsed[0]) if parsed else ("", None)


def import_street_segments(
    *, path: str | Path, options: SegmentOptions, dry_run: bool = False,
    show_progress: bool = False,
) -> ImportSummary:
    layer = read_layer(path, layer=options.layer, source_crs=options.source_crs)
    fields = [
        (options.name_field, "--name-field"), (options.code_field, "--code-field"),
        (options.left_from_field, "--left-from-field"), (options.left_to_field, "--left-to-field"),
        (options.right_from_field, "--right-from-field"),
        (options.right_to_field, "--right-to-field"),
    ]
    for name, option in fields:
        layer.require_field(name, option)
    check_geometry_types(layer, {"LineString", "MultiLineString"}, "import_street_segments")
    streets = dict(
        Street.objects.filter(source=options.streets_source).values_list("code", "pk")
    )
    if not streets:
        raise ImportFailed(
            f"{layer.path.name}: no streets with source {options.streets_source!r}; import the "
            "streets first (import_streets --source ...)."
        )
    by_name = {
        normalize_street(name): pk
        for name, pk in Street.objects.filter(source=options.streets_source).values_list(
            "source_name", "pk"
        )
    }
    source = options.source or layer.path.stem
    summary = ImportSummary(
        what="Street segments", source=layer.path.name, source_crs=layer.source_crs,
        read=len(layer.frame),
    )
    rows = []
    seen: set[str] = set()
    unlinked = 0
    for fid, row in progress(
        layer.frame.iterrows(), total=len(layer.frame), label="segments", enabled=show_progress
    ):
        name = _text(row[options.name_field])
        code = _text(row[options.code_field])
        if not name:
            summary.skipped.append((str(fid), f"no name in {options.name_field!r}"))
            continue
        if not code or code in seen:
            # Köln's register has a few segments without a key or with another's key.
            summary.notes.append(f"feature {fid}: key {code or 'missing'}, stored as fid-{fid}")
            code = f"fid-{fid}"
        seen.add(code)
        line = shapely.line_merge(row.geometry) if row.geometry.geom_type != "LineString" else (
            row.geometry
        )
        if line.geom_type != "LineString":
            summary.skipped.append((str(fid), "a segment in several pieces"))
            continue
        key = code[: options.street_key_length] if options.street_key_length else None
        street_id = streets.get(key) or by_name.get(normalize_street(name))
        unlinked += street_id is None
        left_from, left_a = _number(row[options.left_from_field])
        left_to, left_b = _number(row[options.left_to_field])
        right_from, right_a = _number(row[options.right_from_field])
        right_to, right_b = _number(row[options.right_to_field])
        rows.append(
            StreetSegment(
                street_id=street_id, code=code, source_name=name, source=source,
                left_from=left_from, left_to=left_to, right_from=right_from, right_to=right_to,
                left_min=_low(left_a, left_b), left_max=_high(left_a, left_b),
                right_min=_low(right_a, right_b), right_max=_high(right_a, right_b),
                geom=to_geos(line),
            )
        )
    if unlinked:
        summary.notes.append(f"{unlinked} segments match no street by key or name")
    with atomic_import(summary, dry_run=dry_run):
        existing = StreetSegment.objects.filter(
            source=source, code__in=[r.code for r in rows]
        ).count()
        StreetSegment.objects.bulk_create(
            rows, batch_size=2000, update_conflicts=True, unique_fields=["source", "code"],
            update_fields=[
                "street", "source_name", "left_from", "left_to", "right_from", "right_to",
                "left_min", "left_max", "right_min", "right_max", "geom",
            ],
        )
        summary.updated = existing
        summary.created = len(rows) - existing
    return summary


def _low(a: int | None, b: int | None) -> int | None:
    values = [v for v in (a, b) if v is not None]
    return min(values) if values else None


def _high(a: int | None, b: int | None) -> int | None:
    values = [v for v in (a, b) if v is not None]
    return max(values) if values else None


def import_street_nodes(
    *, path: str | Path, options: NodeOptions, dry_run: bool = False, show_progress: bool = False
) -> ImportSummary:
    layer = read_layer(path, layer=options.layer, source_crs=options.source_crs)
    layer.require_field(options.code_field, "--code-field")
    if options.kind_field:
        layer.require_field(options.kind_field, "--kind-field")
    check_geometry_types(layer, {"Point"}, "import_street_nodes")
    source = options.source or layer.path.stem
    summary = ImportSummary(
        what="Street nodes", source=layer.path.name, source_crs=layer.source_crs,
        read=len(layer.frame),
    )
    rows = {}
    for fid, row in progress(
        layer.frame.iterrows(), total=len(layer.frame), label="nodes", enabled=show_progress
    ):
        code = _text(row[options.code_field]) or f"fid-{fid}"
        if code in rows:
            summary.skipped.append((str(fid), f"key {code} twice; the first one is kept"))
            continue
        kind = _text(row[options.kind_field]) if options.kind_field else ""
        rows[code] = StreetNode(
            code=code, kind=kind[:40], geom=to_geos(row.geometry), source=source
        )
    with atomic_import(summary, dry_run=dry_run):
        existing = StreetNode.objects.filter(source=source, code__in=list(rows)).count()
        StreetNode.objects.bulk_create(
            list(rows.values()), batch_size=2000, update_conflicts=True,
            unique_fields=["source", "code"], update_fields=["kind", "geom"],
        )
        summary.updated = existing
        summary.created = len(rows) - existing
    return summary
