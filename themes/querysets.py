"""Spatial questions on dataset features, said so that PostGIS answers them from its indexes."""

from django.contrib.gis.db.models.functions import Distance, GeoFunc
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db import models
from django.db.models import Exists, FloatField, OuterRef


class _KnnDistance(GeoFunc):
    """`geom <-> point`: PostGIS walks the GiST index nearest first (KNN), so the first rows
    come without sorting every place within the radius; exact for points in a metric CRS."""

    arg_joiner = " <-> "
    geom_param_pos = (0, 1)
    template = "%(expressions)s"
    output_field = FloatField()


class ZoneQuerySet(models.QuerySet):
    def covering(self, point: Point) -> "ZoneQuerySet":
        """Zones that contain the point (or have it on their edge), via their subdivided parts."""
        from .models import ZonePart

        parts = ZonePart.objects.filter(zone=OuterRef("pk"), geom__covers=point)
        return self.filter(Exists(parts))


class PlaceQuerySet(models.QuerySet):
    def within(self, point: Point, *, radius_m: float) -> "PlaceQuerySet":
        """Places within radius_m metres, nearest first, with `distance` (metres: the storage
        CRS is metric UTM, whose scale error inside a city is far below a metre per km)."""
        return (
            self.filter(geom__dwithin=(point, D(m=radius_m)))
            .annotate(distance=Distance("geom", point))
            .order_by(_KnnDistance("geom", point), "pk")
        )
