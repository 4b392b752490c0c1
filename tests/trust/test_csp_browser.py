"""Chromium enforces the Content-Security-Policy: every map page still starts its map, and the
browser reports no violation."""

import pytest

from tests.reports.test_browser import _geoportal_files_without_the_app  # noqa: F401 (autouse)

from .test_backup import AVAILABLE_APPS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=AVAILABLE_APPS),
]


def test_map_pages_run_under_the_csp_without_violations(page, live_server, koeln):
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    for path, map_id in [
        ("/", "city-map"),
        ("/melden/", "report-map"),
        ("/meldungen/", "reports-map"),
    ]:
        response = page.goto(live_server.url + path)
        assert "'nonce-" in response.headers["content-security-policy"]
        page.wait_for_selector(f"#{map_id}.leaflet-container")
    assert violations == []


# With every app installed (the council map, the land-use plan, the crews' login need theirs);
# the session puts the city back after this test's flush.
@pytest.mark.django_db(transaction=True)
def test_every_other_page_runs_under_the_csp_without_violations(page, live_server):
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    for path, map_id in [("/rat/", "city-map"), ("/fnp/", "fnp-map")]:
        page.goto(live_server.url + path)
        page.wait_for_selector(f"#{map_id}.leaflet-container")
    for path in ("/status/", "/einsatz/anmelden/", "/api/docs/", "/ogcapi/?f=html"):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    assert violations == []


@pytest.mark.django_db(transaction=True)
def test_finding_6_api_docs_come_from_our_own_static_files(page, live_server):
    """Finding 6: Redoc came from a CDN (unpinned, without integrity) and the CSP allowed the
    whole CDN; offline the docs were blank. Now every request stays on the site's origin."""
    outside = []

    def only_our_origin(route):
        if route.request.url.startswith(live_server.url) or route.request.url.startswith("blob:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()  # as if offline

    page.route("**/*", only_our_origin)
    response = page.goto(live_server.url + "/api/docs/")
    policy = response.headers["content-security-policy"]
    assert "cdn" not in policy and "jsdelivr" not in policy
    script_sources = next(d for d in policy.split("; ") if d.startswith("script-src"))
    assert "https:" not in script_sources
    page.get_by_role("heading", name="Geoportal API").first.wait_for()
    # Redoc's footer logo is the one address the bundle would load from its CDN.
    page.get_by_text("API docs by Redocly").wait_for()
    logos = page.locator("img[alt='redocly logo']")
    sources = logos.evaluate_all("els => els.map(e => e.src)")
    assert all(not src.startswith("http") for src in sources)
    assert outside == []
