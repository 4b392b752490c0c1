"""The background workers' shared loop, run as `make run` runs it: a real process, a real signal."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from geoportal.models import WorkerHeartbeat

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("command", "name"), [("run_outbox", "outbox"),
                                               ("run_alert_digests", "alert-digests")])
def test_a_worker_beats_and_stops_cleanly_on_sigterm(command, name):
    db = settings.DATABASES["default"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "geoportal.settings.test",
           "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}"
                           f"/{db['NAME']}",
           "GEOPORTAL_DB_NAME": db["NAME"], "GEOPORTAL_TEST_DB": db["NAME"]}
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), command, "--interval", "0.2"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not WorkerHeartbeat.objects.filter(name=name).exists():
            assert worker.poll() is None, worker.stderr.read().decode()
            assert time.monotonic() < deadline, "the worker never beat"
            time.sleep(0.1)
        first = WorkerHeartbeat.objects.get(name=name).last_seen
        while WorkerHeartbeat.objects.get(name=name).last_seen == first:
            assert time.monotonic() < deadline, "the worker beat only once"
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0, worker.stderr.read().decode()
    finally:
        if worker.poll() is None:
            worker.kill()
