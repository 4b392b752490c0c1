"""Every kind of endpoint against every role: what each may read, what each may change.

Roles: anonymous, a reporter (no account: the public pages and their report's follow link),
a planner (an account without an office: the public GIS services are all they need), crew of
office A (roads), crew of office B (parks), the lead of A, an office administrator and a
superuser. Public outputs are the same for everyone; staff pages depend on office and role;
the Django admin is for superusers only.
"""

import pytest
from django.contrib.auth.models import User

from crews.models import InternalNote

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reporter", "planner", "crew_a", "crew_b", "lead_a", "admin", "superuser"]
PUBLIC = [
    "/",
    "/meldungen/",
    "/meldungen/{road_number}/",
    "/meldungen/karte.geojson",
    "/api/reports/",
    "/open311/v2/requests.json",
    "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetCapabilities",
    "/ogcapi/collections?f=json",
    "/geojson/reports.geojson",
    "/opendata/",
    "/statistik/",
    "/status.json",
    "/rat/",
    "/fnp/",
]
LOGIN = 302  # sent to the login page
#                                  anon  reporter planner crew_a crew_b lead_a admin super
STAFF = {
    "/einsatz/":                    (LOGIN, LOGIN, 403, 200, 200, 200, 200, 200),
    "/einsatz/meldung/{road}/":     (LOGIN, LOGIN, 403, 200, 404, 200, 200, 200),
    "/einsatz/meldung/{tree}/":     (LOGIN, LOGIN, 403, 404, 200, 404, 200, 200),
    "/einsatz/api/meldungen/{road}/": (403, 403, 404, 200, 404, 200, 200, 200),
    "/einsatz/amt/{office_a}/":     (LOGIN, LOGIN, 403, 404, 404, 200, 200, 200),
    "/admin/":                      (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, 200),
    "/admin/reports/report/":       (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, 200),
}


@pytest.fixture
def world(staff, make_report):
    road = make_report(code="schlagloch", email="melderin@example.org")
    tree = make_report(6.9175, 50.9515, code="baum")
    InternalNote.objects.create(report=road, text="INTERN-Schlüssel liegt beim Hausmeister")
    superuser = User.objects.create_superuser("root", "root@example.org", "pw-long-enough-1")
    return {"road": road, "tree": tree, "users": {**staff, "superuser": superuser}}


def _client_for(client, world, role):
    if role == "reporter":
        # The reporter has no account, only their report's follow link (from the receipt
        # email); they open it first, so every row below runs with what that visit left.
        follow = client.get(f"/melden/danke/{world['road'].token}/")
        assert follow.status_code == 200
        assert world["road"].number in follow.content.decode()
    elif role != "anonymous":
        client.force_login(world["users"]["nobody" if role == "planner" else role])
    return client


def test_the_reporters_follow_link_shows_their_report_and_nothing_internal(client, world):
    client = _client_for(client, world, "reporter")
    body = client.get(f"/melden/danke/{world['road'].token}/").content
    assert b"INTERN-" not in body and b"melderin@example.org" not in body
    assert client.get("/melden/danke/not-a-token/").status_code == 404


def _url(template: str, world) -> str:
    return template.format(
        road=world["road"].pk, tree=world["tree"].pk, road_number=world["road"].number,
        office_a=world["users"]["office_a"].pk,
    )


@pytest.mark.parametrize("role", ROLES)
def test_public_outputs_are_the_same_for_every_role_and_hold_nothing_internal(
    client, world, role
):
    client = _client_for(client, world, role)
    for template in PUBLIC:
        url = _url(template, world)
        response = client.get(url)
        assert response.status_code == 200, (role, url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"INTERN-" not in body, (role, url)
        assert b"melderin@example.org" not in body, (role, url)


@pytest.mark.parametrize(("column", "role"), list(enumerate(ROLES)))
def test_staff_pages_follow_office_and_role(client, world, column, role):
    client = _client_for(client, world, role)
    for template, expected in STAFF.items():
        url = _url(template, world)
        response = client.get(url)
        assert response.status_code == expected[column], (role, url, response.status_code)
        if response.status_code == LOGIN:
            assert "login" in response["Location"] or "anmelden" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_open311_writes_need_an_api_key_whatever_the_session(client, world, role):
    client = _client_for(client, world, role)
    response = client.post(
        "/open311/v2/requests.json",
        {"service_code": "schlagloch", "lat": 50.9413, "long": 6.9581, "description": "x"},
    )
    assert response.status_code == 403, role
    assert response.json()[0]["code"] == 403
