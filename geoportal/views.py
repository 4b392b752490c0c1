import functools

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control, never_cache
from django.views.i18n import JavaScriptCatalog

from reports.selectors import report_status_labels

from .ogc.layers import all_layers


def map_page(request):
    # The overlays a visitor can switch on, fetched as GeoJSON for the visible area while on:
    # reports (grouped when zoomed out), council places, and every layer that asks to be on the
    # city map (map_style), e.g. datasets imported as Themenkarten. Rendered as JSON for map.js.
    overlays = [
        {
            "key": "reports",
            "label": gettext("Mängelmeldungen"),
            "color": "#b00020",
            "url": reverse("reports:geojson"),
            "clusterBelowZoom": 15,
            "popup": "report",
            # The GeoJSON has status codes; the popup names them in the page's language.
            "statuses": report_status_labels(),
        },
        {
            "key": "council",
            "label": gettext("Ratsbeschlüsse"),
            "color": "#6a1b9a",
            "url": reverse("services:geojson", args=["council_places"]),
            # The paper's page, with the feature's paper_id put in by the script.
            "link": reverse("councilmap:paper", args=[0]).replace("/0/", "/{paper_id}/"),
            "popup": "paper",
        },
    ] + [
        {
            "key": layer.name,
            "label": layer.title,
            "color": layer.map_style.get("color", "#555"),
            "url": reverse("services:geojson", args=[layer.name]),
            "popup": "label",
        }
        for layer in all_layers()
        if layer.map_style
    ]
    return render(request, "geoportal/map.html", {"layer_overlays": overlays})


# The one catalogue of the scripts' strings (locale/*/LC_MESSAGES/djangojs.po), served from our
# own origin as a file, so no inline script is needed. The language is in the path rather than
# taken from the cookie, so a shared cache can keep one copy per language.
_js_catalog = JavaScriptCatalog.as_view(domain="djangojs")


@cache_control(public=True, max_age=3600)
def js_catalog(request, lang: str):
    if lang not in dict(settings.LANGUAGES):
        raise Http404(lang)
    with translation.override(lang):
        return _js_catalog(request)


@never_cache
def language(request, code: str):
    """The header's language link: a plain GET link (a phone header has no room for a form),
    which only sets the language cookie and returns to the page it came from."""
    if code not in dict(settings.LANGUAGES):
        raise Http404(code)
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response


@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    # Browsers, feed readers and crawlers ask /favicon.ico whatever the page links: answer it.
    path = finders.find("geoportal/favicon.ico")
    if path is None:
        raise Http404("favicon.ico")
    return FileResponse(open(path, "rb"), content_type="image/x-icon")  # noqa: SIM115


# Redoc's sidebar footer loads its logo from cdn.redoc.ly whatever the options: the one request
# to a third party the API docs would make (the CSP blocks it and logs a violation). We serve the
# sidecar's pinned bundle with that one address replaced by an empty inline image.
_REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
_EMPTY_SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E"


@functools.cache
def _redoc_bundle() -> bytes:
    path = finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
    if path is None:
        raise Http404("redoc.standalone.js")
    with open(path, encoding="utf-8") as bundle:
        return bundle.read().replace(_REDOC_LOGO, _EMPTY_SVG).encode()


@cache_control(public=True, max_age=86400)
def api_docs_redoc(request):
    return HttpResponse(_redoc_bundle(), content_type="text/javascript; charset=utf-8")
