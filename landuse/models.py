"""The Flächennutzungsplan: plan versions and their land-use areas (EPSG:25832).

A class is stored as its key into landuse.classes.CLASSES; label, legal basis, PlanZV
number and colour are looked up there, so a corrected colour needs no data migration.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from geoportal.models import Area

from .classes import CLASSES
from .planzv import LABELS  # the admin filters by class in its own language
from .querysets import LandUseAreaQuerySet, PlanQuerySet

SRID = settings.GEOPORTAL_SRID


class Plan(models.Model):
    """One imported version of a plan. Versions of one plan share municipality and name;
    importing again adds a version and makes it the current one, the old stay queryable."""

    name = models.CharField(max_length=200, verbose_name=_("Name"))
    municipality = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="landuse_plans",
        limit_choices_to={"kind": "municipality"},
        verbose_name=_("Gemeinde"),
    )
    legal_status = models.CharField(
        max_length=100, blank=True, help_text=_("z. B. rechtswirksam"),
        verbose_name=_("Rechtsstand"),
    )
    legal_status_code = models.CharField(
        max_length=20, blank=True, help_text=_("XPlanung-Code"),
        verbose_name=_("Rechtsstand (Code)"),
    )
    drawn_up = models.DateField(
        null=True, blank=True, help_text=_("Aufstellungsbeschluss"), verbose_name=_("Aufstellung")
    )
    effective = models.DateField(
        null=True, blank=True, help_text=_("Wirksamkeit"), verbose_name=_("Wirksam seit")
    )
    source_file = models.CharField(max_length=300, verbose_name=_("Quelldatei"))
    source_format = models.CharField(max_length=50, verbose_name=_("Quellformat"))
    source_crs = models.TextField(
        help_text=_("Koordinatenreferenzsystem, wie die Quelle es angibt"),
        verbose_name=_("Quell-KBS"),
    )
    imported_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Importiert am"))
    version = models.PositiveIntegerField(default=1, verbose_name=_("Version"))
    is_current = models.BooleanField(default=True, verbose_name=_("Aktuell"))
    report = models.JSONField(
        default=dict, blank=True, help_text=_("die Zusammenfassung des Imports"),
        verbose_name=_("Importbericht"),
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("Flächennutzungsplan")
        verbose_name_plural = _("Flächennutzungspläne")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name", "version"], name="landuse_plan_version_unique",
                nulls_distinct=False,
            ),
            models.UniqueConstraint(
                fields=["municipality", "name"], condition=models.Q(is_current=True),
                name="landuse_plan_one_current", nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (Version {self.version}{', aktuell' if self.is_current else ''})"


class LandUseArea(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="areas", verbose_name=_("Plan")
    )
    class_code = models.CharField(
        max_length=60, choices=[(key, LABELS[key]) for key in CLASSES], db_index=True,
        verbose_name=_("Darstellung")
    )
    source_id = models.CharField(
        max_length=200, help_text=_("Kennung des Objekts in der Quelle (gml:id)"),
        verbose_name=_("Kennung in der Quelle"),
    )
    feature_class = models.CharField(
        max_length=100, help_text=_("Objektart der Quelle, z. B. FP_Gruen"),
        verbose_name=_("Objektart"),
    )
    attributes = models.JSONField(default=dict, blank=True, verbose_name=_("Attribute"))
    geom = models.MultiPolygonField(srid=SRID, verbose_name=_("Geometrie"))
    repaired = models.BooleanField(
        default=False, help_text=_("die Geometrie war ungültig und wurde repariert"),
        verbose_name=_("Repariert"),
    )

    objects = LandUseAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("Darstellung")
        verbose_name_plural = _("Darstellungen")
        ordering = ["plan", "source_id"]
        indexes = [models.Index(fields=["plan", "class_code"], name="landuse_area_plan_class")]

    def __str__(self) -> str:
        return f"{self.land_use_class.label} ({self.source_id})"

    @property
    def land_use_class(self):
        return CLASSES[self.class_code]


class BPlan(models.Model):
    """A Bebauungsplan (XPlanGML BP_Plan): its boundary, legal status and dates; objects in
    BPlanFeature, attached documents in BPlanDocument. Importing a plan of the same name and
    municipality again replaces it."""

    name = models.CharField(max_length=200, verbose_name=_("Name"))
    number = models.CharField(max_length=100, blank=True, verbose_name=_("Nummer"))
    municipality = models.CharField(max_length=200, blank=True, verbose_name=_("Gemeinde"))
    municipality_key = models.CharField(
        max_length=12, blank=True, help_text="AGS", verbose_name=_("Gemeindeschlüssel")
    )
    plan_type = models.CharField(max_length=100, blank=True, verbose_name=_("Planart"))
    legal_status = models.CharField(max_length=100, blank=True, verbose_name=_("Rechtsstand"))
    legal_status_code = models.CharField(
        max_length=20, blank=True, verbose_name=_("Rechtsstand (Code)")
    )
    drawn_up = models.DateField(
        null=True, blank=True, help_text=_("Aufstellungsbeschluss"), verbose_name=_("Aufstellung")
    )
    adopted = models.DateField(
        null=True, blank=True, help_text=_("Satzungsbeschluss"), verbose_name=_("Satzungsbeschluss")
    )
    effective = models.DateField(null=True, blank=True,
                                 help_text=_("Inkrafttreten (oder Rechtsverordnung)"),
                                 verbose_name=_("Inkrafttreten"))
    dates = models.JSONField(
        default=dict, blank=True, help_text=_("jedes Datum, das der Plan nennt"),
        verbose_name=_("Daten"),
    )
    description = models.TextField(blank=True, verbose_name=_("Beschreibung"))
    xplan_version = models.CharField(max_length=10, verbose_name=_("XPlanung-Version"))
    source_file = models.CharField(max_length=300, verbose_name=_("Quelldatei"))
    source_crs = models.CharField(max_length=200, blank=True, verbose_name=_("Quell-KBS"))
    original = models.FileField(upload_to="landuse/bplans/", blank=True,
                                help_text=_("das XPlanGML, wie importiert"),
                                verbose_name=_("Original"))
    boundary = models.MultiPolygonField(srid=SRID, verbose_name=_("Geltungsbereich"))
    imported_at = models.DateTimeField(auto_now=True, verbose_name=_("Importiert am"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("Bebauungsplan")
        verbose_name_plural = _("Bebauungspläne")
        constraints = [
            models.UniqueConstraint(fields=["municipality_key", "name"],
                                    name="landuse_bplan_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class BPlanFeature(models.Model):
    """One object of a BPlan: an area (Baugebiet, Grünfläche, ...) or a line (Baugrenze, ...).
    One table, two published layers: `area` for areas, `line` for lines."""

    plan = models.ForeignKey(
        BPlan, on_delete=models.CASCADE, related_name="features", verbose_name=_("Plan")
    )
    source_id = models.CharField(max_length=200, verbose_name=_("Kennung in der Quelle"))
    feature_class = models.CharField(max_length=100, verbose_name=_("Objektart"))
    label = models.CharField(max_length=200, verbose_name=_("Bezeichnung"))
    kind = models.CharField(
        max_length=4, choices=[("area", _("Fläche")), ("line", _("Linie"))], verbose_name=_("Art")
    )
    art = models.CharField(
        max_length=100, blank=True, help_text=_("Art der baulichen Nutzung"),
        verbose_name=_("Art der baulichen Nutzung"),
    )
    grz = models.FloatField(
        null=True, blank=True, help_text=_("Grundflächenzahl"), verbose_name=_("GRZ")
    )
    gfz = models.FloatField(
        null=True, blank=True, help_text=_("Geschossflächenzahl"), verbose_name=_("GFZ")
    )
    z = models.IntegerField(
        null=True, blank=True, help_text=_("Zahl der Vollgeschosse"),
        verbose_name=_("Vollgeschosse (Z)"),
    )
    z_max = models.IntegerField(
        null=True, blank=True, help_text=_("höchstens Vollgeschosse"),
        verbose_name=_("Höchstens Vollgeschosse"),
    )
    bauweise = models.CharField(max_length=50, blank=True, verbose_name=_("Bauweise"))
    zweckbestimmung = models.CharField(
        max_length=100, blank=True, verbose_name=_("Zweckbestimmung")
    )
    figures = models.JSONField(default=dict, blank=True, verbose_name=_("Kennzahlen"))
    attributes = models.JSONField(default=dict, blank=True, verbose_name=_("Attribute"))
    area = models.MultiPolygonField(srid=SRID, null=True, blank=True, verbose_name=_("Fläche"))
    line = models.MultiLineStringField(srid=SRID, null=True, blank=True, verbose_name=_("Linie"))

    class Meta:
        verbose_name = _("B-Plan-Festsetzung")
        verbose_name_plural = _("B-Plan-Festsetzungen")
        ordering = ["plan", "source_id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.source_id})"


class BPlanDocument(models.Model):
    """A file the plan refers to: the scanned plan, its world file, the PDF."""

    plan = models.ForeignKey(
        BPlan, on_delete=models.CASCADE, related_name="documents", verbose_name=_("Plan")
    )
    name = models.CharField(max_length=200, verbose_name=_("Name"))
    kind = models.CharField(max_length=10, verbose_name=_("Art"))  # scan, worldfile, pdf, document
    title = models.CharField(max_length=200, blank=True, verbose_name=_("Titel"))
    file = models.FileField(
        upload_to="landuse/bplan-documents/", blank=True, verbose_name=_("Datei")
    )

    class Meta:
        verbose_name = _("B-Plan-Dokument")
        verbose_name_plural = _("B-Plan-Dokumente")
        ordering = ["plan", "kind", "name"]

    def __str__(self) -> str:
        return self.name
