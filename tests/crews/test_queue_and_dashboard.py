"""The work queue (nearest first by KNN, by age, filters) and the lead's dashboard."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from crews import demo
from crews.models import CategoryTarget, OfficeMembership, WorkState
from reports.models import Category, Report

from .conftest import EHRENFELD, NEUMARKT

pytestmark = pytest.mark.django_db

RING_WEST = (6.9330, 50.9380)  # Aachener Weiher: between Neumarkt and Ehrenfeld


def _numbers(html: str, reports) -> list[str]:
    found = [(html.index(r.number), r.number) for r in reports if r.number in html]
    return [number for _, number in sorted(found)]


def test_the_queue_sorts_nearest_first_from_the_tablets_position(
    client, staff, make_report, django_assert_max_num_queries
):
    dom = make_report(description="Dom")
    neumarkt = make_report(*NEUMARKT, description="Neumarkt")
    ehrenfeld = make_report(*EHRENFELD, description="Ehrenfeld")
    reports = [dom, neumarkt, ehrenfeld]
    client.force_login(staff["crew_a"])
    lon, lat = EHRENFELD
    with django_assert_max_num_queries(9):
        html = client.get(f"/einsatz/?order=distance&lat={lat}&lon={lon}").content.decode()
    assert _numbers(html, reports) == [ehrenfeld.number, neumarkt.number, dom.number]
    lon, lat = RING_WEST
    html = client.get(f"/einsatz/?order=distance&lat={lat}&lon={lon}").content.decode()
    assert _numbers(html, reports)[0] == neumarkt.number
    html = client.get("/einsatz/?order=age").content.decode()
    assert _numbers(html, reports) == [dom.number, neumarkt.number, ehrenfeld.number]


def test_a_position_outside_the_portal_is_a_clear_message(client, staff, make_report):
    make_report()
    client.force_login(staff["crew_a"])
    response = client.get("/einsatz/?order=distance&lat=abc&lon=7")
    assert response.status_code == 200 and "nicht im Gebiet" in response.content.decode()
    response = client.get("/einsatz/?order=distance&lat=10&lon=10")
    assert "nicht im Gebiet" in response.content.decode()


def test_the_queue_filters_by_stage_and_category(client, staff, make_report, change):
    hole = make_report(description="Loch")
    pavement = make_report(*NEUMARKT, code="gehweg", description="Gehweg")
    client.force_login(staff["crew_a"])
    change(client, hole, stage="fixed")
    html = client.get("/einsatz/?order=age").content.decode()
    assert pavement.number in html and hole.number not in html  # open stages by default
    html = client.get("/einsatz/?order=age&stage=fixed").content.decode()
    assert hole.number in html and pavement.number not in html
    html = client.get("/einsatz/?order=age&stage=new&stage=fixed&category=gehweg").content.decode()
    assert pavement.number in html and hole.number not in html
    html = client.get("/einsatz/?order=age&category=strasse").content.decode()
    assert pavement.number in html  # a parent category includes its leaves


def test_the_dashboard_counts_open_overdue_and_medians(client, staff, make_report, change):
    CategoryTarget.objects.create(category=Category.objects.get(code="strasse"), target_hours=48)
    old = make_report(description="alt")
    Report.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=5))
    fresh = make_report(*NEUMARKT, description="neu")
    done = make_report(*EHRENFELD, description="erledigt")
    Report.objects.filter(pk=done.pk).update(published_at=timezone.now() - timedelta(hours=10))
    client.force_login(staff["crew_a"])
    assert change(client, done, stage="fixed").status_code == 200
    client.force_login(staff["lead_a"])
    response = client.get(f"/einsatz/amt/{staff['office_a'].pk}/")
    stats = response.context["stats"]
    assert stats["open"] == 2 and stats["overdue"] == 1
    assert 9.9 < stats["median_fix_h"] < 10.1 and 9.9 < stats["median_response_h"] < 10.1
    assert fresh.number in response.content.decode()


def test_a_lead_assigns_and_sets_status_in_bulk(client, staff, make_report):
    one, two = make_report(), make_report(*NEUMARKT)
    client.force_login(staff["lead_a"])
    url = f"/einsatz/amt/{staff['office_a'].pk}/"
    response = client.post(
        url, {"reports": [one.pk, two.pk], "action": "assign", "assignee": staff["crew_a"].pk}
    )
    assert response.status_code == 302
    assert set(WorkState.objects.values_list("assignee__username", flat=True)) == {"crew_a"}
    assert client.get(url).context["stats"]["assignments"] == [("crew_a", 2)]
    client.force_login(staff["crew_a"])
    mine = client.get("/einsatz/?order=age&mine=1").content.decode()
    assert one.number in mine and two.number in mine
    client.force_login(staff["crew_a2"])
    assert one.number not in client.get("/einsatz/?order=age&mine=1").content.decode()
    assert one.number in client.get("/einsatz/?order=age").content.decode()
    client.force_login(staff["lead_a"])
    response = client.post(
        url, {"reports": [one.pk, two.pk], "action": "stage", "stage": "in_progress"}
    )
    assert response.status_code == 302
    assert set(Report.objects.filter(pk__in=[one.pk, two.pk]).values_list("status", flat=True)) == {
        "in_progress"
    }
    # The same rules: in_progress -> new is no transition, nothing changes.
    response = client.post(url, {"reports": [one.pk], "action": "stage", "stage": "new"})
    assert response.status_code == 400 and "geht es nicht" in response.content.decode()
    assert Report.objects.get(pk=one.pk).events.filter(kind="status").count() == 1


def test_a_lead_cannot_assign_to_someone_outside_the_office(client, staff, make_report):
    report = make_report()
    client.force_login(staff["lead_a"])
    response = client.post(
        f"/einsatz/amt/{staff['office_a'].pk}/",
        {"reports": [report.pk], "action": "assign", "assignee": staff["crew_b"].pk},
    )
    assert response.status_code == 400
    assert not WorkState.objects.filter(assignee=staff["crew_b"]).exists()


def test_a_crew_member_cannot_use_bulk_actions(client, staff, make_report):
    report = make_report()
    client.force_login(staff["crew_a"])
    response = client.post(
        f"/einsatz/amt/{staff['office_a'].pk}/",
        {"reports": [report.pk], "action": "stage", "stage": "fixed"},
    )
    assert response.status_code == 404
    assert Report.objects.get(pk=report.pk).status == "open"


def test_login_page_and_pwa_files(client, staff):
    page = client.get("/einsatz/anmelden/")
    assert page.status_code == 200 and 'autocomplete="current-password"' in page.content.decode()
    response = client.post(
        "/einsatz/anmelden/", {"username": "crew_a", "password": "pw-long-enough-1"}
    )
    assert response.status_code == 302 and response["Location"] == "http://testserver/einsatz/"
    client.logout()
    bad = client.post("/einsatz/anmelden/", {"username": "crew_a", "password": "falsch"})
    assert bad.status_code == 200 and 'role="alert"' in bad.content.decode()
    sw = client.get("/einsatz/sw.js")
    assert sw["Content-Type"] == "application/javascript" and sw["Service-Worker-Allowed"]
    assert "caches" in sw.content.decode()
    assert client.get("/einsatz/manifest.webmanifest").json()["scope"] == "/einsatz/"


def test_the_demo_creates_a_crew_and_a_lead_per_office_in_debug_only(settings, koeln):
    settings.DEBUG = False
    out = io.StringIO()
    demo.load(out)
    assert not User.objects.exists() and "development" in out.getvalue()
    settings.DEBUG = True
    demo.load(out)
    demo.load(io.StringIO())  # a second run changes nothing
    offices = len(koeln)
    assert OfficeMembership.objects.filter(role="crew").count() >= offices
    assert OfficeMembership.objects.filter(role="lead").count() >= offices
    assert demo.DEMO_PASSWORD in out.getvalue()
    assert User.objects.get(username="trupp-amt-fur-strassen-und-verkehrsentwicklung")


def test_the_dashboard_follows_a_close_in_the_admin(client, staff, make_report, change):
    from reports import services as report_services

    report = make_report()
    client.force_login(staff["crew_a"])
    change(client, report, stage="in_progress")
    report_services.report_status_change(report=report, status="closed", note="per Admin")
    client.force_login(staff["lead_a"])
    stats = client.get(f"/einsatz/amt/{staff['office_a'].pk}/").context["stats"]
    assert stats["open"] == 0


def test_the_queue_says_the_age_in_proper_german(client, staff, make_report):
    report = make_report(description="Alt")
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(days=3))
    client.force_login(staff["crew_a"])
    page = client.get("/einsatz/").content.decode()
    assert "3\xa0Tage her" in page and "seit 3" not in page
