"""Writes for the Mängelmelder. Each service is one transaction: the report, its history and
the notifications it causes are committed together or not at all."""

import secrets
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geoportal.models import AreaKind
from geoportal.selectors import area_names, geocode_reverse

from . import notifications
from .events import report_publish_event

# The intake's checks and types, re-exported so the adapters know one module for report writes.
from .intake import (  # noqa: F401
    MAX_PHOTOS,
    ContactData,
    Located,
    Location,
    ReportSubmitError,
    report_api_key_check,
    report_category_for_intake,
    report_locate,
    report_photos_clean,
    report_text_check,
)
from .models import (
    ApiKey,
    Category,
    EventKind,
    ModerationAction,
    ModerationEvent,
    ModerationState,
    Office,
    OutboxMessage,
    OutboxStatus,
    Report,
    Reporter,
    ReportEvent,
    ReportPhoto,
    Status,
)
from .moderation import text_mask
from .outbox import outbox_enqueue
from .photos import CleanPhoto
from .routing import NotServed, route_for

MASKED_KINDS = {
    "email": gettext_lazy("E-Mail-Adresse"),
    "phone": gettext_lazy("Telefonnummer"),
    "iban": gettext_lazy("IBAN"),
    "name": gettext_lazy("Name"),
}


def _masked_reason(kinds: Sequence[str]) -> str:
    # The audit trail is one record for all staff: in the site's language, not the reporter's.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Im Text: %(kinds)s") % {"kinds": ", ".join(str(MASKED_KINDS[k]) for k in kinds)}


def _place_names() -> list[str]:
    """The served city's quarter, district and municipality names: words after "Grüße" that
    are no signature. Asked only when a text ends like a signed one."""
    kinds = [AreaKind.QUARTER, AreaKind.DISTRICT, AreaKind.MUNICIPALITY]
    return [name for _, _, name, _ in area_names(kinds=kinds)]


class ReportError(ValueError):
    """A staff action that cannot be done; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str = "__all__"):
        super().__init__(message)
        self.field = field


def report_submit(
    *,
    category: str,
    location: Location,
    description: str,
    contact: ContactData,
    uploads: Sequence[bytes | CleanPhoto] = (),
    source: str = "web",
    api_key: ApiKey | None = None,
) -> Report:
    """File a report from any entry point (web form, REST, Open311): check everything once,
    then write it with `report_create`.

    `category` is a code; `api_key` the key the adapter authenticated (needed for api and
    open311). Raises `ReportSubmitError` (field, code, message) and nothing else for bad input.
    Photos are cleaned before the transaction opens, so a bad photo writes nothing.
    """
    report_api_key_check(source=source, api_key=api_key)
    leaf = report_category_for_intake(code=category)
    report_text_check(description=description, contact=contact)
    photos = report_photos_clean(uploads=uploads)
    located = report_locate(location=location, photos=photos)
    try:
        return report_create(
            category=leaf,
            point=located.point,
            description=description,
            contact=contact,
            photos=photos,
            source=source,
            api_key=api_key,
            address=located.address,
        )
    except NotServed as exc:
        raise ReportSubmitError(str(exc), field="location", code="not_served") from exc


@transaction.atomic
def report_create(
    *,
    category: Category,
    point: Point,
    description: str,
    contact: ContactData,
    photos: Sequence[CleanPhoto] = (),
    source: str = "web",
    api_key: ApiKey | None = None,
    address: str = "",
) -> Report:
    """Write a checked report: route it, remember its place and areas, queue the emails.

    `address` is the house the sender named, as the intake checked it (`Located.address`);
    without one the address is what reverse geocoding finds at the point.

    Input from outside comes through `report_submit`, which checks it; trusted callers (demo
    data, benchmarks, tests) call this directly. Raises `routing.NotServed` for a point outside
    every municipality served.
    """
    route = route_for(category=category, point=point)
    place = None if address else geocode_reverse(point=point)
    written = description.strip()
    # Contact data and the reporter's name in the text are never published.
    masked = text_mask(written, own_name=contact.name, places=_place_names)
    report = Report.objects.create(
        number=f"tmp-{secrets.token_hex(6)}",
        category=category,
        description=masked.text,
        description_original=written if masked.changed else "",
        moderation=ModerationState.PENDING if masked.changed else ModerationState.NONE,
        geom=point,
        address=address or (place.label if place else ""),
        # The named house was placed at the point itself.
        address_distance_m=0.0 if address else (place.distance_m if place else None),
        county=route.areas.get(AreaKind.COUNTY),
        municipality=route.areas[AreaKind.MUNICIPALITY],
        district=route.areas.get(AreaKind.DISTRICT),
        quarter=route.areas.get(AreaKind.QUARTER),
        office=route.office,
        source=source,
        api_key=api_key,
    )
    # The number is the year and the row id: short enough to read out on the phone.
    report.number = f"{report.created_at:%Y}-{report.pk:05d}"
    report.save(update_fields=["number"])
    reporter = Reporter.objects.create(
        report=report,
        email=contact.email,
        name=contact.name.strip(),
        phone=contact.phone.strip(),
        language=translation.get_language() or "de",
    )
    for position, photo in enumerate(photos):
        ReportPhoto.objects.create(report=report, image=photo.content, position=position)
    if masked.changed:
        ModerationEvent.objects.create(
            report=report,
            action=ModerationAction.MASKED,
            reason=_masked_reason(masked.kinds),
            text_before=written,
            text_after=masked.text,
        )
    ReportEvent.objects.create(report=report, kind=EventKind.CREATED)
    ReportEvent.objects.create(report=report, kind=EventKind.ROUTED, office=route.office)
    if category.requires_confirmation:
        notifications.notify_confirmation_request(report=report, reporter=reporter)
    else:
        _publish(report=report, reporter=reporter)
    return report


def _publish(*, report: Report, reporter: Reporter | None) -> None:
    report.status = Status.OPEN
    report.published_at = timezone.now()
    report.save(update_fields=["status", "published_at", "updated_at"])
    ReportEvent.objects.create(report=report, kind=EventKind.CONFIRMED, status=Status.OPEN)
    notifications.notify_published(report=report, reporter=reporter)
    report_publish_event(report=report, kind="report.published")


@transaction.atomic
def report_confirm(*, token: str) -> Report | None:
    """Publish the report whose confirmation link this is; a second click changes nothing."""
    reporter = (
        Reporter.objects.select_for_update().select_related("report").filter(confirm_token=token)
    ).first()
    if reporter is None:
        return None
    if reporter.confirmed_at is None:
        reporter.confirmed_at = timezone.now()
        reporter.save(update_fields=["confirmed_at"])
        if not reporter.report.is_public:
            _publish(report=reporter.report, reporter=reporter)
    return reporter.report


@transaction.atomic
def report_support(*, report: Report) -> Report:
    """A citizen says "me too" instead of filing a duplicate."""
    Report.objects.filter(pk=report.pk).update(supporters=F("supporters") + 1)
    ReportEvent.objects.create(report=report, kind=EventKind.SUPPORTED)
    report.refresh_from_db(fields=["supporters"])
    return report


def _reporter(report: Report) -> Reporter | None:
    return Reporter.objects.filter(report=report).first()


@transaction.atomic
def report_status_change(
    *,
    report: Report,
    status: str,
    note: str = "",
    actor=None,
    duplicate_of: Report | None = None,
) -> Report:
    """Set the public status. `duplicate_of` closes the report as a duplicate of that one; a
    report that leaves "closed" is no one's duplicate any more."""
    if status not in Status.values or status == Status.UNCONFIRMED:
        raise ReportError(_("Unbekannter Status: %(status)s.") % {"status": status}, field="status")
    if duplicate_of is not None:
        if status != Status.CLOSED:
            raise ReportError(_("Ein Duplikat wird geschlossen."), field="status")
        if duplicate_of.pk == report.pk:
            raise ReportError(
                _("Eine Meldung ist kein Duplikat ihrer selbst."), field="duplicate_of"
            )
        report.duplicate_of = duplicate_of
    elif status != Status.CLOSED:
        report.duplicate_of = None
    report.status = status
    report.status_notes = note
    fields = ["status", "status_notes", "duplicate_of", "updated_at"]
    if report.published_at is None:
        report.published_at = timezone.now()
        fields.append("published_at")
    report.save(update_fields=fields)
    ReportEvent.objects.create(
        report=report, kind=EventKind.STATUS, status=status, note=note, actor=actor
    )
    notifications.notify_status(report=report, reporter=_reporter(report))
    report_publish_event(report=report, kind="report.status")
    return report


@transaction.atomic
def reports_purge_personal_data(*, older_than: timedelta) -> int:
    """Forget who reported what once a report is closed or rejected for `older_than`.

    Deletes the `Reporter` rows and the delivered messages (they carry address and contact);
    the public report and its history stay. Returns how many reporters were deleted.
    """
    cutoff = timezone.now() - older_than
    done = Report.objects.filter(
        status__in=[Status.CLOSED, Status.REJECTED], updated_at__lt=cutoff
    ).values("pk")
    OutboxMessage.objects.filter(report__in=done, status=OutboxStatus.SENT).delete()
    deleted, _by_model = Reporter.objects.filter(report__in=done).delete()
    return deleted


@transaction.atomic
def report_reroute(*, report: Report, office: Office, note: str = "", actor=None) -> Report:
    """Hand the report to another office; the history keeps every office it passed."""
    if office.pk == report.office_id:
        return report
    report.office = office
    report.save(update_fields=["office", "updated_at"])
    ReportEvent.objects.create(
        report=report, kind=EventKind.REROUTED, office=office, note=note, actor=actor
    )
    notifications.notify_rerouted(report=report, reporter=_reporter(report))
    return report


@transaction.atomic
def report_moderate(
    *,
    report: Report,
    reason: str,
    actor,
    description: str | None = None,
    hidden: bool | None = None,
    hide_photo_ids: Sequence[int] = (),
) -> Report:
    """Staff change what the public sees of a report: its text (which passes the contact-data
    filter again), whether it is shown at all, which photos are removed. Every change is in the
    audit trail with `reason` and `actor`, the report leaves the moderation queue, and the
    reporter is told by email. Raises ReportError for a missing reason or an empty text."""
    reason = reason.strip()
    if not reason:
        raise ReportError(
            _("Bitte einen Grund angeben; er steht im Protokoll und in der E-Mail."), "reason"
        )
    report = Report.objects.select_for_update().get(pk=report.pk)
    now = timezone.now()
    done = []

    def audit(action, **fields):
        ModerationEvent.objects.create(
            report=report, action=action, reason=reason, actor=actor, **fields
        )
        done.append(ModerationAction(action).label)

    if description is not None and description.strip() != report.description:
        text = description.strip()
        if not text:
            raise ReportError(
                _("Der Text darf nicht leer sein; zum Verbergen: Meldung verbergen."),
                "description",
            )
        reporter = _reporter(report)
        masked = text_mask(
            text, own_name=reporter.name if reporter else "", places=_place_names
        )
        audit(ModerationAction.TEXT, text_before=report.description, text_after=masked.text)
        report.description_original = report.description_original or report.description
        report.description = masked.text
    if hidden is not None and hidden != (report.hidden_at is not None):
        report.hidden_at = now if hidden else None
        audit(ModerationAction.HIDE if hidden else ModerationAction.SHOW)
    for photo in report.photos.filter(pk__in=hide_photo_ids, hidden_at__isnull=True):
        photo.hidden_at = now
        photo.save(update_fields=["hidden_at"])
        audit(ModerationAction.PHOTO_HIDE, photo=photo)
    if not done and report.moderation != ModerationState.PENDING:
        raise ReportError(_("Es wurde nichts geändert."))
    if not done:
        audit(ModerationAction.REVIEWED)
    report.moderation = ModerationState.DONE
    fields = ["description", "description_original", "hidden_at", "moderation", "updated_at"]
    report.save(update_fields=fields)
    if any(a != ModerationAction.REVIEWED.label for a in done):
        notifications.notify_moderated(
            report=report, reporter=_reporter(report), changes=done, reason=reason
        )
    return report


def report_photos_purge_unconfirmed(*, older_than: timedelta) -> int:
    """Delete the photos (files and rows) of reports never confirmed and older than
    `older_than`: an unconfirmed upload costs disk and may show anything. Returns the count."""
    cutoff = timezone.now() - older_than
    photos = list(
        ReportPhoto.objects.filter(report__published_at__isnull=True, report__created_at__lt=cutoff)
    )
    for photo in photos:
        photo.image.delete(save=False)
    ReportPhoto.objects.filter(pk__in=[p.pk for p in photos]).delete()
    return len(photos)


# --- For staff tools built on reports (crews): the only way they change a report's rows ---


def report_lock_for_staff(*, report_id: int, office_ids) -> Report | None:
    """The public report `report_id` if it belongs to one of `office_ids`, row-locked until the
    caller's transaction ends (call inside one); None if there is no such report."""
    return (
        Report.objects.public()
        .select_for_update(of=("self",))
        .select_related("office", "category")
        .filter(pk=report_id, office_id__in=office_ids)
        .first()
    )


def report_photo_add(*, report: Report, photo: CleanPhoto) -> ReportPhoto:
    """Add a cleaned photo (a crew's "after" picture) behind the report's others."""
    return ReportPhoto.objects.create(
        report=report, image=photo.content, position=report.photos.count()
    )


def report_staff_notify(
    *, report: Report, recipient: str, purpose: str, subject: str, body: str
) -> None:
    """One email about a report to a staff member (crews: assigned, forwarded), through the
    outbox in the caller's transaction."""
    outbox_enqueue(report=report, purpose=purpose, recipient=recipient, subject=subject,
                   body=body)


def report_reporter_notify(*, report: Report, purpose: str, subject: str, body: str) -> bool:
    """One email to the report's reporter through the outbox, in the caller's transaction.
    False (and nothing queued) when the contact data is gone (purged) or was never given."""
    reporter = _reporter(report)
    if reporter is None:
        return False
    outbox_enqueue(
        report=report, purpose=purpose, recipient=reporter.email, subject=subject, body=body
    )
    return True
