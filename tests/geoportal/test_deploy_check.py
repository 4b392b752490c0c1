"""`make deploy-check`: check --deploy plus probes of the configured services, under production
settings in a subprocess, against a real SMTP server (aiosmtpd) and the test database."""

import secrets
import subprocess
import sys

import pytest
from aiosmtpd.controller import Controller

from .serving import HOST, ROOT, database_url, free_port, server_env

pytestmark = pytest.mark.django_db


class _Sink:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        return "250 OK"


def deploy_check(tmp_path, **extra) -> subprocess.CompletedProcess:
    env = server_env(
        DJANGO_SETTINGS_MODULE="geoportal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="geoportal.example.org",
        DATABASE_URL=database_url(),
        MEDIA_ROOT=str(tmp_path / "media"),
        EMAIL_HOST=HOST,
        **extra,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "deploy_check"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_deploy_check_probes_every_configured_service(tmp_path):
    port = free_port()
    smtp = Controller(_Sink(), hostname=HOST, port=port)
    smtp.start()
    try:
        result = deploy_check(tmp_path, EMAIL_PORT=str(port))
    finally:
        smtp.stop()
    assert result.returncode == 0, result.stdout + result.stderr
    for probe in ("database: PostGIS", "mail server", "media storage", "static files"):
        assert f"ok   {probe}" in result.stdout
    assert not list((tmp_path / "media" / "deploy-check").iterdir())  # the probe file is gone


def test_deploy_check_names_what_is_down(tmp_path):
    result = deploy_check(tmp_path, EMAIL_PORT=str(free_port()))  # nothing listens there
    assert result.returncode != 0
    assert "FAIL mail server" in result.stdout
    assert "Not ready for production: mail server" in result.stderr
