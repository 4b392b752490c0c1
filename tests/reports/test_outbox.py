"""The outbox: written with the report, delivered by the worker with retries, never twice."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from reports import sms
from reports.models import DeliveryAttempt, OutboxMessage, OutboxStatus, Report, Status
from reports.outbox import backoff, outbox_enqueue, outbox_process_once, outbox_retry
from reports.selectors import outbox_health
from reports.services import report_status_change

from .conftest import DOM

pytestmark = pytest.mark.django_db


def test_a_report_and_its_messages_commit_together(make_report):
    def fail_after_filing():
        with transaction.atomic():
            make_report(*DOM)
            assert OutboxMessage.objects.count() == 3  # confirm + office + receipt
            raise RuntimeError("the request fails after the report was written")

    with pytest.raises(RuntimeError):
        fail_after_filing()
    assert Report.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_the_worker_sends_the_office_and_the_reporter_an_email(make_report):
    report = make_report(*DOM, code="schlagloch")
    result = outbox_process_once()
    assert result.sent == 3 and result.failed == 0
    by_recipient = {m.to[0]: m for m in mail.outbox}
    office = by_recipient["strassen@demo.stadt-koeln.invalid"]
    assert report.number in office.subject
    receipt = by_recipient["melder@example.org"]
    assert f"/meldungen/{report.number}/" in receipt.body or "bestätigen" in receipt.subject
    assert outbox_process_once().attempted == 0, "nothing is sent twice"
    assert set(report.messages.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_status_changes_reach_the_reporter_by_email_and_sms(make_report, settings):
    settings.REPORTS_SMS_BACKEND = "reports.sms.LocmemSmsBackend"
    sms.outbox.clear()
    report = make_report(*DOM, phone="+49 170 1234567")
    outbox_process_once()
    mail.outbox.clear()
    report_status_change(report=report, status=Status.CLOSED, note="Loch verfüllt")
    outbox_process_once()
    assert [m.subject for m in mail.outbox] == [f"Meldung {report.number}: Erledigt"]
    assert "Loch verfüllt" in mail.outbox[0].body
    assert sms.outbox == [("+49 170 1234567", sms.outbox[0][1])]
    assert "Erledigt" in sms.outbox[0][1]


class Broken:
    def send(self, to, text):
        raise ConnectionError("gateway down")


def test_failures_back_off_exponentially_and_every_attempt_is_recorded(settings):
    settings.REPORTS_SMS_BACKEND = "tests.reports.test_outbox.Broken"
    message = outbox_enqueue(recipient="+491701", body="x", purpose="t", channel="sms")
    now = timezone.now()
    for attempt in range(1, 4):
        result = outbox_process_once(now=now)
        assert result.failed == 1
        message.refresh_from_db()
        assert message.attempts == attempt
        assert message.next_attempt_at == now + backoff(attempt)
        assert outbox_process_once(now=now).attempted == 0, "not due before its backoff"
        now = message.next_attempt_at
    assert [a.ok for a in DeliveryAttempt.objects.filter(message=message)] == [False] * 3
    assert "gateway down" in message.last_error
    assert backoff(1) == timedelta(seconds=30) and backoff(3) == timedelta(minutes=2)
    assert backoff(30) == timedelta(hours=2)


def test_a_message_is_given_up_after_max_attempts_and_health_shows_it(settings):
    settings.REPORTS_SMS_BACKEND = "tests.reports.test_outbox.Broken"
    message = outbox_enqueue(recipient="+491701", body="x", purpose="t", channel="sms")
    OutboxMessage.objects.filter(pk=message.pk).update(max_attempts=2)
    outbox_process_once(now=timezone.now())
    outbox_process_once(now=timezone.now() + timedelta(hours=1))
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    health = outbox_health()
    assert health["failed"] == 1 and health["pending"] == 0
    assert health["oldest_undelivered_age_seconds"] >= 0 and not health["healthy"]
    settings.REPORTS_SMS_BACKEND = "reports.sms.LocmemSmsBackend"
    assert outbox_retry(message_ids=[message.pk]) == 1
    assert outbox_process_once().sent == 1
    assert outbox_health() == {
        "pending": 0,
        "failed": 0,
        "retrying": 0,
        "oldest_undelivered_age_seconds": 0.0,
        "healthy": True,
    }


@pytest.mark.django_db(transaction=True, available_apps=["reports"])
def test_a_message_locked_by_one_worker_is_skipped_by_another():
    message = outbox_enqueue(recipient="a@example.org", body="x", purpose="t", subject="s")
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        from django.db import connection

        with transaction.atomic():
            OutboxMessage.objects.select_for_update().get(pk=message.pk)
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10)
        assert outbox_process_once().attempted == 0, "SKIP LOCKED: the row is another's"
    finally:
        release.set()
        thread.join()
    assert outbox_process_once().sent == 1
    assert len(mail.outbox) == 1


def test_with_the_mail_server_down_nothing_is_lost_and_it_is_sent_once_when_back(
    smtp_server, make_report
):
    smtp_server.stop()
    report = make_report(*DOM, code="ampel-defekt")  # no confirmation: office + receipt
    down = outbox_process_once()
    assert down.failed == 2 and down.sent == 0
    assert all(
        "Connection refused" in m.last_error or "Errno" in m.last_error
        for m in report.messages.all()
    )
    assert outbox_health()["pending"] == 2

    smtp_server.start()
    assert outbox_process_once().attempted == 0, "waits for its backoff"
    later = timezone.now() + timedelta(minutes=5)
    assert outbox_process_once(now=later).sent == 2
    assert outbox_process_once(now=later + timedelta(hours=3)).attempted == 0
    recipients = sorted(r for rcpts, _ in smtp_server.messages for r in rcpts)
    assert recipients == ["melder@example.org", "verkehrsmanagement@demo.stadt-koeln.invalid"]
    assert all(report.number in body for _, body in smtp_server.messages)
    assert [a.ok for m in report.messages.all() for a in m.tries.all()] == [False, True] * 2


def test_the_worker_command_delivers_once_and_exits(make_report):
    from django.core.management import call_command

    make_report(*DOM, code="ampel-defekt")
    call_command("run_outbox", "--once")
    assert len(mail.outbox) == 2
    call_command("run_outbox", "--once")
    assert len(mail.outbox) == 2


def test_the_http_sms_gateway_gets_json_and_a_bearer_token(settings):
    import json as jsonlib
    from http.server import BaseHTTPRequestHandler, HTTPServer

    received = []

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's hook name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers["Authorization"], jsonlib.loads(body)))
            self.send_response(202)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings.REPORTS_SMS_BACKEND = "reports.sms.HttpSmsBackend"
        settings.REPORTS_SMS_URL = f"http://127.0.0.1:{server.server_port}/sms"
        settings.REPORTS_SMS_TOKEN = "gateway-secret"
        outbox_enqueue(recipient="+491701234", body="Erledigt", purpose="t", channel="sms")
        assert outbox_process_once().sent == 1
    finally:
        server.shutdown()
        server.server_close()
    assert received == [("Bearer gateway-secret", {"to": "+491701234", "text": "Erledigt"})]
    # Gateway gone: the attempt fails and the message waits for its retry.
    outbox_enqueue(recipient="+491701234", body="Zweite", purpose="t", channel="sms")
    assert outbox_process_once().failed == 1
    assert "ConnectError" in OutboxMessage.objects.get(body="Zweite").last_error


@pytest.mark.django_db(transaction=True, available_apps=["reports"])
def test_two_workers_at_once_deliver_every_message_exactly_once(smtp_server):
    from django.db import connection

    for i in range(30):
        outbox_enqueue(
            recipient=f"r{i}@example.org", body=f"Nachricht {i}", purpose="t", subject=f"s{i}"
        )
    results = []

    def worker():
        try:
            results.append(outbox_process_once())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sum(r.sent for r in results) == 30 and sum(r.failed for r in results) == 0
    recipients = [r for rcpts, _ in smtp_server.messages for r in rcpts]
    assert sorted(recipients) == sorted(f"r{i}@example.org" for i in range(30))
    assert DeliveryAttempt.objects.count() == 30
