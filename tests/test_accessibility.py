"""WCAG 2.1 AA: axe-core (npm package, pinned in package-lock.json) on every public page, in
Debian's Chromium. Zero serious or critical violations allowed."""

import pytest

from tests.a11y import assert_accessible, axe_violations

# Every public page that renders without data; pages that need data (a report, a council
# paper) are checked in their apps' tests with tests.a11y.assert_accessible.
PUBLIC_PAGES = [
    "/",
    "/status/",
    "/rat/",
    "/fnp/",
    "/melden/",
    "/meldungen/",
    "/einsatz/anmelden/",
    "/opendata/",
    "/opendata/districts/",
    "/statistik/",
    "/zonen/",
    "/in-der-naehe/",
    "/benachrichtigen/",
]

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_serious_accessibility_violations(page, live_server, path):
    response = page.goto(live_server.url + path)
    assert response.status == 200
    assert_accessible(page)


def test_the_check_finds_a_real_violation(browser):
    page = browser.new_page()
    page.set_content(
        "<html lang='de'><body><main><h1>Test</h1>"
        "<input type='text'><p style='color:#bbb;background:#fff'>kaum lesbar</p>"
        "</main></body></html>"
    )
    ids = {v["id"] for v in axe_violations(page)}
    page.close()
    assert {"label", "color-contrast"} <= ids
