"""Who sees what: crew A vs office B, lead, administrator, non-member and anonymous."""

import pytest

from crews.models import InternalNote

from .conftest import EHRENFELD

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(make_report):
    road = make_report(code="schlagloch")  # roads office (A)
    tree = make_report(*EHRENFELD, code="baum", description="Ast hängt über dem Weg.")  # parks (B)
    return road, tree


def _login(client, user):
    client.force_login(user)
    return client


def test_anonymous_users_are_sent_to_login_and_the_api_refuses(client, staff, reports, change):
    road, _ = reports
    for url in ["/einsatz/", f"/einsatz/meldung/{road.pk}/", f"/einsatz/amt/{road.office_id}/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            "http://testserver/einsatz/anmelden/?next="
        )
    assert client.get(f"/einsatz/api/meldungen/{road.pk}/").status_code == 403
    assert change(client, road, stage="acknowledged").status_code == 403
    road.refresh_from_db()
    assert road.events.filter(kind="status").count() == 0


@pytest.mark.parametrize(
    ("who", "sees_road", "sees_tree"),
    [
        ("crew_a", True, False),
        ("lead_a", True, False),
        ("crew_b", False, True),
        ("admin", True, True),
    ],
)
def test_each_role_sees_exactly_its_offices_reports(
    client, staff, reports, who, sees_road, sees_tree
):
    road, tree = reports
    _login(client, staff[who])
    queue = client.get("/einsatz/?order=age").content.decode()
    assert (road.number in queue) is sees_road
    assert (tree.number in queue) is sees_tree
    assert client.get(f"/einsatz/meldung/{road.pk}/").status_code == (200 if sees_road else 404)
    assert client.get(f"/einsatz/meldung/{tree.pk}/").status_code == (200 if sees_tree else 404)
    assert client.get(f"/einsatz/api/meldungen/{tree.pk}/").status_code == (
        200 if sees_tree else 404
    )


def test_crew_of_office_a_cannot_change_office_bs_report(client, staff, reports, change):
    _, tree = reports
    _login(client, staff["crew_a"])
    response = change(client, tree, stage="fixed", internal_note="heimlich")
    assert response.status_code == 404
    tree.refresh_from_db()
    assert tree.status == "open" and not InternalNote.objects.filter(report=tree).exists()


def test_a_user_without_office_gets_403(client, staff, reports):
    _login(client, staff["nobody"])
    assert client.get("/einsatz/").status_code == 403


def test_only_leads_of_the_office_see_its_dashboard(client, staff, reports):
    road, _ = reports
    url = f"/einsatz/amt/{staff['office_a'].pk}/"
    assert _login(client, staff["crew_a"]).get(url).status_code == 404
    assert _login(client, staff["crew_b"]).get(url).status_code == 404
    assert _login(client, staff["lead_a"]).get(url).status_code == 200
    assert _login(client, staff["admin"]).get(url).status_code == 200


def test_internal_notes_never_reach_public_pages_api_or_mail(client, staff, reports, change):
    from reports.models import OutboxMessage

    road, _ = reports
    _login(client, staff["crew_a"])
    secret = "Anwohner Müller ist schwierig"
    assert (
        change(
            client, road, stage="in_progress", public_note="Wir sind dran.", internal_note=secret
        ).status_code
        == 200
    )
    crew_page = client.get(f"/einsatz/meldung/{road.pk}/").content.decode()
    assert secret in crew_page
    client.logout()
    export = b"".join(client.get("/meldungen/export.csv").streaming_content).decode()
    public = [
        client.get(f"/meldungen/{road.number}/").content.decode(),
        client.get("/api/reports/").content.decode(),
        client.get(f"/api/reports/{road.number}/").content.decode(),
        client.get("/open311/v2/requests.json").content.decode(),
        export,
    ]
    assert road.number in public[2] and road.number in export
    assert not any(secret in p for p in public)
    assert not OutboxMessage.objects.filter(body__contains=secret).exists()
    assert "Wir sind dran." in public[0]
