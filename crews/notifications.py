"""Crew-specific messages through the reports outbox: keep the reporters of duplicates told."""

from reports.models import Report, Reporter
from reports.notifications import report_url
from reports.outbox import outbox_enqueue


def _reporter(report: Report) -> Reporter | None:
    return Reporter.objects.filter(report=report).first()


def notify_duplicate_linked(*, original: Report, duplicate: Report) -> None:
    """The original's reporter learns that someone else saw the same problem."""
    reporter = _reporter(original)
    if reporter is None:
        return
    outbox_enqueue(
        report=original,
        purpose="reporter_duplicate",
        recipient=reporter.email,
        subject=f"Meldung {original.number}: eine weitere Meldung zum selben Mangel",
        body=(
            f"Die Meldung {duplicate.number} beschreibt denselben Mangel wie Ihre Meldung "
            f"{original.number}. Wir bearbeiten beide gemeinsam.\n\n{report_url(original)}\n"
        ),
    )


def notify_duplicates_of(*, original: Report, stage_label: str, note: str) -> None:
    """Reporters of reports closed as duplicates of `original` follow its progress."""
    for duplicate in Report.objects.filter(work__duplicate_of=original):
        reporter = _reporter(duplicate)
        if reporter is None:
            continue
        extra = f"\n\nHinweis des Amtes: {note}" if note else ""
        outbox_enqueue(
            report=duplicate,
            purpose="reporter_duplicate_status",
            recipient=reporter.email,
            subject=f"Meldung {original.number} (zu Ihrer Meldung {duplicate.number}): "
            f"{stage_label}",
            body=(
                f"Ihre Meldung {duplicate.number} wird gemeinsam mit {original.number} "
                f"bearbeitet. Stand jetzt: {stage_label}.{extra}\n\n{report_url(original)}\n"
            ),
        )
