"""The FNP map page: the plan in PlanZV colours, its legend and area statistics."""

from django.http import Http404
from django.shortcuts import render

from . import selectors


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
        "plans": selectors.plan_list(),
        "current_plans": selectors.plan_list(current_only=True),
        "legend": legend,
        "colors": {cls.key: {"color": cls.color, "fill": cls.fill, "label": cls.label}
                   for cls, _ in legend},
    })
