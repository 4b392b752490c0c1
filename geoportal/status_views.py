"""The public status page: is everything working, in plain words, and as JSON for monitors."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from .selectors import incident_list_public
from .status import overall_state, run_checks

STATE_WORDS = {
    "green": gettext_lazy("Alles in Ordnung"),
    "amber": gettext_lazy("Eingeschränkt"),
    "red": gettext_lazy("Gestört"),
    "unconfigured": gettext_lazy("Nicht eingerichtet"),
}


@never_cache
def status_page(request):
    outcomes = run_checks()
    state = overall_state(outcomes)
    return render(
        request,
        "geoportal/status.html",
        {
            "state": state,
            "state_word": STATE_WORDS[state],
            "outcomes": [(o, STATE_WORDS[o.result.state]) for o in outcomes],
            "incidents": incident_list_public(),
            "checked_at": timezone.now(),
        },
    )


@never_cache
def status_json(request):
    outcomes = run_checks()
    return JsonResponse(
        {
            "status": overall_state(outcomes),
            "checked_at": timezone.now().isoformat(),
            "checks": [
                {
                    "key": o.key,
                    "label": str(o.label),
                    "status": o.result.state,
                    "message": o.result.sentence,
                    "details": o.result.details,
                }
                for o in outcomes
            ],
            "incidents": [
                {
                    "title": i.title,
                    "message": i.message,
                    "state": i.state,
                    "started_at": i.started_at.isoformat(),
                    "resolved_at": i.resolved_at.isoformat() if i.resolved_at else None,
                }
                for i in incident_list_public()
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
