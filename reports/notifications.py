"""The words of every notification; services decide when, the outbox delivers."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from geoportal.links import absolute_url

from .models import Channel, Report, Reporter
from .outbox import outbox_enqueue


def _url(path: str) -> str:
    # Links in emails need the public address; the worker has no request to take it from.
    return absolute_url(path)


def report_url(report: Report) -> str:
    return _url(reverse("reports:detail", kwargs={"number": report.number}))


def notify_confirmation_request(*, report: Report, reporter: Reporter) -> None:
    link = _url(reverse("reports:confirm", kwargs={"token": reporter.confirm_token}))
    words = {"number": report.number, "category": report.category, "link": link,
             "url": report_url(report)}
    with translation.override(reporter.language):
        outbox_enqueue(
            report=report,
            purpose="reporter_confirm",
            recipient=reporter.email,
            subject=_("Bitte bestätigen Sie Ihre Meldung %(number)s") % words,
            body=_(
                "Guten Tag,\n\nSie haben die Meldung %(number)s (%(category)s) abgegeben. Sie "
                "wird veröffentlicht und weitergeleitet, sobald Sie sie hier bestätigen:\n\n"
                "%(link)s\n\nDanach können Sie den Stand hier verfolgen:\n%(url)s\n\n"
                "Wenn Sie nichts gemeldet haben, ignorieren Sie diese E-Mail."
            )
            % words,
        )


def notify_published(*, report: Report, reporter: Reporter | None) -> None:
    """The office gets the report (with contact data, only staff see it); the reporter a receipt."""
    contact = ""
    if reporter is not None:
        contact = (
            f"\nMeldende Person: {reporter.name or '(ohne Namen)'}\n"
            f"E-Mail: {reporter.email}\n"
            + (f"Telefon: {reporter.phone}\n" if reporter.phone else "")
        )
    lonlat = report.geom.transform(4326, clone=True)
    outbox_enqueue(
        report=report,
        purpose="office_new",
        recipient=report.office.email,
        subject=f"Neue Meldung {report.number}: {report.category}",
        body=(
            f"Neue Meldung {report.number}\n\nKategorie: {report.category}\n"
            f"Ort: {report.address or '-'} (lat {lonlat.y:.6f}, lon {lonlat.x:.6f})\n"
            f"Stadtbezirk: {report.district.name if report.district else '-'}\n\n"
            f"{report.description_original or report.description}\n{contact}\n"
            f"Öffentliche Seite: {report_url(report)}\n"
        ),
    )
    if reporter is not None:
        words = {"number": report.number, "office": report.office, "url": report_url(report)}
        with translation.override(reporter.language):
            outbox_enqueue(
                report=report,
                purpose="reporter_ack",
                recipient=reporter.email,
                subject=_("Ihre Meldung %(number)s ist eingegangen") % words,
                body=_(
                    "Vielen Dank! Ihre Meldung hat die Nummer %(number)s und wurde an %(office)s "
                    "weitergeleitet.\n\nVerfolgen Sie den Stand hier:\n%(url)s\n"
                )
                % words,
            )


def notify_status(*, report: Report, reporter: Reporter | None) -> None:
    if reporter is None:
        return
    with translation.override(reporter.language):
        words = {"number": report.number, "status": report.status_label,
                 "url": report_url(report), "note": report.status_notes}
        note = _("\n\nHinweis des Amtes: %(note)s") % words if report.status_notes else ""
        outbox_enqueue(
            report=report,
            purpose="reporter_status",
            recipient=reporter.email,
            subject=_("Meldung %(number)s: %(status)s") % words,
            body=_("Der Stand Ihrer Meldung %(number)s ist jetzt: %(status)s.") % words
            + f"{note}\n\n{words['url']}\n",
        )
        if reporter.phone:
            outbox_enqueue(
                report=report,
                purpose="reporter_status",
                channel=Channel.SMS,
                recipient=reporter.phone,
                body=_("Meldung %(number)s: %(status)s.") % words + f" {words['url']}",
            )


def notify_rerouted(*, report: Report, reporter: Reporter | None) -> None:
    outbox_enqueue(
        report=report,
        purpose="office_rerouted",
        recipient=report.office.email,
        subject=f"Weitergeleitete Meldung {report.number}: {report.category}",
        body=(
            f"Die Meldung {report.number} wurde an {report.office} weitergeleitet.\n\n"
            f"{report.description}\n\n{report_url(report)}\n"
        ),
    )


def notify_moderated(
    *, report: Report, reporter: Reporter | None, changes: list[str], reason: str
) -> None:
    """Tell the reporter what staff changed in the public version of their report, and why."""
    if reporter is None:
        return
    with translation.override(reporter.language):
        words = {"number": report.number, "changes": ", ".join(str(c) for c in changes),
                 "reason": reason, "url": report_url(report)}
        where = (
            _("Die Meldung ist nicht mehr öffentlich sichtbar; das Amt bearbeitet sie weiter.")
            if report.hidden_at
            else _("So ist sie jetzt öffentlich zu sehen:\n%(url)s") % words
        )
        outbox_enqueue(
            report=report,
            purpose="reporter_moderated",
            recipient=reporter.email,
            subject=_("Ihre Meldung %(number)s wurde bearbeitet") % words,
            body=_(
                "Guten Tag,\n\nan der öffentlichen Fassung Ihrer Meldung %(number)s hat die "
                "Redaktion Folgendes geändert: %(changes)s.\n\nGrund: %(reason)s\n\n"
            ) % words
            + where
            + "\n\n"
            + _("Ihr ursprünglicher Text bleibt für die Verwaltung gespeichert."),
        )
