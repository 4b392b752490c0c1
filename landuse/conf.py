"""Settings of landuse, with their defaults. Read as `conf.NAME`; nowhere else reads them."""

from pathlib import Path

from django.conf import settings

DEFAULT_CLASSES_CSV = (
    Path(__file__).resolve().parents[1] / "fixtures" / "landuse" / "koeln_fnp_planzv_categories.csv"
)

_DEFAULTS = {
    # The city's PlanZV category list that maps a GDAL plan's TYP/subtype codes to classes
    # (importers/koeln.py); the demo city's by default. Its PlanZV letters (W, WA, GE, …) are
    # everyone's; its other codes are Köln's, and codes it lacks are named by the importer
    # with this setting as the fix (docs/new-city.md). `import_landuse --classes-csv` wins.
    "LANDUSE_CLASSES_CSV": DEFAULT_CLASSES_CSV,
}


def __getattr__(name):
    if name in _DEFAULTS:
        return getattr(settings, name, _DEFAULTS[name])
    raise AttributeError(name)
