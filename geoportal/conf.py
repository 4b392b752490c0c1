"""Settings of geoportal, with their defaults. Read as `conf.NAME`; nowhere else reads them."""

from django.conf import settings

_DEFAULTS = {
    # PostgreSQL cancels a WFS/OGC API/tile statement after this long (one hostile bbox must not
    # hold a connection for minutes).
    "GEOPORTAL_SERVICES_STATEMENT_TIMEOUT": "30s",
    # Seconds a tile's ETag may reuse its layer's change fingerprint: a map asks for dozens of
    # tiles at once, and one aggregate per layer answers all their If-None-Match checks.
    "GEOPORTAL_TILE_FINGERPRINT_SECONDS": 5,
    # Where the built "QGIS-Projekt herunterladen" .qgz files are cached (one per set of layers);
    # None: var/qgis in the project folder.
    "GEOPORTAL_QGIS_PROJECT_DIR": None,
    # Debian's python3 with python3-qgis, which writes that project.
    "GEOPORTAL_QGIS_PYTHON": "/usr/bin/python3",
    # Long-running processes `manage.py serve` starts beside the web server: (label, argv).
    "GEOPORTAL_WORKERS": [],
}


def __getattr__(name):
    if name in _DEFAULTS:
        return getattr(settings, name, _DEFAULTS[name])
    raise AttributeError(name)
