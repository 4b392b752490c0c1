"""The report page's place where the city has no streets or quarters loaded (docs/new-city.md)."""

import pytest

from reports.models import Report

pytestmark = pytest.mark.django_db


def test_a_report_without_address_or_quarter_names_its_municipality(client, make_report):
    """Heidelberg with only its outline: the page said "Ort –" for a report filed and routed
    in Heidelberg."""
    report = make_report()
    Report.objects.filter(pk=report.pk).update(address="", quarter=None, district=None)
    html = client.get(f"/meldungen/{report.number}/").content.decode()
    assert "<dd>Köln</dd>" in html


def test_a_report_with_a_quarter_but_no_address_shows_no_dash(client, make_report):
    report = make_report()
    Report.objects.filter(pk=report.pk).update(address="")
    report.refresh_from_db()
    html = client.get(f"/meldungen/{report.number}/").content.decode()
    assert f"<dd>{report.quarter.name} ({report.district.name})</dd>" in html
