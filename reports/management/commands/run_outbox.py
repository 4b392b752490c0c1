"""The outbox worker: `manage.py run_outbox` (started by `make run` via GEOPORTAL_WORKERS)."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection

from geoportal.services import worker_heartbeat
from reports.outbox import outbox_process_once


class Command(BaseCommand):
    help = "Deliver queued report notifications (email, SMS) with retries, until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between passes.")

    def handle(self, *args, **options):
        if options["once"]:
            result = outbox_process_once()
            self.stdout.write(f"outbox: {result.sent} sent, {result.failed} failed")
            return
        stop = False

        def _stop(*_):
            nonlocal stop
            stop = True

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        while True:
            try:
                worker_heartbeat(name="outbox")
                result = outbox_process_once()
            except DatabaseError as exc:
                # The database restarting must not end the worker: messages wait in their rows.
                self.stderr.write(f"outbox: database unavailable ({exc}); retrying")
                connection.close()
            else:
                if result.attempted:
                    self.stdout.write(f"outbox: {result.sent} sent, {result.failed} failed")
            if stop:
                break
            for _ in range(int(options["interval"] * 10)):
                if stop:
                    break
                time.sleep(0.1)
            if stop:
                break
            # Drop a connection the database closed meanwhile (CONN_MAX_AGE, restarts).
            close_old_connections()
