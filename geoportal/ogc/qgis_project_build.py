"""Write the planners' QGIS project (.qgz) with PyQGIS: every public layer as a WFS 2.0 layer of
this server, grouped by app and styled with the layer's .qml.

Runs under Debian's /usr/bin/python3 with python3-qgis (PyQGIS is not pip-installable), started
by geoportal/ogc/qgis_project.py; never imported by Django. Reads a JSON job on stdin:
{"out": path, "title": str, "layers": [{"title", "group", "uri", "qml"}]}.
QGIS opens each layer (GetCapabilities + DescribeFeatureType, no features), so the server must
answer while it waits for this process: any threaded or multi-worker server does.
"""

import json
import os
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402 - QT_QPA_PLATFORM must be set before Qt loads
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsProject,
    QgsVectorLayer,
)


def build(job: dict) -> None:
    project = QgsProject.instance()
    project.setTitle(job["title"])
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:25832"))
    root = project.layerTreeRoot()
    groups = {}
    with tempfile.TemporaryDirectory() as folder:
        for i, item in enumerate(job["layers"]):
            layer = QgsVectorLayer(item["uri"], item["title"], "WFS")
            if not layer.isValid():
                sys.exit(f"QGIS cannot open {item['uri']}: {layer.error().summary()}")
            style = os.path.join(folder, f"{i}.qml")
            with open(style, "w", encoding="utf-8") as handle:
                handle.write(item["qml"])
            _, ok = layer.loadNamedStyle(style)
            if not ok:
                sys.exit(f"QGIS cannot read the style of {item['title']}")
            project.addMapLayer(layer, False)
            group = groups.get(item["group"]) or root.addGroup(item["group"])
            groups[item["group"]] = group
            group.addLayer(layer)
    if not project.write(job["out"]):
        sys.exit(f"could not write {job['out']}")


def main() -> int:
    job = json.load(sys.stdin)
    app = QgsApplication([], False)
    app.initQgis()
    try:
        build(job)
    finally:
        QgsProject.instance().clear()
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
