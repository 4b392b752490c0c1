"""The counter is one atomic UPSERT: concurrent requests on separate database connections (as
from several gunicorn workers) never get more than the limit through."""

import threading

import pytest
from django.db import connection

from trust.ratelimit import rate_limit_count

from .test_backup import AVAILABLE_APPS

pytestmark = pytest.mark.django_db(transaction=True, available_apps=AVAILABLE_APPS)


def test_concurrent_requests_get_exactly_the_limit(settings):
    settings.TRUST_RATE_LIMITS = {"race-ip": (10, 3600)}
    allowed = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def client():
        try:
            barrier.wait()
            for _ in range(5):
                decision = rate_limit_count(scope="race", identities={"ip": "192.0.2.9"})
                with lock:
                    allowed.append(decision.allowed)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(allowed) == 40
    assert allowed.count(True) == 10
