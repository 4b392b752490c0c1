"""Pluggable SMS delivery. `conf.REPORTS_SMS_BACKEND` names a class with `send(to, text)`.

A gateway backend raises on failure; the outbox records the error and retries later.
"""

import base64
import hashlib
import hmac
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


class TwilioSmsBackend:
    """Twilio's Programmable Messaging REST API (2010-04-01), the protocol many gateways speak:
    POST form fields To/From/Body (+ StatusCallback) with HTTP Basic auth (account SID, auth
    token) to /2010-04-01/Accounts/{sid}/Messages.json. Returns the gateway's message SID, which
    the outbox keeps so the delivery report finds its row."""

    def send(self, to: str, text: str) -> str:
        sid, token = conf.REPORTS_SMS_TWILIO_ACCOUNT_SID, conf.REPORTS_SMS_TWILIO_AUTH_TOKEN
        if not (sid and token and conf.REPORTS_SMS_FROM):
            raise ImproperlyConfigured(
                "Set REPORTS_SMS_TWILIO_ACCOUNT_SID, REPORTS_SMS_TWILIO_AUTH_TOKEN and "
                "REPORTS_SMS_FROM for reports.sms.TwilioSmsBackend.")
        data = {"To": to, "From": conf.REPORTS_SMS_FROM, "Body": text}
        if conf.REPORTS_SMS_STATUS_CALLBACK:
            data["StatusCallback"] = conf.REPORTS_SMS_STATUS_CALLBACK
        base = conf.REPORTS_SMS_TWILIO_API.rstrip("/")
        response = httpx.post(f"{base}/2010-04-01/Accounts/{sid}/Messages.json", data=data,
                              auth=(sid, token), timeout=10)
        response.raise_for_status()
        return response.json()["sid"]


def twilio_signature(*, url: str, params: dict[str, str]) -> str:
    """X-Twilio-Signature: base64 HMAC-SHA1 (auth token) of the URL and the sorted params."""
    payload = url + "".join(key + params[key] for key in sorted(params))
    digest = hmac.new(conf.REPORTS_SMS_TWILIO_AUTH_TOKEN.encode(), payload.encode(), hashlib.sha1)
    return base64.b64encode(digest.digest()).decode()


def twilio_signature_valid(*, url: str, params: dict[str, str], signature: str) -> bool:
    if not conf.REPORTS_SMS_TWILIO_AUTH_TOKEN or not signature:
        return False
    return hmac.compare_digest(twilio_signature(url=url, params=params), signature)


class LocmemSmsBackend:
    def send(self, to: str, text: str) -> None:
        outbox.append((to, text))


def get_backend():
    return import_string(conf.REPORTS_SMS_BACKEND)()
