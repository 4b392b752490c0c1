"""Streets (name and line geometry) from any OGR line layer; segments of one street merged."""

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import shapely

from ..models import Area, AreaKind, Street
from ..text import expand_abbreviations, normalize_street
from .core import ImportFailed, ImportSummary, atomic_import, progress
from .ogr import check_geometry_types, read_layer, to_geos


@dataclass(frozen=True)
class StreetOptions:
    name_field: str = "NAME"
    code_field: str | None = None  # the city's street key; without it, segments merge by name
    municipality: str | None = None  # AGS of the municipality the streets belong to
    source: str | None = None
    layer: str | None = None
    source_crs: str | None = None


def import_streets(
    *, path: str | Path, options: StreetOptions, dry_run: bool = False, show_progress: bool = False
) -> ImportSummary:
    layer = read_layer(path, layer=options.layer, source_crs=options.source_crs)
    layer.require_field(options.name_field, "--name-field")
    if options.code_field:
        layer.require_field(options.code_field, "--code-field")
    check_geometry_types(layer, {"LineString", "MultiLineString"}, "import_streets")
    municipality = _municipality(options.municipality)
    source = options.source or layer.path.stem
    summary = ImportSummary(
        what="Streets", source=layer.path.name, source_crs=layer.source_crs, read=len(layer.frame)
    )
    streets = _group(layer, options, summary)
    with atomic_import(summary, dry_run=dry_run):
        existing = Street.objects.filter(source=source, code__in=list(streets)).count()
        rows = [
            Street(
                source=source, code=code, name=name, name_key=normalize_street(name),
                municipality=municipality, geom=to_geos(_merge(lines)),
            )
            for code, (name, lines) in progress(
                streets.items(), total=len(streets), label="streets", enabled=show_progress
            )
        ]
        Street.objects.bulk_create(
            rows, batch_size=1000, update_conflicts=True, unique_fields=["source", "code"],
            update_fields=["name", "name_key", "municipality", "geom"],
        )
        summary.updated = existing
        summary.created = len(rows) - existing
    return summary


def _merge(lines: list) -> shapely.MultiLineString:
    return shapely.multilinestrings([part for line in lines for part in shapely.get_parts(line)])


def _group(layer, options: StreetOptions, summary: ImportSummary) -> dict[str, tuple[str, list]]:
    streets: dict[str, tuple[str, list]] = {}
    lines = defaultdict(list)
    for fid, row in layer.frame.iterrows():
        raw = row[options.name_field]
        if raw is None or raw != raw or not str(raw).strip():
            summary.skipped.append((str(fid), f"no name in {options.name_field!r}"))
            continue
        name = expand_abbreviations(str(raw))
        code = (
            str(row[options.code_field]).strip() if options.code_field else normalize_street(name)
        )
        streets.setdefault(code, (name, lines[code]))
        lines[code].append(row.geometry)
    return streets


def _municipality(code: str | None) -> Area | None:
    if not code:
        return None
    area = Area.objects.filter(kind=AreaKind.MUNICIPALITY, code=code).first()
    if area is None:
        raise ImportFailed(
            f"--municipality {code}: no municipality with that code; import it first."
        )
    return area
