"""WCAG 2.1 AA: axe-core (npm package, pinned in package-lock.json) on every public page, in
Debian's Chromium. Zero serious or critical violations allowed."""

from pathlib import Path

import pytest
from django.conf import settings

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

# Every public page; each app adds its pages here as they land.
PUBLIC_PAGES = [
    "/",
    "/status/",
    "/rat/",
    "/fnp/",
    "/melden/",
    "/meldungen/",
    "/opendata/",
    "/opendata/districts/",
    "/statistik/",
]

pytestmark = pytest.mark.browser


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
    )


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_serious_accessibility_violations(page, live_server, path):
    assert AXE.exists(), "run `make test` (npm ci installs axe-core)"
    response = page.goto(live_server.url + path)
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    assert not violations, describe(violations)


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
