"""pytest: a real PostGIS, a test database of its own per checkout."""

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
DATABASES["default"]["CONN_MAX_AGE"] = 0
# No collectstatic before pytest: plain names, WhiteNoise finds the files in the apps.
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Each checkout (worktree, CI clone) names its own database; its test database follows it.
DATABASES["default"]["TEST"] = {
    "NAME": env("GEOPORTAL_TEST_DB", f"test_{DATABASES['default']['NAME']}")
}
# The suite files many reports from 127.0.0.1; tests of the limits set their own.
TRUST_RATE_LIMITS = {name: (100_000, seconds) for name, (_, seconds) in TRUST_RATE_LIMITS.items()}  # noqa: F405
GEOPORTAL_BASE_URL = "http://testserver"  # links in test emails open with the test client
# Dataset layers: only imports in this process change the list, so no lookup costs a query.
THEMES_LAYER_REFRESH_SECONDS = None
