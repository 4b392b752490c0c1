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
