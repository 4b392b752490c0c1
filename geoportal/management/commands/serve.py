"""`make run`: the development web server plus every app's background worker, in one command."""

import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from geoportal import conf


class Command(BaseCommand):
    help = "Serve the portal and run its workers until Ctrl+C."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        workers = conf.GEOPORTAL_WORKERS
        processes = [subprocess.Popen([*manage, *argv]) for _, argv in workers]
        for label, _ in workers:
            self.stdout.write(f"Started worker: {label}")
        server = subprocess.Popen(
            [*manage, "runserver", f"{options['host']}:{options['port']}", "--noreload"]
        )
        processes.append(server)
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(timeout=10)
