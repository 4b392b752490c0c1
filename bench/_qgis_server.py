"""What the two QGIS benchmarks share: the land-use rows QGIS Server reads, its project, the
ports and the wait for a server to answer.

Not a benchmark of its own (the leading underscore keeps `make bench` from running it):
bench/ogc_vs_qgis_server.py times raw GetFeature answers, bench/qgis_client_load.py a real QGIS
client (bench/_qgis_load_client.py, run by Debian's Python); both set up QGIS Server here.
"""

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import _django  # noqa: F401
import httpx
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
QGIS_PYTHON = "/usr/bin/python3"
# Exactly the rows and columns our landuse layer publishes, for QGIS Server to read.
VIEW_SQL = """
    CREATE OR REPLACE VIEW bench_landuse AS
    SELECT a.id, a.class_code, a.feature_class, a.source_id, a.plan_id, a.repaired, a.geom
    FROM landuse_landusearea a JOIN landuse_plan p ON p.id = a.plan_id WHERE p.is_current
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


@contextmanager
def landuse_project(filename: str) -> Iterator[tuple[int, Path]]:
    """(areas in the current plan, a QGIS project publishing them as `landuse`); the view it
    reads is dropped again on the way out."""
    with connection.cursor() as cursor:
        cursor.execute(VIEW_SQL)
        cursor.execute("SELECT count(*) FROM bench_landuse")
        expected = cursor.fetchone()[0]
    try:
        if not expected:
            raise SystemExit("no current land-use plan: run `make demo` first")
        db = settings.DATABASES["default"]
        work = ROOT / "var" / "bench"
        work.mkdir(parents=True, exist_ok=True)
        project = work / filename
        subprocess.run(
            [QGIS_PYTHON, str(ROOT / "scripts" / "qgis_project.py"), str(project), db["HOST"],
             str(db["PORT"]), db["NAME"], db["USER"], db["PASSWORD"], "bench_landuse", "landuse"],
            check=True, capture_output=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        yield expected, project
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP VIEW IF EXISTS bench_landuse")
