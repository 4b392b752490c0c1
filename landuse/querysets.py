"""Spatial predicates as queryset methods, so every caller gets the indexed form."""

from django.contrib.gis.db import models
from django.contrib.gis.geos import Point


class PlanQuerySet(models.QuerySet):
    def current(self) -> "PlanQuerySet":
        return self.filter(is_current=True)


class LandUseAreaQuerySet(models.QuerySet):
    def of_plans(self, plan_ids) -> "LandUseAreaQuerySet":
        return self.filter(plan_id__in=plan_ids)

    def of_current_plans(self) -> "LandUseAreaQuerySet":
        return self.filter(plan__is_current=True)

    def covering(self, point: Point) -> "LandUseAreaQuerySet":
        """Areas whose closed polygon holds the point (boundary included); GiST-indexed."""
        return self.filter(geom__covers=point)
