"""Reads for Bebauungspläne: which plan applies at a point, and its key figures there."""

from __future__ import annotations

from django.contrib.gis.geos import Point
from django.db.models import Case, IntegerField, Prefetch, Value, When

from .models import BPlan, BPlanDocument, BPlanFeature

# What answers "what may be built here" first: the Baugebiet, then other areas.
FIRST = ("BP_BaugebietsTeilFlaeche", "BP_GemeinbedarfsFlaeche", "BP_GruenFlaeche",
         "BP_StrassenVerkehrsFlaeche", "BP_VerkehrsflaecheBesondererZweckbestimmung")


def bplans_at(*, point: Point) -> list[BPlan]:
    """Plans whose boundary covers the point, each with `.here`: its areas covering it."""
    rank = Case(*[When(feature_class=name, then=Value(i)) for i, name in enumerate(FIRST)],
                default=Value(len(FIRST)), output_field=IntegerField())
    here = (BPlanFeature.objects.filter(kind="area", area__covers=point)
            .annotate(rank=rank).order_by("rank", "label", "pk").defer("area", "line"))
    return list(
        BPlan.objects.filter(boundary__covers=point).defer("boundary")
        .prefetch_related(Prefetch("features", queryset=here, to_attr="here"),
                          Prefetch("documents", queryset=BPlanDocument.objects.all()))
        .order_by("name", "pk")
    )


def bplan_get(*, plan_id: int) -> BPlan | None:
    return BPlan.objects.filter(pk=plan_id).defer("boundary").first()


def bplan_document_get(*, plan_id: int, name: str) -> BPlanDocument | None:
    return BPlanDocument.objects.filter(plan_id=plan_id, name=name).first()


def bplan_list() -> list[BPlan]:
    return list(BPlan.objects.defer("boundary").prefetch_related("documents").order_by("name"))
