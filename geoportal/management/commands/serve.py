"""`make run`: the portal under gunicorn plus every app's background worker, supervised together.

`--dev` (`make dev`) swaps gunicorn for Django's runserver with code reloading."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from geoportal import conf
from geoportal.gunicorn_conf import default_workers

# A worker that dies is started again after this many seconds, doubling up to the maximum, so a
# worker that crashes at start (database away) does not spin.
RESTART_BACKOFF = (1.0, 30.0)


class _Stop(Exception):
    pass


def _raise_stop(signum, frame):
    raise _Stop


class Supervised:
    """One background worker: started again when it exits, with backoff."""

    def __init__(self, label: str, argv: list[str], env: dict[str, str]):
        self.label, self.argv, self.env = label, argv, env
        self.process: subprocess.Popen | None = None
        self.delay = RESTART_BACKOFF[0]
        self.restart_at = 0.0

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv, env=self.env)
        self.started = time.monotonic()

    def check(self, now: float, write) -> None:
        if self.process is None:
            if now >= self.restart_at:
                self.start()
            return
        code = self.process.poll()
        if code is None:
            if now - self.started > 60:  # ran a while: the next crash starts the backoff anew
                self.delay = RESTART_BACKOFF[0]
            return
        write(f"Worker {self.label!r} exited with {code}; restarting in {self.delay:.0f} s")
        self.process, self.restart_at = None, now + self.delay
        self.delay = min(self.delay * 2, RESTART_BACKOFF[1])


class Command(BaseCommand):
    help = "Serve the portal with gunicorn and run its workers until Ctrl+C (--dev: runserver)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--workers", type=int, default=None, help="gunicorn workers (default 2 × cores + 1)"
        )
        parser.add_argument(
            "--dev", action="store_true", help="Django's runserver with code reloading instead"
        )

    def handle(self, *args, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        # Links in emails follow the port served (settings/dev.py reads PORT; production and an
        # explicit GEOPORTAL_BASE_URL win): `manage.py serve --port 8084` mailed links to :8000.
        env = {**os.environ, "PORT": str(options["port"])}
        workers = [
            Supervised(label, [*manage, *argv], env)
            for label, argv in conf.GEOPORTAL_WORKERS
        ]
        address = f"{options['host']}:{options['port']}"
        if options["dev"]:
            server_argv = [*manage, "runserver", address]
            server_env = env
            self.stdout.write(f"Serving http://{address} with Django's runserver (reloading)")
        else:
            count = options["workers"] or int(env.get("GEOPORTAL_WEB_WORKERS") or 0)
            count = count or default_workers()
            server_argv = [
                sys.executable, "-m", "gunicorn", "-c", "python:geoportal.gunicorn_conf",
                "geoportal.wsgi",
            ]  # fmt: skip
            # Like production unless the caller asks for DEBUG: hashed static names, no query log.
            server_env = {
                **env,
                "GEOPORTAL_BIND": address,
                "GEOPORTAL_WEB_WORKERS": str(count),
                "DEBUG": env.get("DEBUG", "false"),
            }
            self.stdout.write(f"Serving http://{address} with gunicorn, {count} workers")
        previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
        server = subprocess.Popen(server_argv, env=server_env)
        for worker in workers:
            worker.start()
            self.stdout.write(f"Started worker: {worker.label}")
        self.stdout.flush()
        try:
            while server.poll() is None:
                now = time.monotonic()
                for worker in workers:
                    worker.check(now, self.stderr.write)
                time.sleep(0.5)
            self.stderr.write(f"The web server exited with {server.returncode}")
        except (KeyboardInterrupt, _Stop):
            pass
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            running = [w.process for w in workers if w.process] + [server]
            for process in running:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in running:
                try:
                    process.wait(timeout=25)
                except subprocess.TimeoutExpired:
                    process.kill()
