"""Absolute Location headers on every redirect.

Django writes relative Locations (`/ogcapi/`), which RFC 9110 allows, but QGIS 3.22's OGC API
provider does not resolve them ("Protocol \"\" is unknown") and gives up on the service. Our
service roots answer at both spellings and need no redirect; any redirect that is left (APPEND_SLASH
elsewhere, a view's `redirect()`) becomes absolute here, so no client stumbles on one.
"""

from urllib.parse import urlsplit


class AbsoluteRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        location = response.get("Location") if 300 <= response.status_code < 400 else None
        if location and not urlsplit(location).scheme:
            response["Location"] = request.build_absolute_uri(location)
        return response
