"""QGIS as a planner's client, run by Debian's /usr/bin/python3 (PyQGIS is not pip-installable).

Not a test module: tests/geoportal/ogc/test_clients.py starts it in a subprocess, gives it a job
as JSON on stdin and reads what QGIS saw as JSON on stdout. One process does every layer of one
protocol, because starting QGIS costs seconds. A crash (signal, non-zero exit) fails the test.

Job: {"provider": "WFS" | "OAPIF", "layers": [{"name", "uri", "sample", "rect", "rect_crs",
"expression"}], "project": optional path of a .qgz to open instead}.
"""

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402 - QT_QPA_PLATFORM must be set before Qt loads
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsMapBoxGlStyleConversionContext,
    QgsMapBoxGlStyleConverter,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
    QgsVectorTileLayer,
    QgsWkbTypes,
)


def _value(value):
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    if isinstance(value, int | float | str | bool):
        return value
    # QDate/QDateTime as ISO text, as the server sent them (str() gives "PyQt5...QDate(...)").
    for method in ("toPyDateTime", "toPyDate"):
        if hasattr(value, method):
            return getattr(value, method)().isoformat()
    return str(value)


def _layer_report(layer: QgsVectorLayer, job: dict) -> dict:
    report = {"valid": layer.isValid(), "name": job["name"]}
    if not layer.isValid():
        report["error"] = layer.dataProvider().error().summary() if layer.dataProvider() else ""
        return report
    report["feature_count"] = layer.featureCount()
    report["fields"] = [f.name() for f in layer.fields()]
    report["crs"] = layer.crs().authid()
    report["geometry_type"] = QgsWkbTypes.displayString(layer.wkbType())
    sample = []
    for feature in layer.getFeatures(QgsFeatureRequest().setLimit(job.get("sample", 20))):
        geometry = feature.geometry()
        box = geometry.boundingBox()
        sample.append(
            {
                "attributes": {f.name(): _value(feature[f.name()]) for f in layer.fields()},
                "geometry_type": QgsWkbTypes.displayString(geometry.wkbType())
                if not geometry.isNull()
                else None,
                "valid_geometry": not geometry.isNull() and not geometry.isEmpty(),
                "bbox": [box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum()],
            }
        )
    report["sample"] = sample
    key = job.get("key")
    if job.get("rect"):
        rect = QgsRectangle(*job["rect"])
        rect_crs = QgsCoordinateReferenceSystem(job["rect_crs"])
        if rect_crs != layer.crs():
            transform = QgsCoordinateTransform(rect_crs, layer.crs(), QgsProject.instance())
            rect = transform.transformBoundingBox(rect)
        request = QgsFeatureRequest().setFilterRect(rect).setFlags(QgsFeatureRequest.ExactIntersect)
        report["rect_keys"] = sorted(str(f[key]) for f in layer.getFeatures(request))
    if job.get("expression"):
        request = QgsFeatureRequest().setFilterExpression(job["expression"])
        report["expression_keys"] = sorted(str(f[key]) for f in layer.getFeatures(request))
    if job.get("qml"):
        _, ok = layer.loadNamedStyle(job["qml"])
        report["qml"] = {"ok": ok, **_renderer(layer)}
    if job.get("sld"):
        _, ok = layer.loadSldStyle(job["sld"])
        report["sld"] = {"ok": ok, **_renderer(layer)}
    if job.get("subset"):
        # A subset string is sent to the server (WFS: as an OGC filter; OAPIF: as a CQL2 filter
        # where the server declares Part 3, else QGIS filters itself).
        layer.setSubsetString(job["subset"])
        report["subset_count"] = sum(1 for _ in layer.getFeatures())
    return report


def _renderer(layer) -> dict:
    renderer = layer.renderer()
    if renderer is None:
        return {"renderer": None}
    count = 0
    if hasattr(renderer, "categories"):
        count = len(renderer.categories())
    elif hasattr(renderer, "rootRule"):
        count = len(renderer.rootRule().children())
    return {"renderer": renderer.type(), "classes": count}


def _vector_tiles(job: dict) -> dict:
    layer = QgsVectorTileLayer(job["uri"], "tiles")
    report = {"valid": layer.isValid()}
    if not layer.isValid():
        return report
    report["min_zoom"] = layer.sourceMinZoom()
    report["max_zoom"] = layer.sourceMaxZoom()
    if job.get("style"):
        with open(job["style"], encoding="utf-8") as handle:
            style = json.load(handle)
        converter = QgsMapBoxGlStyleConverter()
        context = QgsMapBoxGlStyleConversionContext()
        result = converter.convert(style, context)
        report["style_converted"] = result == QgsMapBoxGlStyleConverter.Success
        report["style_warnings"] = list(converter.warnings())
        renderer = converter.renderer()
        report["style_rules"] = len(renderer.styles()) if renderer else 0
        if renderer:
            layer.setRenderer(renderer)
    return report


def run_layers(job: dict) -> dict:
    reports = []
    for item in job.get("layers", []):
        layer = QgsVectorLayer(item["uri"], item["name"], job["provider"])
        reports.append(_layer_report(layer, item))
    result = {"layers": reports}
    if job.get("vector_tiles"):
        result["vector_tiles"] = _vector_tiles(job["vector_tiles"])
    return result


def run_project(job: dict) -> dict:
    project = QgsProject.instance()
    if not project.read(job["project"]):
        return {"error": project.error()}
    layers = []
    for layer in project.mapLayers().values():
        node = project.layerTreeRoot().findLayer(layer.id())
        renderer = layer.renderer() if hasattr(layer, "renderer") else None
        layers.append(
            {
                "name": layer.name(),
                "valid": layer.isValid(),
                "provider": layer.providerType(),
                "source": layer.source(),
                "group": node.parent().name() if node and node.parent() else None,
                "renderer": renderer.type() if renderer else None,
                "categories": len(renderer.categories())
                if renderer is not None and hasattr(renderer, "categories")
                else 0,
                "feature_count": layer.featureCount() if layer.isValid() else None,
            }
        )
    return {"layers": layers}


def main() -> int:
    job = json.load(sys.stdin)
    app = QgsApplication([], False)
    app.initQgis()
    try:
        result = run_project(job) if job.get("project") else run_layers(job)
    finally:
        QgsProject.instance().clear()
    print("QGIS-RESULT " + json.dumps(result))
    sys.stdout.flush()
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
