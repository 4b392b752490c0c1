"""The kinds of administrative area, apart from the models so other apps' forms, filters and
routing can name a kind without importing geoportal's models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    # Declared from the widest to the narrowest; `AREA_LEVELS` relies on this order.
    # The labels are interface words ("Stadtbezirk Innenstadt" in the map's "what is here",
    # the admin's filter), so they follow the page's language; the stored value is the key.
    COUNTY = "county", _("Landkreis")
    MUNICIPALITY = "municipality", _("Gemeinde")
    DISTRICT = "district", _("Stadtbezirk")
    QUARTER = "quarter", _("Stadtteil")


AREA_LEVELS = {kind: level for level, kind in enumerate(AreaKind.values)}
