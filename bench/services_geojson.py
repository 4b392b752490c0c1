"""Benchmark: the GeoJSON endpoint against psql building the same GeoJSON, and vector tiles.

Creates a bench-only database next to the dev database (`<name>_bench`), migrates it, loads the
Köln core and 100,000 synthetic address points, serves it with gunicorn (1 worker, production
settings) and drops the database at the end, so the dev data stays as it was.

    make bench                                # or: .venv/bin/python bench/services_geojson.py
    BENCH_POINTS=20000 BENCH_RUNS=3 make bench

Prints the median of BENCH_RUNS full downloads of /geojson/addresses.geojson (no gzip) next to
the median of `psql -c <same GeoJSON as one json_agg>` > /dev/null, and their ratio (target
<= 1.3), then median and p95 per tile for zoom 12-16, sampled evenly over each layer's extent.
"""

import json
import math
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
POINTS = int(os.environ.get("BENCH_POINTS", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
TILES_PER_ZOOM = int(os.environ.get("BENCH_TILES", "60"))
# Synthetic points spread over 16 x 16 km of Köln (EPSG:25832), like a city's address points.
BOX = (349000, 5637000, 365000, 5653000)

# The GeoJSON the endpoint serves, written the way one would by hand in psql.
PSQL_GEOJSON = """
SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(
  json_build_object('type', 'Feature', 'id', a.id,
    'geometry', ST_AsGeoJSON(ST_Transform(a.geom, 4326), 6)::json,
    'properties', json_build_object('street_name', a.street_name,
      'house_number', a.house_number, 'house_number_suffix', a.house_number_suffix,
      'postcode', a.postcode, 'city', a.city))
  ORDER BY a.street_name, a.house_number, a.house_number_suffix, a.id))
FROM geoportal_address a
"""


def database_urls() -> tuple[str, str, str]:
    url = os.environ.get("DATABASE_URL", "postgres://geoportal:geoportal@127.0.0.1:5439/geoportal")
    parts = urlsplit(url)
    bench_name = parts.path.lstrip("/") + "_bench"
    admin = urlunsplit(parts._replace(path="/postgres"))
    bench = urlunsplit(parts._replace(path=f"/{bench_name}"))
    return admin, bench, bench_name


def psql(url: str, sql: str, *, quiet: bool = True) -> None:
    subprocess.run(
        ["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    # Only http://127.0.0.1 URLs built above reach this.
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - our server
        return response.status, response.read()


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def tile_xy(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def tiles_over(bounds: list[float], z: int, count: int) -> list[tuple[int, int, int]]:
    """Up to `count` tiles spread evenly over the layer's bounds (from its TileJSON)."""
    x0, y0 = tile_xy(bounds[0], bounds[3], z)
    x1, y1 = tile_xy(bounds[2], bounds[1], z)
    every = [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    step = max(1, len(every) // count)
    return every[::step][:count]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def main() -> None:
    admin, bench, name = database_urls()
    env = {**os.environ, "DATABASE_URL": bench, "DJANGO_SETTINGS_MODULE": "geoportal.settings.dev"}
    print(f"bench database {name}: migrate, Köln core, {POINTS:,} address points")
    psql(admin, f'DROP DATABASE IF EXISTS "{name}"')
    psql(admin, f'CREATE DATABASE "{name}"')
    server = None
    try:
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "load_demo")
        psql(
            bench,
            f"""
            INSERT INTO geoportal_address (street_name, street_key, house_number,
                house_number_suffix, postcode, city, geom, source, source_id)
            SELECT 'Benchstraße ' || (i % 997), 'benchstrasse ' || (i % 997), i % 300 + 1,
                   CASE WHEN i % 7 = 0 THEN 'a' ELSE '' END, '50' || lpad((i % 999)::text, 3, '0'),
                   'Köln',
                   ST_SetSRID(ST_MakePoint({BOX[0]} + random() * {BOX[2] - BOX[0]},
                                           {BOX[1]} + random() * {BOX[3] - BOX[1]}), 25832),
                   'bench', i::text
            FROM generate_series(1, {POINTS}) AS i;
            ANALYZE geoportal_address;""",
        )

        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "geoportal.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "1",
                "--timeout",
                "300",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "geoportal.settings.dev", "DEBUG": "false"},
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                fetch(f"{base}/tiles/addresses.json")
                break
            except OSError:
                time.sleep(0.2)

        url = f"{base}/geojson/addresses.geojson"
        status, body = fetch(url)  # warm-up: caches, connection, plans
        assert status == 200 and body.count(b'"Feature"') == POINTS, "endpoint is incomplete"
        psql(bench, PSQL_GEOJSON)
        # Interleaved, so a noisy neighbour on the machine hits both sides alike.
        endpoint_times, raw_times = [], []
        for _ in range(RUNS):
            endpoint_times += timed(lambda: fetch(url), 1)
            raw_times += timed(lambda: psql(bench, PSQL_GEOJSON), 1)
        endpoint, raw = statistics.median(endpoint_times), statistics.median(raw_times)
        print(
            f"GeoJSON {POINTS:,} points, {len(body) / 1e6:.1f} MB: endpoint "
            f"{endpoint:.2f} s, psql {raw:.2f} s, ratio {endpoint / raw:.2f}x (target <= 1.3)"
        )

        for label, fmt in (
            ("GML 3.2", "application/gml%2Bxml%3B%20version%3D3.2"),
            ("GeoJSON", "geojson"),
        ):
            wfs_url = (
                f"{base}/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=addresses"
                f"&COUNT=10000&STARTINDEX=50000&OUTPUTFORMAT={fmt}"
            )
            status, page = fetch(wfs_url)
            assert status == 200, page[:300]
            wfs_time = statistics.median(timed(lambda url=wfs_url: fetch(url), RUNS))
            print(
                f"WFS GetFeature 10,000 addresses (page 6) as {label}: {wfs_time * 1000:.0f} ms, "
                f"{len(page) / 1e6:.1f} MB"
            )

        for layer, zooms in (
            ("streets", range(12, 17)),
            ("quarters", range(12, 17)),
            ("addresses", range(14, 17)),
        ):
            _, tilejson = fetch(f"{base}/tiles/{layer}.json")
            bounds = json.loads(tilejson)["bounds"]
            for z in zooms:
                times, sizes = [], []
                for tz, tx, ty in tiles_over(bounds, z, TILES_PER_ZOOM):
                    start = time.perf_counter()
                    _, tile = fetch(f"{base}/tiles/{layer}/{tz}/{tx}/{ty}.mvt")
                    elapsed = time.perf_counter() - start
                    if tile:  # empty tiles (outside the city) say nothing about the cost
                        times.append(elapsed)
                        sizes.append(len(tile))
                if not times:
                    continue
                print(
                    f"tiles {layer:9} z{z}: {len(times):2} non-empty tiles, median "
                    f"{statistics.median(times) * 1000:.0f} ms, p95 {p95(times) * 1000:.0f} ms, "
                    f"median size {statistics.median(sizes) / 1024:.1f} KiB"
                )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        psql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"dropped {name}")


if __name__ == "__main__":
    main()
