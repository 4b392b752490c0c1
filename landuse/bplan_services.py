"""Writes for Bebauungspläne: import one XPlanGML BP_Plan (replacing an earlier import of the
same plan) with its objects and documents, all or nothing; delete a plan."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import shapely
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.core.files.base import ContentFile
from django.db import transaction

from .importers.bplan import attachments, read_bplan
from .importers.types import PlanReadError
from .models import BPlan, BPlanDocument, BPlanFeature


class BPlanImportError(Exception):
    """Not imported; the message names file, feature and field."""


@dataclass
class BPlanImportResult:
    plan: BPlan | None
    areas: int
    lines: int
    documents: int
    missing_documents: list[str]
    skipped: dict
    replaced: bool
    dry_run: bool

    def __str__(self) -> str:
        lines = [
            f"Bebauungsplan {self.plan.name if self.plan else '?'}: {self.areas} areas, "
            f"{self.lines} lines, {self.documents} documents"
            + (" (replaced the earlier import)" if self.replaced else ""),
        ]
        lines += [f"  skipped {n}× {reason}" for reason, n in self.skipped.items()]
        lines += [f"  document not in the zip: {name}" for name in self.missing_documents]
        if self.dry_run:
            lines.append("  dry run: nothing was written")
        return "\n".join(lines)


class _DryRun(Exception):
    pass


def _geos(wkb: bytes) -> GEOSGeometry:
    return GEOSGeometry(memoryview(wkb), srid=settings.GEOPORTAL_SRID)


def bplan_import(*, path: str | Path, source_crs: str | None = None,
                 source_name: str | None = None, dry_run: bool = False) -> BPlanImportResult:
    path = Path(path)
    try:
        data = read_bplan(path, source_crs=source_crs)
    except PlanReadError as exc:
        raise BPlanImportError(str(exc)) from exc
    files = attachments(path)
    boundary = data.boundary_wkb
    if boundary is None:
        areas = [shapely.from_wkb(o.geometry_wkb) for o in data.objects if o.kind == "area"]
        if not areas:
            raise BPlanImportError(f"{path.name}: BP_Plan has no raeumlicherGeltungsbereich "
                                   "and no areas to derive it from")
        union = shapely.union_all(areas)
        boundary = shapely.to_wkb(shapely.MultiPolygon(
            [p for p in shapely.get_parts(union) if p.geom_type == "Polygon"]))
    result = BPlanImportResult(None, 0, 0, 0, [], dict(data.skipped), False, dry_run)
    saved = []  # files written to storage: removed again when the transaction does not commit
    try:
        with transaction.atomic():
            old = BPlan.objects.filter(municipality_key=data.municipality_key, name=data.name)
            result.replaced = old.exists()
            for plan in old:
                for document in plan.documents.all():
                    document.file.delete(save=False)
                plan.original.delete(save=False)
                plan.delete()
            dates = data.dates
            plan = BPlan(
                name=data.name, number=data.number, municipality=data.municipality,
                municipality_key=data.municipality_key, plan_type=data.plan_type,
                legal_status=data.legal_status, legal_status_code=data.legal_status_code,
                drawn_up=dates.get("aufstellungsbeschlussDatum"),
                adopted=dates.get("satzungsbeschlussDatum"),
                effective=dates.get("inkrafttretensDatum") or dates.get("rechtsverordnungsDatum"),
                dates={k: v.isoformat() for k, v in dates.items()},
                description=data.description, xplan_version=data.xplan_version,
                source_file=(source_name or path.name)[:300], source_crs=data.source_crs[:200],
                boundary=_geos(boundary),
            )
            plan.original.save(f"{_slug(data.name)}{path.suffix.lower()}",
                               ContentFile(path.read_bytes()), save=False)
            saved.append(plan.original)
            plan.save()
            BPlanFeature.objects.bulk_create([
                BPlanFeature(
                    plan=plan, source_id=o.source_id[:200], feature_class=o.feature_class,
                    label=o.label[:200], kind=o.kind, art=o.figures.get("art", "")[:100],
                    grz=o.figures.get("grz"), gfz=o.figures.get("gfz"),
                    z=_int(o.figures.get("z")), z_max=_int(o.figures.get("zmax")),
                    bauweise=o.figures.get("bauweise", "")[:50],
                    zweckbestimmung=str(o.figures.get("zweckbestimmung", ""))[:100],
                    figures=o.figures, attributes=o.attributes,
                    area=_geos(o.geometry_wkb) if o.kind == "area" else None,
                    line=_geos(o.geometry_wkb) if o.kind == "line" else None,
                )
                for o in data.objects
            ], batch_size=500)
            result.areas = sum(1 for o in data.objects if o.kind == "area")
            result.lines = len(data.objects) - result.areas
            for ref in data.documents:
                name = Path(ref.name).name
                if name not in files:
                    result.missing_documents.append(ref.name)
                    continue
                document = BPlanDocument(plan=plan, name=name[:200], kind=ref.kind,
                                         title=ref.title[:200])
                document.file.save(name, ContentFile(files[name]), save=False)
                saved.append(document.file)
                document.save()
                result.documents += 1
            result.plan = plan
            if dry_run:
                raise _DryRun
    except _DryRun:
        _remove(saved)
    except Exception:
        _remove(saved)
        raise
    return result


def _remove(files) -> None:
    for stored in files:
        stored.storage.delete(stored.name)


@transaction.atomic
def bplan_delete(*, plan: BPlan) -> None:
    for document in plan.documents.all():
        document.file.delete(save=False)
    plan.original.delete(save=False)
    plan.delete()


def _int(value) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name)[:80] or "bplan"
