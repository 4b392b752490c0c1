"""The crew workflow: the transition table, history, notifications, forwarding, duplicates."""

import pytest

from crews import services
from crews.models import InternalNote, Stage, WorkState
from reports.models import OutboxMessage, Report

from .conftest import NEUMARKT

pytestmark = pytest.mark.django_db


def _status_mails(report):
    return list(
        OutboxMessage.objects.filter(report=report, purpose="reporter_status", channel="email")
    )


def test_new_acknowledged_in_progress_fixed_each_write_history_and_tell_the_reporter(
    client, staff, make_report, change
):
    report = make_report()
    client.force_login(staff["crew_a"])
    steps = [("acknowledged", "open"), ("in_progress", "in_progress"), ("fixed", "closed")]
    for version, (stage, status) in enumerate(steps, start=1):
        response = change(client, report, version=version, stage=stage, public_note=f"n{version}")
        assert response.status_code == 200, response.json()
        assert response.json()["stage"] == stage and response.json()["version"] == version + 1
        report.refresh_from_db()
        assert report.status == status and report.status_notes == f"n{version}"
    events = list(report.events.filter(kind="status").values_list("status", "note", "actor"))
    uid = staff["crew_a"].pk
    assert events == [("open", "n1", uid), ("in_progress", "n2", uid), ("closed", "n3", uid)]
    mails = _status_mails(report)
    assert len(mails) == 3 and all(m.recipient == "melder@example.org" for m in mails)
    assert "n3" in mails[-1].body and "Erledigt" in mails[-1].subject
    work = WorkState.objects.get(report=report)
    assert work.first_response_at is not None and work.fixed_at is not None


def test_the_transition_table_refuses_a_jump_and_writes_nothing(client, staff, make_report, change):
    report = make_report()
    client.force_login(staff["crew_a"])
    assert change(client, report, stage="fixed").status_code == 200
    response = change(client, report, version=2, stage="not_fixable")
    assert response.status_code == 400 and response.json()["field"] == "stage"
    assert "geht es nicht" in response.json()["error"]
    assert report.events.filter(kind="status").count() == 1
    # Reopening a fixed report is allowed.
    assert change(client, report, version=2, stage="in_progress").status_code == 200


def test_every_stage_maps_to_a_public_status_and_has_transitions():
    assert set(services.PUBLIC_STATUS) == set(Stage.values) == set(services.TRANSITIONS)
    for targets in services.TRANSITIONS.values():
        assert targets <= set(Stage.values)


@pytest.mark.parametrize(
    "body",
    [
        {"stage": "fixed", "version": "zwei"},
        {"stage": "kaputt"},
        {"stage": "fixed", "key": "not-a-uuid"},
        {"stage": "duplicate"},
        {"stage": "forwarded_external"},
        {"action": "forward", "office": 999999, "reason": "x"},
    ],
)
def test_bad_input_is_a_clear_json_error_never_a_500(client, staff, make_report, change, body):
    report = make_report()
    client.force_login(staff["crew_a"])
    key = body.pop("key", None)
    response = change(client, report, key=key, **body)
    assert response.status_code == 400
    assert response.json()["error"]
    report.refresh_from_db()
    assert report.status == "open"


def test_malformed_json_is_a_400(client, staff, make_report):
    report = make_report()
    client.force_login(staff["crew_a"])
    response = client.post(
        f"/einsatz/api/meldungen/{report.pk}/aenderung/", "{nope", content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["error"] == "Ungültiges JSON."


def test_forwarding_reroutes_keeps_history_and_notifies_the_new_office(
    client, staff, make_report, change
):
    report = make_report()
    client.force_login(staff["crew_a"])
    response = change(
        client,
        report,
        action="forward",
        office=staff["office_b"].pk,
        reason="Baumwurzel hebt den Belag – Grünflächenamt zuständig.",
    )
    assert response.status_code == 200
    assert response.json() == {"id": report.pk, "visible": False}  # gone from crew A's offices
    report.refresh_from_db()
    assert report.office == staff["office_b"]
    event = report.events.get(kind="rerouted")
    assert event.office == staff["office_b"] and "Grünflächenamt" in event.note
    assert event.actor == staff["crew_a"]
    assert OutboxMessage.objects.filter(
        report=report, purpose="office_rerouted", recipient=staff["office_b"].email
    ).exists()
    # Crew B now has it, as new; crew A no longer sees it.
    assert client.get(f"/einsatz/meldung/{report.pk}/").status_code == 404
    client.force_login(staff["crew_b"])
    assert client.get(f"/einsatz/api/meldungen/{report.pk}/").json()["stage"] == "new"


def test_a_duplicate_is_closed_and_both_reporters_stay_informed(client, staff, make_report, change):
    original = make_report(email="erste@example.org")
    duplicate = make_report(*NEUMARKT, email="zweite@example.org")
    client.force_login(staff["crew_a"])
    response = change(client, duplicate, stage="duplicate", duplicate_of=original.number)
    assert response.status_code == 200
    duplicate.refresh_from_db()
    assert duplicate.status == "closed" and original.number in duplicate.status_notes
    assert Report.objects.get(pk=duplicate.pk).duplicate_of == original
    assert OutboxMessage.objects.filter(
        report=original, recipient="erste@example.org", purpose="reporter_duplicate"
    ).exists()
    # Progress on the original reaches the duplicate's reporter too.
    fixed = change(client, original, stage="fixed", public_note="Neu asphaltiert.")
    assert fixed.status_code == 200
    follow = OutboxMessage.objects.get(
        report=duplicate, recipient="zweite@example.org", purpose="reporter_duplicate_status"
    )
    assert "Neu asphaltiert." in follow.body and original.number in follow.body


def test_a_duplicate_says_so_to_its_reporter_and_the_public(client, staff, make_report, change):
    # Not plain "Erledigt" (#19): the page, the list, Open311, the API and the email name the
    # report that carries on, with a link on the page.
    original = make_report(email="erste@example.org")
    duplicate = make_report(*NEUMARKT, email="zweite@example.org")
    client.force_login(staff["crew_a"])
    closed = change(client, duplicate, stage="duplicate", duplicate_of=original.number)
    assert closed.status_code == 200
    client.logout()
    said = f"Als Duplikat von Meldung {original.number} geschlossen"
    page = client.get(f"/meldungen/{duplicate.number}/").content.decode()
    link = f'<a href="/meldungen/{original.number}/">Meldung {original.number}</a>'
    assert f"Als Duplikat von {link} geschlossen" in page
    listing = client.get("/meldungen/").content.decode()
    assert said in listing
    # The original's page links the duplicates that joined it.
    back = f'<a href="/meldungen/{duplicate.number}/">Meldung {duplicate.number}</a>'
    assert back in client.get(f"/meldungen/{original.number}/").content.decode()
    api = client.get(f"/api/reports/{duplicate.number}/").json()
    assert (api["status"], api["status_label"], api["duplicate_of"]) == (
        "closed", said, original.number)
    assert client.get(f"/api/reports/{original.number}/").json()["duplicate_of"] == ""
    [request] = client.get(f"/open311/v2/requests/{duplicate.number}.json").json()
    assert request["status"] == "closed" and request["status_notes"].startswith(f"{said}.")
    mail = OutboxMessage.objects.get(
        report=duplicate, recipient="zweite@example.org", purpose="reporter_status"
    )
    assert said in mail.subject and said in mail.body and "Erledigt" not in mail.body
    # Reopened, it is no one's duplicate any more.
    client.force_login(staff["crew_a"])
    assert change(client, duplicate, version=2, stage="acknowledged").status_code == 200
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of is None and duplicate.status == "open"
    assert said not in client.get(f"/meldungen/{duplicate.number}/").content.decode()


def test_a_report_cannot_be_its_own_duplicate_nor_of_another_offices(
    client, staff, make_report, change
):
    report = make_report()
    tree = make_report(code="baum")
    client.force_login(staff["crew_a"])
    assert change(client, report, stage="duplicate", duplicate_of=report.number).status_code == 400
    response = change(client, report, stage="duplicate", duplicate_of=tree.number)
    assert response.status_code == 400 and response.json()["field"] == "duplicate_of"


def test_closing_towards_an_outside_body_names_it_publicly(client, staff, make_report, change):
    report = make_report()
    client.force_login(staff["crew_a"])
    response = change(client, report, stage="forwarded_external", external_body="die Deutsche Bahn")
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == "closed" and "Deutsche Bahn" in report.status_notes


def test_a_fix_photo_is_cleaned_of_exif(client, staff, make_report):
    import io
    import uuid

    from PIL import Image

    report = make_report()
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "GeheimKamera"
    Image.new("RGB", (64, 48), "red").save(buffer, "JPEG", exif=exif)
    buffer.seek(0)
    buffer.name = "fix.jpg"
    client.force_login(staff["crew_a"])
    response = client.post(
        f"/einsatz/api/meldungen/{report.pk}/aenderung/",
        {
            "key": str(uuid.uuid4()),
            "version": 1,
            "action": "transition",
            "stage": "fixed",
            "photo": buffer,
        },
    )
    assert response.status_code == 200, response.json()
    photo = report.photos.get()
    stored = photo.image.read()
    assert b"GeheimKamera" not in stored and Image.open(io.BytesIO(stored)).getexif() == {}


def test_a_bad_photo_is_a_form_error_on_the_page(client, staff, make_report):
    import io
    import uuid

    report = make_report()
    client.force_login(staff["crew_a"])
    broken = io.BytesIO(b"\xff\xd8\xff not really a jpeg")
    broken.name = "kaputt.jpg"
    response = client.post(
        f"/einsatz/meldung/{report.pk}/",
        {
            "key": str(uuid.uuid4()),
            "version": 1,
            "action": "transition",
            "stage": "fixed",
            "photo": broken,
        },
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    report.refresh_from_db()
    assert report.status == "open"


def test_the_page_form_changes_status_without_javascript(client, staff, make_report):
    import uuid

    report = make_report()
    client.force_login(staff["crew_a"])
    response = client.post(
        f"/einsatz/meldung/{report.pk}/",
        {
            "key": str(uuid.uuid4()),
            "version": 1,
            "action": "transition",
            "stage": "acknowledged",
            "internal_note": "Morgen früh",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Gespeichert." in page and "Zur Kenntnis genommen" in page and "Morgen früh" in page
    assert InternalNote.objects.filter(report=report).count() == 1
    assert Report.objects.get(pk=report.pk).events.filter(kind="status").count() == 1


def test_a_forward_without_javascript_lands_on_the_list_with_a_notice(client, staff, make_report):
    import uuid

    report = make_report()
    client.force_login(staff["crew_a"])
    response = client.post(
        f"/einsatz/meldung/{report.pk}/",
        {
            "key": str(uuid.uuid4()),
            "version": 1,
            "action": "forward",
            "office": staff["office_b"].pk,
            "reason": "Grünflächenamt zuständig.",
        },
    )
    assert response.status_code == 302 and "weitergeleitet=1" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200 and "ist weitergeleitet" in page.content.decode()
    # The page script's reload after a forward (…?gespeichert=1) is sent to the list, not a 404.
    reload = client.get(f"/einsatz/meldung/{report.pk}/?gespeichert=1")
    assert reload.status_code == 302 and "weitergeleitet=1" in reload["Location"]
