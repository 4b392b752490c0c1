"""Production settings, security headers and the CSP that lets the map run without inline
script exceptions; what a client sees when the database is gone."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _production(*args, database_url=None, **env):
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "geoportal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "geoportal.example.org",
        "GEOPORTAL_BASE_URL": "https://geoportal.example.org",
        "DATABASE_URL": database_url or os.environ.get("DATABASE_URL", ""),
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "CRITICAL",
    }
    base.update(env)
    base = {k: v for k, v in base.items() if v is not None}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )


def test_production_settings_pass_check_deploy():
    result = _production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("key", "message"),
    [(None, "Set the environment variable SECRET_KEY"), ("kurz", "at least 50 characters")],
)
def test_production_refuses_to_start_without_a_real_secret_key(key, message):
    result = _production("manage.py", "check", SECRET_KEY=key)
    assert result.returncode != 0
    assert message in result.stderr


def test_finding_9_production_requires_the_base_url_of_outgoing_links():
    """Finding 9: links in emails and SMS pointed at port 8000 wherever the server ran."""
    missing = _production("manage.py", "check", GEOPORTAL_BASE_URL=None)
    assert missing.returncode != 0 and "Set GEOPORTAL_BASE_URL" in missing.stderr
    result = _production(
        "-c",
        "import django; django.setup(); from geoportal.links import absolute_url; "
        "print(absolute_url('/meldungen/M-1/'))",
        GEOPORTAL_BASE_URL="https://maengel.koeln.example/",
    )
    assert result.stdout.strip() == "https://maengel.koeln.example/meldungen/M-1/", result.stderr


def test_development_links_follow_the_port():
    env = {"DJANGO_SETTINGS_MODULE": "geoportal.settings.dev", "PORT": "8153"}
    env["GEOPORTAL_BASE_URL"] = None
    code = (
        "import django; django.setup(); "
        "from django.conf import settings; print(settings.GEOPORTAL_BASE_URL)"
    )
    result = _production("-c", code, **env)
    assert result.stdout.strip() == "http://127.0.0.1:8153", result.stderr


def test_production_error_page_has_no_traceback():
    result = _production("tests/trust/prod_probe.py", "/boom/")
    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout)["/boom/"]
    assert page["status"] == 500
    assert "Da ist etwas schiefgegangen" in page["body"]
    for leak in ("Traceback", "secret internals", "RuntimeError", "SECRET_KEY", "settings"):
        assert leak not in page["body"]
    assert page["headers"]["Strict-Transport-Security"].startswith("max-age=31536000")


def test_database_down_is_a_503_with_retry_after_in_each_format():
    """A real unreachable PostgreSQL (nothing listens on port 9): no 500, no stack trace."""
    paths = ["/api/reports/", "/open311/v2/requests.xml", "/meldungen/", "/status.json"]
    result = _production(
        "tests/trust/prod_probe.py",
        *paths,
        database_url="postgres://geoportal:geoportal@127.0.0.1:9/geoportal",
    )
    assert result.returncode == 0, result.stderr
    pages = json.loads(result.stdout)
    for path in paths:
        assert pages[path]["status"] == 503, (path, pages[path]["body"][:300])
        assert pages[path]["headers"]["Retry-After"] == "30"
        assert "Traceback" not in pages[path]["body"]
    rest = json.loads(pages["/api/reports/"]["body"])
    assert rest["status"] == 503 and rest["errors"] == {} and rest["detail"]
    assert "<errors><error><code>503</code>" in pages["/open311/v2/requests.xml"]["body"]
    # Finding 5: monitors reading /status.json got the HTML 503 page.
    status = json.loads(pages["/status.json"]["body"])
    assert status["status"] == 503 and status["detail"]
    assert "Kurz nicht erreichbar" in pages["/meldungen/"]["body"]


def test_finding_5_database_lost_after_the_rate_limit_count_is_a_503_not_a_500():
    """Finding 5: the limiter's refund after the view touched the dead connection and its
    OperationalError escaped as a 500. A real PostgreSQL connection ends under the view."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    spec = "POST /api/probe/database-lost/"
    result = _production("tests/trust/prod_probe.py", spec, database_url=url)
    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout)[spec]
    assert page["status"] == 503, page["body"][:500]
    assert page["headers"]["Retry-After"] == "30"
    assert json.loads(page["body"])["status"] == 503


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", re.IGNORECASE)


@pytest.mark.parametrize("path", ["/", "/melden/", "/meldungen/", "/api/docs/", "/admin/login/"])
def test_csp_allows_only_our_scripts_and_nonced_inline_ones(client, koeln, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    script_src = directives["script-src"]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    nonce = re.search(r"'nonce-([^']+)'", script_src).group(1)
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    # The default base map is our own vector tiles: no third-party origin anywhere in the policy.
    assert "http" not in policy.replace("'self'", ""), policy
    html = response.content.decode()
    for attrs in INLINE_SCRIPT.findall(html):
        if 'type="application/json"' in attrs:
            continue  # data, not code
        assert f'nonce="{nonce}"' in attrs, f"inline script without this response's nonce: {attrs}"
    assert client.get(path)["Content-Security-Policy"] != policy, "a new nonce per response"


def test_map_pages_run_their_inline_scripts_with_the_nonce(client, koeln):
    html = client.get("/melden/").content.decode()
    # The page config moved to data attributes (#19): the Leaflet map loader is the one inline
    # script left, and it carries the nonce (the CSP test above checks every inline script).
    assert html.count("nonce=") >= 1, "the Leaflet map loader"


def test_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_every_post_form_carries_a_csrf_token(client, koeln):
    for path in ["/melden/", "/admin/login/"]:
        html = client.get(path).content.decode()
        forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S | re.I)
        assert forms, path
        for form in forms:
            assert 'name="csrfmiddlewaretoken"' in form, path
    enforcing = Client(enforce_csrf_checks=True)
    assert enforcing.post("/melden/", {"category": "schlagloch"}).status_code == 403


def test_production_cookie_settings_are_secure():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.DEBUG, s.SECURE_SSL_REDIRECT)"
    )
    result = _production("-c", code)
    assert result.stdout.split() == ["True", "True", "True", "False", "True"], result.stderr
    assert settings.DEBUG is False


def test_nul_bytes_are_a_400_in_each_format(client):
    rest = client.get("/api/reports/", {"category": "a\x00b"})
    assert rest.status_code == 400 and rest.json()["status"] == 400
    open311 = client.get("/open311/v2/requests.xml", {"service_code": "a\x00b"})
    assert open311.status_code == 400 and b"<errors><error><code>400</code>" in open311.content
    form = client.post("/open311/v2/requests.json", {"description": "x\x00"})
    assert form.status_code == 400 and form.json()[0]["code"] == 400
    page = client.get("/meldungen/", {"category": "\x00"})
    assert page.status_code == 400 and "Nullzeichen" in page.content.decode()
