"""Settings of geoportal, with their defaults. Read as `conf.NAME`; nowhere else reads them."""

from django.conf import settings

_DEFAULTS = {
    # PostgreSQL cancels a WFS/OGC API/tile statement after this long (one hostile bbox must not
    # hold a connection for minutes).
    "GEOPORTAL_SERVICES_STATEMENT_TIMEOUT": "30s",
    # Long-running processes `manage.py serve` starts beside the web server: (label, argv).
    "GEOPORTAL_WORKERS": [],
}


def __getattr__(name):
    if name in _DEFAULTS:
        return getattr(settings, name, _DEFAULTS[name])
    raise AttributeError(name)
