"""The Flächennutzungsplan: plan versions and their land-use areas (EPSG:25832).

A class is stored as its key into landuse.classes.CLASSES; label, legal basis, PlanZV
number and colour are looked up there, so a corrected colour needs no data migration.
"""

from django.conf import settings
from django.contrib.gis.db import models

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
        ordering = ["plan", "source_id"]
        indexes = [models.Index(fields=["plan", "class_code"], name="landuse_area_plan_class")]

    def __str__(self) -> str:
        return f"{self.land_use_class.label} ({self.source_id})"

    @property
    def land_use_class(self):
        return CLASSES[self.class_code]
