"""The outbox worker: `manage.py run_outbox` (started by `make run` via GEOPORTAL_WORKERS)."""

from django.core.management.base import BaseCommand

from geoportal.workers import run_until_stopped
from reports.outbox import outbox_process_once


def _said(result) -> str:
    return f"{result.sent} sent, {result.failed} failed" if result.attempted else ""


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
        run_until_stopped(
            name="outbox", step=lambda: _said(outbox_process_once()),
            interval=options["interval"], out=self.stdout, err=self.stderr,
        )
