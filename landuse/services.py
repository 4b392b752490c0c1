"""Writes: import a land-use plan as a new version, atomically; delete a plan version.

One importer core (`plan_import`) serves `manage.py import_landuse` and the admin upload.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import shapely
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import DatabaseError, connection, transaction
from django.db.models import Max

from geoportal.models import Area, AreaKind
from geoportal.selectors import area_list

from . import conf
from .classes import CLASSES
from .events import plan_imported_event
from .importers.read import read_plan_file
from .importers.types import PlanData, PlanReadError
from .models import LandUseArea, Plan

BATCH_SIZE = 500
WORST_OVERLAPS = 10
# Slivers below this are digitising noise, not a second Darstellung on the same ground.
OVERLAP_MIN_M2 = 1.0

Progress = Callable[[str], None]


class PlanImportError(Exception):
    """The plan was not imported; the message names file, feature and field and what to do."""


@dataclass
class PlanImportResult:
    plan: Plan | None  # None after a dry run
    source: str
    source_format: str
    source_crs: str
    read: int
    by_class: dict[str, int]
    repaired: list[tuple[str, str]]  # (source id, why)
    repaired_in_db: list[str]  # source ids ST_MakeValid still had to fix
    rejected: list[tuple[str, str]]
    skipped: int
    overlap_count: int = 0
    overlap_m2: float = 0.0
    worst_overlaps: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "source": self.source, "source_format": self.source_format, "read": self.read,
            "created": sum(self.by_class.values()), "by_class": self.by_class,
            "repaired": [list(r) for r in self.repaired], "repaired_in_db": self.repaired_in_db,
            "rejected": [list(r) for r in self.rejected], "skipped": self.skipped,
            "overlaps": {"count": self.overlap_count, "m2": round(self.overlap_m2, 1),
                         "worst": self.worst_overlaps},
            "notes": self.notes, "seconds": round(self.seconds, 2),
        }

    def lines(self) -> list[str]:
        created = sum(self.by_class.values())
        head = f"{self.plan}" if self.plan else "dry run, nothing written"
        lines = [
            f"Land-use plan from {self.source} ({self.source_format}) -> {head}",
            f"  read {self.read} areas, created {created}, repaired {len(self.repaired)}, "
            f"rejected {len(self.rejected)}, skipped {self.skipped} non-area objects "
            f"in {self.seconds:.1f} s",
            "  created per class:",
        ]
        for key, count in sorted(self.by_class.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"    {count:6}  {CLASSES[key].label} ({key})")
        lines += [f"  repaired {fid}: {why}" for fid, why in self.repaired]
        if self.repaired_in_db:
            lines.append(f"  repaired by ST_MakeValid: {', '.join(self.repaired_in_db)}")
        lines += [f"  rejected {fid}: {why}" for fid, why in self.rejected]
        lines.append(f"  overlaps between areas: {self.overlap_count} pairs, "
                     f"{self.overlap_m2 / 10_000:.2f} ha in total")
        for pair in self.worst_overlaps:
            lines.append(f"    {pair['a']} ({pair['a_class']}) x {pair['b']} ({pair['b_class']}):"
                         f" {pair['m2']:,.0f} m²")
        lines += [f"  note: {note}" for note in self.notes]
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())


class _DryRun(Exception):
    pass


def plan_import(
    *,
    path: str | Path,
    name: str | None = None,
    municipality_code: str | None = None,
    legal_status: str | None = None,
    drawn_up: date | None = None,
    effective: date | None = None,
    source_crs: str | None = None,
    layer: str | None = None,
    id_field: str | None = None,
    class_field: str | None = None,
    classes_csv: str | Path | None = None,
    source_name: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> PlanImportResult:
    """Read a plan file and store it as the new current version of its plan, all or nothing.

    Options given here win over what the file says (XPlanGML carries name, AGS, dates).
    layer, id_field, class_field (default TYP) and classes_csv (the city's PlanZV category
    table, default the setting LANDUSE_CLASSES_CSV) apply to GDAL sources; XPlanGML has its
    gml:id and its XPlanung codes.
    """
    say = progress or (lambda message: None)
    started = time.monotonic()
    path = Path(path)
    say(f"reading {path.name}")
    try:
        options = {k: v for k, v in (("layer", layer), ("id_field", id_field),
                                     ("class_field", class_field)) if v}
        options["classes_csv"] = classes_csv or conf.LANDUSE_CLASSES_CSV
        data = read_plan_file(path, source_crs=source_crs, **options)
    except PlanReadError as exc:
        raise PlanImportError(str(exc)) from exc
    if not data.features:
        if data.unclassified:
            raise PlanImportError(f"{path}: no land-use areas imported; "
                                  + _unknown_codes(data, options["classes_csv"]))
        raise PlanImportError(f"{path}: no land-use areas found ({len(data.rejected)} rejected, "
                              f"{len(data.skipped)} skipped). Fix: check the file is a plan")
    municipality = _municipality(municipality_code or data.meta.municipality_key, data,
                                 explicit=municipality_code is not None)
    result = PlanImportResult(
        plan=None, source=source_name or path.name, source_format=data.meta.source_format,
        source_crs=data.meta.source_crs, read=len(data.features) + len(data.rejected),
        by_class=dict(data.class_counts()),
        repaired=[(f.source_id, _repair_reason(f.problems)) for f in data.features if f.repaired],
        repaired_in_db=[], rejected=list(data.rejected), skipped=len(data.skipped),
        dry_run=dry_run,
    )
    if municipality is None:
        result.notes.append("no municipality in the portal matches; the plan has none")
    if data.unclassified:
        result.notes.append(_unknown_codes(data, options["classes_csv"]))
    try:
        with transaction.atomic():
            plan = _create_plan(data, result, name=name or data.meta.name,
                                municipality=municipality, legal_status=legal_status,
                                drawn_up=drawn_up, effective=effective)
            _insert_areas(plan, data, say)
            result.repaired_in_db = _make_valid_in_db(plan)
            say("checking overlaps")
            _overlaps(plan, result)
            result.plan = plan
            result.seconds = time.monotonic() - started
            plan.report = result.as_dict()
            plan.save(update_fields=["report"])
            if dry_run:
                raise _DryRun
            plan_imported_event(plan=plan)
    except _DryRun:
        result.plan = None
    except DatabaseError as exc:
        raise PlanImportError(
            f"{path}: the database refused the import, nothing was written "
            f"({str(exc).splitlines()[0]}). Fix: nothing to clean up; correct the cause the "
            "database names and import again") from exc
    result.seconds = time.monotonic() - started
    return result


UNKNOWN_CODES_NAMED = 20


def _unknown_codes(data: PlanData, classes_csv: str | Path) -> str:
    """Which class codes the table did not know and where to point the importer instead. The
    default table is the demo city's (Köln's FNP coding): a second city's own codes must not
    vanish among the rejected areas as if its plan were broken."""
    codes = data.unclassified.most_common()
    named = ", ".join(f"{code!r} ({n} areas)" for code, n in codes[:UNKNOWN_CODES_NAMED])
    if len(codes) > UNKNOWN_CODES_NAMED:
        named += f" and {len(codes) - UNKNOWN_CODES_NAMED} more"
    table = Path(classes_csv)
    whose = " (the demo city Köln's, the default)" if table == Path(
        conf.DEFAULT_CLASSES_CSV) else ""
    return (
        f"field {data.class_field}: {len(codes)} codes are not in the class table "
        f"{table.name}{whose}: {named}. Fix: point the setting LANDUSE_CLASSES_CSV (or "
        "import_landuse --classes-csv) at your plan's own PlanZV category table (the columns "
        "of fixtures/landuse/koeln_fnp_planzv_categories.csv; 'FNP TYP' holds your code), "
        "use the PlanZV letters (W, WA, MI, GE, SO …) in the field, or import the plan as "
        "XPlanGML (classes from its XPlanung codes)"
    )


def _repair_reason(problems: list[str]) -> str:
    return next((p for p in problems if p.startswith("repaired")), "repaired")


def _municipality(code: str | None, data: PlanData, *, explicit: bool) -> Area | None:
    if not code:
        return None
    found = area_list(kind=AreaKind.MUNICIPALITY).filter(code=code).first()
    if found is None and explicit:
        raise PlanImportError(f"--municipality {code}: no municipality with this code in the "
                              "portal. Fix: import the boundary first or check the AGS")
    return found


def _create_plan(data: PlanData, result: PlanImportResult, *, name: str, municipality,
                 legal_status, drawn_up, effective) -> Plan:
    meta = data.meta
    versions = Plan.objects.select_for_update().filter(name=name, municipality=municipality)
    latest = versions.aggregate(latest=Max("version"))["latest"] or 0
    versions.filter(is_current=True).update(is_current=False)
    return Plan.objects.create(
        name=name[:200], municipality=municipality,
        legal_status=(legal_status or meta.legal_status or "")[:100],
        legal_status_code=(meta.legal_status_code or "")[:20],
        drawn_up=drawn_up or meta.drawn_up, effective=effective or meta.effective,
        source_file=result.source[:300], source_format=meta.source_format[:50],
        source_crs=meta.source_crs, version=latest + 1, is_current=True,
    )


def _insert_areas(plan: Plan, data: PlanData, say: Progress) -> None:
    total = len(data.features)
    for start in range(0, total, BATCH_SIZE):
        batch = data.features[start : start + BATCH_SIZE]
        LandUseArea.objects.bulk_create(
            LandUseArea(
                plan=plan, class_code=f.class_code, source_id=f.source_id[:200],
                feature_class=f.feature_class[:100], attributes=_json_safe(f.attributes),
                geom=GEOSGeometry(memoryview(shapely.to_wkb(shapely.from_wkb(f.geometry_wkb),
                                                            include_srid=False)),
                                 srid=settings.GEOPORTAL_SRID),
                repaired=f.repaired,
            )
            for f in batch
        )
        say(f"stored {min(start + BATCH_SIZE, total)} of {total} areas")


def _json_safe(attributes: dict) -> dict:
    # Dates from GDAL are date objects; JSON has no date type.
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in attributes.items()}


def _make_valid_in_db(plan: Plan) -> list[str]:
    """Guard: the reader repairs with GEOS, but PostGIS has the last word on validity."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE landuse_landusearea
               SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)), repaired = true
             WHERE plan_id = %s AND NOT ST_IsValid(geom)
            RETURNING source_id
            """,
            [plan.pk],
        )
        return [row[0] for row in cursor.fetchall()]


# Overlaps are found on ST_Subdivide pieces (at most 64 vertices each) in a temporary table
# with its own GiST index: the self-join then compares small polygons, 3x faster than
# ST_Relate on whole areas (Köln: 1.9 s instead of 5-9 s). Pieces of one area never overlap
# each other, so summing the piece intersections gives the exact overlap of two areas.
OVERLAP_PIECES_SQL = """
    CREATE TEMPORARY TABLE landuse_overlap_pieces ON COMMIT DROP AS
    SELECT id, source_id, class_code, ST_Subdivide(geom, 64) AS geom
      FROM landuse_landusearea WHERE plan_id = %(plan)s;
    CREATE INDEX ON landuse_overlap_pieces USING gist (geom);
    ANALYZE landuse_overlap_pieces;
"""
OVERLAP_SQL = """
    WITH pairs AS (
        SELECT a.source_id AS a, a.class_code AS a_class, b.source_id AS b,
               b.class_code AS b_class, sum(ST_Area(ST_Intersection(a.geom, b.geom))) AS m2
          FROM landuse_overlap_pieces a
          JOIN landuse_overlap_pieces b
            ON a.id < b.id AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
         GROUP BY a.id, a.source_id, a.class_code, b.id, b.source_id, b.class_code
    )
    SELECT a, a_class, b, b_class, m2, count(*) OVER (), sum(m2) OVER ()
      FROM pairs WHERE m2 >= %(min_m2)s ORDER BY m2 DESC, a, b LIMIT %(limit)s
"""


def _overlaps(plan: Plan, result: PlanImportResult) -> None:
    """Pairs of areas of one plan whose interiors overlap, by an index-assisted self-join."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '120s'")
        cursor.execute("SET LOCAL jit = off")  # JIT compiling costs more than it saves here
        cursor.execute(OVERLAP_PIECES_SQL, {"plan": plan.pk})
        cursor.execute(OVERLAP_SQL, {"min_m2": OVERLAP_MIN_M2, "limit": WORST_OVERLAPS})
        rows = cursor.fetchall()
        cursor.execute("DROP TABLE landuse_overlap_pieces")
    if rows:
        result.overlap_count, result.overlap_m2 = rows[0][5], rows[0][6]
    result.worst_overlaps = [
        {"a": a, "a_class": ac, "b": b, "b_class": bc, "m2": round(m2, 1)}
        for a, ac, b, bc, m2, _, _ in rows
    ]


@transaction.atomic
def plan_delete(*, plan: Plan) -> None:
    """Delete one version; if it was the current one, the newest remaining version takes over."""
    was_current = plan.is_current
    siblings = Plan.objects.filter(name=plan.name, municipality=plan.municipality).exclude(
        pk=plan.pk)
    plan.delete()
    if was_current:
        newest = siblings.order_by("-version").first()
        if newest is not None:
            newest.is_current = True
            newest.save(update_fields=["is_current"])
