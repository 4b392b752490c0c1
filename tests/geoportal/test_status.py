from datetime import timedelta

import pytest
from django.utils import timezone

from geoportal import status
from geoportal.models import Incident, IncidentState, WorkerHeartbeat
from geoportal.services import worker_heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def checks(monkeypatch):
    """An isolated registry holding only the core checks, for adding test checks to it."""
    monkeypatch.setattr(status, "_CHECKS", {})
    status.register_core_checks()
    return status


def test_status_json_reports_each_check(client, checks):
    body = client.get("/status.json").json()
    assert body["status"] == "green"
    database = next(c for c in body["checks"] if c["key"] == "database")
    assert database["status"] == "green"
    assert database["message"] == "Die Datenbank läuft."
    assert database["details"]["areas"] == 96


def test_without_any_worker_the_check_says_not_set_up_and_the_page_stays_green(client, checks):
    WorkerHeartbeat.objects.all().delete()
    body = client.get("/status.json").json()
    workers = next(c for c in body["checks"] if c["key"] == "workers")
    assert workers["status"] == "unconfigured" and body["status"] == "green"
    page = client.get("/status/").content.decode()
    assert "Hintergrunddienste:</strong> Nicht eingerichtet." in page


def test_a_worker_without_a_recent_heartbeat_turns_the_page_amber_then_red(client, checks):
    worker_heartbeat(name="outbox")
    assert client.get("/status.json").json()["status"] == "green"

    WorkerHeartbeat.objects.filter(name="outbox").update(
        last_seen=timezone.now() - timedelta(minutes=5)
    )
    body = client.get("/status.json").json()
    workers = next(c for c in body["checks"] if c["key"] == "workers")
    assert (body["status"], workers["status"]) == ("amber", "amber")
    assert "outbox" in workers["message"]

    WorkerHeartbeat.objects.filter(name="outbox").update(
        last_seen=timezone.now() - timedelta(minutes=30)
    )
    assert client.get("/status.json").json()["status"] == "red"


def test_a_check_that_raises_shows_red_and_the_page_still_answers(client, checks):
    def broken():
        raise ConnectionRefusedError("mail server down")

    checks.register_check("mail", "E-Mail-Versand", broken)
    response = client.get("/status/")
    assert response.status_code == 200
    assert "Gestört" in response.content.decode()
    body = client.get("/status.json").json()
    mail = next(c for c in body["checks"] if c["key"] == "mail")
    assert mail["status"] == "red"
    assert "ConnectionRefusedError" in mail["message"]


def test_worst_state_wins(checks):
    checks.register_check("a", "A", lambda: status.CheckResult(status.AMBER, "langsam"))
    outcomes = checks.run_checks()
    assert checks.overall_state(outcomes) == status.AMBER


def test_open_and_recently_resolved_incidents_are_shown(client):
    now = timezone.now()
    Incident.objects.create(title="Karte lädt langsam", message="Wir arbeiten daran.",
                            started_at=now - timedelta(hours=1))
    Incident.objects.create(title="Mailausfall", message="Behoben.", state=IncidentState.RESOLVED,
                            started_at=now - timedelta(days=3), resolved_at=now - timedelta(days=2))
    Incident.objects.create(title="Alter Ausfall", message="Längst behoben.",
                            state=IncidentState.RESOLVED, started_at=now - timedelta(days=60),
                            resolved_at=now - timedelta(days=59))
    titles = [i["title"] for i in client.get("/status.json").json()["incidents"]]
    assert titles == ["Karte lädt langsam", "Mailausfall"]
    page = client.get("/status/").content.decode()
    assert "Karte lädt langsam" in page
    assert "Alter Ausfall" not in page


def test_map_services_answer_a_real_wfs_request_and_tile(client):
    body = client.get("/status.json").json()
    maps = next(c for c in body["checks"] if c["key"] == "maps")
    assert maps["status"] == "green"
    assert maps["details"]["wfs"] == 200
    assert maps["details"]["tile_bytes"] > 0


def test_an_empty_tile_over_the_city_turns_map_services_red(client, monkeypatch):
    from geoportal.ogc import status as ogc_status

    monkeypatch.setattr(ogc_status, "tile", lambda *args: b"")
    maps = next(c for c in client.get("/status.json").json()["checks"] if c["key"] == "maps")
    assert maps["status"] == "red"
    assert "Kartenkacheln" in maps["message"]
