"""WFS GetFeature of the whole Köln land-use plan: our /wfs vs QGIS Server on the same PostGIS data.

Both servers run on loopback, one process each (gunicorn with 1 sync worker; qgis_mapserver),
and are asked in turn for every feature of the current plan in EPSG:25832. QGIS Server reads a
view over the same table that holds exactly the rows and columns our layer publishes. QGIS
Server 3.22 speaks WFS 1.0/1.1, so it answers GML 3.1 to our WFS 2.0 / GML 3.2: the same job
for a planner's QGIS. Needs Debian's qgis-server and python3-qgis (`make bench` installs them).
"""

import os
import re
import shutil
import statistics
import subprocess
import time
import urllib.request
from pathlib import Path

from _qgis_server import QGIS_PYTHON, ROOT, free_port, landuse_project, wait_for

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))


def timed(url: str) -> tuple[float, bytes]:
    # urllib, not httpx: httpx spends ~0.7 s per 7 MB reading a chunked stream, which would
    # measure the client instead of the server.
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - loopback only
        body = response.read()
    return time.perf_counter() - started, body


def main() -> None:
    if not (shutil.which("qgis_mapserver") and Path(QGIS_PYTHON).exists()):
        raise SystemExit("qgis_mapserver missing: apt-get install qgis-server python3-qgis")
    with landuse_project("landuse.qgs") as (expected, project):
        ours_port, qgis_port = free_port(), free_port()
        env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1",
               "DJANGO_SETTINGS_MODULE": "geoportal.settings.dev", "QT_QPA_PLATFORM": "offscreen"}
        servers = [
            subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "geoportal.wsgi", "-w",
                              "1", "-b", f"127.0.0.1:{ours_port}"], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
            subprocess.Popen(["qgis_mapserver", "-p", str(project), f"127.0.0.1:{qgis_port}"],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        ]
        ours = (f"http://127.0.0.1:{ours_port}/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature"
                "&TYPENAMES=app:landuse&SRSNAME=EPSG:25832&COUNT=100000")
        qgis = (f"http://127.0.0.1:{qgis_port}/?SERVICE=WFS&VERSION=1.1.0&REQUEST=GetFeature"
                "&TYPENAME=landuse&SRSNAME=EPSG:25832")
        try:
            wait_for(f"http://127.0.0.1:{ours_port}/status.json")
            wait_for(f"http://127.0.0.1:{qgis_port}/?SERVICE=WFS&REQUEST=GetCapabilities")
            timed(ours), timed(qgis)  # warm both
            ours_s, qgis_s = [], []
            for _ in range(ROUNDS):
                seconds, ours_body = timed(ours)
                ours_s.append(seconds)
                seconds, qgis_body = timed(qgis)
                qgis_s.append(seconds)
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=10)
    ours_n = len(re.findall(rb"<wfs:member", ours_body))
    qgis_n = len(re.findall(rb"<gml:featureMember", qgis_body))
    assert ours_n == qgis_n == expected, (ours_n, qgis_n, expected)
    ours_m, qgis_m = statistics.median(ours_s), statistics.median(qgis_s)
    print(f"WFS GetFeature, Köln land-use plan ({expected:,} areas, EPSG:25832), "
          f"median of {ROUNDS}")
    for label, median, body in (("ours (WFS 2.0, GML 3.2)       ", ours_m, ours_body),
                                ("QGIS Server (WFS 1.1, GML 3.1)", qgis_m, qgis_body)):
        print(f"  {label}  {median * 1000:7.0f} ms  {len(body) / 1e6:5.1f} MB")
    print(f"  ratio ours/QGIS Server: {ours_m / qgis_m:.2f}x")


if __name__ == "__main__":
    main()
