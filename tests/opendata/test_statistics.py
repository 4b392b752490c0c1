"""/statistik/: counts and medians against a known set of reports with explicit times."""

import csv
import io
import json
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from geoportal.models import Area
from opendata.statistics import TABLES
from reports.models import EventKind, Report, ReportEvent, Status
from reports.services import report_status_change

from .conftest import DOM, EHRENFELD

pytestmark = pytest.mark.django_db

INNENSTADT, EHRENFELD_CODE = "05315000-1", "05315000-4"


def _at(report, days_ago: float):
    """Publish (and file) the report `days_ago` days ago: explicit timestamps, no frozen clock."""
    when = timezone.now() - timedelta(days=days_ago)
    Report.objects.filter(pk=report.pk).update(created_at=when, published_at=when)
    report.refresh_from_db()
    return when


def _respond(report, status: str, at):
    report_status_change(report=report, status=status)
    event = ReportEvent.objects.filter(report=report, kind=EventKind.STATUS).latest("id")
    ReportEvent.objects.filter(pk=event.pk).update(created_at=at)


@pytest.fixture
def seeded(make_report, settings):
    settings.REPORTS_DEFAULT_TARGET_DAYS = 14
    a = make_report(*DOM, code="schlagloch")  # answered after 1 day, fixed after 5: in time
    t = _at(a, 30)
    _respond(a, Status.IN_PROGRESS, t + timedelta(days=1))
    _respond(a, Status.CLOSED, t + timedelta(days=5))
    b = make_report(*DOM, code="schlagloch")  # closed after 20 days: late
    t = _at(b, 30)
    _respond(b, Status.CLOSED, t + timedelta(days=20))
    c = make_report(*EHRENFELD, code="schlagloch")  # never answered, target passed
    _at(c, 30)
    d = make_report(*EHRENFELD, code="baum")  # answered after 12 h, still within target
    t = _at(d, 2)
    _respond(d, Status.IN_PROGRESS, t + timedelta(hours=12))
    make_report(*DOM, code="baum", publish=False)  # unpublished: counted nowhere
    return {"a": a, "b": b, "c": c, "d": d}


def _json(client, name):
    response = client.get(f"/statistik/{name}.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_reports_per_category_district_and_month(client, seeded):
    by_category = {r["code"]: r["reports"] for r in _json(client, "kategorien")}
    assert by_category == {"schlagloch": 3, "baum": 1}
    districts = {r["code"]: r for r in _json(client, "bezirke")}
    assert len(districts) == Area.objects.filter(kind="district").count()
    assert districts[INNENSTADT]["reports"] == 2
    assert districts[EHRENFELD_CODE]["reports"] == 2
    assert sum(r["reports"] for r in districts.values()) == 4
    innenstadt = Area.objects.get(code=INNENSTADT)
    km2 = innenstadt.geom.area / 1e6
    assert districts[INNENSTADT]["area_km2"] == pytest.approx(km2, abs=0.01)
    assert districts[INNENSTADT]["reports_per_km2"] == pytest.approx(2 / km2, abs=0.01)
    local = timezone.localtime
    expected_months = Counter(f"{local(r.created_at):%Y-%m}" for r in Report.objects.public())
    assert {r["month"]: r["reports"] for r in _json(client, "monate")} == expected_months


def test_response_times_and_share_within_target(client, seeded):
    rows = {r["category"]: r for r in _json(client, "kategorien-zeiten")}
    pothole = rows[seeded["a"].category.name]
    assert pothole["reports"] == 3 and pothole["fixed"] == 2
    assert pothole["median_days_to_first_response"] == pytest.approx(10.5, abs=0.01)  # 1, 20
    assert pothole["median_days_to_fix"] == pytest.approx(12.5, abs=0.01)  # 5, 20
    assert pothole["share_fixed_within_target"] == pytest.approx(1 / 3, abs=0.001)
    assert pothole["target_days"] == 14
    tree = rows[seeded["d"].category.name]
    assert tree["reports"] == 1 and tree["fixed"] == 0
    assert tree["median_days_to_first_response"] == pytest.approx(0.5, abs=0.01)
    assert tree["median_days_to_fix"] is None
    assert tree["share_fixed_within_target"] is None, "nothing decided yet: no share"
    offices = _json(client, "aemter")
    expected = Counter(r.office.name for r in Report.objects.public().select_related("office"))
    assert {r["office"]: r["reports"] for r in offices} == expected


def test_the_target_time_setting_is_used(client, seeded, settings):
    settings.REPORTS_DEFAULT_TARGET_DAYS = 25  # b (fixed after 20 days) is now in time
    rows = {r["category"]: r for r in _json(client, "kategorien-zeiten")}
    assert rows[seeded["a"].category.name]["share_fixed_within_target"] == pytest.approx(
        2 / 3, abs=0.001
    )


@pytest.mark.parametrize("name", list(TABLES))
def test_csv_matches_json(client, seeded, name):
    response = client.get(f"/statistik/{name}.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    as_json = _json(client, name)
    assert len(rows) == len(as_json)
    for row, item in zip(rows, as_json, strict=True):
        assert row.keys() == item.keys()
        for key, value in item.items():
            assert row[key] == ("" if value is None else str(value))


def test_choropleth_has_every_district_with_its_density(client, seeded):
    response = client.get("/statistik/bezirke.geojson")
    assert response.status_code == 200
    collection = json.loads(response.content)
    table = {r["code"]: r for r in _json(client, "bezirke")}
    features = collection["features"]
    assert len(features) == Area.objects.filter(kind="district").count() == len(table)
    for feature in features:
        props = feature["properties"]
        assert feature["geometry"]["type"] in ("MultiPolygon", "Polygon")
        assert props["reports"] == table[props["code"]]["reports"]
        assert props["reports_per_km2"] == pytest.approx(table[props["code"]]["reports_per_km2"])
    assert sum(f["properties"]["reports"] for f in features) == 4


def test_page_shows_the_numbers_in_tables_with_few_queries(
    client, seeded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        response = client.get("/statistik/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "4 öffentliche Meldungen" in html
    assert 'id="stat-map"' in html
    assert "33 %" in html  # share within target of the potholes
    assert html.count('<table class="od-table"') == 7


def test_council_decisions_per_district(client):
    from councilmap.selectors import DecisionFilter, decision_stats_by_district

    expected = decision_stats_by_district(filters=DecisionFilter())
    rows = _json(client, "rat")
    assert [(r["code"], r["papers"], r["decisions"]) for r in rows] == [
        (e["code"], e["papers"], e["decisions"]) for e in expected
    ]
    assert len(rows) == Area.objects.filter(kind="district").count()


def _filed_at(report, when):
    Report.objects.filter(pk=report.pk).update(created_at=when, published_at=when)


def _supports(report, when, n):
    for _ in range(n):
        ReportEvent.objects.create(report=report, kind=EventKind.SUPPORTED)
    ReportEvent.objects.filter(report=report, kind=EventKind.SUPPORTED).update(created_at=when)


def test_participation_per_month_counts_people_and_hides_small_numbers(client, make_report):
    from datetime import UTC, datetime

    from alerts.models import Subscription

    march, april, may = (datetime(2025, m, 15, 12, tzinfo=UTC) for m in (3, 4, 5))
    people = [f"person{i}@example.org" for i in range(6)]
    for email in [*people, "einmal@example.org"]:
        _filed_at(make_report(email=email), march)
    # Six come back in April (one with the address in capitals), one newcomer.
    for email in [people[0].upper(), *people[1:], "neu@example.org"]:
        _filed_at(make_report(*EHRENFELD, email=email), april)
    again = make_report(email=people[0])
    _filed_at(again, may)
    _supports(again, april, 5)
    unpublished = make_report(email=people[1], publish=False)
    Report.objects.filter(pk=unpublished.pk).update(created_at=may)
    district = Area.objects.filter(kind="district").first()
    for confirmed in (march, march, march, None):
        sub = Subscription.objects.create(
            email="abo@example.org", area_type="area", area=district, topics=["reports"]
        )
        Subscription.objects.filter(pk=sub.pk).update(confirmed_at=confirmed)
    extra = make_report(email="unterstuetzt@example.org")
    _filed_at(extra, may)
    _supports(extra, may, 2)

    rows = {r["month"]: r for r in _json(client, "beteiligung")}
    assert rows["2025-03"] == {"month": "2025-03", "reports": 7, "supporters": 0,
                               "subscriptions": "< 5", "returning_reporters": 0}
    assert rows["2025-04"] == {"month": "2025-04", "reports": 7, "supporters": 5,
                               "subscriptions": 0, "returning_reporters": 6}
    # Two supports, one returning reporter: small counts are not shown as such.
    assert rows["2025-05"] == {"month": "2025-05", "reports": 2, "supporters": "< 5",
                               "subscriptions": 0, "returning_reporters": "< 5"}
    # Aggregates only, and no cookie for reading them.
    page = client.get("/statistik/")
    html = page.content.decode()
    assert "Beteiligung in Zahlen" in html and "&lt; 5" in html
    assert not page.cookies and "Set-Cookie" not in page.headers
    for body in (html, client.get("/statistik/beteiligung.csv").content.decode()):
        assert "person0" not in body and "einmal@" not in body and "abo@" not in body


NO_DISTRICTS = "Es sind noch keine Stadtbezirke geladen"


@pytest.mark.parametrize("kinds", [["district", "quarter"], ["district"]])
def test_a_city_without_districts_gets_one_line_not_an_empty_map(client, seeded, kinds):
    """A new city that imported only its outline (or outline and quarters): the sections per
    Stadtbezirk showed an empty table, an empty map and a legend of 0.00 – 0.20 … ."""
    Report.objects.update(district=None, quarter=None)  # as filed where there were none
    Area.objects.filter(kind__in=kinds).delete()
    html = client.get("/statistik/").content.decode()
    assert html.count(NO_DISTRICTS) == 2  # reports per district, council per district
    assert "import_areas" in html and "docs/new-city.md" in html
    assert 'id="stat-map"' not in html and "legend-list" not in html
    assert "statistics.js" not in html
    assert "4 öffentliche Meldungen" in html  # the rest of the page is still there
    english = client.get("/statistik/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert english.count("No city districts have been loaded yet") == 2
    assert html.count('<table class="od-table"') == 5
    for name, columns in [
        ("bezirke", "code,district,reports,area_km2,reports_per_km2"),
        ("rat", "code,district,papers,decisions"),
    ]:
        response = client.get(f"/statistik/{name}.csv")
        assert response.status_code == 200
        assert response.content.decode().splitlines() == [columns]
        assert _json(client, name) == []
    collection = json.loads(client.get("/statistik/bezirke.geojson").content)
    assert collection == {"type": "FeatureCollection", "features": []}
