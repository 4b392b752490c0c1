"""SMS through Twilio's Messaging API, against a local HTTP server that answers as Twilio does;
signed delivery reports update the outbox row; the console backend stays the default."""

import base64
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from reports import conf
from reports.models import OutboxMessage
from reports.outbox import outbox_enqueue, outbox_process_once
from reports.sms import twilio_signature

pytestmark = pytest.mark.django_db
SID, TOKEN = "AC0123456789abcdef0123456789abcdef", "twilio-auth-token"


@pytest.fixture
def twilio(settings):
    received = []

    class Api(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's hook name
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            received.append((self.path, self.headers["Authorization"], parse_qs(body)))
            payload = b'{"sid": "SM%032d", "status": "queued"}' % len(received)
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.REPORTS_SMS_BACKEND = "reports.sms.TwilioSmsBackend"
    settings.REPORTS_SMS_TWILIO_API = f"http://127.0.0.1:{server.server_port}"
    settings.REPORTS_SMS_TWILIO_ACCOUNT_SID = SID
    settings.REPORTS_SMS_TWILIO_AUTH_TOKEN = TOKEN
    settings.REPORTS_SMS_FROM = "+4922112345"
    settings.REPORTS_SMS_STATUS_CALLBACK = "https://geoportal.example/sms/status/"
    yield received
    server.shutdown()
    server.server_close()


def _report(client, params: dict, signature: str | None = None):
    url = conf.REPORTS_SMS_STATUS_CALLBACK
    signature = signature or twilio_signature(url=url, params=params)
    return client.post(reverse("reports:sms-status"), params, HTTP_X_TWILIO_SIGNATURE=signature)


def test_console_is_the_default():
    assert conf.REPORTS_SMS_BACKEND == "reports.sms.ConsoleSmsBackend"


def test_sms_goes_out_by_twilios_protocol_and_delivery_reports_update_the_row(client, twilio):
    outbox_enqueue(recipient="+491701234567", body="Meldung erledigt", purpose="t",
                   channel="sms")
    assert outbox_process_once().sent == 1
    ((path, auth, form),) = twilio
    assert path == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert auth == "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
    assert form == {"To": ["+491701234567"], "From": ["+4922112345"],
                    "Body": ["Meldung erledigt"],
                    "StatusCallback": ["https://geoportal.example/sms/status/"]}
    message = OutboxMessage.objects.get()
    assert message.provider_id == "SM" + "1".zfill(32)
    sent = {"MessageSid": message.provider_id, "MessageStatus": "sent", "AccountSid": SID}
    assert _report(client, sent).status_code == 204
    message.refresh_from_db()
    assert message.delivery_status == "sent"
    failed = {"MessageSid": message.provider_id, "MessageStatus": "undelivered",
              "ErrorCode": "30003", "AccountSid": SID}
    assert _report(client, failed).status_code == 204
    message.refresh_from_db()
    assert message.delivery_status == "undelivered" and "30003" in message.last_error


def test_unsigned_or_unknown_delivery_reports_change_nothing(client, twilio):
    params = {"MessageSid": "SMunknown", "MessageStatus": "delivered"}
    assert _report(client, params, signature="forged").status_code == 403
    assert _report(client, params).status_code == 404
    assert _report(client, {"MessageStatus": "delivered"}).status_code == 400
