"""Settings shared by every environment. Values that differ come from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from geoportal import basemaps, branding
from geoportal.crs import GERMANY_WGS84

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


def env_bool(name: str, default: bool) -> bool:
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.humanize",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "trust",  # before drf_spectacular: its template override adds the CSP nonce to the API docs
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Redoc served from our static files: no CDN (docs/trust.md)
    "leaflet",
    "gisserver",
    "geoportal",
    "reports",
    "councilmap",
    "landuse",
    "crews",
    "opendata",
    "themes",
    "alerts",
]

MIDDLEWARE = [
    # Outermost, so it sees every redirect (QGIS cannot follow a relative Location).
    "geoportal.ogc.middleware.AbsoluteRedirectMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from gunicorn, before any other work (docs/operations.md).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public reads to a read replica, if DATABASE_REPLICA_URLS names one.
    "geoportal.replicas.ReplicaMiddleware",
    "trust.middleware.ContentSecurityPolicyMiddleware",
    "trust.middleware.BodySizeMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "trust.logins.LoginThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "trust.middleware.DatabaseUnavailableMiddleware",
    "trust.middleware.RefuseNulMiddleware",
    "trust.middleware.RateLimitMiddleware",
]

ROOT_URLCONF = "geoportal.urls"
WSGI_APPLICATION = "geoportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "geoportal.context_processors.portal",
            ],
        },
    },
]

# Without DATABASE_URL: the project's own cluster (scripts/db.sh), database named by
# GEOPORTAL_DB_NAME, so manage.py and pytest run by hand hit the same database as make.
_LOCAL_DB = "postgres://geoportal:geoportal@127.0.0.1:{port}/{name}".format(
    port=env("GEOPORTAL_PG_PORT", "5439"), name=env("GEOPORTAL_DB_NAME", "geoportal")
)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", _LOCAL_DB),
        engine="django.contrib.gis.db.backends.postgis",
        # Each gunicorn worker keeps its connection (a new one costs more than a tile); a
        # connection the server closed is noticed before the request uses it.
        conn_max_age=int(env("GEOPORTAL_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
# Streaming replicas of the primary for public reads (geoportal/replicas.py), comma-separated.
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), start=1):
    DATABASES[f"replica{_number}"] = {
        **dj_database_url.parse(
            _url,
            engine="django.contrib.gis.db.backends.postgis",
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["geoportal.replicas.ReplicaRouter"]
for _name in (
    "GEOPORTAL_REPLICA_MAX_LAG_SECONDS",
    "GEOPORTAL_REPLICA_RETRY_SECONDS",
    "GEOPORTAL_REPLICA_CHECK_SECONDS",
):
    if _name in os.environ:
        globals()[_name] = float(os.environ[_name])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every login waits out its growing delay before a password is checked (trust/logins.py);
# the throttle is Django's ModelBackend with that check. Further backends go after it.
AUTHENTICATION_BACKENDS = ["trust.logins.LoginThrottleBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    # Uploaded photos go through Django's storage API only, so a deployment with several app
    # nodes can swap this for django-storages' S3 backend (docs/operations.md).
    "default": {
        "BACKEND": env("GEOPORTAL_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")
    },
    # collectstatic (make setup) writes content-hashed names plus .gz/.br copies; WhiteNoise serves
    # the hashed names with a one-year immutable Cache-Control.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- The portal -------------------------------------------------------------------------------
# Every geometry is stored in ETRS89 / UTM zone 32N: metres, and the CRS German cities publish in.
GEOPORTAL_SRID = 25832
# The municipality's brand (geoportal/branding.py): name, logo, colours, favicon, imprint and
# privacy links, contact. A JSON file, no code; the demo's is fixtures/brand/koeln-demo.json.
GEOPORTAL_BRAND_FILE = env("GEOPORTAL_BRAND_FILE", str(BASE_DIR / "fixtures/brand/koeln-demo.json"))
try:
    GEOPORTAL_BRAND = branding.load(GEOPORTAL_BRAND_FILE)
except branding.BrandError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
GEOPORTAL_NAME = env("GEOPORTAL_NAME", GEOPORTAL_BRAND["name"])
# Input points must fall inside this WGS84 box (Germany with a margin):
# lon_min, lat_min, lon_max, lat_max.
GEOPORTAL_BOUNDS = GERMANY_WGS84  # geoportal/crs.py: the importers' "inside Germany" too
# Where maps open: the brand file's "map" (the demo's is Köln; without one, Germany).
GEOPORTAL_MAP_CENTER = tuple(GEOPORTAL_BRAND["map"]["center"])
GEOPORTAL_MAP_ZOOM = GEOPORTAL_BRAND["map"]["zoom"]
# The map background (geoportal/basemaps.py): "own" draws the city's layers from our own vector
# tiles, nothing leaves the site; "osm", "basemapde" or "custom" (GEOPORTAL_TILE_URL) are raster
# tiles from a third party, loaded only after the visitor agrees, and their origin joins the CSP.
GEOPORTAL_BASEMAP = env("GEOPORTAL_BASEMAP", basemaps.OWN)
try:
    GEOPORTAL_BASEMAP_RASTER = basemaps.raster(
        GEOPORTAL_BASEMAP,
        url=env("GEOPORTAL_TILE_URL", ""),
        attribution=env("GEOPORTAL_TILE_ATTRIBUTION", ""),
    )
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
GEOPORTAL_FIXTURES = BASE_DIR / "fixtures"
# Public address for links in emails and SMS (`geoportal.links.absolute_url`); development
# follows PORT, production requires it (settings/dev.py, settings/production.py).
GEOPORTAL_BASE_URL = env("GEOPORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": GEOPORTAL_MAP_CENTER,
    "DEFAULT_ZOOM": GEOPORTAL_MAP_ZOOM,
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 19,
    # No tile layer from django-leaflet: geoportal/static/geoportal/basemap.js (auto-included with
    # {% leaflet_js %}) adds the configured base map to every map, the crews' map too.
    "TILES": [],
    "PLUGINS": {
        "basemap": {
            "js": [
                "geoportal/vendor/protomaps-leaflet/protomaps-leaflet.js",
                "geoportal/basemap.js",
            ],
            "auto-include": True,
        }
    },
    "RESET_VIEW": False,
    "SCALE": "metric",
    # Leaflet finds its default marker images by the name "marker-icon.png" in leaflet.css;
    # the hashed names `make run` serves hide it and every pin 404s (relative to the page).
    # WhiteNoise also serves the unhashed originals, so point Leaflet at their folder.
    "FORCE_IMAGE_PATH": f"{STATIC_URL}leaflet/images/",
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "geoportal.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Geoportal API",
    "DESCRIPTION": "Areas, gazetteer and geocoder, reports, council decisions and land use.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# GDAL 3.6 (Debian 12) cannot block file access from spatial references; we never pass
# user-supplied SRS definitions to GDAL (CRS names are whitelisted), see docs/design.md.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# App settings are declared with their default and meaning in the app's `conf.py`
# (reports/conf.py ...); here only what the environment sets.
for _name in ("REPORTS_DEFAULT_TARGET_DAYS", "REPORTS_RETENTION_DAYS"):
    if _name in os.environ:
        globals()[_name] = int(os.environ[_name])
if "COUNCILMAP_OPARL_SOURCE" in os.environ:
    COUNCILMAP_OPARL_SOURCE = os.environ["COUNCILMAP_OPARL_SOURCE"].strip()

# Long-running processes `manage.py serve` (make run) starts beside the web server.
GEOPORTAL_WORKERS = [
    ("reports outbox", ["run_outbox"]),
    ("alert digests", ["run_alert_digests"]),
]

# --- Trust: abuse limits, privacy, hardening (docs/trust.md) -------------------------------------
# (count, seconds) per "<scope>-<identity>": at most count requests per window, else 429.
TRUST_RATE_LIMITS = {
    "report-ip": (int(env("TRUST_REPORTS_PER_IP_HOUR", "20")), 3600),
    "report-email": (int(env("TRUST_REPORTS_PER_EMAIL_HOUR", "5")), 3600),
    "photo-ip": (int(env("TRUST_PHOTO_CHECKS_PER_IP_HOUR", "120")), 3600),
    # "Ich auch" per report and address: once a day (the identity is address + report number).
    "support-ip": (1, 86400),
}
# Larger request bodies are refused with 413 before they are read (3 photos of 15 MB fit).
TRUST_MAX_BODY_BYTES = int(env("TRUST_MAX_BODY_BYTES", str(48 * 1024 * 1024)))
# Reverse proxies in front of the app that append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUST_PROXY_COUNT = int(env("TRUST_PROXY_COUNT", "0"))
# Extra CSP sources per path prefix: Redoc (from drf-spectacular-sidecar) starts a blob worker.
TRUST_CSP_EXTRA = {
    "/api/docs/": {"worker-src": ["blob:"]},
}
if GEOPORTAL_BASEMAP_RASTER:  # a third-party base map: its tiles are images from its origin
    TRUST_CSP_EXTRA["/"] = {"img-src": [basemaps.origin(GEOPORTAL_BASEMAP_RASTER["url"])]}
