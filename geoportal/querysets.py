"""Spatial predicates as queryset methods, so every caller gets the indexed form."""

from django.contrib.gis.db import models
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D


class AreaQuerySet(models.QuerySet):
    def covering(self, point: Point) -> "AreaQuerySet":
        """Areas whose closed polygon holds the point, boundary included; read via the parts."""
        from .models import AreaPart

        part_ids = AreaPart.objects.filter(geom__covers=point).values("area_id")
        return self.filter(id__in=part_ids)


class PostcodeAreaQuerySet(models.QuerySet):
    def covering(self, point: Point) -> "PostcodeAreaQuerySet":
        return self.filter(geom__covers=point)


class StreetQuerySet(models.QuerySet):
    def near(self, point: Point, metres: float) -> "StreetQuerySet":
        return self.filter(geom__dwithin=(point, D(m=metres)))


class AddressQuerySet(models.QuerySet):
    def near(self, point: Point, metres: float) -> "AddressQuerySet":
        return self.filter(geom__dwithin=(point, D(m=metres)))


class StreetSegmentQuerySet(models.QuerySet):
    def near(self, point: Point, metres: float) -> "StreetSegmentQuerySet":
        return self.filter(geom__dwithin=(point, D(m=metres)))


class StreetNodeQuerySet(models.QuerySet):
    def near(self, point: Point, metres: float) -> "StreetNodeQuerySet":
        return self.filter(geom__dwithin=(point, D(m=metres)))
