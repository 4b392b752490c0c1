"""Every login (crews, admin) waits out a growing delay after failures, per account and address,
per address and per account; an attacker can never lock the owner out (trust/logins.py)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client

from crews.models import OfficeMembership, Role
from trust.logins import DEVICE_COOKIE
from trust.models import LoginAttempt

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
PASSWORD = "richtig-und-lang-2026"


@pytest.fixture(autouse=True)
def _long_waits(settings):
    # A first wait of a minute: no test depends on how fast the machine is.
    settings.TRUST_LOGIN_BASE_DELAY = 60


def _browser_with_cookie_of(client) -> Client:
    """A fresh browser that keeps only the device cookie (logout clears the test client's)."""
    browser = Client()
    browser.cookies[DEVICE_COOKIE] = client.cookies[DEVICE_COOKIE].value
    return browser


def _time_passes(seconds: int) -> None:
    """Move every recorded attempt into the past (no sleeping in tests)."""
    for attempt in LoginAttempt.objects.all():
        attempt.created_at -= timedelta(seconds=seconds)
        attempt.save(update_fields=["created_at"])


@pytest.fixture
def lead(koeln):
    user = User.objects.create_user("leitung-strassen", "l@example.org", PASSWORD)
    OfficeMembership.objects.create(user=user, office=koeln["strassen"], role=Role.LEAD)
    return user


@pytest.fixture
def chefin(db):
    return User.objects.create_superuser("chefin", "chefin@example.org", PASSWORD)


def _crew_login(client, password, ip=ATTACKER, username="leitung-strassen"):
    return client.post(
        "/einsatz/anmelden/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _admin_login(client, password, ip=ATTACKER, username="chefin"):
    form = {"username": username, "password": password, "next": "/admin/"}
    return client.post("/admin/login/", form, REMOTE_ADDR=ip)


def test_finding_1_crew_login_cannot_be_brute_forced(client, lead):
    """Finding 1: 60 wrong passwords for a lead from one address were 60 × 200, then the right
    one logged in. Now the fourth failure starts a growing wait, during which not even the right
    password is checked."""
    statuses = [_crew_login(client, f"falsch-{i}").status_code for i in range(60)]
    assert statuses[:3] == [200, 200, 200]
    assert set(statuses[3:]) == {429}
    refused = _crew_login(client, PASSWORD)
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert wait > 0
    page = refused.content.decode()
    assert "Zu viele fehlgeschlagene Anmeldungen" in page and "erneut versuchen" in page
    assert "_auth_user_id" not in client.session
    assert LoginAttempt.objects.filter(outcome="failed").count() == 3
    assert LoginAttempt.objects.filter(outcome="delayed").count() == 58
    _time_passes(wait)
    assert _crew_login(client, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(lead.pk)


def test_the_delay_grows_with_each_checked_failure(client, lead):
    waits = []
    for i in range(6):
        response = _crew_login(client, f"falsch-{i}")
        if response.status_code == 429:
            waits.append(int(response["Retry-After"]))
            _time_passes(int(response["Retry-After"]))
            _crew_login(client, f"nochmal-falsch-{i}")
    assert len(waits) >= 2 and waits == sorted(waits) and waits[-1] > waits[0]


def test_finding_2_an_attacker_cannot_lock_out_the_admin(chefin):
    """Finding 2: five wrong passwords for a known user name blocked it for every address."""
    first = Client()
    assert _admin_login(first, PASSWORD, ip=OWNER).status_code == 302
    owner = _browser_with_cookie_of(first)  # her usual browser, logged out
    attacker = Client()
    for i in range(40):
        _admin_login(attacker, f"falsch-{i}", ip=f"203.0.113.{i}")  # many addresses
    assert _admin_login(attacker, "falsch", ip=ATTACKER).status_code == 429
    # The owner from her address and browser, and from a new address with her browser:
    assert _admin_login(owner, PASSWORD, ip=OWNER).status_code == 302
    owner = _browser_with_cookie_of(owner)
    assert _admin_login(owner, PASSWORD, ip="192.0.2.55").status_code == 302
    # A stranger's browser trying that account from a fresh address waits (a distributed attack
    # is slowed down), with the wait named.
    stranger = _admin_login(Client(), PASSWORD, ip="192.0.2.99")
    assert stranger.status_code == 429 and int(stranger["Retry-After"]) > 0


def test_the_device_cookie_is_signed_and_only_names_its_account(client, chefin, lead):
    assert _admin_login(client, PASSWORD, ip=OWNER).status_code == 302
    cookie = client.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and "chefin" not in cookie.value
    forged = Client()
    forged.cookies[DEVICE_COOKIE] = cookie.value[:-3] + "abc"
    for i in range(12):
        _crew_login(Client(), f"falsch-{i}", ip=f"203.0.113.{i}")
    assert _crew_login(forged, PASSWORD, ip="192.0.2.1").status_code == 429
    # Her cookie names her account, not the lead's.
    assert _crew_login(_browser_with_cookie_of(client), PASSWORD, ip="192.0.2.1").status_code == 429


def test_one_address_trying_many_accounts_waits(client, chefin, lead):
    for i in range(10):
        _crew_login(client, "falsch", username=f"konto-{i}")
    assert _crew_login(client, PASSWORD).status_code == 429
    assert _crew_login(Client(), PASSWORD, ip=OWNER).status_code == 302


def test_a_wrong_password_without_a_wait_is_the_normal_form(client, lead):
    response = _crew_login(client, "falsch")
    assert response.status_code == 200
    assert "Benutzername oder Passwort stimmt nicht" in response.content.decode()


def test_login_events_are_in_the_admin(client, chefin, lead):
    for i in range(4):
        _crew_login(Client(), f"falsch-{i}")
    client.force_login(chefin)
    response = client.get("/admin/trust/loginattempt/")
    assert response.status_code == 200, response
    page = response.content.decode()
    assert "leitung-strassen" in page and ATTACKER in page
    assert "Wartezeit läuft" in page and "falsches Passwort" in page
    assert client.get("/admin/trust/loginattempt/?outcome=delayed").status_code == 200
    assert client.get("/admin/trust/loginattempt/add/").status_code == 403


def test_rest_callers_get_the_wait_in_json(rf, lead):
    """Any future login that calls authenticate(request, …) is covered, in its caller's format."""
    from django.contrib.auth import authenticate

    from trust.middleware import error_response

    for i in range(3):
        request = rf.post("/api/login/", REMOTE_ADDR=ATTACKER)
        assert authenticate(request, username="leitung-strassen", password=f"x{i}") is None
    request = rf.post("/api/login/", REMOTE_ADDR=ATTACKER)
    assert authenticate(request, username="leitung-strassen", password=PASSWORD) is None
    assert request.trust_login_wait > 0
    response = error_response(request, 429, "warten", request.trust_login_wait)
    assert response.status_code == 429 and response["Retry-After"]
