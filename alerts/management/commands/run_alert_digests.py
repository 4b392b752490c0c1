"""The digest worker: `manage.py run_alert_digests` (started by `make run` via GEOPORTAL_WORKERS).

Each subscriber's digest is one transaction (outbox row + entries marked), so a worker killed
at any point sends every entry exactly once; the outbox worker delivers.
"""

import time

from django.core.management.base import BaseCommand

from alerts.services import digest_due_ids, digest_send_batch, subscriptions_purge_unconfirmed
from geoportal.workers import run_until_stopped


class Command(BaseCommand):
    help = "Assemble due daily and weekly alert digests, until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument("--interval", type=float, default=60.0,
                            help="Seconds between passes.")
        parser.add_argument("--batch", type=int, default=500,
                            help="Subscribers per transaction.")
        parser.add_argument("--pause", type=float, default=0.0,
                            help="Seconds between two batches (spreads mail over time).")

    def _pass(self, batch: int, pause: float) -> int:
        subscribers = 0
        due = digest_due_ids()
        for start in range(0, len(due), batch):
            subscribers += digest_send_batch(subscription_ids=due[start:start + batch])
            if pause:
                time.sleep(pause)
        subscriptions_purge_unconfirmed()
        return subscribers

    def handle(self, *args, **options):
        if options["once"]:
            count = self._pass(options["batch"], options["pause"])
            self.stdout.write(f"alert digests: {count} assembled")
            return

        def step() -> str:
            count = self._pass(options["batch"], options["pause"])
            return f"{count} assembled" if count else ""

        run_until_stopped(name="alert-digests", step=step, interval=options["interval"],
                          out=self.stdout, err=self.stderr)
