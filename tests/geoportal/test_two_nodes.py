"""Two app nodes (two `manage.py serve`, each gunicorn plus its own outbox worker) on one
database, driven alternately: they share sessions, rate limits and the outbox."""

import re
import threading

import httpx
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.test import override_settings

from reports import demo
from reports.models import OutboxMessage, OutboxStatus, Report

from .serving import HOST, free_port, serve, server_env, wait_until

COLOGNE_CATHEDRAL = (6.9583, 50.9413)
PER_IP = 4


class Inbox:
    def __init__(self):
        self.lock, self.message_ids = threading.Lock(), []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        found = re.search(rb"^Message-ID:\s*(\S+)", envelope.content, re.M | re.I)
        with self.lock:
            self.message_ids.append(found.group(1).decode() if found else "")
        return "250 OK"


def _login(client: httpx.Client, username: str, password: str) -> httpx.Response:
    form = client.get("/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    return client.post(
        "/admin/login/?next=/admin/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": password},
    )


def test_two_nodes_share_sessions_rate_limits_and_the_outbox(transactional_db, tmp_path):
    demo.configure()
    # Hashed as the servers' settings hash (the test settings' MD5 hasher is unknown to them).
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        get_user_model().objects.create_superuser("zwei", "zwei@example.org", "Knoten-Passwort-1")
    inbox, smtp_port = Inbox(), free_port()
    smtp = Controller(inbox, hostname=HOST, port=smtp_port)
    smtp.start()
    env = server_env(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST=HOST,
        EMAIL_PORT=str(smtp_port),
        TRUST_REPORTS_PER_IP_HOUR=str(PER_IP),
    )
    try:
        with (
            serve(env, tmp_path / "a.log", "--workers", "1") as a,
            serve(env, tmp_path / "b.log", "--workers", "1") as b,
        ):
            nodes = [a, b]
            # Sessions: logged in on node A, still logged in on node B (same cookie).
            with httpx.Client(base_url=a.base, timeout=30) as staff:
                assert _login(staff, "zwei", "Knoten-Passwort-1").status_code == 302
                cookies = staff.cookies
            on_b = httpx.get(f"{b.base}/admin/", cookies=cookies, timeout=30)
            assert on_b.status_code == 200 and "zwei" in on_b.text

            # Rate limits: PER_IP reports from one address, alternating nodes, then 429 on either.
            numbers, refused = [], []
            for n in range(PER_IP + 2):
                node = nodes[n % 2]
                response = httpx.post(
                    f"{node.base}/open311/v2/requests.json",
                    data={
                        "api_key": demo.DEMO_KEY, "service_code": "schlagloch",
                        "lat": COLOGNE_CATHEDRAL[1], "long": COLOGNE_CATHEDRAL[0],
                        "description": f"Zwei Knoten {n}", "email": f"k{n}@example.org",
                    },
                    timeout=30,
                )  # fmt: skip
                if response.status_code == 429:
                    refused.append(n)
                else:
                    assert response.status_code == 201, response.text
                    # Unconfirmed yet (the reporter confirms by email): a token, no number.
                    numbers.append(response.json()[0]["token"])
            assert len(numbers) == PER_IP and refused == [PER_IP, PER_IP + 1]
            reports = Report.objects.filter(token__in=numbers)
            assert reports.count() == PER_IP

            # The outbox: both nodes' workers deliver, every message exactly once.
            messages = OutboxMessage.objects.filter(report__in=reports)
            assert messages.exists()
            wait_until(
                lambda: not messages.exclude(status=OutboxStatus.SENT).exists(),
                timeout=120,
                what="every message delivered",
            )
            expected = messages.count()
            assert len(inbox.message_ids) == expected
            assert len(set(inbox.message_ids)) == expected
    finally:
        smtp.stop()
