"""Login protection for every login that goes through `django.contrib.auth.authenticate` (the
admin, the crews' tablets, any login added later): a growing delay, never a hard lock.

Failures are counted per account and address, per address and per account, each with free
failures and then a wait that doubles with every further failure (`conf.TRUST_LOGIN_*`). While
a wait runs, the password is not even checked. The per-account count is what an attacker could
use against someone else, so a browser that has logged in to that account before (it carries a
signed device cookie, OWASP's "device cookies") is exempt from it: an attacker elsewhere can
slow down strangers trying that account, never its owner.

`LoginThrottleBackend` (Django's ModelBackend, first in AUTHENTICATION_BACKENDS) refuses
during a wait; the signals
record every attempt (`LoginAttempt`, in the admin); `LoginThrottleMiddleware` turns a refusal
into a 429 with the wait in the caller's format and sets the device cookie after a login.
"""

import hashlib
import hmac
import math
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import conf
from .models import LoginAttempt
from .ratelimit import client_ip

DEVICE_COOKIE = "trust_device"
DEVICE_SALT = "trust.logins.device"
DEVICE_MAX_AGE = 365 * 24 * 3600
DEVICE_ACCOUNTS = 5  # accounts one browser remembers (a shared tablet of a crew)
WINDOW = timedelta(hours=1)
PAIR_WINDOW = timedelta(days=1)


def _norm(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def _account_tag(username: str) -> str:
    message = f"device:{_norm(username)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:24]


def _device_accounts(request) -> list[str]:
    try:
        value = signing.loads(
            request.COOKIES.get(DEVICE_COOKIE, ""), salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE
        )
    except signing.BadSignature:
        return []
    return [tag for tag in value if isinstance(tag, str)] if isinstance(value, list) else []


def _delay(failures: int, free: int) -> int:
    if failures < free:
        return 0
    doublings = min(failures - free, 30)
    return min(conf.TRUST_LOGIN_BASE_DELAY * 2**doublings, conf.TRUST_LOGIN_MAX_DELAY)


def _remaining(failures: dict, free: int, now) -> int:
    delay = _delay(failures["n"], free)
    if not delay or failures["last"] is None:
        return 0
    left = (failures["last"] + timedelta(seconds=delay) - now).total_seconds()
    return math.ceil(left) if left > 0 else 0


def login_wait(*, username: str, ip: str, known_device: bool, now=None) -> int:
    """Seconds this login must wait before its password is checked (0: check it now)."""
    now = now or timezone.now()
    username = _norm(username)
    failed = LoginAttempt.objects.filter(outcome=LoginAttempt.Outcome.FAILED)
    last_ok = LoginAttempt.objects.filter(
        username=username, ip=ip, outcome=LoginAttempt.Outcome.SUCCEEDED
    ).aggregate(at=Max("created_at"))["at"]
    since = max(filter(None, [last_ok, now - PAIR_WINDOW]))
    stats = [
        (
            failed.filter(username=username, ip=ip, created_at__gt=since),
            conf.TRUST_LOGIN_FREE_FAILURES_PAIR,
        ),
        (failed.filter(ip=ip, created_at__gt=now - WINDOW), conf.TRUST_LOGIN_FREE_FAILURES_IP),
    ]
    if not known_device:
        stats.append(
            (
                failed.filter(username=username, created_at__gt=now - WINDOW),
                conf.TRUST_LOGIN_FREE_FAILURES_ACCOUNT,
            )
        )
    wait = 0
    for queryset, free in stats:
        failures = queryset.aggregate(n=Count("id"), last=Max("created_at"))
        wait = max(wait, _remaining(failures, free, now))
    return wait


def wait_text(seconds: int) -> str:
    if seconds < 120:
        return ngettext("%(n)d Sekunde", "%(n)d Sekunden", seconds) % {"n": seconds}
    minutes = round(seconds / 60)
    return ngettext("%(n)d Minute", "%(n)d Minuten", minutes) % {"n": minutes}


def wait_message(seconds: int) -> str:
    """The refusal in the active language (the caller's page or Accept-Language)."""
    return _("Zu viele fehlgeschlagene Anmeldungen. Bitte in %(wait)s erneut versuchen.") % {
        "wait": wait_text(seconds)
    }


def _username(request, credentials: dict) -> str:
    return _norm(credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username"))


class LoginThrottleBackend(ModelBackend):
    """Django's ModelBackend, first in line: while a wait runs it refuses (PermissionDenied stops
    `authenticate`, so no later backend checks the password either)."""

    def authenticate(self, request, username=None, password=None, **credentials):
        if request is not None:  # without a request: manage.py, a shell
            name = _norm(username or credentials.get(get_user_model().USERNAME_FIELD))
            known = _account_tag(name) in _device_accounts(request)
            wait = login_wait(username=name, ip=client_ip(request), known_device=known)
            if wait:
                request.trust_login_wait = wait
                raise PermissionDenied(wait_message(wait))
        return super().authenticate(request, username=username, password=password, **credentials)


def _record(request, username: str, outcome: str, wait: int = 0) -> None:
    now = timezone.now()
    LoginAttempt.objects.create(
        created_at=now,
        username=username,
        ip=client_ip(request),
        path=request.path[:200],
        outcome=outcome,
        wait_seconds=wait,
    )
    if outcome == LoginAttempt.Outcome.SUCCEEDED:
        cutoff = now - timedelta(days=conf.TRUST_LOGIN_EVENTS_DAYS)
        LoginAttempt.objects.filter(created_at__lt=cutoff).delete()


def on_login_failed(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    wait = getattr(request, "trust_login_wait", 0)
    outcome = LoginAttempt.Outcome.DELAYED if wait else LoginAttempt.Outcome.FAILED
    _record(request, _username(request, credentials), outcome, wait)


def on_logged_in(sender, request, user, **kwargs):
    if request is None:
        return
    username = _norm(user.get_username())
    _record(request, username, LoginAttempt.Outcome.SUCCEEDED)
    request.trust_device_account = _account_tag(username)


class LoginThrottleMiddleware:
    """A refused login is a 429 with Retry-After in the caller's format; a successful one
    leaves the device cookie that exempts this browser from its account's failure count."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .middleware import error_response

        response = self.get_response(request)
        if wait := getattr(request, "trust_login_wait", 0):
            return error_response(request, 429, wait_message(wait), wait)
        if tag := getattr(request, "trust_device_account", None):
            accounts = [tag, *(t for t in _device_accounts(request) if t != tag)]
            response.set_cookie(
                DEVICE_COOKIE,
                signing.dumps(accounts[:DEVICE_ACCOUNTS], salt=DEVICE_SALT),
                max_age=DEVICE_MAX_AGE,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
