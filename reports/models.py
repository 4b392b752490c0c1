"""Mängelmelder: offices, the category tree, routing rules, reports and their outbox.

Reporter contact data lives in its own table (`Reporter`), reached only by staff code, so a
public queryset over `Report` cannot leak a name, an email or a phone number by accident.
"""

import secrets

from django.conf import settings
from django.contrib.gis.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from geoportal.models import Area

from .querysets import OutboxQuerySet, ReportPhotoQuerySet, ReportQuerySet

SRID = settings.GEOPORTAL_SRID


class Office(models.Model):
    """A Fachamt (or a county's Landratsamt) that receives reports."""

    name = models.CharField(max_length=200, verbose_name=_("Name"))
    email = models.EmailField(
        help_text=_("Hierhin werden neue Meldungen für dieses Amt geschickt."),
        verbose_name=_("E-Mail"),
    )
    phone = models.CharField(max_length=50, blank=True, verbose_name=_("Telefon"))
    authority = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="offices",
        help_text=_("Die Gemeinde oder der Kreis, zu dem dieses Amt gehört."),
        verbose_name=_("Gebietskörperschaft"),
    )

    class Meta:
        verbose_name = _("Amt")
        verbose_name_plural = _("Ämter")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="office_authority_name")
        ]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A node of the category tree; leaves are what citizens choose (Open311 services)."""

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("Übergeordnet"),
    )
    code = models.SlugField(
        max_length=60,
        unique=True,
        help_text=_("service_code in Open311."),
        verbose_name=_("Kennung"),
    )
    name = models.CharField(max_length=120, verbose_name=_("Name"))
    description = models.CharField(max_length=300, blank=True, verbose_name=_("Beschreibung"))
    keywords = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Durch Kommas getrennt."),
        verbose_name=_("Stichwörter"),
    )
    requires_confirmation = models.BooleanField(
        default=True,
        help_text=_(
            "Erst veröffentlichen, wenn der Meldende den Link in der Bestätigungs-E-Mail "
            "geklickt hat."
        ),
        verbose_name=_("Bestätigung nötig"),
    )
    active = models.BooleanField(default=True, verbose_name=_("Aktiv"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("Reihenfolge"))

    class Meta:
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return f"{self.parent.name} > {self.name}" if self.parent_id else self.name

    def lineage(self) -> list["Category"]:
        """This category and its ancestors, the category itself first."""
        chain, node, seen = [], self, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return chain


class RoutingRule(models.Model):
    """Category x area -> office. No category means "any category" (a fallback for the area)."""

    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rules",
        help_text=_("Leer: gilt für jede Kategorie (Auffang-Amt für dieses Gebiet)."),
        verbose_name=_("Kategorie"),
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="report_rules", verbose_name=_("Gebiet")
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="rules", verbose_name=_("Amt")
    )

    class Meta:
        verbose_name = _("Zuständigkeitsregel")
        verbose_name_plural = _("Zuständigkeitsregeln")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "area"],
                name="rule_category_area",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.category or '*'} @ {self.area} -> {self.office}"


class Status(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Unbestätigt")
    OPEN = "open", _("Offen")
    IN_PROGRESS = "in_progress", _("In Bearbeitung")
    CLOSED = "closed", _("Erledigt")
    REJECTED = "rejected", _("Abgelehnt")


PUBLIC_STATUSES = [Status.OPEN, Status.IN_PROGRESS, Status.CLOSED, Status.REJECTED]
OPEN_STATUSES = [Status.OPEN, Status.IN_PROGRESS]


def _token() -> str:
    return secrets.token_urlsafe(24)


class ModerationState(models.TextChoices):
    NONE = "", "—"
    PENDING = "pending", _("zu prüfen")
    DONE = "done", _("geprüft")


class Report(models.Model):
    number = models.CharField(max_length=20, unique=True, editable=False, verbose_name=_("Nummer"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="reports", verbose_name=_("Kategorie")
    )
    description = models.TextField(max_length=2000, verbose_name=_("Beschreibung"))
    geom = models.PointField(srid=SRID, verbose_name=_("Geometrie"))
    address = models.CharField(max_length=300, blank=True, verbose_name=_("Adresse"))
    address_distance_m = models.FloatField(
        null=True, blank=True, verbose_name=_("Abstand zur Adresse (m)")
    )
    county = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Kreis"),
    )
    municipality = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("Gemeinde")
    )
    district = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Stadtbezirk"),
    )
    quarter = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Stadtteil"),
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="reports", verbose_name=_("Amt")
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.UNCONFIRMED, verbose_name=_("Status")
    )
    status_notes = models.CharField(max_length=500, blank=True, verbose_name=_("Statusnotiz"))
    # Set when the report is closed because another one describes the same problem; cleared
    # when it is reopened. Public: the page says "Als Duplikat von Meldung N geschlossen".
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("Doppelt zu"),
    )
    supporters = models.PositiveIntegerField(default=0, verbose_name=_("Unterstützer"))
    # web, api, open311, demo
    source = models.CharField(max_length=20, default="web", verbose_name=_("Quelle"))
    api_key = models.ForeignKey(
        "ApiKey",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        help_text=_(
            "Der Schlüssel, mit dem eine App diese Meldung eingereicht hat (API und Open311)."
        ),
        verbose_name=_("API-Schlüssel"),
    )
    # Public, unguessable: the Open311 token for a request that is not confirmed yet.
    token = models.CharField(
        max_length=40, unique=True, default=_token, editable=False, verbose_name=_("Token")
    )
    created_at = models.DateTimeField(
        auto_now_add=True, db_index=True, verbose_name=_("Angelegt am")
    )
    # Indexed: the newest change is part of the reports layer's ETag (reports/clusters.py), read
    # on every tile revalidation; a scan of 1 M rows there cost ~0.7 s.
    updated_at = models.DateTimeField(auto_now=True, db_index=True, verbose_name=_("Geändert am"))
    published_at = models.DateTimeField(
        null=True, blank=True, db_index=True, verbose_name=_("Veröffentlicht am")
    )
    # Moderation (reports/moderation.py, docs/trust.md): `description` is the public text; what
    # the reporter wrote stays here when a filter or staff changed it, for staff only.
    description_original = models.TextField(
        blank=True, verbose_name=_("Ursprüngliche Beschreibung")
    )
    moderation = models.CharField(
        max_length=10,
        choices=ModerationState.choices,
        blank=True,
        default="",
        db_index=True,
        verbose_name=_("Moderation"),
    )
    hidden_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Ausgeblendet am"))

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "category"], name="report_status_category")]

    def __str__(self) -> str:
        return f"{self.number} {self.category.name}"

    @property
    def is_public(self) -> bool:
        return self.published_at is not None

    @property
    def status_label(self) -> str:
        """The public status in words: a duplicate says which report carries on, not just
        "Erledigt" (what its reporter would otherwise read)."""
        if self.status == Status.CLOSED and self.duplicate_of_id:
            return gettext("Als Duplikat von Meldung %(number)s geschlossen") % {
                "number": self.original_number
            }
        return self.get_status_display()

    @property
    def original_number(self) -> str:
        """The number of the report this one duplicates ("" if none); public selectors
        annotate it as `duplicate_of_number`, which saves a query per row."""
        if not self.duplicate_of_id:
            return ""
        return getattr(self, "duplicate_of_number", None) or self.duplicate_of.number


class Reporter(models.Model):
    """Personal data of the person who filed a report. Never part of any public output."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, related_name="reporter", verbose_name=_("Meldung")
    )
    name = models.CharField(max_length=200, blank=True, verbose_name=_("Name"))
    email = models.EmailField(verbose_name=_("E-Mail"))
    phone = models.CharField(
        max_length=40,
        blank=True,
        help_text=_("Für SMS bei Statusänderungen."),
        verbose_name=_("Telefon"),
    )
    confirm_token = models.CharField(
        max_length=40,
        unique=True,
        default=_token,
        editable=False,
        verbose_name=_("Bestätigungstoken"),
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Bestätigt am"))
    # The page language the report was filed in: every message to the reporter is written in it.
    language = models.CharField(max_length=8, default="de", verbose_name=_("Sprache"))

    def __str__(self) -> str:
        return f"Reporter of {self.report.number}"

    class Meta:
        verbose_name = _("Meldende Person")
        verbose_name_plural = _("Meldende Personen")


class ReportPhoto(models.Model):
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="photos", verbose_name=_("Meldung")
    )
    image = models.ImageField(
        upload_to="reports/photos/",
        width_field="width",
        height_field="height",
        verbose_name=_("Bild"),
    )
    width = models.PositiveIntegerField(default=0, verbose_name=_("Breite"))
    height = models.PositiveIntegerField(default=0, verbose_name=_("Höhe"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("Reihenfolge"))
    # redacted by staff: never public
    hidden_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Ausgeblendet am"))
    # daily photo budget
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("Angelegt am")
    )

    objects = ReportPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")
        ordering = ["position", "id"]


class EventKind(models.TextChoices):
    CREATED = "created", _("Eingegangen")
    CONFIRMED = "confirmed", _("Bestätigt und veröffentlicht")
    ROUTED = "routed", _("Zugewiesen")
    REROUTED = "rerouted", _("Weitergeleitet")
    STATUS = "status", _("Status geändert")
    SUPPORTED = "supported", _("Unterstützt")


class ReportEvent(models.Model):
    """The report's history; rerouting and status changes add rows, nothing is overwritten."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="events", verbose_name=_("Meldung")
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices, verbose_name=_("Art"))
    status = models.CharField(
        max_length=20, choices=Status.choices, blank=True, verbose_name=_("Status")
    )
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("Amt")
    )
    note = models.CharField(
        max_length=500, blank=True, help_text=_("Wird öffentlich gezeigt."), verbose_name=_("Notiz")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Angelegt am"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("Bearbeitet von"),
    )

    class Meta:
        verbose_name = _("Verlaufseintrag")
        verbose_name_plural = _("Verlauf")
        ordering = ["created_at", "id"]


class Channel(models.TextChoices):
    EMAIL = "email", "E-Mail"
    SMS = "sms", "SMS"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Wartet")
    SENT = "sent", _("Zugestellt")
    FAILED = "failed", _("Aufgegeben")


class OutboxMessage(models.Model):
    """A notification written in the same transaction as the change it announces."""

    report = models.ForeignKey(
        Report,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("Meldung"),
    )
    channel = models.CharField(
        max_length=10, choices=Channel.choices, default=Channel.EMAIL, verbose_name=_("Kanal")
    )
    purpose = models.CharField(
        max_length=40, help_text="office_new, reporter_ack, status ...", verbose_name=_("Zweck")
    )
    recipient = models.CharField(max_length=254, verbose_name=_("Empfänger"))
    subject = models.CharField(max_length=300, blank=True, verbose_name=_("Betreff"))
    body = models.TextField(verbose_name=_("Text"))
    # Extra mail headers (List-Unsubscribe for alerts); Message-ID is always the outbox's own.
    headers = models.JSONField(default=dict, blank=True, verbose_name=_("Kopfzeilen"))
    # The SMS gateway's id of the sent message and its latest delivery report.
    provider_id = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("Kennung beim Anbieter")
    )
    delivery_status = models.CharField(max_length=20, blank=True, verbose_name=_("Zustellstatus"))
    status = models.CharField(
        max_length=10,
        choices=OutboxStatus.choices,
        default=OutboxStatus.PENDING,
        verbose_name=_("Status"),
    )
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("Versuche"))
    max_attempts = models.PositiveSmallIntegerField(
        default=12, verbose_name=_("Höchstzahl Versuche")
    )
    next_attempt_at = models.DateTimeField(db_index=True, verbose_name=_("Nächster Versuch am"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Angelegt am"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Gesendet am"))
    last_error = models.TextField(blank=True, verbose_name=_("Letzter Fehler"))

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("ausgehende Nachricht")
        verbose_name_plural = _("ausgehende Nachrichten")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.purpose} #{self.pk}"


class DeliveryAttempt(models.Model):
    message = models.ForeignKey(
        OutboxMessage, on_delete=models.CASCADE, related_name="tries", verbose_name=_("Nachricht")
    )
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("Zeitpunkt"))
    ok = models.BooleanField(verbose_name=_("Erfolgreich"))
    error = models.TextField(blank=True, verbose_name=_("Fehler"))
    duration_ms = models.PositiveIntegerField(default=0, verbose_name=_("Dauer (ms)"))

    class Meta:
        verbose_name = _("Zustellversuch")
        verbose_name_plural = _("Zustellversuche")
        ordering = ["at", "id"]


class ApiKey(models.Model):
    """Keys for Open311 POST (and the REST API's write endpoints)."""

    name = models.CharField(
        max_length=200,
        help_text=_("Wer diesen Schlüssel nutzt (App, Partner)."),
        verbose_name=_("Name"),
    )
    key = models.CharField(max_length=64, unique=True, default=_token, verbose_name=_("Schlüssel"))
    active = models.BooleanField(default=True, verbose_name=_("Aktiv"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Angelegt am"))

    def __str__(self) -> str:
        return self.name

    class Meta:
        verbose_name = _("API-Schlüssel")
        verbose_name_plural = _("API-Schlüssel")


class ModerationAction(models.TextChoices):
    MASKED = "masked", _("Kontaktdaten automatisch maskiert")
    TEXT = "text", _("Text bearbeitet")
    HIDE = "hide", _("Meldung verborgen")
    SHOW = "show", _("Meldung wieder sichtbar")
    PHOTO_HIDE = "photo_hide", _("Foto entfernt")
    REVIEWED = "reviewed", _("geprüft")


class ModerationEvent(models.Model):
    """The audit trail of moderation: who changed what public text or photo, when and why.
    Staff only (admin); the reporter is told by email."""

    report = models.ForeignKey(
        Report,
        on_delete=models.CASCADE,
        related_name="moderation_events",
        verbose_name=_("Meldung"),
    )
    action = models.CharField(
        max_length=20, choices=ModerationAction.choices, verbose_name=_("Aktion")
    )
    reason = models.CharField(max_length=500, verbose_name=_("Grund"))
    text_before = models.TextField(blank=True, verbose_name=_("Text vorher"))
    text_after = models.TextField(blank=True, verbose_name=_("Text nachher"))
    photo = models.ForeignKey(
        ReportPhoto, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("Foto")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("Bearbeitet von"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Angelegt am"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Moderation")
        verbose_name_plural = _("Moderation (Protokoll)")


class ReportCell(models.Model):
    """Public reports counted per grid cell, for the cluster view and low-zoom report tiles.

    Kept by PostgreSQL triggers on `Report` (migration 0006): every write path (services,
    admin, crews, bulk updates, raw SQL imports) changes the counts in its own transaction, so
    the map never counts a hidden or unpublished report and never needs a refresh job. Cells
    are `floor(x / size)` of the storage CRS at the levels in `reports.clusters.LEVELS`; a
    coarser map zoom groups cells of the next finer level (they nest). Counts only: no text,
    no reporter, nothing a citizen cannot see on the public map anyway.
    """

    level = models.PositiveSmallIntegerField(verbose_name=_("Ebene"))
    cx = models.IntegerField(verbose_name=_("Zelle x"))
    cy = models.IntegerField(verbose_name=_("Zelle y"))
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="+", verbose_name=_("Kategorie")
    )
    status = models.CharField(max_length=20, verbose_name=_("Status"))
    district = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Stadtbezirk"),
    )
    n = models.IntegerField(verbose_name=_("Anzahl"))
    # Sums of the reports' coordinates: the cluster sits at their mean, sum / n.
    sum_x = models.FloatField(verbose_name=_("Summe x"))
    sum_y = models.FloatField(verbose_name=_("Summe y"))

    class Meta:
        verbose_name = _("Rasterzelle")
        verbose_name_plural = _("Rasterzellen")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "cx", "cy", "category", "status", "district"],
                name="reportcell_key",
                nulls_distinct=False,
            )
        ]
