"""No redirect a client can stumble on: QGIS 3.22 gives up on a relative Location, so every
service root answers at both spellings, and any redirect left anywhere is absolute."""

from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

SERVICE_ROOTS = ["/wfs", "/ogcapi", "/ogcapi/tiles"]


def _absolute(location: str) -> bool:
    parts = urlsplit(location)
    return bool(parts.scheme and parts.netloc)


@pytest.mark.django_db
@pytest.mark.parametrize("root", SERVICE_ROOTS)
@pytest.mark.parametrize("slash", ["", "/"])
def test_service_roots_answer_at_both_spellings(client, root, slash):
    query = {"SERVICE": "WFS", "REQUEST": "GetCapabilities"} if root == "/wfs" else {"f": "json"}
    response = client.get(root + slash, query)
    assert response.status_code == 200, (root + slash, response.get("Location"))


def _static_paths(resolver=None, prefix="") -> list[str]:
    """Every URL of the site without path parameters, as written in the URLconf."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if "<" in route or "(" in route or route.startswith("^"):
            continue
        if isinstance(entry, URLResolver):
            found += _static_paths(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            found.append("/" + prefix + route)
    return sorted(set(found))


@pytest.mark.django_db
def test_no_url_redirects_to_a_relative_location(client):
    paths = _static_paths()
    # Both spellings of each URL: the one without a slash is where APPEND_SLASH redirects.
    candidates = {p for path in paths for p in (path, path.rstrip("/"))} - {""}
    redirects = 0
    for path in sorted(candidates):
        response = client.get(path)
        if 300 <= response.status_code < 400:
            redirects += 1
            location = response["Location"]
            assert _absolute(location), f"{path} -> {response.status_code} {location}"
    # Positive control: the sweep did see Django's own redirects (APPEND_SLASH, admin login).
    assert redirects >= 3
