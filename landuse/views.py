"""The FNP map page: the plan in PlanZV colours, its legend and area statistics."""

from pathlib import Path

from django.http import FileResponse, Http404
from django.shortcuts import render

from . import bplan_selectors, planzv, selectors


def plan_page(request):
    plan_param = request.GET.get("plan")
    plan_id = int(plan_param) if plan_param and plan_param.isdigit() else None
    try:
        legend = selectors.plan_legend(plan_id=plan_id)
        plan = selectors.plan_get(plan_id=plan_id) if plan_id else None
    except selectors.UnknownPlan as exc:
        raise Http404(str(exc)) from exc
    return render(request, "landuse/plan.html", {
        "plan": plan,
        "plan_id": plan_id,
        # The current versions are the first option ("aktuelle Fassung"); listing them again
        # below it showed one version twice (#19).
        "plans": selectors.plan_list(superseded_only=True),
        "current_plans": selectors.plan_list(current_only=True),
        # The designations in the page's language; data outputs keep the German (planzv.py).
        "legend": [(cls, count, planzv.label(cls.key)) for cls, count in legend],
        "bplans": bplan_selectors.bplan_list(),
        "colors": {cls.key: {"color": cls.color, "fill": cls.fill, "label": planzv.label(cls.key)}
                   for cls, _ in legend},
    })


def bplan_original(request, plan_id: int):
    """The XPlanGML (or its zip with the attachments) exactly as it was imported."""
    plan = bplan_selectors.bplan_get(plan_id=plan_id)
    if plan is None or not plan.original:
        raise Http404("Kein solcher Bebauungsplan.")
    name = f"{plan.name}{Path(plan.original.name).suffix}"
    return FileResponse(plan.original.open("rb"), as_attachment=True, filename=name)


def bplan_document(request, plan_id: int, name: str):
    document = bplan_selectors.bplan_document_get(plan_id=plan_id, name=name)
    if document is None or not document.file:
        raise Http404("Kein solches Dokument.")
    return FileResponse(document.file.open("rb"), as_attachment=document.kind != "pdf",
                        filename=document.name)
