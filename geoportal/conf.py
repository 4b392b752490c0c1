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
    # Read replicas (DATABASE_REPLICA_URLS): one lagging more than this many seconds is skipped.
    "GEOPORTAL_REPLICA_MAX_LAG_SECONDS": 10.0,
    # A replica found down or lagging is asked again after this many seconds (per process).
    "GEOPORTAL_REPLICA_RETRY_SECONDS": 10.0,
    # A healthy replica's lag is measured at most this often (per process).
    "GEOPORTAL_REPLICA_CHECK_SECONDS": 2.0,
    # After a write, the writer's requests read from the primary for this many seconds (cookie),
    # so a citizen sees their own new report at once.
    "GEOPORTAL_READ_YOUR_WRITES_SECONDS": 30,
    "GEOPORTAL_PRIMARY_COOKIE": "geoportal_primary",
    # Path prefixes of public read-only pages and services whose GET requests may read from a
    # replica (the map page "/" too); everything else reads from the primary.
    "GEOPORTAL_REPLICA_PATHS": [
        "/tiles/",
        "/basemap/",
        "/wfs",
        "/ogcapi/",
        "/geojson/",
        "/opendata/",
        "/statistik/",
        "/meldungen/",
        "/rat/",
        "/fnp/",
        "/themen/",
        "/api/areas",
        "/api/geocode",
        "/api/landuse",
        "/api/reports/geojson/",
        "/open311/v2/requests",
        "/open311/v2/tokens",
        "/open311/v2/services",
    ],
    # Metres from the centre line to the side where an interpolated house number is placed:
    # where a house's address point stands in a typical street's cross-section (half the
    # carriageway and the pavement to the façade, 8-12 m, plus half a house's depth, 5-8 m).
    # 8 m put it at the façade; real Köln buildings stand 38 m back on the median (the
    # real-address bench's public buildings; its tuning half gains the more the farther, up to
    # 25-30 m, which fits big plots, not houses).
    "GEOPORTAL_HOUSE_OFFSET_M": 15.0,
    # Trigram similarity below which a typed street name is no match at all.
    "GEOPORTAL_SEARCH_MIN_SIMILARITY": 0.35,
    # Confidence from which a form may take the first search hit without asking.
    "GEOPORTAL_SEARCH_ACCEPT_CONFIDENCE": 0.8,
    # The portal's own base map (/basemap/{z}/{x}/{y}.mvt): registered layers drawn under every
    # map, each with the few public fields the style reads and the data zoom it starts at
    # (None: the layer's own). Bottom to top; a layer not registered here (no land-use app, no
    # land-use plan yet) is left out. Its fields must be among the layer's public fields.
    "GEOPORTAL_BASEMAP_LAYERS": [
        ("municipalities", ("name",), None),
        ("landuse", ("class_code",), 9),
        ("quarters", ("name",), None),
        ("districts", ("name",), None),
        ("streets", ("name",), 12),
    ],
    # Area names on the base map: (layer, field, first and last data zoom). One label point per
    # area (basemap.js writes it with a halo): districts while the whole city is in view,
    # quarters from data zoom 12 (the map's zoom 13, as the base map asks one zoom lower).
    # Names are proper names, the same in every page language.
    "GEOPORTAL_BASEMAP_LABELS": [
        ("districts", "name", 0, 11),
        ("quarters", "name", 12, 22),
    ],
    # Postcodes served besides those of the imported address points, as (first, last) ranges.
    "GEOPORTAL_POSTCODE_RANGES": [("50667", "51149")],
    # A street this near a postcode area counts as in it, for a postcode typed in a search.
    # The areas are of 1999 and a house's postcode goes by its delivery district: of 256 real
    # Köln addresses (polling stations), 6 lie on streets 13-216 m outside their postcode's
    # area, while streets of one name in other quarters lie 570 m and more away (one at 0).
    "GEOPORTAL_POSTCODE_TOLERANCE_M": 250.0,
}


def __getattr__(name):
    if name in _DEFAULTS:
        return getattr(settings, name, _DEFAULTS[name])
    raise AttributeError(name)
