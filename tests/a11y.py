"""axe-core (npm package, pinned in package-lock.json) run inside Debian's Chromium.

Shared by tests/test_accessibility.py and the apps' tests of pages that need data."""

import functools
from pathlib import Path

from django.conf import settings

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """Serious and critical WCAG 2.1 A/AA violations on the page as it is now."""
    assert AXE.exists(), "run `make test` (npm ci installs axe-core)"
    # Evaluated through the DevTools protocol, not a <script> tag: the page keeps its real
    # Content-Security-Policy (no inline scripts), and axe still runs.
    page.evaluate(_axe_source() + "\n;true")
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
    )


def _wait_for_still_page(page, timeout_ms: int = 3000) -> None:
    # A popup fading in has, for axe, the contrast of its half-transparent frames.
    running = "document.getAnimations().filter(a => a.playState === 'running').length"
    for _ in range(timeout_ms // 50):
        if page.evaluate(running) == 0:
            return
        page.wait_for_timeout(50)


def assert_accessible(page) -> None:
    page.wait_for_load_state("networkidle")
    _wait_for_still_page(page)
    violations = axe_violations(page)
    assert not violations, describe(violations)
