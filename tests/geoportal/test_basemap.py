"""The base map: drawn from our own vector tiles by default, with no request to a third party;
OpenStreetMap and basemap.de only when configured, with their origin in the CSP and consent."""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from playwright.sync_api import expect

from geoportal import basemaps
from geoportal.ogc import sql
from geoportal.ogc.basemap import basemap_layers

DOM = (6.9581, 50.9413)


def _tile_url(z):
    _, x, y = sql.tile_containing(*DOM, z)
    return f"/basemap/{z}/{x}/{y}.mvt"


@pytest.mark.django_db
def test_a_basemap_tile_holds_the_city_layers_with_only_the_fields_the_style_reads(client):
    response = client.get(_tile_url(14))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    body = response.content
    for layer in (b"municipalities", b"quarters", b"districts", b"streets"):
        assert layer in body
    assert "Hohe Straße".encode() in body, "street names are in the tile for the labels"
    # Streets publish name, code and municipality_id; the base map carries the name only.
    assert b"municipality_id" not in body and b"code" not in body
    again = client.get(_tile_url(14), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.django_db
def test_streets_join_the_basemap_from_data_zoom_12(client):
    assert b"streets" not in client.get(_tile_url(10)).content
    assert b"streets" in client.get(_tile_url(12)).content


def _label_features(body: bytes, tmp_path, z, x, y, layer: str) -> list[dict]:
    """The tile's label layer read by GDAL's MVT driver, in EPSG:4326."""
    path = tmp_path / f"{z}-{x}-{y}.mvt"
    path.write_bytes(body)
    out = subprocess.run(
        ["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", str(path), layer, "-t_srs", "EPSG:4326",
         "-oo", f"X={x}", "-oo", f"Y={y}", "-oo", f"Z={z}"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)["features"]


@pytest.mark.django_db
def test_district_names_are_one_label_point_each_inside_their_district(client, tmp_path):
    from django.contrib.gis.geos import Point

    from geoportal.models import Area

    # Every zoom-10 tile over Köln (2 x 2): each district is named exactly once among them.
    z, x0, y0 = sql.tile_containing(6.77, 51.09, 10)
    _, x1, y1 = sql.tile_containing(7.17, 50.83, 10)
    labels, body = [], b""
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            tile = client.get(f"/basemap/{z}/{x}/{y}.mvt").content
            body += tile
            if b"districts_labels" in tile:
                labels += _label_features(tile, tmp_path, z, x, y, "districts_labels")
    names = sorted(f["properties"]["name"] for f in labels)
    assert names == sorted(Area.objects.filter(kind="district").values_list("name", flat=True))
    # GDAL names the MVT feature id mvt_id; the tile carries no other field than the name.
    assert all(set(f["properties"]) - {"mvt_id"} == {"name"} for f in labels)
    for f in labels:
        lon, lat = f["geometry"]["coordinates"]
        district = Area.objects.get(kind="district", name=f["properties"]["name"])
        assert district.geom.contains(Point(lon, lat, srid=4326).transform(25832, clone=True))
    assert b"quarters_labels" not in body, "quarter names only from data zoom 12"


@pytest.mark.django_db
def test_quarter_names_replace_district_names_from_data_zoom_12(client, tmp_path):
    z, x, y = sql.tile_containing(*DOM, 12)
    body = client.get(f"/basemap/{z}/{x}/{y}.mvt").content
    assert b"districts_labels" not in body
    names = {
        f["properties"]["name"] for f in _label_features(body, tmp_path, z, x, y, "quarters_labels")
    }
    assert "Altstadt/Nord" in names
    # A label point sits in the one tile that holds it: the neighbours do not repeat Altstadt/Nord.
    for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
        nx, ny = x + dx, y + dy
        near = client.get(f"/basemap/{z}/{nx}/{ny}.mvt").content
        if b"quarters_labels" in near:
            near_names = {
                f["properties"]["name"]
                for f in _label_features(near, tmp_path, z, nx, ny, "quarters_labels")
            }
            assert "Altstadt/Nord" not in near_names


def test_label_fields_must_be_public_fields(settings):
    settings.GEOPORTAL_BASEMAP_LAYERS = []
    settings.GEOPORTAL_BASEMAP_LABELS = [("districts", "source", 0, 11)]
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="districts does not publish source"):
        basemap_layers()


def test_basemap_fields_must_be_public_fields(settings):
    settings.GEOPORTAL_BASEMAP_LAYERS = [("streets", ("name", "secret"), None)]
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="streets does not publish secret"):
        basemap_layers()


def test_a_missing_layer_is_left_out(settings):
    settings.GEOPORTAL_BASEMAP_LAYERS = [("no_such_layer", ("name",), None)]
    settings.GEOPORTAL_BASEMAP_LABELS = [("no_such_layer", "name", 0, 11)]
    assert basemap_layers() == []


@pytest.mark.django_db
def test_bad_tile_coordinates_are_a_clear_404(client):
    response = client.get("/basemap/3/9/9.mvt")
    assert response.status_code == 404
    assert "There is no tile" in response.json()["detail"]


def test_raster_choices_and_their_csp_origins():
    assert basemaps.raster("own") is None
    osm = basemaps.raster("osm")
    assert basemaps.origin(osm["url"]) == "https://tile.openstreetmap.org"
    de = basemaps.raster("basemapde")
    assert basemaps.origin(de["url"]) == "https://sgx.geodatenzentrum.de"
    assert basemaps.origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == (
        "https://*.tile.example.org"
    )
    with pytest.raises(ValueError, match="use one of own, osm, basemapde, custom"):
        basemaps.raster("google")
    with pytest.raises(ValueError, match="needs GEOPORTAL_TILE_URL"):
        basemaps.raster("custom")


PROBE = (
    "import django, json; django.setup(); from django.test import Client; "
    "r = Client().get('/einsatz/anmelden/'); "
    "print(json.dumps({'csp': r['Content-Security-Policy'], 'html': r.content.decode()}))"
)


def _page_with(**env):
    """/einsatz/anmelden/ (no database read) rendered by a fresh process with the given
    environment: settings are read at start-up, as in production."""
    import os

    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "geoportal.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("choice", "origin"),
    [("osm", "https://tile.openstreetmap.org"), ("basemapde", "https://sgx.geodatenzentrum.de")],
)
def test_a_third_party_basemap_is_configured_with_its_origin_and_attribution(choice, origin):
    page = _page_with(GEOPORTAL_BASEMAP=choice)
    img_src = next(d for d in page["csp"].split(";") if d.strip().startswith("img-src"))
    assert origin in img_src
    assert origin not in page["csp"].replace(img_src, ""), "only images, nothing else"
    script = page["html"].split('id="geoportal-basemap" type="application/json">')[1]
    config = json.loads(script.split("</script>")[0])
    assert config["raster"]["url"].startswith(origin)
    assert config["raster"]["attribution"]


def test_an_unknown_basemap_stops_the_start_with_a_message():
    import os

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "geoportal.settings.test",
            "GEOPORTAL_BASEMAP": "google",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "GEOPORTAL_BASEMAP='google': use one of own, osm, basemapde, custom" in result.stderr


# --- In a real browser ---------------------------------------------------------------------


def _watch(page, base):
    """Every request to another origin, and every base-map tile answer."""
    foreign, tiles = [], []
    page.on(
        "request",
        lambda r: foreign.append(r.url) if not r.url.startswith((base, "data:", "blob:")) else None,
    )
    page.on(
        "response",
        lambda r: tiles.append((r.status, len(r.body()))) if "/basemap/" in r.url else None,
    )
    return foreign, tiles


@pytest.mark.browser
def test_the_home_map_and_report_form_draw_our_basemap_and_ask_no_third_party(page, live_server):
    foreign, tiles = _watch(page, live_server.url)
    for path in ("/", "/melden/"):
        page.goto(live_server.url + path)
        expect(page.locator(".leaflet-tile-container canvas").first).to_be_attached()
        page.wait_for_load_state("networkidle")
    assert foreign == []
    assert tiles and all(status == 200 for status, _ in tiles)
    assert sum(size for _, size in tiles) > 10_000, "the tiles have data to draw"
    # The canvas is not blank: the city's land is painted in the base map's colours.
    painted = page.evaluate(
        """() => [...document.querySelectorAll('.leaflet-tile-container canvas')].some(c => {
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            const seen = new Set();
            for (let i = 0; i < d.length; i += 4 * 97) seen.add(d[i] + ',' + d[i+1] + ',' + d[i+2]);
            return seen.size > 3;
        })"""
    )
    assert painted
    assert "Geodaten: Stadt Köln" in page.inner_text(".leaflet-control-attribution")


@pytest.mark.browser
def test_a_third_party_map_loads_only_after_the_visitor_agrees(page, live_server, settings):
    import io

    from PIL import Image

    osm = basemaps.raster("osm")
    settings.GEOPORTAL_BASEMAP_RASTER = osm
    settings.TRUST_CSP_EXTRA = {"/": {"img-src": [basemaps.origin(osm["url"])]}}
    png = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 240)).save(png, "PNG")
    served = []

    def fake_osm(route):  # this machine is offline: answer for the tile server
        served.append(route.request.url)
        route.fulfill(status=200, body=png.getvalue(), content_type="image/png")

    page.route("https://tile.openstreetmap.org/**", fake_osm)
    page.goto(live_server.url + "/")
    note = page.locator(".basemap-consent")
    expect(note).to_contain_text("IP-Adresse")
    expect(note.get_by_role("link", name="Datenschutz")).to_have_attribute("href", osm["privacy"])
    expect(page.locator(".leaflet-tile-container canvas").first).to_be_attached()
    page.wait_for_load_state("networkidle")
    assert served == [], "nothing from the tile server before the visitor agrees"

    note.get_by_role("button", name="Karte von OpenStreetMap laden").click()
    expect(
        page.locator(".leaflet-tile-loaded[src^='https://tile.openstreetmap.org/']").first
    ).to_be_visible()
    assert served
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("OpenStreetMap")

    page.reload()  # the choice is remembered in this browser
    expect(
        page.locator(".leaflet-tile-loaded[src^='https://tile.openstreetmap.org/']").first
    ).to_be_visible()
    page.locator(".basemap-consent").get_by_role(
        "button", name="Eigene Karte der Stadt zeigen"
    ).click()
    expect(page.locator("img.leaflet-tile")).to_have_count(0)
    assert page.evaluate("localStorage.getItem('geoportal-basemap-consent')") is None


@pytest.mark.parametrize(
    ("package", "build", "copy"),
    [
        # The base map's vector layer for Leaflet.
        (
            "protomaps-leaflet",
            "dist/protomaps-leaflet.js",
            "protomaps-leaflet/protomaps-leaflet.js",
        ),
        # The admin's geometry widgets (geoportal/widgets.py), the version Django's widget expects.
        ("ol", "dist/ol.js", "ol/ol.js"),
    ],
)
def test_the_vendored_code_is_the_pinned_npm_build(package, build, copy):
    """What `make vendor` copies under static/vendor is the build of the version package.json
    pins, so `make run` needs no npm and serves no file nobody can trace."""
    vendored = settings.BASE_DIR / "geoportal/static/geoportal/vendor" / copy
    built = settings.BASE_DIR / "node_modules" / package / build
    lock = json.loads((settings.BASE_DIR / "package-lock.json").read_text())
    pinned = lock["packages"][f"node_modules/{package}"]["version"]
    dependencies = json.loads((settings.BASE_DIR / "package.json").read_text())["dependencies"]
    assert dependencies[package] == pinned
    assert any(vendored.parent.glob("LICENSE*"))
    if not built.exists():
        pytest.skip("node_modules not installed (make test installs it)")
    expected = "".join(
        line
        for line in built.read_text().splitlines(keepends=True)
        if not line.startswith("//# sourceMappingURL=")
    )
    assert vendored.read_text() == expected, "run `make vendor`"
