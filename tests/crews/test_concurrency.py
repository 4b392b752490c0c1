"""Optimistic locking (409, never a silent overwrite) and idempotent replay of offline changes."""

import threading
import uuid

import pytest
from django.db import connection

from crews.models import ChangeRecord
from reports.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_a_change_based_on_a_stale_version_is_a_409_with_the_current_state(
    client, staff, make_report, change
):
    report = make_report()
    client.force_login(staff["crew_a"])
    assert change(client, report, version=1, stage="in_progress").status_code == 200
    # crew_a2 read version 1 before crew_a's change and now sends "fixed".
    client.force_login(staff["crew_a2"])
    response = change(client, report, version=1, stage="fixed", public_note="erledigt")
    assert response.status_code == 409
    body = response.json()
    assert body["conflict"] is True and "inzwischen geändert" in body["error"]
    assert body["current"]["stage"] == "in_progress" and body["current"]["version"] == 2
    report.refresh_from_db()
    assert report.status == "in_progress" and report.status_notes != "erledigt"
    assert report.events.filter(kind="status").count() == 1


def test_the_page_shows_the_conflict_as_a_form_error(client, staff, make_report, change):
    report = make_report()
    client.force_login(staff["crew_a"])
    change(client, report, version=1, stage="acknowledged")
    response = client.post(
        f"/einsatz/meldung/{report.pk}/",
        {"key": str(uuid.uuid4()), "version": 1, "action": "transition", "stage": "fixed"},
    )
    assert response.status_code == 409
    assert "inzwischen geändert" in response.content.decode()


def test_a_replayed_change_is_applied_once_and_returns_the_stored_answer(
    client, staff, make_report, change
):
    report = make_report()
    client.force_login(staff["crew_a"])
    key = uuid.uuid4()
    first = change(client, report, key=key, stage="in_progress", public_note="Trupp unterwegs")
    again = change(client, report, key=key, stage="in_progress", public_note="Trupp unterwegs")
    assert first.status_code == again.status_code == 200
    assert again.json() == {**first.json(), "replayed": True}
    assert report.events.filter(kind="status").count() == 1
    assert OutboxMessage.objects.filter(report=report, purpose="reporter_status").count() == 1
    assert ChangeRecord.objects.filter(key=key).count() == 1


def test_a_replayed_conflict_stays_a_conflict(client, staff, make_report, change):
    report = make_report()
    client.force_login(staff["crew_a"])
    change(client, report, version=1, stage="acknowledged")
    key = uuid.uuid4()
    assert change(client, report, key=key, version=1, stage="fixed").status_code == 409
    assert change(client, report, key=key, version=1, stage="fixed").status_code == 409
    assert report.events.filter(kind="status").count() == 1


def test_a_key_cannot_be_reused_for_another_report(client, staff, make_report, change):
    one, two = make_report(), make_report(description="Noch ein Loch.")
    client.force_login(staff["crew_a"])
    key = uuid.uuid4()
    assert change(client, one, key=key, stage="acknowledged").status_code == 200
    response = change(client, two, key=key, stage="acknowledged")
    assert response.status_code == 400 and "anderen Änderung" in response.json()["error"]
    assert two.events.filter(kind="status").count() == 0


# Flush only these apps after the test: the Köln core of the session stays.
@pytest.mark.django_db(
    transaction=True,
    available_apps=["django.contrib.contenttypes", "django.contrib.auth", "reports", "crews"],
)
def test_two_tablets_sending_the_same_change_at_once_apply_it_once(staff, make_report):
    """Two threads, two connections, one key: the report lock serializes them."""
    from django.test import Client

    report = make_report()
    key = str(uuid.uuid4())
    results = []

    def send():
        c = Client()
        c.force_login(staff["crew_a"])
        response = c.post(
            f"/einsatz/api/meldungen/{report.pk}/aenderung/",
            {"key": key, "version": 1, "action": "transition", "stage": "in_progress"},
            content_type="application/json",
        )
        results.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200, 200]
    assert report.events.filter(kind="status").count() == 1


def test_a_status_change_in_the_admin_counts_as_a_change_for_the_lock(
    client, staff, make_report, change
):
    from reports import services as report_services

    report = make_report()
    client.force_login(staff["crew_a"])
    assert change(client, report, version=1, stage="in_progress").status_code == 200
    # Meanwhile an administrator closes it in the Django admin (through reports.services).
    report_services.report_status_change(report=report, status="closed", note="per Admin")
    state = client.get(f"/einsatz/api/meldungen/{report.pk}/").json()
    assert state["version"] == 3 and state["stage"] == "fixed"
    response = change(client, report, version=2, stage="not_fixable")
    assert response.status_code == 409
    assert response.json()["current"] == {**response.json()["current"], "version": 3}
    report.refresh_from_db()
    assert report.status == "closed" and report.status_notes == "per Admin"
    # With the version it now sees, the crew may reopen it.
    assert change(client, report, version=3, stage="in_progress").status_code == 200
    assert client.get(f"/einsatz/api/meldungen/{report.pk}/").json()["version"] == 4
