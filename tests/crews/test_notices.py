"""Crew notification: a report assigned or forwarded to someone reaches them by email (through
the outbox) and as a badge in /einsatz/ that opening the report clears."""

import pytest

from reports.models import OutboxMessage

from .conftest import NEUMARKT

pytestmark = pytest.mark.django_db


def test_assignment_emails_the_crew_member_and_shows_a_badge_until_opened(client, staff,
                                                                          make_report):
    one, two = make_report(), make_report(*NEUMARKT)
    client.force_login(staff["lead_a"])
    response = client.post(f"/einsatz/amt/{staff['office_a'].pk}/", {
        "reports": [one.pk, two.pk], "action": "assign", "assignee": staff["crew_a"].pk})
    assert response.status_code == 302
    mails = OutboxMessage.objects.filter(purpose="crew_assigned", recipient="crew_a@example.org")
    assert {m.report_id for m in mails} == {one.pk, two.pk}
    assert one.number in mails.get(report=one).subject
    assert f"/einsatz/meldung/{one.pk}/" in mails.get(report=one).body
    # Assigning again to the same person is no news.
    client.post(f"/einsatz/amt/{staff['office_a'].pk}/", {
        "reports": [one.pk], "action": "assign", "assignee": staff["crew_a"].pk})
    assert mails.count() == 2
    client.force_login(staff["crew_a"])
    page = client.get("/einsatz/")
    assert page.context["new_for_me"] == 2 and 'id="new-for-me"' in page.content.decode()
    client.get(f"/einsatz/meldung/{one.pk}/")
    assert client.get("/einsatz/").context["new_for_me"] == 1
    client.force_login(staff["crew_a2"])
    assert client.get("/einsatz/").context["new_for_me"] == 0


def test_forwarding_tells_every_member_of_the_new_office(client, staff, make_report, change):
    report = make_report()
    client.force_login(staff["crew_a"])
    response = change(client, report, action="forward", office=staff["office_b"].pk,
                      reason="Baumwurzel – Grünflächenamt zuständig.")
    assert response.status_code == 200
    assert OutboxMessage.objects.filter(
        report=report, purpose="crew_forwarded", recipient="crew_b@example.org").exists()
    assert not OutboxMessage.objects.filter(purpose="crew_forwarded",
                                            recipient="crew_a@example.org").exists()
    client.force_login(staff["crew_b"])
    assert client.get("/einsatz/").context["new_for_me"] == 1


def test_notification_is_in_the_recipients_language_set_when_they_sign_in(client, staff,
                                                                          make_report):
    from django.template.loader import render_to_string
    from django.utils import translation

    from crews.models import StaffLanguage

    report = make_report()
    # crew_a signs in to the English crew pages; crew_a2 never signed in (German).
    client.post("/einsatz/anmelden/", {"username": "crew_a", "password": "pw-long-enough-1"},
                HTTP_ACCEPT_LANGUAGE="en")
    assert StaffLanguage.objects.get(user=staff["crew_a"]).language == "en"
    client.force_login(staff["lead_a"])
    for who in ("crew_a", "crew_a2"):
        client.post(f"/einsatz/amt/{staff['office_a'].pk}/", {
            "reports": [report.pk], "action": "assign", "assignee": staff[who].pk})
    context = {"report": report, "kind": "assigned"}
    for who, language in (("crew_a", "en"), ("crew_a2", "de")):
        mail = OutboxMessage.objects.get(purpose="crew_assigned", recipient=f"{who}@example.org")
        with translation.override(language):
            expected = render_to_string("crews/email/notice_subject.txt", context)
        assert mail.subject == " ".join(expected.split())
    german = OutboxMessage.objects.get(recipient="crew_a2@example.org").subject
    assert german.startswith("Ihnen zugewiesen: Meldung")
