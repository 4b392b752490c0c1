"""The kinds of administrative area, apart from the models so other apps' forms, filters and
routing can name a kind without importing geoportal's models."""

from django.db import models


class AreaKind(models.TextChoices):
    # Declared from the widest to the narrowest; `AREA_LEVELS` relies on this order.
    COUNTY = "county", "Landkreis"
    MUNICIPALITY = "municipality", "Gemeinde"
    DISTRICT = "district", "Stadtbezirk"
    QUARTER = "quarter", "Stadtteil"


AREA_LEVELS = {kind: level for level, kind in enumerate(AreaKind.values)}
