"""Write a QGIS project that publishes one PostGIS table or view on WFS.

Used by bench/ogc_vs_qgis_server.py.

Runs under Debian's own python3 with python3-qgis, not the project's virtualenv:
    /usr/bin/python3 scripts/qgis_project.py OUT.qgs HOST PORT DB USER PASSWORD TABLE LAYERNAME
"""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsDataSourceUri,
    QgsProject,
    QgsVectorLayer,
)


def main(out, host, port, db, user, password, table, name) -> None:
    app = QgsApplication([], False)
    app.initQgis()
    uri = QgsDataSourceUri()
    uri.setConnection(host, port, db, user, password)
    uri.setDataSource("public", table, "geom", "", "id")
    uri.setSrid("25832")
    uri.setWkbType(6)  # MultiPolygon
    layer = QgsVectorLayer(uri.uri(False), name, "postgres")
    if not layer.isValid():
        sys.exit(f"QGIS cannot open {table} in {db}: {layer.error().summary()}")
    project = QgsProject.instance()
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:25832"))
    project.addMapLayer(layer)
    project.writeEntry("WFSLayers", "/", [layer.id()])
    project.writeEntry("WFSLayersPrecision", "/" + layer.id(), 2)
    project.writeEntry("WMSServiceCapabilities", "/", True)
    project.writeEntry("WMSServiceTitle", "/", "bench")
    project.writeEntry("WMSCrsList", "/", ["EPSG:25832", "EPSG:4326"])
    if not project.write(out):
        sys.exit(f"could not write {out}")
    print(f"{out}: {layer.featureCount()} features in {name}")
    app.exitQgis()


if __name__ == "__main__":
    main(*sys.argv[1:])
