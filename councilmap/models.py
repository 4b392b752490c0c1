"""Open.RIS.Map: council objects mirrored from OParl, and where each paper is on the map.

Every mirrored object keeps its OParl URL (`oparl_id`, unique) so a re-import updates in place,
and a `deleted` flag, because OParl reports deletions as objects with `deleted: true`.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

SRID = settings.GEOPORTAL_SRID


class OParlObject(models.Model):
    oparl_id = models.URLField(max_length=500, unique=True, verbose_name=_("OParl-ID"))
    name = models.CharField(max_length=1000, blank=True, verbose_name=_("Name"))
    web = models.URLField(
        max_length=500,
        blank=True,
        help_text=_("Die Seite des Objekts im Ratsinformationssystem."),
        verbose_name=_("Webseite"),
    )
    created = models.DateTimeField(null=True, blank=True, verbose_name=_("Erstellt (RIS)"))
    modified = models.DateTimeField(null=True, blank=True, verbose_name=_("Geändert (RIS)"))
    deleted = models.BooleanField(default=False, verbose_name=_("Gelöscht"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name or self.oparl_id


class Body(OParlObject):
    short_name = models.CharField(max_length=200, blank=True, verbose_name=_("Kurzname"))
    system = models.URLField(max_length=500, blank=True, verbose_name=_("System"))
    municipality_code = models.CharField(
        max_length=40, blank=True,
        help_text=_(
            "Amtlicher Gemeindeschlüssel (AGS), um Koordinaten zu "
            "prüfen."
        ),
        verbose_name=_("Gemeindeschlüssel")
    )
    last_sync = models.DateTimeField(
        null=True, blank=True,
        help_text=_(
            "Beginn der letzten vollständigen Synchronisierung: das nächste "
            "`modified_since`."
        ),
        verbose_name=_("Letzte Synchronisierung")
    )

    class Meta:
        verbose_name = _("Körperschaft")
        verbose_name_plural = _("Körperschaften")


class Organization(OParlObject):
    body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("Körperschaft"),
    )
    short_name = models.CharField(max_length=200, blank=True, verbose_name=_("Kurzname"))
    organization_type = models.CharField(max_length=200, blank=True, verbose_name=_("Gremienart"))
    classification = models.CharField(max_length=200, blank=True, verbose_name=_("Einordnung"))

    class Meta:
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")
        ordering = ["name"]


class Meeting(OParlObject):
    body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("Körperschaft"),
    )
    start = models.DateTimeField(null=True, blank=True, verbose_name=_("Beginn"))
    end = models.DateTimeField(null=True, blank=True, verbose_name=_("Ende"))
    cancelled = models.BooleanField(default=False, verbose_name=_("Abgesagt"))
    location_description = models.CharField(max_length=500, blank=True, verbose_name=_("Ort"))
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="meetings", verbose_name=_("Gremien")
    )

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-start"]


class AgendaItem(OParlObject):
    meeting = models.ForeignKey(
        Meeting, null=True, on_delete=models.CASCADE, related_name="agenda_items",
        verbose_name=_("Sitzung")
    )
    number = models.CharField(max_length=50, blank=True, verbose_name=_("Nummer"))
    order = models.IntegerField(null=True, blank=True, verbose_name=_("Reihenfolge"))
    public = models.BooleanField(default=True, verbose_name=_("Öffentlich"))
    result = models.CharField(
        max_length=300, blank=True, help_text=_("z. B. „Beschlossen“."), verbose_name=_("Ergebnis")
    )
    meeting_url = models.CharField(max_length=500, blank=True, verbose_name=_("Sitzung (URL)"))
    resolution_text = models.TextField(blank=True, verbose_name=_("Beschlusstext"))

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")
        ordering = ["meeting", "order", "number"]


class Paper(OParlObject):
    body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("Körperschaft"),
    )
    reference = models.CharField(max_length=100, blank=True, verbose_name=_("Aktenzeichen"))
    paper_type = models.CharField(max_length=200, blank=True, verbose_name=_("Vorlagenart"))
    date = models.DateField(null=True, blank=True, verbose_name=_("Datum"))
    text = models.TextField(
        blank=True, help_text=_("Reiner Text ihrer Dateien, soweit lokal vorhanden."),
        verbose_name=_("Text"),
    )

    class Meta:
        verbose_name = _("Vorlage")
        verbose_name_plural = _("Vorlagen")
        ordering = ["-date", "reference"]


class Consultation(OParlObject):
    paper = models.ForeignKey(
        Paper, on_delete=models.CASCADE, related_name="consultations", verbose_name=_("Vorlage")
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("Sitzung")
    )
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="consultations",
        verbose_name=_("Tagesordnungspunkt")
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("Gremium")
    )
    role = models.CharField(max_length=200, blank=True, verbose_name=_("Rolle"))
    authoritative = models.BooleanField(null=True, verbose_name=_("Federführend"))
    # References as the server gave them; the FKs above are filled from these once the objects
    # they name have arrived (a meeting may come in a later page or a later run).
    meeting_url = models.CharField(max_length=500, blank=True, verbose_name=_("Sitzung (URL)"))
    agenda_item_url = models.CharField(
        max_length=500, blank=True, verbose_name=_("Tagesordnungspunkt (URL)")
    )
    organization_url = models.CharField(max_length=500, blank=True, verbose_name=_("Gremium (URL)"))

    class Meta:
        verbose_name = _("Beratung")
        verbose_name_plural = _("Beratungen")


class File(OParlObject):
    paper = models.ForeignKey(
        Paper, null=True, blank=True, on_delete=models.CASCADE, related_name="files",
        verbose_name=_("Vorlage")
    )
    main = models.BooleanField(
        default=False, help_text=_("Die Hauptdatei (mainFile) der Vorlage."),
        verbose_name=_("Hauptdatei"),
    )
    file_name = models.CharField(max_length=300, blank=True, verbose_name=_("Dateiname"))
    mime_type = models.CharField(max_length=100, blank=True, verbose_name=_("MIME-Typ"))
    access_url = models.URLField(max_length=500, blank=True, verbose_name=_("Zugriff (URL)"))
    download_url = models.URLField(max_length=500, blank=True, verbose_name=_("Download (URL)"))
    text = models.TextField(blank=True, verbose_name=_("Text"))
    text_note = models.CharField(
        max_length=300, blank=True,
        help_text=_(
            "Warum der Text leer oder unvollständig ist: keine Textebene, zu groß, Seiten "
            "übersprungen."
        ),
        verbose_name=_("Hinweis zum Text"),
    )

    class Meta:
        verbose_name = _("Datei")
        verbose_name_plural = _("Dateien")


class LocationSource(models.TextChoices):
    OPARL = "oparl", _("OParl-Location")
    EXTRACTED = "extracted", _("aus dem Text erkannt")
    MANUAL = "manual", _("von Hand gesetzt")


class PlacePrecision(models.TextChoices):
    POINT = "point", _("Punkt")
    ADDRESS = "address", _("Adresse")
    STREET_SECTION = "street_section", _("Straßenabschnitt")
    STREET = "street", _("Straße")
    AREA = "area", _("Gebiet")


class PaperLocation(models.Model):
    """One place of a paper. `manual` rows belong to staff: imports never touch them."""

    paper = models.ForeignKey(
        Paper, on_delete=models.CASCADE, related_name="locations", verbose_name=_("Vorlage")
    )
    source = models.CharField(
        max_length=20, choices=LocationSource.choices, verbose_name=_("Quelle")
    )
    precision = models.CharField(
        max_length=20, choices=PlacePrecision.choices, verbose_name=_("Genauigkeit")
    )
    name = models.CharField(max_length=500, blank=True, verbose_name=_("Name"))
    matched_text = models.CharField(max_length=500, blank=True, verbose_name=_("Gefundener Text"))
    confidence = models.FloatField(default=1.0, verbose_name=_("Zuverlässigkeit"))
    oparl_id = models.URLField(max_length=500, blank=True, verbose_name=_("OParl-ID"))
    street = models.ForeignKey(
        "geoportal.Street", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("Straße")
    )
    area = models.ForeignKey(
        "geoportal.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("Gebiet")
    )
    # The one definition of "in a district", for the map filter and the statistics alike: the
    # Stadtbezirk covering a point on the place (ST_PointOnSurface). A street along a boundary
    # belongs to one district, never to both.
    district = models.ForeignKey(
        "geoportal.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Der Stadtbezirk, in dem ein Punkt des Ortes liegt."),
        verbose_name=_("Stadtbezirk"),
    )
    geom = models.GeometryField(srid=SRID, verbose_name=_("Geometrie"))

    class Meta:
        verbose_name = _("Ort einer Vorlage")
        verbose_name_plural = _("Orte von Vorlagen")
        ordering = ["paper", "-confidence", "id"]

    def __str__(self) -> str:
        return f"{self.name or self.matched_text} ({self.get_source_display()})"

    def save(self, *args, **kwargs):
        # Every path that writes a place (imports, admin, services) gets the same district.
        from geoportal.selectors import district_of

        self.district = district_of(geom=self.geom) if self.geom is not None else None
        super().save(*args, **kwargs)


class SyncRun(models.Model):
    source = models.CharField(max_length=500, verbose_name=_("Quelle"))
    body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("Körperschaft")
    )
    modified_since = models.DateTimeField(null=True, blank=True, verbose_name=_("Geändert seit"))
    started_at = models.DateTimeField(verbose_name=_("Begonnen am"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Beendet am"))
    ok = models.BooleanField(default=False, verbose_name=_("Erfolgreich"))
    counts = models.JSONField(default=dict, verbose_name=_("Zählungen"))
    errors = models.JSONField(default=list, verbose_name=_("Fehler"))

    class Meta:
        verbose_name = _("Abgleich")
        verbose_name_plural = _("Abgleiche")
        ordering = ["-started_at", "-id"]


class PlacementReview(models.Model):
    """A street name in a paper that stands for several places (the same name in several
    quarters) and that neither the text nor the committee decides: staff choose one.

    Imports replace open reviews; a review staff have decided stays, and so does the manual
    place their choice created."""

    paper = models.ForeignKey(
        Paper, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("Vorlage")
    )
    name = models.CharField(
        max_length=300, help_text=_("Der mehrdeutige Name, z. B. „Hauptstraße“."),
        verbose_name=_("Name"),
    )
    matched_text = models.CharField(max_length=500, blank=True, verbose_name=_("Gefundener Text"))
    candidates = models.JSONField(
        default=list, help_text='[{"label": "Hauptstraße, Köln-Rodenkirchen", "street_ids": [..]}]',
        verbose_name=_("Kandidaten")
    )
    chosen = models.CharField(
        max_length=300, blank=True, help_text=_("Der von der Verwaltung gewählte Kandidat."),
        verbose_name=_("Gewählt"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Angelegt am"))
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Erledigt am"))

    class Meta:
        verbose_name = _("Ortsprüfung")
        verbose_name_plural = _("Ortsprüfungen")
        ordering = ["resolved_at", "-created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "name"], name="review_paper_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.paper})"
