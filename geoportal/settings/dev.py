"""Local development: `make run`."""

from .base import *  # noqa: F403
from .base import env, env_bool, env_list

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "dev-only-not-secret")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
# Links in emails and SMS follow the port `make run PORT=…` serves on.
_PORT = env("PORT", "8000")
GEOPORTAL_BASE_URL = env("GEOPORTAL_BASE_URL", f"http://127.0.0.1:{_PORT}").rstrip("/")
