"""Field crews: who works for which office, the crew workflow on top of a report's public
status, internal notes, per-category target times and the idempotency record of each change.

Kept out of `reports/` on purpose: the public Mängelmelder stays unaware of crews, and a
report's public status is still written only by `reports.services`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.models import Category, EventKind, Office, Report, Status


class Role(models.TextChoices):
    CREW = "crew", _("Außendienst")
    LEAD = "lead", _("Amtsleitung")
    ADMIN = "admin", _("Administration")


class OfficeMembership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_memberships",
        verbose_name=_("Benutzer")
    )
    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Amt")
    )
    role = models.CharField(
        max_length=10, choices=Role.choices, default=Role.CREW, verbose_name=_("Rolle")
    )

    class Meta:
        verbose_name = _("Mitgliedschaft im Amt")
        verbose_name_plural = _("Mitgliedschaften in Ämtern")
        constraints = [
            models.UniqueConstraint(fields=["user", "office"], name="membership_user_office")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.office} ({self.get_role_display()})"


class Stage(models.TextChoices):
    """The crew's workflow; each stage maps to one public `reports.Status` (see services)."""

    NEW = "new", _("Neu")
    ACKNOWLEDGED = "acknowledged", _("Zur Kenntnis genommen")
    IN_PROGRESS = "in_progress", _("In Arbeit")
    FIXED = "fixed", _("Behoben")
    NOT_FIXABLE = "not_fixable", _("Nicht behebbar")
    DUPLICATE = "duplicate", _("Doppelte Meldung")
    FORWARDED_EXTERNAL = "forwarded_external", _("An externe Stelle abgegeben")


OPEN_STAGES = [Stage.NEW, Stage.ACKNOWLEDGED, Stage.IN_PROGRESS]

# Each crew stage shows one public status of `reports` (what the reporter and the public see).
PUBLIC_STATUS = {
    Stage.NEW: Status.OPEN,
    Stage.ACKNOWLEDGED: Status.OPEN,
    Stage.IN_PROGRESS: Status.IN_PROGRESS,
    Stage.FIXED: Status.CLOSED,
    Stage.NOT_FIXABLE: Status.REJECTED,
    Stage.DUPLICATE: Status.CLOSED,
    Stage.FORWARDED_EXTERNAL: Status.CLOSED,
}
# History rows that change what a crew decided on: written by crews or by the admin.
CHANGE_EVENTS = [EventKind.STATUS, EventKind.REROUTED]


class WorkState(models.Model):
    """The crew side of one report. `version` grows with every crew change (optimistic lock)."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, primary_key=True, related_name="work",
        verbose_name=_("Meldung")
    )
    stage = models.CharField(
        max_length=20, choices=Stage.choices, default=Stage.NEW, verbose_name=_("Arbeitsstand")
    )
    version = models.PositiveIntegerField(default=1, verbose_name=_("Version"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_work",
        verbose_name=_("Zuständig"),
    )
    # Which report a duplicate belongs to is public and lives on `Report.duplicate_of`.
    # The newest status/reroute event this state knows of; a newer one was written outside the
    # crew tools (the admin), which counts as a change for the optimistic lock.
    last_event_id = models.BigIntegerField(default=0, verbose_name=_("Letztes Ereignis"))
    first_response_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("Erste Reaktion am")
    )
    fixed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Behoben am"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("Geändert am"))

    class Meta:
        verbose_name = _("Arbeitsstand")
        verbose_name_plural = _("Arbeitsstände")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.stage} v{self.version}"


class InternalNote(models.Model):
    """Staff-only remarks. Never rendered by a public view, API or notification."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="internal_notes", verbose_name=_("Meldung")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("Verfasser")
    )
    text = models.CharField(max_length=2000, verbose_name=_("Text"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Angelegt am"))

    class Meta:
        verbose_name = _("Interne Notiz")
        verbose_name_plural = _("Interne Notizen")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Notiz {self.pk}"


class CategoryTarget(models.Model):
    """How long a report of this category may stay open before it counts as overdue.

    A side table rather than a field on `reports.Category`, so `reports/` needs no migration.
    """

    category = models.OneToOneField(
        Category, on_delete=models.CASCADE, related_name="target", verbose_name=_("Kategorie")
    )
    target_hours = models.PositiveIntegerField(verbose_name=_("Zielzeit (Stunden)"))

    class Meta:
        verbose_name = _("Zielzeit je Kategorie")
        verbose_name_plural = _("Zielzeiten je Kategorie")

    def __str__(self) -> str:
        return f"{self.category}: {self.target_hours} h"


class ChangeOutcome(models.TextChoices):
    DONE = "done", _("ausgeführt")
    CONFLICT = "conflict", _("Versionskonflikt")
    INVALID = "invalid", _("ungültig")


class ChangeRecord(models.Model):
    """One client change, by its client-generated key: a replayed change returns this result."""

    key = models.UUIDField(unique=True, default=uuid.uuid4, verbose_name=_("Änderungsschlüssel"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("Benutzer"),
    )
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="+", verbose_name=_("Meldung")
    )
    outcome = models.CharField(
        max_length=10, choices=ChangeOutcome.choices, verbose_name=_("Ergebnis")
    )
    response = models.JSONField(verbose_name=_("Antwort"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Angelegt am"))

    class Meta:
        verbose_name = _("Übertragene Änderung")
        verbose_name_plural = _("Übertragene Änderungen")

    def __str__(self) -> str:
        return str(self.key)


class CrewNotice(models.Model):
    """"A report was assigned or forwarded to you": the badge in /einsatz/ until opened."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("zugewiesen")
        FORWARDED = "forwarded", _("an Ihr Amt weitergeleitet")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("Benutzer"),
    )
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="+", verbose_name=_("Meldung")
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("Art"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Angelegt am"))
    seen_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Gesehen am"))

    class Meta:
        verbose_name = _("Hinweis an Mitarbeitende")
        verbose_name_plural = _("Hinweise an Mitarbeitende")
        indexes = [models.Index(fields=["user"], name="crew_notice_unseen",
                                condition=models.Q(seen_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.report_id} → {self.user_id}"


class StaffLanguage(models.Model):
    """The language a staff member reads their messages in (crew notifications). Set from the
    page language they sign in to /einsatz/ with, changeable in the admin; German without one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+",
                                verbose_name=_("Benutzer"))
    language = models.CharField(max_length=10, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE,
                                verbose_name=_("Sprache"))

    class Meta:
        verbose_name = _("Sprache der Mitarbeitenden")
        verbose_name_plural = _("Sprachen der Mitarbeitenden")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"
