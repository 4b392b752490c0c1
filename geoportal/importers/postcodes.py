"""Postcode areas from any OGR polygon layer: one feature per postcode, upserted by code."""

import re
from dataclasses import dataclass
from pathlib import Path

from ..models import PostcodeArea
from .areas import _multipolygon, _text
from .core import ImportFailed, ImportSummary, atomic_import
from .ogr import check_geometry_types, read_layer

_CODE = re.compile(r"^\d{4,5}$")


@dataclass(frozen=True)
class PostcodeOptions:
    code_field: str
    place_field: str | None = None
    place: str = ""  # one place name for every feature, where the source has no field
    layer: str | None = None
    source_crs: str | None = None


def import_postcodes(
    *, path: str | Path, options: PostcodeOptions, dry_run: bool = False
) -> ImportSummary:
    layer = read_layer(path, layer=options.layer, source_crs=options.source_crs)
    check_geometry_types(layer, {"Polygon", "MultiPolygon"}, "import_postcodes")
    layer.require_field(options.code_field, "--code-field")
    if options.place_field:
        layer.require_field(options.place_field, "--place-field")
    rows = {}
    for fid, row in layer.frame.iterrows():
        code = _text(row, options.code_field)
        if not _CODE.match(code):
            raise ImportFailed(
                f"{layer.path.name}: feature {fid} has {code!r} in field "
                f"{options.code_field!r}; a postcode is 4 or 5 digits."
            )
        if code in rows:
            # One postcode in several pieces (an island, a enclave) becomes one area.
            raise ImportFailed(
                f"{layer.path.name}: features {rows[code][0]} and {fid} share the postcode "
                f"{code}; merge them into one (multi)polygon first."
            )
        place = _text(row, options.place_field) or options.place
        rows[code] = (fid, place, *_multipolygon(row.geometry))
    summary = ImportSummary(
        what="postcode areas", source=layer.path.name, source_crs=layer.source_crs, read=len(rows)
    )
    with atomic_import(summary, dry_run=dry_run):
        for code, (fid, place, geom, repaired) in rows.items():
            if repaired:
                summary.repaired.append(str(fid))
            _, created = PostcodeArea.objects.update_or_create(
                code=code, defaults={"place": place, "geom": geom, "source": layer.path.name}
            )
            summary.created += created
            summary.updated += not created
    return summary
