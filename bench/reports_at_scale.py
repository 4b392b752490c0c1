"""Reports at city scale through the production server (`manage.py serve` → gunicorn).

    python bench/reports_at_scale.py [REPORTS]      # default 20,000 (what `make bench` runs)
    python bench/reports_at_scale.py 1000000        # the figure in docs/capacity.md

Copies the dev database (the demo city) into a throwaway database `<name>_scale`, commits
REPORTS public synthetic reports into it (generate_series, spread over ~16 km around central
Köln), starts the production server on it and measures, one client at a time, p50/p95 of
report tiles (/tiles/reports/, random tiles at z12–16) and of the public map's cluster view
(/meldungen/karte.geojson?cluster_zoom=…, a screen's bbox). The copy is dropped afterwards,
also on errors. Prints the machine's load beside the figures: they are only comparable on a
quiet machine.

BENCH_KEEP=1 keeps the copy and a later run reuses it if it holds the same number of reports
(1 M take minutes to insert on a small machine). BENCH_REPLICA=1 (root, a Debian cluster) then
makes a hot standby of the cluster (scripts/standby.py, port BENCH_REPLICA_PORT or 5161), serves
again with the public reads on it and prints both; the standby is dropped afterwards.
"""

import argparse
import logging
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
import _django  # noqa: E402, F401 - sets up Django (dev settings, dev database)
import httpx  # noqa: E402
import psycopg  # noqa: E402
import serving  # noqa: E402 - the production server started the same way as bench/serving.py
from django.db import connection  # noqa: E402

from geoportal.gunicorn_conf import default_workers  # noqa: E402
from geoportal.ogc.sql import tile_containing  # noqa: E402
from reports.generator import reports_analyze, reports_count, reports_generate  # noqa: E402

logging.getLogger("httpx").setLevel(logging.WARNING)  # one log line per request otherwise
HOST = "127.0.0.1"
BOX = (6.88, 50.88, 7.04, 50.99)  # central Köln (lon/lat), where the reports are
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "60"))  # per zoom level
BATCH = 100_000
KEEP = os.environ.get("BENCH_KEEP") == "1"


def url(name: str) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{name}"


def copy_database(source: str, target: str) -> None:
    connection.close()  # CREATE DATABASE … TEMPLATE needs the source without connections
    with psycopg.connect(url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
        admin.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def drop_database(target: str) -> None:
    with psycopg.connect(url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')


def add_reports(target: str, n: int) -> None:
    side = int(n**0.5) + 1
    with psycopg.connect(url(target), autocommit=True) as db:
        if not reports_count(db):
            raise SystemExit("no report to copy: load the demo city first (make demo)")
        for start in range(0, n, BATCH):
            stop = min(start + BATCH, n)
            # One demo report's category, office and district, moved onto a grid of ~16 km.
            reports_generate(db, start=start, stop=stop, side=side, spread_m=16000, prefix="scale-")
            print(f"  {stop:,} reports committed", flush=True)
        reports_analyze(db, vacuum=True)


def bench_reports(target: str) -> int:
    """Reports a kept copy already holds (0 if there is no copy)."""
    with psycopg.connect(url("postgres"), autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target]).fetchone():
            return 0
    with psycopg.connect(url(target), autocommit=True) as db:
        return reports_count(db, source="bench")


def serve(target: str, replica_url: str | None = None) -> tuple[subprocess.Popen, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "geoportal.settings.dev",  # what `make run` uses
        "DATABASE_URL": url(target),
        "LOG_LEVEL": "ERROR",
        "GEOPORTAL_WEB_LOG_LEVEL": "error",
    }
    env.pop("DATABASE_REPLICA_URLS", None)
    if replica_url:
        env["DATABASE_REPLICA_URLS"] = replica_url
    return serving.serve(env)


def measure(client: httpx.Client, paths: list[str]) -> tuple[float, float, float]:
    # Every worker's connection, its ETag marker and PostgreSQL's cache warm (one client's
    # requests are spread over the workers, so ask twice as often as there are workers).
    for path in paths[: 2 * default_workers()]:
        client.get(path)
    times, sizes = [], []
    for path in paths:
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
        sizes.append(len(response.content))
    p95 = statistics.quantiles(times, n=20)[-1]
    return statistics.median(times), p95, statistics.mean(sizes) / 1024


def view_bbox(rng: random.Random, zoom: int) -> str:
    # A 1280×800 px screen at `zoom`: 360° / 2^zoom per 256 px tile horizontally.
    width = 5 * 360 / 2**zoom
    height = width * 800 / 1280 * 0.63  # degrees of latitude are longer at 51°
    lon = rng.uniform(BOX[0], BOX[2] - width)
    lat = rng.uniform(BOX[1], BOX[3] - height)
    return f"{lon:.5f},{lat:.5f},{lon + width:.5f},{lat + height:.5f}"


def run(target: str, label: str, replica_url: str | None = None) -> dict[str, float]:
    """p95 per row, measured through a fresh server (the same random paths every run)."""
    process, base = serve(target, replica_url)
    rng = random.Random(16)
    results = {}
    try:
        print(
            f"{label}: manage.py serve (gunicorn, {default_workers()} workers, "
            f"{len(os.sched_getaffinity(0))} cores), one client, {REQUESTS} requests each; "
            f"load {os.getloadavg()[0]:.2f}"
        )
        print(f"{'':<28} {'p50 ms':>7} {'p95 ms':>7} {'KiB':>6}")
        with httpx.Client(base_url=base, timeout=120) as client:
            rows = []
            for zoom in range(12, 17):
                paths = []
                for _ in range(REQUESTS):
                    lon, lat = rng.uniform(BOX[0], BOX[2]), rng.uniform(BOX[1], BOX[3])
                    z, x, y = tile_containing(lon, lat, zoom)
                    paths.append(f"/tiles/reports/{z}/{x}/{y}.mvt")
                rows.append((f"report tiles z{zoom}", paths))
            for zoom in (11, 12, 13, 14):
                paths = [
                    f"/meldungen/karte.geojson?cluster_zoom={zoom}&bbox={view_bbox(rng, zoom)}"
                    for _ in range(REQUESTS)
                ]
                rows.append((f"cluster view z{zoom}", paths))
            for name, paths in rows:
                p50, p95, kib = measure(client, paths)
                results[name] = p95
                print(f"{name:<28} {p50:7.1f} {p95:7.1f} {kib:6.1f}", flush=True)
    finally:
        process.terminate()
        process.wait(timeout=60)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="?", type=int, default=20_000)
    n = parser.parse_args().reports
    source = connection.settings_dict["NAME"]
    target = f"{source}_scale"
    print(f"{n:,} reports in {target} (a copy of {source}); load: {os.getloadavg()[0]:.2f}")
    reuse = KEEP and bench_reports(target) == n
    if not reuse:
        copy_database(source, target)
    try:
        if reuse:
            print(f"  reusing {target} (BENCH_KEEP=1)")
        else:
            start = time.perf_counter()
            add_reports(target, n)
            seconds = time.perf_counter() - start
            print(f"  inserted, counted on the grid and analysed in {seconds:.0f} s")
        primary = run(target, "primary alone")
        if os.environ.get("BENCH_REPLICA") == "1":
            import standby

            name, port = "bench_replica_scale", int(os.environ.get("BENCH_REPLICA_PORT", "5161"))
            start = time.perf_counter()
            standby.create(name, port, url(target))
            print(f"  hot standby on port {port} in {time.perf_counter() - start:.0f} s")
            try:
                s = connection.settings_dict
                replica_url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{port}/{target}"
                label = "primary + replica (public reads on the standby)"
                replica = run(target, label, replica_url)
                # Proof that the reads went to the standby: its own transaction count there
                # (a backend reports its counts when it exits: give the workers' a moment).
                time.sleep(3)
                with psycopg.connect(replica_url, autocommit=True) as db:
                    sql = "SELECT xact_commit FROM pg_stat_database WHERE datname = %s"
                    served = db.execute(sql, [target]).fetchone()[0]
                print(f"  transactions the standby served in {target}: {served:,}")
            finally:
                standby.drop(name)
            print(f"{'replica / primary p95':<28}")
            for row, p95 in replica.items():
                print(f"{row:<28} {p95 / primary[row]:7.2f}x")
        print(f"load afterwards: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    finally:
        if KEEP:
            print(f"kept {target} (BENCH_KEEP=1); drop it with DROP DATABASE when done")
        else:
            drop_database(target)
            print(f"dropped {target}")


if __name__ == "__main__":
    main()
