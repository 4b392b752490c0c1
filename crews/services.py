"""Writes for crews and leads. Every change: permission check, optimistic lock on the work
version, the transition table, then `reports.services` for the public status, the history and
the reporter's notification, all in one transaction.

Reports' rows change only through `reports.services`. Errors are domain errors (`CrewError`,
`ReportNotFound`, `VersionConflict`); the views choose the HTTP status."""

import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from reports import selectors as report_selectors
from reports import services as report_services
from reports.models import Report, Status
from reports.photos import CleanPhoto

from . import notifications
from .models import (
    CHANGE_EVENTS,
    PUBLIC_STATUS,
    ChangeOutcome,
    ChangeRecord,
    CrewNotice,
    InternalNote,
    OfficeMembership,
    Role,
    StaffLanguage,
    Stage,
    WorkState,
)
from .selectors import staff_office_ids, staff_roles

_CLOSE = {Stage.FIXED, Stage.NOT_FIXABLE, Stage.DUPLICATE, Stage.FORWARDED_EXTERNAL}
# The one place that says which change is allowed. Closed reports can be reopened.
TRANSITIONS: dict[str, set[str]] = {
    Stage.NEW: {Stage.ACKNOWLEDGED, Stage.IN_PROGRESS, *_CLOSE},
    Stage.ACKNOWLEDGED: {Stage.IN_PROGRESS, *_CLOSE},
    Stage.IN_PROGRESS: {Stage.ACKNOWLEDGED, *_CLOSE},
    Stage.FIXED: {Stage.IN_PROGRESS},
    Stage.NOT_FIXABLE: {Stage.IN_PROGRESS},
    Stage.DUPLICATE: {Stage.ACKNOWLEDGED},
    Stage.FORWARDED_EXTERNAL: {Stage.ACKNOWLEDGED},
}

# What the reporter reads when the crew writes no public note of its own.
DEFAULT_NOTES = {
    Stage.ACKNOWLEDGED: "Wir haben Ihre Meldung gesehen und kümmern uns darum.",
    Stage.IN_PROGRESS: "Die Arbeiten haben begonnen.",
    Stage.FIXED: "Der Mangel ist behoben. Vielen Dank für Ihre Meldung!",
}


class CrewError(ValueError):
    """Input the crew can fix; `field` names the form field."""

    def __init__(self, message: str, field: str = "__all__"):
        super().__init__(message)
        self.field = field


class ReportNotFound(LookupError):
    """No public report of this id in the user's offices (a view answers 404)."""

    def __init__(self, message: str = gettext_lazy("Keine Meldung Ihrer Ämter.")):
        super().__init__(message)


class VersionConflict(Exception):
    """Someone changed the report after this client read it."""

    def __init__(self, report: Report, work: WorkState):
        super().__init__(
            gettext(
                "Meldung %(number)s wurde inzwischen geändert (jetzt: %(stage)s, Version "
                "%(version)s). Bitte prüfen und neu setzen."
            )
            % {"number": report.number, "stage": work.get_stage_display(), "version": work.version}
        )
        self.report = report
        self.work = work


def _stage_from_status(status: str) -> str:
    return {
        Status.IN_PROGRESS: Stage.IN_PROGRESS,
        Status.CLOSED: Stage.FIXED,
        Status.REJECTED: Stage.NOT_FIXABLE,
    }.get(status, Stage.NEW)


def _lock(*, user, report_id: int, roles: tuple[str, ...] = ()) -> tuple[Report, WorkState]:
    """The report (row-locked) and its work state; `ReportNotFound` outside the user's offices."""
    report = report_services.report_lock_for_staff(
        report_id=report_id, office_ids=staff_office_ids(user=user, roles=roles)
    )
    if report is None:
        raise ReportNotFound()
    latest = _last_event_id(report)
    work, _ = WorkState.objects.get_or_create(
        report=report,
        defaults={"stage": _stage_from_status(report.status), "last_event_id": latest},
    )
    if latest > work.last_event_id:
        # Changed outside the crew tools (the admin): a new version, and the stage follows the
        # public status if that no longer matches. `selectors.reports_for_staff` shows the same.
        work.version += 1
        work.last_event_id = latest
        if PUBLIC_STATUS[work.stage] != report.status:
            work.stage = _stage_from_status(report.status)
        work.save()
    return report, work


def _last_event_id(report: Report) -> int:
    return report_selectors.report_last_event_id(report=report, kinds=CHANGE_EVENTS)


def _seen_own_event(report: Report, work: WorkState) -> None:
    work.last_event_id = _last_event_id(report)
    work.save(update_fields=["last_event_id"])


def _check_version(report: Report, work: WorkState, version: int | None) -> None:
    if version is None:
        raise CrewError(gettext("Version fehlt."), field="version")
    if version != work.version:
        raise VersionConflict(report, work)


def _bump(work: WorkState, **fields) -> WorkState:
    for name, value in fields.items():
        setattr(work, name, value)
    work.version += 1
    work.save()
    return work


def _note(report: Report, user, text: str) -> None:
    if text.strip():
        InternalNote.objects.create(report=report, author=user, text=text.strip()[:2000])


@transaction.atomic
def work_transition(
    *,
    user,
    report_id: int,
    stage: str,
    version: int | None,
    public_note: str = "",
    internal_note: str = "",
    duplicate_of: str = "",
    external_body: str = "",
    photo: CleanPhoto | None = None,
) -> WorkState:
    """Move a report along the crew workflow (see TRANSITIONS)."""
    report, work = _lock(user=user, report_id=report_id)
    _check_version(report, work, version)
    if stage not in Stage.values:
        raise CrewError(gettext("Unbekannter Status %(stage)r.") % {"stage": stage}, field="stage")
    if stage not in TRANSITIONS[work.stage]:
        raise CrewError(
            gettext("Von „%(old)s“ geht es nicht nach „%(new)s“.")
            % {"old": work.get_stage_display(), "new": Stage(stage).label},
            field="stage",
        )
    public_note = public_note.strip()[:500]
    original = None
    if stage == Stage.DUPLICATE:
        original = _original(user=user, report=report, number=duplicate_of)
        public_note = public_note or (
            f"Derselbe Mangel wird unter Meldung {original.number} weiter bearbeitet."
        )
    if stage == Stage.FORWARDED_EXTERNAL:
        if not external_body.strip():
            raise CrewError(gettext("An welche Stelle wurde abgegeben?"), field="external_body")
        public_note = public_note or (
            f"Zuständig ist {external_body.strip()[:200]}; wir haben die Meldung dorthin "
            "weitergegeben."
        )
    public_note = public_note or DEFAULT_NOTES.get(stage, "")
    now = timezone.now()
    _bump(
        work,
        stage=stage,
        first_response_at=work.first_response_at or now,
        fixed_at=now if stage == Stage.FIXED else None,
    )
    if photo is not None:
        report_services.report_photo_add(report=report, photo=photo)
    _note(report, user, internal_note)
    report_services.report_status_change(
        report=report,
        status=PUBLIC_STATUS[stage],
        note=public_note,
        actor=user,
        duplicate_of=original,
    )
    _seen_own_event(report, work)
    notifications.notify_duplicates_of(
        original=report, stage_label=Stage(stage).label, note=public_note
    )
    if original is not None:
        notifications.notify_duplicate_linked(original=original, duplicate=report)
    return work


def _original(*, user, report: Report, number: str) -> Report:
    number = number.strip()
    if not number:
        raise CrewError(gettext("Von welcher Meldung ist dies ein Duplikat?"), field="duplicate_of")
    original = report_selectors.report_public_in_offices(
        number=number, office_ids=staff_office_ids(user=user)
    )
    if original is None:
        raise CrewError(
            gettext("Meldung %(number)s gibt es in Ihren Ämtern nicht.") % {"number": number},
            field="duplicate_of",
        )
    if original.pk == report.pk:
        raise CrewError(
            gettext("Eine Meldung ist kein Duplikat ihrer selbst."), field="duplicate_of"
        )
    if WorkState.objects.filter(report=original, stage=Stage.DUPLICATE).exists():
        raise CrewError(
            gettext("%(number)s ist selbst ein Duplikat; bitte die ursprüngliche Meldung wählen.")
            % {"number": number},
            field="duplicate_of",
        )
    return original


@transaction.atomic
def work_forward(
    *, user, report_id: int, office_id: int, reason: str, version: int | None
) -> WorkState:
    """A wrongly routed report goes to another office (it starts there as new)."""
    report, work = _lock(user=user, report_id=report_id)
    _check_version(report, work, version)
    office = report_selectors.office_get(office_id=office_id)
    if office is None:
        raise CrewError(gettext("Unbekanntes Amt."), field="office")
    if office.pk == report.office_id:
        raise CrewError(gettext("Die Meldung liegt schon bei diesem Amt."), field="office")
    if not reason.strip():
        raise CrewError(gettext("Bitte einen Grund für die Weiterleitung angeben."), field="reason")
    report_services.report_reroute(
        report=report, office=office, note=reason.strip()[:500], actor=user
    )
    _bump(work, stage=Stage.NEW, assignee=None)
    _seen_own_event(report, work)
    notifications.notify_forwarded(report=report, office=office, exclude_user=user)
    return work


@transaction.atomic
def crew_notices_seen(*, user, report_id: int) -> int:
    """Opening a report clears its badge for this user."""
    return CrewNotice.objects.filter(user=user, report_id=report_id, seen_at__isnull=True) \
        .update(seen_at=timezone.now())


@transaction.atomic
def work_note_add(*, user, report_id: int, text: str) -> InternalNote:
    report, _ = _lock(user=user, report_id=report_id)
    if not text.strip():
        raise CrewError(gettext("Die Notiz ist leer."), field="internal_note")
    return InternalNote.objects.create(report=report, author=user, text=text.strip()[:2000])


@transaction.atomic
def work_assign(*, user, report_ids: list[int], assignee_id: int | None) -> int:
    """Leads assign reports of their offices to one of the office's members (or to nobody)."""
    lead_offices = set(staff_office_ids(user=user, roles=(Role.LEAD, Role.ADMIN)))
    count = 0
    for report_id in report_ids:
        report, work = _lock(user=user, report_id=report_id, roles=(Role.LEAD, Role.ADMIN))
        if report.office_id not in lead_offices:
            raise ReportNotFound()
        if (
            assignee_id is not None
            and not OfficeMembership.objects.filter(
                office_id=report.office_id, user_id=assignee_id
            ).exists()
        ):
            raise CrewError(
                gettext("Die Person gehört nicht zu %(office)s.") % {"office": report.office},
                field="assignee",
            )
        previous = work.assignee_id
        _bump(work, assignee_id=assignee_id)
        if assignee_id is not None and assignee_id != previous and assignee_id != user.pk:
            notifications.notify_assigned(report=report, assignee=work.assignee)
        count += 1
    return count


@transaction.atomic
def work_bulk_transition(*, user, report_ids: list[int], stage: str, public_note: str) -> int:
    """Leads set one stage on many reports; each goes through `work_transition`'s rules."""
    if not set(staff_roles(user=user).values()) & {Role.LEAD, Role.ADMIN} and not (
        user.is_superuser
    ):
        raise CrewError(gettext("Nur die Amtsleitung darf Sammelaktionen ausführen."))
    for report_id in report_ids:
        _, work = _lock(user=user, report_id=report_id, roles=(Role.LEAD, Role.ADMIN))
        work_transition(
            user=user,
            report_id=report_id,
            stage=stage,
            version=work.version,
            public_note=public_note,
        )
    return len(report_ids)


@transaction.atomic
def change_apply_once(
    *, key: str, user, report_id: int, run: Callable[[], dict]
) -> tuple[str, dict]:
    """Run a client change at most once: the result is stored under the client's key and a
    replay (the tablet came back online and sent it again) gets the stored answer.

    Returns (`ChangeOutcome`, body); a conflict or invalid change is an answer to store, not an
    exception, because its replay must get the same answer."""
    try:
        key_uuid = uuid.UUID(str(key))
    except ValueError as exc:
        raise CrewError(
            gettext("Ungültiger Änderungsschlüssel (UUID erwartet)."), field="key"
        ) from exc
    # Lock the report first: two replays of one key serialize here, the second sees the record.
    _lock(user=user, report_id=report_id)
    done = ChangeRecord.objects.filter(key=key_uuid).first()
    if done is not None:
        if done.user_id != user.pk or done.report_id != report_id:
            raise CrewError(gettext("Dieser Änderungsschlüssel gehört zu einer anderen Änderung."))
        return done.outcome, {**done.response, "replayed": True}
    try:
        with transaction.atomic():
            outcome, body = ChangeOutcome.DONE, run()
    except VersionConflict as exc:
        outcome = ChangeOutcome.CONFLICT
        body = {"error": str(exc), "conflict": True, "current": conflict_state(exc)}
    except CrewError as exc:
        outcome, body = ChangeOutcome.INVALID, {"error": str(exc), "field": exc.field}
    try:
        with transaction.atomic():
            ChangeRecord.objects.create(
                key=key_uuid, user=user, report_id=report_id, outcome=outcome, response=body
            )
    except IntegrityError:  # pragma: no cover - the report lock makes this a last resort
        done = ChangeRecord.objects.get(key=key_uuid)
        return done.outcome, {**done.response, "replayed": True}
    return outcome, body


def conflict_state(exc: VersionConflict) -> dict:
    return {
        "id": exc.report.pk,
        "number": exc.report.number,
        "stage": exc.work.stage,
        "stage_label": exc.work.get_stage_display(),
        "version": exc.work.version,
        "office": exc.report.office.name,
    }


@transaction.atomic
def staff_language_set(*, user, language: str) -> None:
    """Remember the language a staff member works in; one not offered leaves it unchanged."""
    code = language.split("-")[0]
    if code in dict(settings.LANGUAGES):
        StaffLanguage.objects.update_or_create(user=user, defaults={"language": code})
