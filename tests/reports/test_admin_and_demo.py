"""Staff see delivery state and change status through the admin; the demo loads once."""

import io

import pytest
from django.contrib.auth.models import User

from reports import demo
from reports.models import Category, Office, OutboxMessage, Report, RoutingRule, Status
from reports.outbox import outbox_process_once

from .conftest import DOM

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = User.objects.create_superuser("kowalski.sb", "kowalski@example.org", "pw-long-enough-1")
    client.force_login(user)
    return client


def test_the_admin_shows_delivery_state_and_contact_data_to_staff(staff_client, make_report):
    report = make_report(*DOM, name="Erika Muster")
    page = staff_client.get("/admin/reports/report/").content.decode()
    assert report.number in page and "wartet" in page
    outbox_process_once()
    page = staff_client.get("/admin/reports/report/").content.decode()
    assert "3 zugestellt" in page
    detail = staff_client.get(f"/admin/reports/report/{report.pk}/change/").content.decode()
    assert "Erika Muster" in detail and "melder@example.org" in detail
    assert staff_client.get("/admin/reports/outboxmessage/").status_code == 200


def test_a_status_change_in_the_admin_writes_history_and_notifies(staff_client, make_report):
    report = make_report(*DOM)
    outbox_process_once()
    response = staff_client.post(
        "/admin/reports/report/",
        {"action": "mark_closed", "_selected_action": [report.pk]},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    assert report.events.filter(kind="status", status=Status.CLOSED).exists()
    assert OutboxMessage.objects.filter(report=report, purpose="reporter_status").exists()


def test_staff_reroute_reports_from_the_list(staff_client, make_report):
    report = make_report(*DOM, code="graffiti")
    awb = Office.objects.get(name="Abfallwirtschaftsbetriebe Köln (AWB)")
    response = staff_client.post(
        "/admin/reports/report/",
        {
            "action": "reroute",
            "_selected_action": [report.pk],
            "office": awb.pk,
            "note": "Ist Müll",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.office == awb
    event = report.events.get(kind="rerouted")
    assert (event.office, event.note, event.actor.username) == (awb, "Ist Müll", "kowalski.sb")
    page = staff_client.get(f"/meldungen/{report.number}/").content.decode()
    assert "Weitergeleitet (Abfallwirtschaftsbetriebe Köln (AWB)) – Ist Müll" in page
    history = page.split("<h2>Verlauf</h2>")[1].split("</ol>")[0]
    assert "kowalski" not in history, "staff names stay private"


def test_the_demo_loads_realistic_köln_and_a_second_run_changes_nothing():
    demo.load(io.StringIO())
    counts = [
        Office.objects.count(),
        Category.objects.count(),
        RoutingRule.objects.count(),
        Report.objects.count(),
    ]
    assert counts[3] == len(demo.REPORTS) >= 30
    assert Office.objects.filter(name="Bürgeramt Ehrenfeld").exists()
    assert Report.objects.public().count() == len(demo.REPORTS)
    assert not OutboxMessage.objects.exists(), "demo reports notify nobody"
    demo.load(io.StringIO())
    assert [
        Office.objects.count(),
        Category.objects.count(),
        RoutingRule.objects.count(),
        Report.objects.count(),
    ] == counts
    dom = Report.objects.get(description__startswith="Papierkörbe an der Domplatte")
    assert dom.district.name == "Innenstadt"
