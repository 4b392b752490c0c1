"""Serving benchmark: `make run`'s server (manage.py serve → gunicorn) under concurrent clients.

Tiles (random z12–16 tiles over Köln), GeoJSON, WFS, the report form page and Open311 intake,
each for BENCH_SECONDS (10) with BENCH_CLIENTS (8) clients; prints req/s, req/s per core, p50/p95.
With BENCH_REPLICA=1 (root, a Debian cluster) it also makes a hot standby of the database's
cluster (scripts/standby.py, port 5160 unless BENCH_REPLICA_PORT) and repeats the read scenarios
with the server reading from it, printing replica/primary ratios; the standby is dropped
afterwards. The Open311 reports it files are deleted at the end.
"""

import logging
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
import _django  # noqa: E402, F401 - sets up Django (dev settings, dev database)
import httpx  # noqa: E402
from django.db import connection  # noqa: E402

from geoportal.gunicorn_conf import default_workers  # noqa: E402
from geoportal.ogc.sql import tile_containing  # noqa: E402
from reports import demo  # noqa: E402
from reports.models import Report  # noqa: E402

logging.getLogger("httpx").setLevel(logging.WARNING)  # one log line per request otherwise
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
HOST = "127.0.0.1"
BOX = (6.90, 50.90, 7.02, 50.98)  # central Köln (lon/lat)
RUN = secrets.token_hex(4)
CORES = len(os.sched_getaffinity(0))


def database_url(port: int | None = None) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{port or s['PORT']}/{s['NAME']}"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def random_tile(rng: random.Random) -> str:
    z = rng.randint(12, 16)
    z, x, y = tile_containing(rng.uniform(BOX[0], BOX[2]), rng.uniform(BOX[1], BOX[3]), z)
    return f"/tiles/streets/{z}/{x}/{y}.mvt"


def scenarios():
    def open311(client: httpx.Client, rng: random.Random) -> httpx.Response:
        return client.post(
            "/open311/v2/requests.json",
            data={
                "api_key": demo.DEMO_KEY, "service_code": "schlagloch",
                "lat": rng.uniform(BOX[1], BOX[3]), "long": rng.uniform(BOX[0], BOX[2]),
                "description": f"bench-serving {RUN}", "email": f"bench-{RUN}@example.org",
            },
        )  # fmt: skip

    return {
        "tiles z12-16": (lambda c, rng: c.get(random_tile(rng)), True),
        "GeoJSON quarters": (lambda c, rng: c.get("/geojson/quarters.geojson"), True),
        "WFS 100 streets": (
            lambda c, rng: c.get(
                "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=streets&COUNT=100"
            ),
            True,
        ),
        "report form page": (lambda c, rng: c.get("/melden/"), False),
        "Open311 intake": (open311, False),
    }


def load(base: str, request) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + SECONDS

    def client(index: int):
        rng = random.Random(index)
        with httpx.Client(base_url=base, timeout=60) as c:
            while time.monotonic() < stop:
                started = time.perf_counter()
                response = request(c, rng)
                elapsed = time.perf_counter() - started
                with lock:
                    if response.status_code >= 400:
                        errors[0] += 1
                    latencies.append(elapsed)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    return {
        "rps": len(latencies) / SECONDS,
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "errors": errors[0],
    }


def serve(env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--host", HOST, "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/static/geoportal/portal.css", timeout=5)
            return process, base
        except httpx.HTTPError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("the server did not start")


def run(env: dict, only_reads: bool) -> dict:
    process, base = serve(env)
    try:
        results = {}
        for name, (request, read) in scenarios().items():
            if only_reads and not read:
                continue
            for _ in range(3):  # warm every worker's connection and caches
                request(httpx.Client(base_url=base, timeout=60), random.Random(0))
            results[name] = load(base, request)
        return results
    finally:
        process.terminate()
        process.wait(timeout=60)


def main() -> None:
    demo.configure()  # the Open311 key and categories (idempotent)
    workers = default_workers()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "geoportal.settings.dev",
        "DATABASE_URL": database_url(),
        "TRUST_REPORTS_PER_IP_HOUR": "100000000",
        "TRUST_REPORTS_PER_EMAIL_HOUR": "100000000",
        "LOG_LEVEL": "ERROR",
        "GEOPORTAL_WEB_LOG_LEVEL": "error",
    }
    env.pop("DATABASE_REPLICA_URLS", None)
    print(
        f"manage.py serve: gunicorn, {workers} workers, {CORES} cores; {CLIENTS} clients, "
        f"{SECONDS:.0f} s per scenario; PostgreSQL on the same machine"
    )
    try:
        primary = run(env, only_reads=False)
        print(f"{'primary alone':<20} {'req/s':>8} {'per core':>9} {'p50 ms':>7} {'p95 ms':>7}")
        for name, r in primary.items():
            print(
                f"{name:<20} {r['rps']:8.1f} {r['rps'] / CORES:9.1f} {r['p50']:7.1f} "
                f"{r['p95']:7.1f}" + (f"  ({r['errors']} errors)" if r["errors"] else "")
            )
        if os.environ.get("BENCH_REPLICA") != "1":
            print("primary + replica: not run (BENCH_REPLICA=1 makes a standby; needs root)")
            return
        import standby

        name, port = "bench_replica_i16", int(os.environ.get("BENCH_REPLICA_PORT", "5160"))
        standby.create(name, port, database_url())
        try:
            replica_env = {**env, "DATABASE_REPLICA_URLS": database_url(port)}
            replica = run(replica_env, only_reads=True)
        finally:
            standby.drop(name)
        print(f"{'primary + replica':<20} {'req/s':>8} {'ratio':>9} {'p50 ms':>7} {'p95 ms':>7}")
        for name, r in replica.items():
            ratio = r["rps"] / primary[name]["rps"]
            print(f"{name:<20} {r['rps']:8.1f} {ratio:8.2f}x {r['p50']:7.1f} {r['p95']:7.1f}")
        print("(one machine: the replica shares the cores with the primary and the app)")
    finally:
        deleted, _ = Report.objects.filter(description=f"bench-serving {RUN}").delete()
        print(f"removed {deleted} rows of the benchmark's reports")


if __name__ == "__main__":
    main()
