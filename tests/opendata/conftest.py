"""Open data and statistics fixtures: the Mängelmelder's offices, categories and report
factory (tests/reports/conftest.py), and a media folder of each test's own for the file cache."""

import pytest

from tests.reports.conftest import DOM, EHRENFELD, category, koeln, lonlat, make_report  # noqa: F401


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
