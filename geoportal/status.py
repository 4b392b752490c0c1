"""Live health checks for the status page. Apps register their own checks in AppConfig.ready().

A check is a plain function returning a `CheckResult`; it must be cheap (one or two queries)
because the public status page runs every check on each request. A check that raises is shown
red with the reason, so one broken check never takes the page down.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

GREEN, AMBER, RED = "green", "amber", "red"
# A part this portal has not been set up with (a city without a council information system):
# shown as such, neutral; no fault, so it never darkens the overall state.
UNCONFIGURED = "unconfigured"
_ORDER = {GREEN: 0, AMBER: 1, RED: 2}


@dataclass(frozen=True)
class CheckResult:
    state: str
    sentence: str  # plain language, shown to citizens
    details: dict = field(default_factory=dict)  # numbers for status.json; nothing personal


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    run: Callable[[], CheckResult]


_CHECKS: dict[str, Check] = {}


def register_check(key: str, label: str, run: Callable[[], CheckResult]) -> None:
    _CHECKS[key] = Check(key=key, label=label, run=run)


def registered_checks() -> list[Check]:
    return list(_CHECKS.values())


@dataclass(frozen=True)
class CheckOutcome:
    key: str
    label: str
    result: CheckResult


def run_checks() -> list[CheckOutcome]:
    outcomes = []
    for check in registered_checks():
        try:
            result = check.run()
        except Exception as exc:  # a failing check is itself the finding
            logger.exception("status check %s failed", check.key)
            result = CheckResult(
                RED, _("Die Prüfung ist fehlgeschlagen: %s.") % type(exc).__name__
            )
        outcomes.append(CheckOutcome(key=check.key, label=check.label, result=result))
    return outcomes


def overall_state(outcomes: list[CheckOutcome]) -> str:
    states = [o.result.state for o in outcomes if o.result.state != UNCONFIGURED]
    return max(states, key=_ORDER.__getitem__, default=GREEN)


def heartbeat_state(last_seen, *, amber_after: timedelta, red_after: timedelta) -> str:
    if last_seen is None:
        return RED
    age = timezone.now() - last_seen
    if age > red_after:
        return RED
    return AMBER if age > amber_after else GREEN


# --- the core's own checks --------------------------------------------------------------------


def check_database() -> CheckResult:
    with connection.cursor() as cursor:
        cursor.execute("SELECT postgis_lib_version(), (SELECT count(*) FROM geoportal_area)")
        postgis, areas = cursor.fetchone()
    if not areas:
        return CheckResult(AMBER, _("Die Datenbank läuft, aber es sind keine Gebiete geladen."))
    return CheckResult(
        GREEN, _("Die Datenbank läuft."), {"postgis": postgis, "areas": areas}
    )


def check_workers() -> CheckResult:
    from .models import WorkerHeartbeat

    beats = list(WorkerHeartbeat.objects.all())
    if not beats:
        # None has ever reported (a portal run without `serve`'s workers): shown as not set
        # up rather than as working; the mail check still turns red if mail piles up.
        return CheckResult(UNCONFIGURED, _("Es sind keine Hintergrunddienste eingerichtet."))
    states = {
        b.name: heartbeat_state(
            b.last_seen, amber_after=timedelta(minutes=2), red_after=timedelta(minutes=10)
        )
        for b in beats
    }
    late = sorted(name for name, state in states.items() if state != GREEN)
    details = {b.name: b.last_seen.isoformat() for b in beats}
    if not late:
        return CheckResult(GREEN, _("Alle Hintergrunddienste arbeiten."), details)
    state = max((states[n] for n in late), key=_ORDER.__getitem__)
    return CheckResult(
        state, _("Hintergrunddienst ohne Lebenszeichen: %s.") % ", ".join(late), details
    )


def register_core_checks() -> None:
    register_check("database", gettext_lazy("Datenbank"), check_database)
    register_check("workers", gettext_lazy("Hintergrunddienste"), check_workers)
