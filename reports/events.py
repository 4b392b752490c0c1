"""What a report announces to listeners (alerts, feeds of changes): public fields only."""

from django.urls import reverse

from geoportal.events import Event, Topic, publish

from .models import Report


def report_publish_event(*, report: Report, kind: str) -> None:
    """Call inside the service's transaction, once the report is public."""
    if not report.is_public:
        return
    place = f" – {report.address}" if report.address else ""
    title = f"{report.number}: {report.category.name}{place}"
    summary = str(report.status_label)
    if kind == "report.status" and report.status_notes:
        summary += f" – {report.status_notes}"
    publish(Event(
        topic=Topic.REPORTS, kind=kind, key=f"report:{report.number}", title=title,
        summary=summary, path=reverse("reports:detail", kwargs={"number": report.number}),
        geom=report.geom, at=report.updated_at,
    ))
