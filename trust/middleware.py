"""Security middleware: rate limits, Content-Security-Policy, database outages as 503.

Each answers in the format of the part of the site it guards: REST `{"status", "detail",
"errors"}`, Open311's error list, or a friendly HTML page.
"""

import json
import logging
import secrets

from django.core.exceptions import TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from . import conf, registry
from .ratelimit import client_ip, rate_limit_count

logger = logging.getLogger(__name__)

# Marked here, translated when the response is built (in the caller's language).
DB_DOWN = gettext_noop(
    "Der Dienst ist kurz nicht erreichbar. Bitte in einer Minute erneut versuchen."
)
DB_RETRY_AFTER = 30


def _json_error(request, status: int, detail: str) -> HttpResponse:
    return JsonResponse({"status": status, "detail": detail, "errors": {}}, status=status)


def _renderer(request):
    """The registered renderer for this path (registry.register_error_format), else JSON for
    the REST API and for anything a monitor or script reads as JSON, else None (HTML page)."""
    path = request.path_info
    if render := registry.error_renderer_for(path):
        return render
    if path.startswith("/api/") or path.endswith((".json", ".geojson")):
        return _json_error
    return None


def error_response(
    request, status: int, detail: str, retry_after: int, retry: bool = True
) -> HttpResponse:
    if render := _renderer(request):
        response = render(request, status, detail)
    elif status in (400, 413):
        response = HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")
    else:
        html = render_to_string(
            f"trust/{status}.html", {"detail": detail, "retry_after": retry_after}, request
        )
        response = HttpResponse(html, status=status)
    if retry:
        response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def _field(request, name: str) -> str:
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return ""
        value = body.get(name, "") if isinstance(body, dict) else ""
        return value if isinstance(value, str) else ""
    return form_value(request, name)


def form_value(request, name: str) -> str:
    """A form field, or "" if the body is not a readable form (the view reports that)."""
    try:
        return request.POST.get(name, "")
    except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent, UnicodeDecodeError):
        return ""


class RateLimitMiddleware:
    """Counts POSTs to the registered views (`registry.register_guard`) per IP and per the
    guard's identity fields, e.g. email (docs/trust.md)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        guard = self._guard(request)
        if guard is None:
            return self.get_response(request)
        identities = {"ip": client_ip(request)}
        for name in guard.fields:
            identities[name] = _field(request, name)
        try:
            decision = rate_limit_count(scope=guard.scope, identities=identities)
        except (OperationalError, InterfaceError) as exc:
            logger.error("database unavailable: %s", exc)
            return error_response(request, 503, _(DB_DOWN), DB_RETRY_AFTER)
        if not decision.allowed:
            logger.warning("rate limit %s hit from %s", guard.scope, identities["ip"])
            minutes = max(1, round(decision.retry_after / 60))
            detail = ngettext(
                "Zu viele Anfragen. Bitte in %(n)d Minute erneut versuchen.",
                "Zu viele Anfragen. Bitte in %(n)d Minuten erneut versuchen.",
                minutes,
            ) % {"n": minutes}
            return error_response(request, 429, detail, decision.retry_after)
        response = self.get_response(request)
        matched = response.status_code in guard.statuses
        if matched == guard.count_failures:
            try:
                decision.refund()
            except (OperationalError, InterfaceError) as exc:
                # Finding 5: the view already answered (often its own 503); a refund lost
                # with the database only means this request still counts.
                logger.error("rate limit refund lost, database unavailable: %s", exc)
        return response

    @staticmethod
    def _guard(request) -> registry.Guard | None:
        if request.method != "POST":
            return None
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            return None
        guard = registry.guard_for(name)
        if guard and guard.skip and guard.skip(request):
            return None
        return guard


class ContentSecurityPolicyMiddleware:
    """A strict CSP: scripts only from our own static files or with this response's nonce.

    Templates put `nonce="{{ request.csp_nonce }}"` on their few inline scripts (and pass it to
    `{% leaflet_map … csp_nonce=request.csp_nonce %}`); injected markup has no nonce and does
    not run. Map tiles are our own (/basemap/); a third-party base map adds its origin through
    TRUST_CSP_EXTRA (geoportal/settings/base.py). Styles allow 'unsafe-inline'
    (Leaflet and the admin set style attributes); scripts never do.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        nonce = secrets.token_urlsafe(18)
        request.csp_nonce = nonce
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy(request.path_info, nonce)
        return response

    def policy(self, path: str, nonce: str) -> str:
        directives = {
            "default-src": ["'self'"],
            "script-src": ["'self'", f"'nonce-{nonce}'"],
            "style-src": ["'self'", "'unsafe-inline'"],
            "img-src": ["'self'", "data:", "blob:"],
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
        }
        # Read per response (a dict lookup): a base map configured in a test applies at once.
        for prefix, additions in conf.TRUST_CSP_EXTRA.items():
            if path.startswith(prefix):
                for name, sources in additions.items():
                    directives.setdefault(name, []).extend(sources)
        return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class DatabaseUnavailableMiddleware:
    """A lost or refused database connection is a 503 with Retry-After, never a 500 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("database unavailable: %s", exception)
        return error_response(request, 503, _(DB_DOWN), DB_RETRY_AFTER)


NUL_REFUSED = gettext_noop(
    "Die Anfrage enthält ein Nullzeichen (0x00); das nimmt keine Datenbank an."
)


class RefuseNulMiddleware:
    """Query strings and form fields with NUL bytes are a 400 in the caller's format.

    PostgreSQL cannot store NUL in text; views that read raw parameters (Open311) would
    otherwise fail with a DataError. DRF and Django form fields refuse NUL themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or self._has_nul(request.GET):
            return error_response(request, 400, _(NUL_REFUSED), 0, retry=False)
        if request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                post = request.POST
            except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent):
                post = None  # the view answers that in its own way
            if post is not None and self._has_nul(post):
                return error_response(request, 400, _(NUL_REFUSED), 0, retry=False)
        return self.get_response(request)

    @staticmethod
    def _has_nul(params) -> bool:
        return any("\x00" in k or any("\x00" in v for v in params.getlist(k)) for k in params)


FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


class BodySizeMiddleware:
    """Bodies over `TRUST_MAX_BODY_BYTES` (by Content-Length) are a 413 in the caller's format
    before anything is read: three 15 MB photos fit, a 1 GB upload is not spooled to disk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = conf.TRUST_MAX_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            size = f"{limit // 1_048_576} MB" if limit >= 1_048_576 else f"{limit // 1024} kB"
            # This runs before LocaleMiddleware (nothing of the body is read), so the
            # caller's language is looked up here.
            language = translation.get_language_from_request(request, check_path=True)
            with translation.override(language):
                detail = _("Die Anfrage ist zu groß (höchstens %(size)s).") % {"size": size}
                return error_response(request, 413, detail, 0, retry=False)
        return self.get_response(request)
