"""Pages of Open.RIS.Map: the decision map with list and statistics, and a paper's page."""

from django.http import Http404
from django.shortcuts import render
from rest_framework.exceptions import ValidationError

from .api import parse_filter
from .models import Paper
from .selectors import (
    DecisionFilter,
    decision_filter_options,
    decision_list,
    decision_stats_by_district,
    paper_detail,
)

LIST_LIMIT = 200


def council_map(request):
    """Server-rendered list and statistics (usable without JavaScript); the map script reloads
    the list, map and statistics when the filter form changes."""
    errors = {}
    try:
        filters = parse_filter(request.GET)
    except ValidationError as exc:
        errors = exc.detail
        filters = DecisionFilter()
    listed = decision_list(filters=DecisionFilter(**{**filters.__dict__, "limit": LIST_LIMIT}))
    return render(
        request,
        "councilmap/map.html",
        {
            "options": decision_filter_options(),
            "query": request.GET,
            "errors": errors,
            "papers": listed,
            "stats": decision_stats_by_district(filters=filters),
        },
        status=400 if errors else 200,
    )


def paper_page(request, pk: int):
    try:
        paper = paper_detail(paper_id=pk)
    except Paper.DoesNotExist as exc:
        raise Http404("Keine solche Vorlage.") from exc
    return render(request, "councilmap/paper.html", {"paper": paper})
