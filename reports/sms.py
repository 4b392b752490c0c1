"""Pluggable SMS delivery. `settings.REPORTS_SMS_BACKEND` names a class with `send(to, text)`.

A gateway backend raises on failure; the outbox records the error and retries later.
"""

import logging
import sys

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "reports.sms.ConsoleSmsBackend"
logger = logging.getLogger(__name__)

# The locmem backend's outbox, like django.core.mail.outbox, for tests.
outbox: list[tuple[str, str]] = []


class ConsoleSmsBackend:
    def send(self, to: str, text: str) -> None:
        sys.stdout.write(f"SMS to {to}: {text}\n")
        sys.stdout.flush()


class LocmemSmsBackend:
    def send(self, to: str, text: str) -> None:
        outbox.append((to, text))


def get_backend():
    return import_string(getattr(settings, "REPORTS_SMS_BACKEND", DEFAULT_BACKEND))()
