"""The same CQL2 filter on the Köln land-use plan: our OGC API - Features vs tipg on the same rows.

The filter combines an attribute comparison with S_INTERSECTS against a polygon (the inner
city), in CQL2 text and in CQL2 JSON. tipg (FastAPI + asyncpg, `pip install tipg`) is installed
into a throwaway venv under var/bench/ on first run and reads a view that holds exactly the rows
and columns our layer publishes. Both must report the same number of features (checked), then
each filtered request (all matching features as GeoJSON, limit 10000) is timed, interleaved,
median of BENCH_ROUNDS. Ours is served as in production: `manage.py serve` (gunicorn).
"""

import json
import os
import signal
import statistics
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import _django  # noqa: F401
from django.conf import settings
from django.db import connection
from ogc_vs_qgis_server import ROOT, VIEW_SQL, free_port, timed, wait_for

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
VENV = ROOT / "var" / "bench" / "tipg-venv"
# Central Köln (CRS84) and the land-use class with the most areas: about 450 match.
POLYGON = "POLYGON((6.85 50.88, 7.05 50.88, 7.05 50.98, 6.85 50.98, 6.85 50.88))"
FILTER_TEXT = f"class_code = 'gruenflaeche' AND S_INTERSECTS(geom, {POLYGON})"
FILTER_JSON = json.dumps({"op": "and", "args": [
    {"op": "=", "args": [{"property": "class_code"}, "gruenflaeche"]},
    {"op": "s_intersects", "args": [{"property": "geom"}, {
        "type": "Polygon",
        "coordinates": [[[6.85, 50.88], [7.05, 50.88], [7.05, 50.98], [6.85, 50.98],
                         [6.85, 50.88]]]}]},
]})


def tipg_python() -> str:
    python = VENV / "bin" / "python"
    if not (VENV / ".installed").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "tipg", "uvicorn"], check=True)
        (VENV / ".installed").touch()
    return str(python)


def items_url(base: str, lang: str, text: str) -> str:
    query = urllib.parse.urlencode({"filter-lang": lang, "filter": text, "limit": 10000})
    return f"{base}/items?{query}"


def main() -> None:
    python = tipg_python()
    with connection.cursor() as cursor:
        cursor.execute(VIEW_SQL)
        cursor.execute("SELECT count(*) FROM bench_landuse")
        if not cursor.fetchone()[0]:
            raise SystemExit("no current land-use plan: run `make demo` first")
    db = settings.DATABASES["default"]
    ours_port, tipg_port = free_port(), free_port()
    env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1",
           "DJANGO_SETTINGS_MODULE": "geoportal.settings.dev"}
    tipg_env = {
        **env,
        "DATABASE_URL": f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}"
                        f"/{db['NAME']}",
        "TIPG_DB_SCHEMAS": '["public"]',
        "TIPG_DB_TABLES": '["public.bench_landuse"]',
        "TIPG_MAX_FEATURES_PER_QUERY": "10000",
    }
    servers = [
        subprocess.Popen([sys.executable, "manage.py", "serve", "--port", str(ours_port)],
                         cwd=ROOT, env=env, start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        # One uvicorn worker: tipg is async, one process is how it is usually run.
        subprocess.Popen([python, "-m", "uvicorn", "tipg.main:app", "--host", "127.0.0.1",
                          "--port", str(tipg_port)], env=tipg_env, start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    ours = f"http://127.0.0.1:{ours_port}/ogcapi/collections/landuse"
    tipg = f"http://127.0.0.1:{tipg_port}/collections/public.bench_landuse"
    cases = [(f"{name}, {lang}", items_url(base, lang, text))
             for lang, text in (("cql2-text", FILTER_TEXT), ("cql2-json", FILTER_JSON))
             for name, base in (("ours", ours), ("tipg", tipg))]
    times: dict[str, list[float]] = {label: [] for label, _ in cases}
    counts: dict[str, int] = {}
    try:
        wait_for(f"http://127.0.0.1:{ours_port}/ogcapi/", seconds=120)
        wait_for(f"http://127.0.0.1:{tipg_port}/collections", seconds=120)
        for label, url in cases:  # warm, and check both agree
            try:
                _, body = timed(url)
            except urllib.error.HTTPError as exc:
                detail = exc.read()[:300]
                raise SystemExit(f"{label} refused the filter: {exc.code} {detail!r}") from None
            counts[label] = len(json.loads(body)["features"])
        for _ in range(ROUNDS):
            for label, url in cases:
                seconds, _ = timed(url)
                times[label].append(seconds)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("DROP VIEW IF EXISTS bench_landuse")
    assert len(set(counts.values())) == 1 and next(iter(counts.values())), counts
    print(f"CQL2 filter on the land-use plan: {FILTER_TEXT}")
    print(f"  both return {next(iter(counts.values()))} features; median of {ROUNDS} interleaved")
    for lang in ("cql2-text", "cql2-json"):
        ours_m = statistics.median(times[f"ours, {lang}"])
        tipg_m = statistics.median(times[f"tipg, {lang}"])
        print(f"  {lang:10} ours {ours_m * 1000:6.0f} ms   tipg {tipg_m * 1000:6.0f} ms   "
              f"ours/tipg {ours_m / tipg_m:.2f}x")
    print(f"  machine load during the run: {os.getloadavg()[0]:.2f} (1-min), "
          f"{os.cpu_count()} cores")


if __name__ == "__main__":
    main()
