"""Personal data of closed reports is deleted after REPORTS_RETENTION_DAYS (settings or env)."""

import io
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from reports.models import Report, Reporter, Status
from reports.services import report_status_change

from .conftest import DOM, EHRENFELD

pytestmark = pytest.mark.django_db


def _closed_days_ago(make_report, days: int, email: str, where=DOM):
    report = make_report(*where, email=email)
    report_status_change(report=report, status=Status.CLOSED)
    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now() - timedelta(days=days))
    return report


def test_retention_comes_from_settings(make_report, settings):
    _closed_days_ago(make_report, 10, "zehn@example.org")
    _closed_days_ago(make_report, 40, "vierzig@example.org", EHRENFELD)
    settings.REPORTS_RETENTION_DAYS = 30
    call_command("purge_reports_personal_data", stdout=io.StringIO())
    assert set(Reporter.objects.values_list("email", flat=True)) == {"zehn@example.org"}
    settings.REPORTS_RETENTION_DAYS = 7
    out = io.StringIO()
    call_command("purge_reports_personal_data", stdout=out)
    assert "1 reporter" in out.getvalue() and not Reporter.objects.exists()
    assert Report.objects.count() == 2, "the public reports stay"


def test_days_option_overrides_and_must_be_positive(make_report, settings):
    _closed_days_ago(make_report, 10, "zehn@example.org")
    settings.REPORTS_RETENTION_DAYS = 365
    call_command("purge_reports_personal_data", "--days", "5", stdout=io.StringIO())
    assert not Reporter.objects.exists()
    with pytest.raises(CommandError, match="at least 1"):
        call_command("purge_reports_personal_data", "--days", "0")


def test_retention_is_read_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.REPORTS_RETENTION_DAYS)"
    )
    env = {**os.environ, "REPORTS_RETENTION_DAYS": "14"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "14", result.stderr
