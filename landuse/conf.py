"""Settings of landuse, with their defaults. Read as `conf.NAME`; nowhere else reads them."""

from pathlib import Path

from django.conf import settings

_DEFAULTS = {
    # The city's PlanZV category list that maps a GDAL plan's TYP/subtype codes to classes
    # (importers/koeln.py); the demo city's by default.
    "LANDUSE_CLASSES_CSV": Path(__file__).resolve().parents[1]
    / "fixtures"
    / "landuse"
    / "koeln_fnp_planzv_categories.csv",
}


def __getattr__(name):
    if name in _DEFAULTS:
        return getattr(settings, name, _DEFAULTS[name])
    raise AttributeError(name)
