"""Open.RIS.Map: council objects mirrored from OParl, and where each paper is on the map.

Every mirrored object keeps its OParl URL (`oparl_id`, unique) so a re-import updates in place,
and a `deleted` flag, because OParl reports deletions as objects with `deleted: true`.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

SRID = settings.GEOPORTAL_SRID


class OParlObject(models.Model):
    oparl_id = models.URLField(max_length=500, unique=True)
    name = models.CharField(max_length=1000, blank=True)
    web = models.URLField(max_length=500, blank=True, help_text="The object's page in the RIS.")
    created = models.DateTimeField(null=True, blank=True)
    modified = models.DateTimeField(null=True, blank=True)
    deleted = models.BooleanField(default=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name or self.oparl_id


class Body(OParlObject):
    short_name = models.CharField(max_length=200, blank=True)
    system = models.URLField(max_length=500, blank=True)
    municipality_code = models.CharField(
        max_length=40, blank=True, help_text="AGS of the municipality, to check coordinates."
    )
    last_sync = models.DateTimeField(
        null=True, blank=True, help_text="Start of the last complete sync: next `modified_since`."
    )

    class Meta:
        verbose_name = _("Körperschaft")
        verbose_name_plural = _("Körperschaften")


class Organization(OParlObject):
    body = models.ForeignKey(Body, null=True, on_delete=models.CASCADE, related_name="+")
    short_name = models.CharField(max_length=200, blank=True)
    organization_type = models.CharField(max_length=200, blank=True)
    classification = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")
        ordering = ["name"]


class Meeting(OParlObject):
    body = models.ForeignKey(Body, null=True, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField(null=True, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)
    location_description = models.CharField(max_length=500, blank=True)
    organizations = models.ManyToManyField(Organization, blank=True, related_name="meetings")

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-start"]


class AgendaItem(OParlObject):
    meeting = models.ForeignKey(
        Meeting, null=True, on_delete=models.CASCADE, related_name="agenda_items"
    )
    number = models.CharField(max_length=50, blank=True)
    order = models.IntegerField(null=True, blank=True)
    public = models.BooleanField(default=True)
    result = models.CharField(max_length=300, blank=True, help_text="e.g. 'Beschlossen'.")
    meeting_url = models.CharField(max_length=500, blank=True)
    resolution_text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")
        ordering = ["meeting", "order", "number"]


class Paper(OParlObject):
    body = models.ForeignKey(Body, null=True, on_delete=models.CASCADE, related_name="+")
    reference = models.CharField(max_length=100, blank=True)
    paper_type = models.CharField(max_length=200, blank=True)
    date = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True, help_text="Plain text of its files, where present locally.")

    class Meta:
        verbose_name = _("Vorlage")
        verbose_name_plural = _("Vorlagen")
        ordering = ["-date", "reference"]


class Consultation(OParlObject):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="consultations")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL)
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="consultations"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=200, blank=True)
    authoritative = models.BooleanField(null=True)
    # References as the server gave them; the FKs above are filled from these once the objects
    # they name have arrived (a meeting may come in a later page or a later run).
    meeting_url = models.CharField(max_length=500, blank=True)
    agenda_item_url = models.CharField(max_length=500, blank=True)
    organization_url = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("Beratung")
        verbose_name_plural = _("Beratungen")


class File(OParlObject):
    paper = models.ForeignKey(
        Paper, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    main = models.BooleanField(default=False, help_text="The paper's mainFile.")
    file_name = models.CharField(max_length=300, blank=True)
    mime_type = models.CharField(max_length=100, blank=True)
    access_url = models.URLField(max_length=500, blank=True)
    download_url = models.URLField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    text_note = models.CharField(
        max_length=300, blank=True,
        help_text="Why the text is empty or partial: no text layer, too large, pages skipped.",
    )


class LocationSource(models.TextChoices):
    OPARL = "oparl", "OParl-Location"
    EXTRACTED = "extracted", "aus dem Text erkannt"
    MANUAL = "manual", "von Hand gesetzt"


class PlacePrecision(models.TextChoices):
    POINT = "point", "Punkt"
    ADDRESS = "address", "Adresse"
    STREET_SECTION = "street_section", "Straßenabschnitt"
    STREET = "street", "Straße"
    AREA = "area", "Gebiet"


class PaperLocation(models.Model):
    """One place of a paper. `manual` rows belong to staff: imports never touch them."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="locations")
    source = models.CharField(max_length=20, choices=LocationSource.choices)
    precision = models.CharField(max_length=20, choices=PlacePrecision.choices)
    name = models.CharField(max_length=500, blank=True)
    matched_text = models.CharField(max_length=500, blank=True)
    confidence = models.FloatField(default=1.0)
    oparl_id = models.URLField(max_length=500, blank=True)
    street = models.ForeignKey(
        "geoportal.Street", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    area = models.ForeignKey(
        "geoportal.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The one definition of "in a district", for the map filter and the statistics alike: the
    # Stadtbezirk covering a point on the place (ST_PointOnSurface). A street along a boundary
    # belongs to one district, never to both.
    district = models.ForeignKey(
        "geoportal.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The Stadtbezirk covering a point on the place.",
    )
    geom = models.GeometryField(srid=SRID)

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
    source = models.CharField(max_length=500)
    body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.SET_NULL)
    modified_since = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    counts = models.JSONField(default=dict)
    errors = models.JSONField(default=list)

    class Meta:
        verbose_name = _("Abgleich")
        verbose_name_plural = _("Abgleiche")
        ordering = ["-started_at", "-id"]


class PlacementReview(models.Model):
    """A street name in a paper that stands for several places (the same name in several
    quarters) and that neither the text nor the committee decides: staff choose one.

    Imports replace open reviews; a review staff have decided stays, and so does the manual
    place their choice created."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="reviews")
    name = models.CharField(max_length=300, help_text="The ambiguous name, e.g. 'Hauptstraße'.")
    matched_text = models.CharField(max_length=500, blank=True)
    candidates = models.JSONField(
        default=list, help_text='[{"label": "Hauptstraße, Köln-Rodenkirchen", "street_ids": [..]}]'
    )
    chosen = models.CharField(max_length=300, blank=True, help_text="The candidate staff chose.")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Ortsprüfung")
        verbose_name_plural = _("Ortsprüfungen")
        ordering = ["resolved_at", "-created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "name"], name="review_paper_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.paper})"
