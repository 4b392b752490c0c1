"""The status page's view of the council-information sync."""

from datetime import timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from geoportal.status import AMBER, GREEN, RED, UNCONFIGURED, CheckResult

from . import conf
from .selectors import oparl_sync_status

STALE_AFTER = timedelta(hours=48)


def check_oparl_sync() -> CheckResult:
    status = oparl_sync_status()
    last = status["last_run"]
    if last is None:
        if not conf.COUNCILMAP_OPARL_SOURCE:
            # A city without a council information system (or not yet): nothing is missing.
            return CheckResult(
                UNCONFIGURED, _("Es ist kein Ratsinformationssystem angebunden.")
            )
        return CheckResult(AMBER, _("Es wurden noch keine Ratsdaten abgeglichen."))
    when = formats.date_format(timezone.localtime(last["started_at"]), "DATETIME_FORMAT")
    details = {"last_run": last["started_at"].isoformat(), "errors": last["error_count"]}
    if not last["ok"] or last["finished_at"] is None:
        return CheckResult(RED, _("Der letzte Abgleich (%s) ist fehlgeschlagen.") % when, details)
    live = last["source"].startswith(("http://", "https://"))
    if live and timezone.now() - last["started_at"] > STALE_AFTER:
        return CheckResult(AMBER, _("Der letzte Abgleich ist älter als zwei Tage (%s).") % when,
                           details)
    if last["error_count"]:
        return CheckResult(
            AMBER,
            _("Letzter Abgleich %(when)s: %(n)s Objekte konnten nicht übernommen werden.")
            % {"when": when, "n": last["error_count"]},
            details,
        )
    return CheckResult(GREEN, _("Letzter Abgleich mit dem Ratsinformationssystem: %s.") % when,
                       details)
