"""The status page tells when notifications do not arrive, and when they do again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.outbox import outbox_process_once

from .conftest import DOM

pytestmark = pytest.mark.django_db


def mail_check(client) -> dict:
    return next(c for c in client.get("/status.json").json()["checks"] if c["key"] == "mail")


def test_mail_server_down_turns_the_status_red_and_back_to_green(client, smtp_server, make_report):
    assert mail_check(client)["status"] == "green"

    smtp_server.stop()
    make_report(*DOM, code="ampel-defekt")
    outbox_process_once()
    check = mail_check(client)
    assert check["status"] == "red"
    assert "stockt" in check["message"]
    assert check["details"]["retrying"] == 2
    page = client.get("/status/").content.decode()
    assert "Gestört" in page
    assert "Nichts geht verloren" in page

    smtp_server.start()
    outbox_process_once(now=timezone.now() + timedelta(minutes=5))
    assert mail_check(client)["status"] == "green"
    assert len(smtp_server.messages) == 2
