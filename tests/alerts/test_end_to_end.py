"""End to end against the real SMTP server the outbox tests use: a citizen subscribes to their
street's surroundings, confirms, gets an alert for a report 100 m away and for a council paper
placed there, a digest, and one click stops it all. A digest worker killed mid-run (SIGKILL,
a real process) sends nothing twice."""

import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from email import message_from_string
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import LineString
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from alerts import services
from alerts.models import Match, Subscription
from councilmap.models import Paper
from councilmap.services import paper_location_create_manual
from reports.models import OutboxMessage
from reports.outbox import outbox_process_once

from .conftest import DOM, link_token

NEAR_DOM = (6.9595, 50.9413)
ROOT = Path(__file__).resolve().parents[2]


def _mails_to(smtp_server, address: str):
    found = []
    for rcpts, raw in smtp_server.messages:
        if address in rcpts:
            message = message_from_string(raw)
            message.subject_text = str(make_header(decode_header(message["Subject"])))
            found.append(message)
    return found


def _body(message) -> str:
    if message["Content-Transfer-Encoding"] in ("base64", "quoted-printable"):
        return message.get_payload(decode=True).decode()
    return message.get_payload()


@pytest.mark.django_db
def test_citizen_subscribes_confirms_gets_alerts_and_a_digest_and_unsubscribes(
    client, smtp_server, make_report, lonlat
):
    me = "anwohnerin@example.org"
    response = client.post(reverse("alerts:new"), {
        "area_type": "circle", "address": "", "radius_m": "250", "lat": DOM[1], "lon": DOM[0],
        "topics": ["reports", "council"], "frequency": "immediate", "email": me,
    })
    assert response.status_code == 302
    outbox_process_once()
    (opt_in,) = _mails_to(smtp_server, me)
    assert client.post(reverse("alerts:confirm", args=[link_token(_body(opt_in))])) \
        .status_code == 302

    make_report(lon=NEAR_DOM[0], lat=NEAR_DOM[1])
    paper = Paper.objects.create(oparl_id="https://ris.example/paper/7",
                                 name="Neugestaltung Roncalliplatz", reference="AN/0007/2026")
    paper_location_create_manual(
        paper=paper, geom=LineString(lonlat(6.9575, 50.9405), lonlat(6.9590, 50.9410)))
    outbox_process_once()
    opt_in_, report_alert, paper_alert = _mails_to(smtp_server, me)
    assert report_alert.subject_text.startswith("Neu in Ihrer Nähe: ")
    assert "Roncalliplatz" in paper_alert.subject_text
    unsubscribe = re.search(r"<(http://[^>]+)>", report_alert["List-Unsubscribe"]).group(1)
    assert report_alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # A weekly subscriber of the same place gets one digest with both.
    weekly = services.subscription_create(
        email="woechentlich@example.org", where=services.AreaChoice(
            center=lonlat(*DOM), radius_m=500), topics=["reports"], frequency="weekly")
    services.subscription_confirm(token=weekly.token)
    make_report(lon=NEAR_DOM[0], lat=NEAR_DOM[1], code="laterne-defekt")
    next_week = timezone.now() + timedelta(days=7, minutes=1)
    for subscription_id in services.digest_due_ids(now=next_week):
        services.digest_send(subscription_id=subscription_id, now=next_week)
    outbox_process_once()
    mails = _mails_to(smtp_server, "woechentlich@example.org")
    assert [m.subject_text for m in mails][-1] == "1 Neuigkeit in Ihrem Gebiet"

    # One click (RFC 8058) from the mail client: no cookie, no CSRF token.
    client.logout()
    response = client.post(unsubscribe.split("testserver", 1)[-1].replace(
        "http://127.0.0.1:8000", ""), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.filter(email=me).exists()
    before = len(_mails_to(smtp_server, me))
    make_report(lon=NEAR_DOM[0], lat=NEAR_DOM[1])
    outbox_process_once()
    assert len(_mails_to(smtp_server, me)) == before


def _count(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_digest_worker_killed_mid_run_sends_nothing_twice(koeln, lonlat):  # noqa: F811
    subscribers = 12
    long_ago = timezone.now() - timedelta(days=2)
    for n in range(subscribers):
        subscription = Subscription.objects.create(
            email=f"digest{n}@example.org", area_type="circle",
            geom=lonlat(*DOM).buffer(300), radius_m=300, topics=["reports"],
            frequency="daily", confirmed_at=long_ago, last_digest_at=long_ago)
        Match.objects.bulk_create(
            Match(subscription=subscription, topic="reports", kind="report.published",
                  item_key=f"report:{n}-{i}", title=f"Meldung {n}-{i}", path="/meldungen/x/")
            for i in range(3))
    db = settings.DATABASES["default"]
    # The worker must reach this test's database, also when `make test` exports DATABASE_URL.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "geoportal.settings.test",
           "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}"
                           f"/{db['NAME']}",
           "GEOPORTAL_DB_NAME": db["NAME"], "GEOPORTAL_TEST_DB": db["NAME"]}
    command = [sys.executable, str(ROOT / "manage.py"), "run_alert_digests", "--once",
               "--batch", "1", "--pause", "0.3"]
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while _count(f"SELECT count(*) FROM {OutboxMessage._meta.db_table}") < 3:
            assert worker.poll() is None, worker.stderr.read().decode()
            assert time.monotonic() < deadline, "the worker assembled nothing"
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    done = OutboxMessage.objects.count()
    assert 3 <= done < subscribers  # really killed in the middle
    restarted = subprocess.run(command[:-4], cwd=ROOT, env=env, capture_output=True, timeout=300)
    assert restarted.returncode == 0, restarted.stderr.decode()
    digests = list(OutboxMessage.objects.values_list("recipient", flat=True))
    assert sorted(digests) == sorted(f"digest{n}@example.org" for n in range(subscribers))
    assert not Match.objects.filter(digested_at__isnull=True).exists()
    # Every entry is in exactly one digest.
    bodies = " ".join(OutboxMessage.objects.values_list("body", flat=True))
    for n in range(subscribers):
        for i in range(3):
            assert bodies.count(f"Meldung {n}-{i}\n") == 1
