"""Absolute links for messages sent without a request (emails, SMS, feeds built by workers)."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` on the public address `GEOPORTAL_BASE_URL` (required in production)."""
    return settings.GEOPORTAL_BASE_URL.rstrip("/") + "/" + path.lstrip("/")
