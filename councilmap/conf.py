"""Settings of councilmap, with their defaults. Read as `conf.NAME`; nowhere else reads them."""
from django.conf import settings

_DEFAULTS = {
    # Largest OParl file (bytes) downloaded to read its text; larger ones get a note instead.
    "COUNCILMAP_PDF_MAX_BYTES": 20 * 1024 * 1024,
    # Pages of a PDF read for places; the rest of a long file is skipped (with a note).
    "COUNCILMAP_PDF_MAX_PAGES": 60,
}


def __getattr__(name):
    if name in _DEFAULTS:
        return getattr(settings, name, _DEFAULTS[name])
    raise AttributeError(name)
