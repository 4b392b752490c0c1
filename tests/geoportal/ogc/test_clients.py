"""The planners' real clients against the live server: QGIS (PyQGIS from Debian's python3, WFS
2.0 and OGC API - Features), OWSLib, and GDAL's ogr2ogr into a GeoPackage.

What counts is what the client saw, compared with what PostGIS says about the same rows: the
feature count, attributes and geometry, a bbox and an attribute filter. One QGIS process per
protocol does every layer (starting QGIS costs seconds); a crash of the client fails the test.
"""

import io
import json
import os
import subprocess
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import LinearRing, Polygon
from lxml import etree

from geoportal.ogc.layers import Layer, all_layers
from landuse.classes import CLASSES

QGIS_PYTHON = "/usr/bin/python3"  # Debian's, with python3-qgis; PyQGIS is not on PyPI
QGIS_CLIENT = Path(__file__).with_name("qgis_client.py")
QGIS_TIMEOUT_S = 300
STORAGE = "EPSG:25832"


@pytest.fixture(scope="module", autouse=True)
def _landuse_plan(django_db_setup, django_db_blocker):
    """The land-use plan is the planners' main layer: commit it (once) so the clients see rows."""
    with django_db_blocker.unblock():
        from landuse import demo
        from landuse.models import Plan

        if not Plan.objects.filter(name=demo.NAME, is_current=True).exists():
            demo.load(io.StringIO())


def run_qgis(job: dict, tmp_path: Path) -> dict:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "XDG_RUNTIME_DIR": str(tmp_path),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }
    result = subprocess.run(
        [QGIS_PYTHON, str(QGIS_CLIENT)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=QGIS_TIMEOUT_S,
        env=env,
        check=False,
    )
    # A negative return code is a signal: QGIS crashed on something we served.
    assert result.returncode == 0, f"QGIS exited with {result.returncode}\n{result.stderr[-3000:]}"
    line = next((x for x in result.stdout.splitlines() if x.startswith("QGIS-RESULT ")), None)
    assert line, result.stdout[-2000:] + result.stderr[-2000:]
    return json.loads(line.removeprefix("QGIS-RESULT "))


def _key(layer: Layer) -> str:
    """A property to recognise features by: the first text or integer one."""
    return next(p.name for p in layer.properties if p.json_type in ("string", "integer"))


def _string_key(layer: Layer) -> str | None:
    return next(
        (p.name for p in layer.properties if p.json_type == "string" and not p.format), None
    )


def _as_text(value) -> str:
    return "None" if value is None else str(value)


def _storage_rect(layer: Layer) -> tuple[float, float, float, float] | None:
    """The middle ninth of the layer's extent, in the storage CRS."""
    extent = layer.queryset().aggregate(e=Extent(layer.geometry_field))["e"]
    if extent is None:
        return None
    xmin, ymin, xmax, ymax = extent
    dx, dy = (xmax - xmin) / 3 or 50, (ymax - ymin) / 3 or 50
    return (xmin + dx, ymin + dy, xmin + 2 * dx + 1, ymin + 2 * dy + 1)


def _densified(box, srid: int) -> Polygon:
    """The box as the server reads it: edges densified, so reprojecting keeps them curved."""
    xmin, ymin, xmax, ymax = box
    n = 64
    points = (
        [(xmin + (xmax - xmin) * i / n, ymin) for i in range(n)]
        + [(xmax, ymin + (ymax - ymin) * i / n) for i in range(n)]
        + [(xmax - (xmax - xmin) * i / n, ymax) for i in range(n)]
        + [(xmin, ymax - (ymax - ymin) * i / n) for i in range(n)]
    )
    return Polygon(LinearRing([*points, points[0]]), srid=srid)


def _expected(layer: Layer, *, box=None, box_srid: int | None = None) -> dict:
    key = _key(layer)
    rows = layer.queryset()
    expected = {"key": key, "count": rows.count()}
    if box is not None:
        polygon = _densified(box, box_srid)
        polygon.transform(layer.geometry.srid)
        within = rows.filter(**{f"{layer.geometry_field}__intersects": polygon})
        expected["rect_keys"] = sorted(_as_text(v) for v in within.values_list(key, flat=True))
    text = _string_key(layer)
    first = rows.order_by(*layer.orm_order).values_list(text, flat=True).first() if text else None
    if first:
        expected["expression"] = f"\"{text}\" = '{first}'"
        same = rows.filter(**{text: first}).values_list(key, flat=True)
        expected["expression_keys"] = sorted(_as_text(v) for v in same)
    return expected


def _wgs84_box(box) -> tuple[float, float, float, float]:
    polygon = _densified(box, 25832)
    polygon.transform(4326)
    return tuple(round(v, 6) for v in polygon.extent)


def _layer_jobs(base: str, provider: str) -> tuple[list[dict], dict[str, dict]]:
    jobs, expectations = [], {}
    for i, layer in enumerate(all_layers()):
        rect = _storage_rect(layer)
        if provider == "WFS":
            uri = (
                f"url='{base}/wfs' typename='app:{layer.name}' version='2.0.0' "
                f"srsname='{STORAGE}' pagingEnabled='true'"
            )
            box, box_srid, box_crs = rect, 25832, STORAGE
        else:
            # Both spellings of the root, as planners type them (the bug QGIS hit: /ogcapi).
            root = f"{base}/ogcapi" + ("/" if i % 2 else "")
            uri = f"url='{root}' typename='{layer.name}'"
            box = _wgs84_box(rect) if rect else None
            box_srid, box_crs = 4326, "EPSG:4326"
        expected = _expected(layer, box=box, box_srid=box_srid)
        expectations[layer.name] = expected
        jobs.append(
            {
                "name": layer.name,
                "uri": uri,
                "key": expected["key"],
                "sample": 20,
                "rect": list(box) if box else None,
                "rect_crs": box_crs,
                "expression": expected.get("expression"),
                # WFS: QGIS sends the subset string to the server as an FES filter.
                "subset": expected.get("expression") if provider == "WFS" else None,
            }
        )
    return jobs, expectations


def _check_layers(result: dict, expectations: dict[str, dict], crs: str) -> None:
    seen = {report["name"]: report for report in result["layers"]}
    assert set(seen) == set(expectations)
    for name, expected in expectations.items():
        report = seen[name]
        layer = next(x for x in all_layers() if x.name == name)
        assert report["valid"], (name, report.get("error"))
        assert report["feature_count"] == expected["count"], name
        generic = layer.geometry_type == "Geometry"
        # QGIS learns the geometry type (and so the CRS) of a mixed-type WFS layer, and of every
        # OGC API collection, from the rows: an empty one shows as a table without geometry.
        typeless = not expected["count"] and (generic or crs != STORAGE)
        assert report["crs"] == ("" if typeless else crs), name
        # (QGIS 3.22 reads an OGC API collection's fields from its first feature, too.)
        fields = set() if typeless else {p.name for p in layer.properties}
        assert set(report["fields"]) >= fields, name
        assert len(report["sample"]) == min(20, expected["count"]), name
        for feature in report["sample"]:
            assert feature["valid_geometry"], (name, feature)
            if not generic:
                assert feature["geometry_type"].replace("Multi", "") == (
                    layer.geometry_type.replace("Multi", "")
                ), (name, feature["geometry_type"])
            assert feature["attributes"][expected["key"]] is not None, name
        if "rect_keys" in expected:
            assert Counter(report["rect_keys"]) == Counter(expected["rect_keys"]), name
        if "expression_keys" in expected:
            assert report["expression_keys"] == expected["expression_keys"], name
            if report.get("subset_count") is not None:
                assert report["subset_count"] == len(expected["expression_keys"]), name


def _download(url: str, path: Path) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - our live server
        path.write_bytes(response.read())
    return str(path)


def test_qgis_loads_every_layer_as_wfs(live_server, tmp_path):
    """Also in this QGIS process: the land-use styles (.qml, SLD) on the WFS layer, and the
    combined vector tiles with their MapLibre style, as the Vector Tiles connection loads them."""
    jobs, expectations = _layer_jobs(live_server.url, "WFS")
    landuse = next(job for job in jobs if job["name"] == "landuse")
    style = f"{live_server.url}/ogcapi/collections/landuse/styles/default"
    landuse["qml"] = _download(f"{style}?f=qml", tmp_path / "landuse.qml")
    landuse["sld"] = _download(f"{style}?f=sld", tmp_path / "landuse.sld")
    tiles = f"{live_server.url}/ogcapi/tiles/WebMercatorQuad"
    vector_tiles = {
        "uri": f"type=xyz&url={quote(tiles)}/%7Bz%7D/%7By%7D/%7Bx%7D&zmin=0&zmax=22",
        "style": _download(f"{tiles}/style", tmp_path / "style.json"),
    }
    result = run_qgis({"provider": "WFS", "layers": jobs, "vector_tiles": vector_tiles}, tmp_path)
    _check_layers(result, expectations, STORAGE)
    styled = next(report for report in result["layers"] if report["name"] == "landuse")
    assert styled["qml"] == {"ok": True, "renderer": "categorizedSymbol", "classes": len(CLASSES)}
    assert styled["sld"]["ok"] and styled["sld"]["classes"] == len(CLASSES)
    tiles_report = result["vector_tiles"]
    assert tiles_report["valid"] and tiles_report["style_converted"]
    assert tiles_report["style_warnings"] == []
    assert tiles_report["style_rules"] >= len(all_layers())


def test_qgis_loads_every_layer_as_ogc_api_features(live_server, tmp_path):
    jobs, expectations = _layer_jobs(live_server.url, "OAPIF")
    result = run_qgis({"provider": "OAPIF", "layers": jobs}, tmp_path)
    _check_layers(result, expectations, "EPSG:4326")


def test_owslib_reads_wfs_capabilities_and_features(live_server):
    from owslib.wfs import WebFeatureService

    service = WebFeatureService(f"{live_server.url}/wfs", version="2.0.0", timeout=60)
    names = {name.split(":")[-1] for name in service.contents}
    assert names == {layer.name for layer in all_layers()}
    response = service.getfeature(typename=["app:quarters"], maxfeatures=5)
    root = etree.fromstring(response.read())
    members = root.findall("{http://www.opengis.net/wfs/2.0}member")
    assert len(members) == 5
    assert (
        int(root.get("numberMatched"))
        == next(x for x in all_layers() if x.name == "quarters").queryset().count()
    )


@pytest.mark.parametrize("root", ["/ogcapi", "/ogcapi/"])
def test_owslib_reads_ogc_api_features(live_server, root):
    from owslib.ogcapi.features import Features

    api = Features(f"{live_server.url}{root}", timeout=60)
    assert {c["id"] for c in api.collections()["collections"]} == {
        layer.name for layer in all_layers()
    }
    for layer in all_layers():
        page = api.collection_items(layer.name, limit=7)
        assert page["numberMatched"] == layer.queryset().count(), layer.name
        assert page["numberReturned"] == min(7, page["numberMatched"])
        keys = {p.name for p in layer.properties}
        for feature in page["features"]:
            assert set(feature["properties"]) == keys
            if layer.geometry_type != "Geometry":
                assert feature["geometry"]["type"].replace("Multi", "") == (
                    layer.geometry_type.replace("Multi", "")
                )


@pytest.mark.parametrize(
    ("source", "prefix", "options"),
    # GDAL's OAPIF driver asks for 10 features a page unless told; the WFS one reads CountDefault.
    [("WFS:{}/wfs", "app:", []), ("OAPIF:{}/ogcapi", "", ["-oo", "PAGE_SIZE=1000"])],
)
def test_gdal_copies_every_layer_into_a_geopackage(live_server, tmp_path, source, prefix, options):
    out = tmp_path / "koeln.gpkg"
    env = {"PATH": "/usr/bin:/bin", "GDAL_HTTP_TIMEOUT": "60", "CPL_VSIL_CURL_CACHE_SIZE": "0"}
    url = source.format(live_server.url)
    result = subprocess.run(
        ["ogr2ogr", "-f", "GPKG", str(out), url, *options],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    listing = subprocess.run(
        ["ogrinfo", "-ro", "-so", "-al", str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    counts = {}
    for block in listing.split("Layer name: ")[1:]:
        name = block.split("\n", 1)[0].strip().removeprefix(prefix).split(":")[-1]
        counts[name] = int(block.split("Feature Count: ")[1].split("\n", 1)[0])
    assert counts == {layer.name: layer.queryset().count() for layer in all_layers()}
    assert os.path.getsize(out) > 0


def test_owslib_sends_a_cql2_filter(live_server):
    from owslib.ogcapi.features import Features

    from geoportal.models import Area, AreaKind

    api = Features(f"{live_server.url}/ogcapi", timeout=60)
    page = api.collection_items(
        "quarters",
        limit=1000,
        filter="name LIKE 'Neu%' OR name = 'Porz'",
        **{"filter-lang": "cql2-text"},
    )
    expected = Area.objects.filter(
        kind=AreaKind.QUARTER, name__startswith="Neu"
    ) | Area.objects.filter(kind=AreaKind.QUARTER, name="Porz")
    got = sorted(f["properties"]["code"] for f in page["features"])
    assert got == sorted(expected.values_list("code", flat=True))
    assert len(got) >= 3


def test_qgis_project_download_opens_with_every_layer_grouped_and_styled(
    live_server, tmp_path, settings
):
    settings.GEOPORTAL_QGIS_PROJECT_DIR = str(tmp_path / "cache")
    url = f"{live_server.url}/ogcapi/qgis-projekt.qgz"
    first = _download(url, tmp_path / "geoportal.qgz")
    # Built once, then served from the cache.
    assert len(list((tmp_path / "cache").glob("*.qgz"))) == 1
    assert Path(_download(url, tmp_path / "again.qgz")).read_bytes() == Path(first).read_bytes()
    result = run_qgis({"project": first}, tmp_path)
    layers = {report["name"]: report for report in result["layers"]}
    assert set(layers) == {layer.title for layer in all_layers()}
    for layer in all_layers():
        report = layers[layer.title]
        assert report["valid"], report
        assert report["provider"] == "WFS"
        assert f"url='{live_server.url}/wfs'" in report["source"]
        assert f"typename='app:{layer.name}'" in report["source"]
        assert report["group"], report
    landuse = layers["Flächennutzungsplan"]
    assert landuse["renderer"] == "categorizedSymbol"
    assert landuse["categories"] == len(CLASSES)
    assert (
        landuse["feature_count"]
        == next(x for x in all_layers() if x.name == "landuse").queryset().count()
    )
    assert {report["group"] for report in layers.values()} >= {"Stadt und Gazetteer"}
