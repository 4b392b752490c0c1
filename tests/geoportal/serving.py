"""Start the real production server (`manage.py serve`, gunicorn) against the test database and
talk to it over HTTP: shared by the serving, two-node and replica tests."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def database_url(settings_dict: dict | None = None, **params: str) -> str:
    """The URL of a database the tests use (default: the test database itself)."""
    s = settings_dict or connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def server_env(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "geoportal.settings.dev",  # what `make run` uses
        "DATABASE_URL": database_url(),
        "LOG_LEVEL": "WARNING",
        "GEOPORTAL_WEB_LOG_LEVEL": "warning",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DEBUG", None)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def wait_until(condition, timeout: float = 30, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {timeout} s")
        time.sleep(0.2)


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}")
        try:
            httpx.get(url, timeout=5)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {url} within {timeout} s")


class Server:
    def __init__(self, process: subprocess.Popen, base: str, log: Path):
        self.process, self.base, self.log = process, base, log

    @property
    def output(self) -> str:
        return self.log.read_text()

    def get(self, path: str, **kwargs) -> httpx.Response:
        return httpx.get(self.base + path, timeout=30, **kwargs)


@contextlib.contextmanager
def serve(env: dict[str, str], log: Path, *args: str):
    """`manage.py serve` on a free port until the block ends, then SIGTERM as Ctrl+C would."""
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--host", HOST, "--port", str(port), *args],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    server = Server(process, f"http://{HOST}:{port}", log)
    try:
        # A static file: answered by WhiteNoise inside Django once a worker has booted.
        wait_for_http(server.base + "/static/geoportal/portal.css", process)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
