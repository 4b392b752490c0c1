"""Address points (Hauskoordinaten) from GeoJSON, CSV or any OGR point layer.

100,000 points are written with COPY into a staging table and one upsert, not row by row.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import shapely
from django.db import connection

from ..text import expand_abbreviations, normalize_street
from .core import ImportFailed, ImportSummary, atomic_import, progress
from .ogr import check_geometry_types, read_layer

_NUMBER = re.compile(r"^\s*(\d{1,6})\s*(.*?)\s*$")


@dataclass(frozen=True)
class AddressOptions:
    """Defaults fit the official Hauskoordinaten as the cities publish them (e.g. Essen)."""

    street_field: str = "strname"
    number_field: str = "hsnr"
    suffix_field: str | None = "hsnrzu"
    postcode_field: str | None = None
    city_field: str | None = None
    id_field: str | None = "objectid"
    city: str = ""
    source: str | None = None
    layer: str | None = None
    source_crs: str | None = None
    x_field: str | None = None  # CSV only
    y_field: str | None = None


def import_addresses(
    *, path: str | Path, options: AddressOptions, dry_run: bool = False, show_progress: bool = False
) -> ImportSummary:
    open_options = {}
    if options.x_field and options.y_field:
        open_options = {
            "X_POSSIBLE_NAMES": options.x_field,
            "Y_POSSIBLE_NAMES": options.y_field,
            "KEEP_GEOM_COLUMNS": "NO",
        }
    layer = read_layer(
        path, layer=options.layer, source_crs=options.source_crs, open_options=open_options
    )
    for option in (
        "street_field",
        "number_field",
        "suffix_field",
        "postcode_field",
        "city_field",
        "id_field",
    ):
        if getattr(options, option):
            layer.require_field(getattr(options, option), "--" + option.replace("_", "-"))
    check_geometry_types(layer, {"Point"}, "import_addresses")
    source = options.source or layer.path.stem
    summary = ImportSummary(
        what="Addresses", source=layer.path.name, source_crs=layer.source_crs, read=len(layer.frame)
    )
    rows = _rows(layer, options, source)
    with atomic_import(summary, dry_run=dry_run):
        _copy_and_upsert(rows, total=len(layer.frame), summary=summary, show_progress=show_progress)
        _link_streets(source)
    return summary


def _column(frame, field: str | None):
    if not field:
        return [""] * len(frame)
    return ["" if v is None or v != v else " ".join(str(v).split()) for v in frame[field]]


def _rows(layer, options: AddressOptions, source: str):
    frame = layer.frame
    ids = _column(frame, options.id_field) if options.id_field else [str(i) for i in frame.index]
    streets = _column(frame, options.street_field)
    numbers = _column(frame, options.number_field)
    suffixes = _column(frame, options.suffix_field)
    postcodes = _column(frame, options.postcode_field)
    cities = (
        _column(frame, options.city_field) if options.city_field else [options.city] * len(frame)
    )
    points = shapely.to_wkb(shapely.force_2d(frame.geometry.values), hex=True)
    seen: set[str] = set()
    for i, fid in enumerate(frame.index):
        source_id = ids[i] or str(fid)
        if source_id in seen:
            raise ImportFailed(
                f"{layer.path.name}: feature {fid}: id {source_id!r} in {options.id_field!r} "
                "occurs twice; name a unique --id-field."
            )
        seen.add(source_id)
        number, suffix = _house_number(numbers[i], suffixes[i])
        yield (
            expand_abbreviations(streets[i]),
            normalize_street(streets[i]),
            number,
            suffix[:20],
            postcodes[i][:10],
            cities[i][:100],
            points[i],
            source,
            source_id,
        )


def _house_number(number: str, suffix: str) -> tuple[int | None, str]:
    match = _NUMBER.match(number)
    if not match:
        return None, (number + suffix).strip()
    return int(match[1]), (match[2] + suffix).strip().lower()


_COLUMNS = (
    "street_name, street_key, house_number, house_number_suffix, postcode, city, geom, "
    "source, source_id"
)


def _copy_and_upsert(rows, *, total: int, summary: ImportSummary, show_progress: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE address_import ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {_COLUMNS} FROM geoportal_address WITH NO DATA"
        )
        with cursor.copy(f"COPY address_import ({_COLUMNS}) FROM STDIN") as copy:  # noqa: S608
            for row in progress(rows, total=total, label="addresses", enabled=show_progress):
                copy.write_row(row)
        cursor.execute(
            f"""
            INSERT INTO geoportal_address ({_COLUMNS})
            SELECT {_COLUMNS} FROM address_import
            ON CONFLICT (source, source_id) DO UPDATE SET
                street_name = EXCLUDED.street_name, street_key = EXCLUDED.street_key,
                house_number = EXCLUDED.house_number,
                house_number_suffix = EXCLUDED.house_number_suffix,
                postcode = EXCLUDED.postcode, city = EXCLUDED.city, geom = EXCLUDED.geom
            RETURNING (xmax = 0)
            """  # noqa: S608
        )
        inserted = [created for (created,) in cursor.fetchall()]
        cursor.execute("DROP TABLE address_import")
    summary.created = sum(inserted)
    summary.updated = len(inserted) - summary.created


def _link_streets(source: str) -> None:
    """Tie addresses to the street of the same name in the same municipality, where there is one."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE geoportal_address a SET street_id = s.id
            FROM geoportal_street s JOIN geoportal_area m ON m.id = s.municipality_id
            WHERE a.source = %s AND s.name_key = a.street_key AND m.name = a.city
              AND a.street_id IS DISTINCT FROM s.id
            """,
            [source],
        )
