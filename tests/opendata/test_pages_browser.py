"""The statistics page with data in it (tables full, bars drawn, the choropleth coloured) has
no serious axe violations; tests/test_accessibility.py checks it empty."""

import pytest

from reports.models import Status
from reports.services import report_status_change
from tests.test_accessibility import axe_violations

from .conftest import DOM, EHRENFELD

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_filled_statistics_page_is_accessible_and_coloured(page, live_server, make_report):
    for _ in range(3):
        report = make_report(*DOM)
    report_status_change(report=report, status=Status.CLOSED)
    make_report(*EHRENFELD, code="baum")
    page.goto(live_server.url + "/statistik/")
    page.wait_for_load_state("networkidle")
    # The densest district (Innenstadt) gets the darkest class.
    page.wait_for_selector("#stat-map path.leaflet-interactive[fill='#bd0026']")
    assert page.locator("#stat-map path.leaflet-interactive").count() == 9
    violations = axe_violations(page)
    assert not violations, [(v["id"], v["help"]) for v in violations]
