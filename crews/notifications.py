"""Crew-specific messages to reporters, queued through `reports.services` (the outbox is
reports' own): keep the reporters of duplicates told."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from reports.selectors import report_public_url, site_url
from reports.services import report_reporter_notify, report_staff_notify

from .models import CrewNotice, StaffLanguage
from .selectors import reports_duplicates_of


def notify_duplicate_linked(*, original, duplicate) -> None:
    """The original's reporter learns that someone else saw the same problem."""
    report_reporter_notify(
        report=original,
        purpose="reporter_duplicate",
        subject=f"Meldung {original.number}: eine weitere Meldung zum selben Mangel",
        body=(
            f"Die Meldung {duplicate.number} beschreibt denselben Mangel wie Ihre Meldung "
            f"{original.number}. Wir bearbeiten beide gemeinsam.\n\n"
            f"{report_public_url(report=original)}\n"
        ),
    )


def notify_duplicates_of(*, original, stage_label: str, note: str) -> None:
    """Reporters of reports closed as duplicates of `original` follow its progress."""
    extra = f"\n\nHinweis des Amtes: {note}" if note else ""
    for duplicate in reports_duplicates_of(original=original):
        report_reporter_notify(
            report=duplicate,
            purpose="reporter_duplicate_status",
            subject=f"Meldung {original.number} (zu Ihrer Meldung {duplicate.number}): "
            f"{stage_label}",
            body=(
                f"Ihre Meldung {duplicate.number} wird gemeinsam mit {original.number} "
                f"bearbeitet. Stand jetzt: {stage_label}.{extra}\n\n"
                f"{report_public_url(report=original)}\n"
            ),
        )


def _notify_staff(*, users, report, kind: str) -> None:
    """A badge for each user and, where they have an address, an email through the outbox."""
    link = site_url(path=reverse("crews:detail", args=[report.pk]))
    languages = dict(StaffLanguage.objects.filter(user__in=users)
                     .values_list("user_id", "language"))
    for user in users:
        CrewNotice.objects.create(user=user, report=report, kind=kind)
        if not user.email:
            continue
        context = {"report": report, "kind": kind, "link": link, "user": user}
        # The recipient's language, not the language of whoever assigned or forwarded.
        with translation.override(languages.get(user.pk, settings.LANGUAGE_CODE)):
            subject = render_to_string("crews/email/notice_subject.txt", context)
            body = render_to_string("crews/email/notice_body.txt", context)
        report_staff_notify(
            report=report, purpose=f"crew_{kind}", recipient=user.email,
            subject=" ".join(subject.split()), body=body,
        )


def notify_assigned(*, report, assignee) -> None:
    _notify_staff(users=[assignee], report=report, kind="assigned")


def notify_forwarded(*, report, office, exclude_user=None) -> None:
    """Everyone of the office the report was forwarded to (not the person who forwarded)."""
    users = get_user_model().objects.filter(office_memberships__office=office, is_active=True)
    if exclude_user is not None:
        users = users.exclude(pk=exclude_user.pk)
    _notify_staff(users=list(users.distinct()), report=report, kind="forwarded")
