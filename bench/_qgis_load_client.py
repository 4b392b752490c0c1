"""One timed layer load in QGIS, run by Debian's /usr/bin/python3 (PyQGIS is not on PyPI).

Not a benchmark of its own (the leading underscore keeps `make bench` from running it):
bench/qgis_client_load.py starts it once per measurement with a fresh HOME, so no QGIS network
or feature cache survives between runs. Reads {"provider", "uri"} as JSON on stdin, prints
`LOAD-RESULT {"seconds", "features"}`: the time from creating the layer (capabilities, schema)
to having iterated every feature with its geometry, as a planner's QGIS does to draw it all.
"""

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import QgsApplication, QgsVectorLayer  # noqa: E402 - after QT_QPA_PLATFORM


def main() -> int:
    job = json.load(sys.stdin)
    app = QgsApplication([], False)
    app.initQgis()
    started = time.perf_counter()
    layer = QgsVectorLayer(job["uri"], "bench", job["provider"])
    if not layer.isValid():
        print("LOAD-RESULT " + json.dumps({"error": layer.dataProvider().error().summary()}))
        return 1
    features = 0
    for feature in layer.getFeatures():
        if not feature.geometry().isNull():
            features += 1
    seconds = time.perf_counter() - started
    print("LOAD-RESULT " + json.dumps({"seconds": seconds, "features": features}))
    sys.stdout.flush()
    del layer
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
