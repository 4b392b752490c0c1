"""Crew-specific messages to reporters, queued through `reports.services` (the outbox is
reports' own): keep the reporters of duplicates told."""

from reports.selectors import report_public_url
from reports.services import report_reporter_notify

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
