"""Abuse limits: per IP and per email for filing reports (REST, Open311, web form), per IP for
photo checks (logins: tests/trust/test_logins.py). Counters live in PostgreSQL
(trust.models.RateCounter)."""

from datetime import UTC

import pytest

from reports.models import Report
from trust.models import RateCounter

from .conftest import DOM, EHRENFELD

pytestmark = pytest.mark.django_db

KEY = "demo-open311-key"


def _rest(client, email="api@example.org", ip="198.51.100.7", **extra):
    body = {
        "category": "ampel-defekt",
        "lat": DOM[1],
        "lon": DOM[0],
        "description": "Ampel aus",
        "email": email,
        **extra,
    }
    return client.post(
        "/api/reports/",
        body,
        content_type="application/json",
        HTTP_X_API_KEY=KEY,
        REMOTE_ADDR=ip,
    )


def _open311(client, fmt="json", email="o311@example.org", ip="198.51.100.8"):
    form = {
        "api_key": KEY,
        "service_code": "schlagloch",
        "lat": EHRENFELD[1],
        "long": EHRENFELD[0],
        "description": "Loch",
        "email": email,
    }
    return client.post(f"/open311/v2/requests.{fmt}", form, REMOTE_ADDR=ip)


def test_rest_limit_per_ip_answers_429_in_the_api_format(client, koeln, limits):
    limits(report_ip=2)
    assert _rest(client, email="a@example.org").status_code == 201
    assert _rest(client, email="b@example.org").status_code == 201
    refused = _rest(client, email="c@example.org")
    assert refused.status_code == 429
    body = refused.json()
    assert body["status"] == 429 and body["errors"] == {} and "erneut versuchen" in body["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert Report.objects.count() == 2
    assert _rest(client, email="c@example.org", ip="198.51.100.99").status_code == 201, (
        "another client is not affected"
    )


def test_failed_submissions_do_not_use_up_the_limit(client, koeln, limits):
    limits(report_ip=1)
    for _ in range(3):
        assert _rest(client, category="no-such-thing").status_code == 400
    assert _rest(client).status_code == 201
    assert _rest(client).status_code == 429


def test_limit_per_email_across_addresses_also_in_open311(client, koeln, limits):
    limits(report_email=2)
    assert _rest(client, email="Same@Example.org", ip="203.0.113.1").status_code == 201
    assert _open311(client, email="same@example.org ", ip="203.0.113.2").status_code == 201
    refused = _open311(client, fmt="xml", email="same@example.org", ip="203.0.113.3")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert b"<errors><error><code>429</code><description>" in refused.content
    json_refused = _open311(client, email="SAME@example.org", ip="203.0.113.4")
    assert json_refused.status_code == 429 and json_refused.json()[0]["code"] == 429
    assert _open311(client, email="other@example.org", ip="203.0.113.5").status_code == 201


def test_counters_hold_no_readable_personal_data(client, koeln, limits):
    limits(report_email=5)
    _rest(client, email="erika.muster@example.org", ip="192.0.2.44")
    keys = " ".join(RateCounter.objects.values_list("key", flat=True))
    assert keys and "erika" not in keys and "192.0.2.44" not in keys


def test_ipv6_clients_are_counted_per_64(client, koeln, limits):
    limits(report_ip=1)
    assert _rest(client, ip="2001:db8:1:2::10").status_code == 201
    assert _rest(client, ip="2001:db8:1:2:ffff::1").status_code == 429
    assert _rest(client, ip="2001:db8:1:3::10").status_code == 201


def test_web_form_shows_a_friendly_page(client, koeln, limits):
    limits(report_ip=1)
    form = {
        "category": "schlagloch",
        "address": "",
        "lat": EHRENFELD[1],
        "lon": EHRENFELD[0],
        "description": "Tiefes Schlagloch mitten auf der Fahrbahn.",
        "name": "",
        "email": "buerger@example.org",
        "phone": "",
        "action": "submit",
    }
    assert client.post("/melden/", form).status_code == 302
    check = client.post("/melden/", {**form, "action": "check"})
    assert check.status_code == 200, "'Ort prüfen' files nothing and is not limited"
    refused = client.post("/melden/", {**form, "email": "zwei@example.org"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    page = refused.content.decode()
    assert "Bitte etwas warten" in page and "<html" in page and "Traceback" not in page
    assert Report.objects.count() == 1


def test_retry_after_ends_with_the_window(koeln, settings):
    from datetime import datetime

    from trust.ratelimit import rate_limit_count

    settings.TRUST_RATE_LIMITS = {"x-ip": (1, 600)}
    now = datetime(2026, 11, 23, 12, 7, 30, tzinfo=UTC)  # window 12:00-12:10
    assert rate_limit_count(scope="x", identities={"ip": "1.2.3.4"}, now=now).allowed
    refused = rate_limit_count(scope="x", identities={"ip": "1.2.3.4"}, now=now)
    assert not refused.allowed and refused.retry_after == 151
    later = datetime(2026, 11, 23, 12, 10, 1, tzinfo=UTC)
    assert rate_limit_count(scope="x", identities={"ip": "1.2.3.4"}, now=later).allowed
