"""The Flächennutzungsplan: plan versions and their land-use areas (EPSG:25832).

A class is stored as its key into landuse.classes.CLASSES; label, legal basis, PlanZV
number and colour are looked up there, so a corrected colour needs no data migration.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from geoportal.models import Area

from .classes import CLASSES
from .querysets import LandUseAreaQuerySet, PlanQuerySet

SRID = settings.GEOPORTAL_SRID


class Plan(models.Model):
    """One imported version of a plan. Versions of one plan share municipality and name;
    importing again adds a version and makes it the current one, the old stay queryable."""

    name = models.CharField(max_length=200)
    municipality = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="landuse_plans",
        limit_choices_to={"kind": "municipality"},
    )
    legal_status = models.CharField(max_length=100, blank=True, help_text="e.g. rechtswirksam")
    legal_status_code = models.CharField(max_length=20, blank=True, help_text="XPlanung code")
    drawn_up = models.DateField(null=True, blank=True, help_text="Aufstellungsbeschluss")
    effective = models.DateField(null=True, blank=True, help_text="Wirksamkeit")
    source_file = models.CharField(max_length=300)
    source_format = models.CharField(max_length=50)
    source_crs = models.TextField(help_text="CRS as the source declared it")
    imported_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    report = models.JSONField(default=dict, blank=True, help_text="the import summary")

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
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    class_code = models.CharField(
        max_length=60, choices=[(c.key, c.label) for c in CLASSES.values()], db_index=True
    )
    source_id = models.CharField(max_length=200, help_text="feature id in the source (gml:id)")
    feature_class = models.CharField(max_length=100, help_text="source type, e.g. FP_Gruen")
    attributes = models.JSONField(default=dict, blank=True)
    geom = models.MultiPolygonField(srid=SRID)
    repaired = models.BooleanField(default=False, help_text="geometry was invalid and repaired")

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

    name = models.CharField(max_length=200)
    number = models.CharField(max_length=100, blank=True)
    municipality = models.CharField(max_length=200, blank=True)
    municipality_key = models.CharField(max_length=12, blank=True, help_text="AGS")
    plan_type = models.CharField(max_length=100, blank=True)
    legal_status = models.CharField(max_length=100, blank=True)
    legal_status_code = models.CharField(max_length=20, blank=True)
    drawn_up = models.DateField(null=True, blank=True, help_text="Aufstellungsbeschluss")
    adopted = models.DateField(null=True, blank=True, help_text="Satzungsbeschluss")
    effective = models.DateField(null=True, blank=True,
                                 help_text="Inkrafttreten (or Rechtsverordnung)")
    dates = models.JSONField(default=dict, blank=True, help_text="every date the plan states")
    description = models.TextField(blank=True)
    xplan_version = models.CharField(max_length=10)
    source_file = models.CharField(max_length=300)
    source_crs = models.CharField(max_length=200, blank=True)
    original = models.FileField(upload_to="landuse/bplans/", blank=True,
                                help_text="the XPlanGML as imported")
    boundary = models.MultiPolygonField(srid=SRID)
    imported_at = models.DateTimeField(auto_now=True)

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

    plan = models.ForeignKey(BPlan, on_delete=models.CASCADE, related_name="features")
    source_id = models.CharField(max_length=200)
    feature_class = models.CharField(max_length=100)
    label = models.CharField(max_length=200)
    kind = models.CharField(max_length=4, choices=[("area", "Fläche"), ("line", "Linie")])
    art = models.CharField(max_length=100, blank=True, help_text="Art der baulichen Nutzung")
    grz = models.FloatField(null=True, blank=True, help_text="Grundflächenzahl")
    gfz = models.FloatField(null=True, blank=True, help_text="Geschossflächenzahl")
    z = models.IntegerField(null=True, blank=True, help_text="Zahl der Vollgeschosse")
    z_max = models.IntegerField(null=True, blank=True, help_text="höchstens Vollgeschosse")
    bauweise = models.CharField(max_length=50, blank=True)
    zweckbestimmung = models.CharField(max_length=100, blank=True)
    figures = models.JSONField(default=dict, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    area = models.MultiPolygonField(srid=SRID, null=True, blank=True)
    line = models.MultiLineStringField(srid=SRID, null=True, blank=True)

    class Meta:
        ordering = ["plan", "source_id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.source_id})"


class BPlanDocument(models.Model):
    """A file the plan refers to: the scanned plan, its world file, the PDF."""

    plan = models.ForeignKey(BPlan, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10)  # scan, worldfile, pdf, document
    title = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to="landuse/bplan-documents/", blank=True)

    class Meta:
        ordering = ["plan", "kind", "name"]

    def __str__(self) -> str:
        return self.name
