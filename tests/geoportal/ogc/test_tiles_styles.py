"""OGC API - Tiles (tile matrix set, tilesets, TileJSON, MapLibre style, tiles with an ETag that
is checked before the tile is built) and the layer styles (.qml, SLD) planners load in QGIS."""

import json
import subprocess

import pytest
from lxml import etree

from geoportal.models import Area, AreaKind
from geoportal.ogc import selectors
from geoportal.ogc.layers import all_layers, get_layer
from geoportal.ogc.sql import tile_containing
from landuse.classes import CLASSES

pytestmark = pytest.mark.django_db
DOM = (6.958, 50.9413)
MVT = "application/vnd.mapbox-vector-tile"


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


def test_webmercatorquad_tile_matrix_set(client):
    listing = get_json(client, "/ogcapi/tileMatrixSets")
    assert [t["id"] for t in listing["tileMatrixSets"]] == ["WebMercatorQuad"]
    tms = get_json(client, "/ogcapi/tileMatrixSets/WebMercatorQuad")
    assert tms["crs"] == "http://www.opengis.net/def/crs/EPSG/0/3857"
    assert tms["tileMatrices"][0]["matrixWidth"] == 1
    assert tms["tileMatrices"][12]["matrixWidth"] == 4096
    assert client.get("/ogcapi/tileMatrixSets/WorldCRS84Quad").status_code == 404


@pytest.mark.parametrize("base", ["/ogcapi", "/ogcapi/collections/quarters"])
def test_tilesets_link_the_tile_template_tilejson_and_style(client, base):
    listing = get_json(client, f"{base}/tiles")
    href = listing["tilesets"][0]["links"][0]["href"]
    assert href.startswith("http://") and href.endswith("/tiles/WebMercatorQuad")
    tileset = get_json(client, f"{base}/tiles/WebMercatorQuad")
    links = {link["rel"]: link for link in tileset["links"]}
    assert links["item"]["href"].endswith("/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}")
    assert links["item"]["type"] == MVT
    layer_ids = {x["id"] for x in tileset["layers"]}
    expected = {"quarters"} if "quarters" in base else {x.name for x in all_layers()}
    assert layer_ids == expected
    tilejson = get_json(client, f"{base}/tiles/WebMercatorQuad/tilejson")
    assert tilejson["tiles"][0].endswith("/WebMercatorQuad/{z}/{y}/{x}")
    assert {x["id"] for x in tilejson["vector_layers"]} == expected


def test_landing_page_and_collections_link_the_tiles(client):
    landing = get_json(client, "/ogcapi/")
    rels = {link["rel"] for link in landing["links"]}
    assert "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector" in rels
    collection = get_json(client, "/ogcapi/collections/quarters")
    rels = {link["rel"] for link in collection["links"]}
    assert {"http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", "stylesheet"} <= rels
    conformance = get_json(client, "/ogcapi/conformance")["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt" in conformance


def test_combined_tile_holds_every_layer_shown_at_that_zoom(client, tmp_path):
    z, x, y = tile_containing(*DOM, 12)
    response = client.get(f"/ogcapi/tiles/WebMercatorQuad/{z}/{y}/{x}")
    assert response.status_code == 200 and response["Content-Type"] == MVT
    path = tmp_path / "combined.mvt"
    path.write_bytes(response.content)
    listing = subprocess.run(
        ["ogrinfo", "-ro", "-so", str(path)] + ["-oo", f"X={x}", "-oo", f"Y={y}", "-oo", f"Z={z}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    shown = {x.name for x in all_layers() if x.min_zoom <= z and x.queryset().exists()}
    assert shown >= {"quarters", "districts", "streets"}
    for name in shown:
        assert f": {name} (" in listing, (name, listing)
    one = client.get(f"/ogcapi/collections/quarters/tiles/WebMercatorQuad/{z}/{y}/{x}")
    assert 0 < len(one.content) < len(response.content)
    # The same tile as /tiles/ serves (x/y/z order there; ST_AsMVT's feature order may vary).
    assert len(client.get(f"/tiles/quarters/{z}/{x}/{y}.mvt").content) == len(one.content)


def test_tile_etag_is_answered_before_the_tile_is_built(
    client, django_assert_num_queries, settings
):
    settings.GEOPORTAL_TILE_FINGERPRINT_SECONDS = 3600  # however slow the machine is today
    selectors._recent.clear()
    z, x, y = tile_containing(*DOM, 12)
    url = f"/ogcapi/collections/quarters/tiles/WebMercatorQuad/{z}/{y}/{x}"
    first = client.get(url)
    assert first["Cache-Control"].startswith("public, max-age=")
    # The fingerprint is fresh: the conditional request builds nothing and asks nothing.
    with django_assert_num_queries(0):
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    selectors._recent.clear()


def test_tile_etag_changes_with_the_layer(client, settings):
    settings.GEOPORTAL_TILE_FINGERPRINT_SECONDS = 0
    z, x, y = tile_containing(*DOM, 12)
    url = f"/ogcapi/collections/quarters/tiles/WebMercatorQuad/{z}/{y}/{x}"
    etag = client.get(url)["ETag"]
    quarter = Area.objects.filter(kind=AreaKind.QUARTER).first()
    quarter.name += " (neu)"
    quarter.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    selectors._recent.clear()


def test_maplibre_style_colours_the_land_use_by_planzv(client):
    style = get_json(client, "/ogcapi/tiles/WebMercatorQuad/style")
    assert style["version"] == 8
    source = style["sources"]["geoportal"]
    assert source["url"].endswith("/ogcapi/tiles/WebMercatorQuad/tilejson")
    fill = next(x for x in style["layers"] if x["id"] == "landuse-fill")
    match = fill["paint"]["fill-color"]
    assert match[:2] == ["match", ["get", "class_code"]]
    colours = dict(zip(match[2:-1:2], match[3:-1:2], strict=True))
    assert colours == {key: c.color for key, c in CLASSES.items()}
    sources = {x.get("source-layer") for x in style["layers"]} - {None}
    assert sources == {x.name for x in all_layers()}


def test_qml_and_sld_carry_the_planzv_legend(client):
    qml = client.get("/ogcapi/collections/landuse/styles/default?f=qml")
    assert qml.status_code == 200 and "landuse.qml" in qml["Content-Disposition"]
    root = etree.fromstring(qml.content.split(b"\n", 1)[1])
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol"
    assert renderer.get("attr") == "class_code"
    assert len(renderer.findall("categories/category")) == len(CLASSES)
    sld = client.get("/ogcapi/collections/landuse/styles/default?f=sld")
    ns = {"sld": "http://www.opengis.net/sld", "ogc": "http://www.opengis.net/ogc"}
    rules = etree.fromstring(sld.content).findall(".//sld:Rule", ns)
    assert len(rules) == len(CLASSES)
    literal = {r.findtext(".//ogc:Literal", namespaces=ns) for r in rules}
    assert literal == set(CLASSES)
    # A layer without a legend gets one symbol.
    plain = client.get("/ogcapi/collections/streets/styles/default?f=qml")
    assert b'type="singleSymbol"' in plain.content
    assert client.get("/ogcapi/collections/streets/styles/default?f=lyrx").status_code == 400


def test_the_land_use_layer_declares_its_legend():
    layer = get_layer("landuse")
    assert layer.style_property == "class_code"
    assert len(layer.style_classes()) == len(CLASSES)
