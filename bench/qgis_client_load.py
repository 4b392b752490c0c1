"""A planner's QGIS loading the whole Köln land-use plan: our WFS, our OGC API - Features, and
QGIS Server (its WFS and its OGC API - Features) on the same PostGIS rows.

The client is real QGIS (PyQGIS from Debian's /usr/bin/python3, as tests/geoportal/ogc does), one
fresh process and HOME per measurement so no cache helps; a run is timed from creating the layer
(capabilities, schema) to having iterated every feature, i.e. what QGIS does to draw it all.
Rounds are interleaved (A B C D, A B C D, …) so load on the shared machine hits every server
alike; medians are printed. Ours is served as in production: `manage.py serve` (gunicorn).
QGIS Server reads a view holding exactly the rows and columns our layer publishes. Needs
Debian's qgis-server, python3-qgis and qgis-providers (`make bench` installs them).
"""

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile

from _qgis_server import QGIS_PYTHON, ROOT, free_port, landuse_project, wait_for

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CLIENT = ROOT / "bench" / "_qgis_load_client.py"


def load(provider: str, uri: str) -> tuple[float, int]:
    with tempfile.TemporaryDirectory(prefix="qgis-bench-") as home:
        env = {"PATH": "/usr/bin:/bin", "HOME": home, "XDG_RUNTIME_DIR": home,
               "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
        result = subprocess.run(
            [QGIS_PYTHON, str(CLIENT)], input=json.dumps({"provider": provider, "uri": uri}),
            capture_output=True, text=True, timeout=600, env=env, check=False,
        )
    line = next((x for x in result.stdout.splitlines() if x.startswith("LOAD-RESULT ")), None)
    if result.returncode != 0 or line is None:
        raise SystemExit(f"QGIS failed on {uri} ({result.returncode}):\n"
                         f"{result.stdout[-1500:]}{result.stderr[-1500:]}")
    data = json.loads(line.removeprefix("LOAD-RESULT "))
    return data["seconds"], data["features"]


def measure(expected: int, project) -> dict[str, list[float]]:
    """Seconds per case and round: our server and QGIS Server running side by side."""
    env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1",
           "DJANGO_SETTINGS_MODULE": "geoportal.settings.dev", "QT_QPA_PLATFORM": "offscreen"}
    ours_port, qgis_port = free_port(), free_port()
    servers = [
        # The production server (gunicorn, its default worker count), not runserver.
        subprocess.Popen([sys.executable, "manage.py", "serve", "--port", str(ours_port)],
                         cwd=ROOT, env=env, start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen(["qgis_mapserver", "-p", str(project), f"127.0.0.1:{qgis_port}"],
                         env=env, start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    ours, qgis = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{qgis_port}"
    cases = [
        ("ours, WFS 2.0", "WFS", f"url='{ours}/wfs' typename='app:landuse' version='2.0.0' "
                                 "srsname='EPSG:25832' pagingEnabled='true'"),
        ("ours, OGC API Features", "OAPIF", f"url='{ours}/ogcapi' typename='landuse'"),
        ("QGIS Server, WFS 1.1", "WFS", f"url='{qgis}/' typename='landuse' version='1.1.0' "
                                        "srsname='EPSG:25832'"),
        ("QGIS Server, OGC API Features", "OAPIF", f"url='{qgis}/wfs3' typename='landuse'"),
    ]
    times: dict[str, list[float]] = {label: [] for label, _, _ in cases}
    try:
        wait_for(f"{ours}/ogcapi/", seconds=120)
        wait_for(f"{qgis}/?SERVICE=WFS&REQUEST=GetCapabilities", seconds=120)
        for label, provider, uri in cases:  # warm every server once, and check the counts
            _, features = load(provider, uri)
            assert features == expected, (label, features, expected)
        for _ in range(ROUNDS):
            for label, provider, uri in cases:
                seconds, features = load(provider, uri)
                assert features == expected, (label, features, expected)
                times[label].append(seconds)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    return times


def main() -> None:
    if not (os.path.exists(QGIS_PYTHON) and shutil.which("qgis_mapserver")):
        raise SystemExit("QGIS missing: scripts/system-deps.sh bench")
    with landuse_project("landuse-client.qgs") as (expected, project):
        times = measure(expected, project)
    print(f"QGIS 3.22 client loads the Köln land-use plan ({expected:,} areas, every feature), "
          f"median of {ROUNDS} interleaved runs")
    base = statistics.median(next(iter(times.values())))
    print(f"  {'server, protocol':32} {'median':>9} {'min':>9} {'× ours WFS':>11}")
    for label in times:
        median = statistics.median(times[label])
        print(f"  {label:32} {median:8.2f}s {min(times[label]):8.2f}s {median / base:10.2f}x")
    print(f"  machine load during the run: {os.getloadavg()[0]:.2f} (1-min), "
          f"{os.cpu_count()} cores")


if __name__ == "__main__":
    main()
