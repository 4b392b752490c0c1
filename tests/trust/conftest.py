"""Trust tests reuse the Mängelmelder fixtures (demo offices, categories, report factory)."""

import pytest

from tests.reports.conftest import DOM, EHRENFELD, category, koeln, lonlat, make_report  # noqa: F401


@pytest.fixture
def limits(settings):
    """Set small limits for one test: limits(report_ip=2, report_email=1, …)."""

    def set_limits(**counts):
        table = dict(settings.TRUST_RATE_LIMITS)
        for name, count in counts.items():
            key = name.replace("_", "-")
            table[key] = (count, table[key][1])
        settings.TRUST_RATE_LIMITS = table

    return set_limits
