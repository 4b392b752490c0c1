"""Pluggable SMS delivery. `conf.REPORTS_SMS_BACKEND` names a class with `send(to, text)`.

A gateway backend raises on failure; the outbox records the error and retries later.
"""

import logging
import sys

import httpx
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from . import conf

logger = logging.getLogger(__name__)

# The locmem backend's outbox, like django.core.mail.outbox, for tests.
outbox: list[tuple[str, str]] = []


class ConsoleSmsBackend:
    def send(self, to: str, text: str) -> None:
        sys.stdout.write(f"SMS to {to}: {text}\n")
        sys.stdout.flush()


class HttpSmsBackend:
    """A JSON webhook, the shape most SMS gateways (or a small adapter) accept:
    POST `REPORTS_SMS_URL` {"to", "text"} with `Authorization: Bearer REPORTS_SMS_TOKEN`."""

    def send(self, to: str, text: str) -> None:
        url = conf.REPORTS_SMS_URL
        if not url:
            raise ImproperlyConfigured("Set REPORTS_SMS_URL for reports.sms.HttpSmsBackend.")
        token = conf.REPORTS_SMS_TOKEN
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = httpx.post(url, json={"to": to, "text": text}, headers=headers, timeout=10)
        response.raise_for_status()


class LocmemSmsBackend:
    def send(self, to: str, text: str) -> None:
        outbox.append((to, text))


def get_backend():
    return import_string(conf.REPORTS_SMS_BACKEND)()
