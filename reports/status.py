"""The status page's view of notification delivery ("the form says sent, but it never arrives")."""

from django.utils.translation import gettext as _

from geoportal.status import AMBER, GREEN, RED, CheckResult

from . import conf
from .selectors import outbox_health, photos_stored_today

# Unsent messages older than this, with no failed attempt yet, mean the worker is not keeping up.
SLOW_AFTER_SECONDS = 300


def check_outbox() -> CheckResult:
    health = outbox_health()
    minutes = int(health["oldest_undelivered_age_seconds"] // 60)
    details = {k: v for k, v in health.items() if k != "healthy"}
    if health["failed"]:
        return CheckResult(
            RED,
            _("%(n)s Benachrichtigungen konnten endgültig nicht zugestellt werden.")
            % {"n": health["failed"]},
            details,
        )
    if health["retrying"]:
        return CheckResult(
            RED,
            _(
                "Der Versand von E-Mails stockt: %(n)s Nachrichten warten, die älteste seit "
                "%(min)s Minuten. Nichts geht verloren; sie werden zugestellt, sobald es wieder "
                "geht."
            )
            % {"n": health["pending"], "min": minutes},
            details,
        )
    if health["pending"] and health["oldest_undelivered_age_seconds"] > SLOW_AFTER_SECONDS:
        return CheckResult(
            AMBER,
            _("%(n)s Nachrichten warten seit über %(min)s Minuten auf den Versand.")
            % {"n": health["pending"], "min": minutes},
            details,
        )
    return CheckResult(GREEN, _("Benachrichtigungen werden zugestellt."), details)


def check_photo_budget() -> CheckResult:
    stored, budget = photos_stored_today(), conf.REPORTS_PHOTOS_PER_DAY
    details = {"photos_today": stored, "photos_per_day": budget}
    if stored >= budget:
        return CheckResult(
            RED,
            _("Das Tageskontingent für Fotos ist erreicht; Meldungen gehen weiter, ohne Fotos."),
            details,
        )
    if stored >= budget * conf.REPORTS_PHOTO_BUDGET_WARN:
        return CheckResult(
            AMBER,
            _("%(n)s von %(max)s Fotos des Tageskontingents sind verbraucht.")
            % {"n": stored, "max": budget},
            details,
        )
    return CheckResult(GREEN, _("Fotos werden angenommen."), details)
