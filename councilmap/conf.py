"""Settings of councilmap, with their defaults. Read as `conf.NAME`; nowhere else reads them."""
from django.conf import settings

_DEFAULTS = {
    # The council information system this portal mirrors (OParl System or Body URL, or a folder
    # of OParl JSON): `manage.py import_oparl` without an argument reads it, and /status/ expects
    # its data. Empty: no council source is set up, which the status page shows as such, not as
    # a fault. A portal that imports by hand (the demo) and never sets it still counts as set up
    # once a sync has run.
    "COUNCILMAP_OPARL_SOURCE": "",
    # Largest OParl file (bytes) downloaded to read its text; larger ones get a note instead.
    "COUNCILMAP_PDF_MAX_BYTES": 20 * 1024 * 1024,
    # Pages of a PDF read for places; the rest of a long file is skipped (with a note).
    "COUNCILMAP_PDF_MAX_PAGES": 60,
}


def __getattr__(name):
    if name in _DEFAULTS:
        return getattr(settings, name, _DEFAULTS[name])
    raise AttributeError(name)
