"""A second city set up from an empty database (docs/new-city.md): nothing of the demo's Köln
may show through where the city's administrator has configured their own."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from geoportal import branding

from .serving import database_url, serve, server_env

pytestmark = pytest.mark.django_db

HEIDELBERG = {
    "name": "Geoportal Heidelberg",
    "municipality": "Stadt Heidelberg",
    "data_attribution": "Gemeindegrenze: © GeoBasis-DE / BKG 2026, dl-de/by-2.0",
    "data_licence": "dl-de/by-2.0",
    "municipality_key": "08221000",
    "map": {"center": [49.41, 8.69], "zoom": 12},
}


def _brand_file(tmp_path, data) -> str:
    path = tmp_path / "brand.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_without_a_map_in_the_brand_maps_open_on_germany_not_on_the_demo_city(tmp_path):
    view = branding.load(_brand_file(tmp_path, {"name": "Geoportal Gera"}))["map"]
    assert view == {"center": [51.16, 10.45], "zoom": 6}


@pytest.mark.parametrize(
    ("view", "message"),
    [
        ({"center": [8.69, 49.41]}, "map.center"),  # lon, lat swapped: outside Germany
        ({"center": "49.41, 8.69"}, "map.center"),
        ({"zoom": 25}, "map.zoom"),
        ({"centre": [49.41, 8.69]}, "map.centre"),
    ],
)
def test_a_wrong_map_view_stops_the_start_naming_the_key(tmp_path, view, message):
    with pytest.raises(branding.BrandError, match=message.replace(".", r"\.")):
        branding.load(_brand_file(tmp_path, {**HEIDELBERG, "map": view}))


def test_maps_open_on_the_brands_city_in_the_production_server(tmp_path, browser):
    """Every map opened on Köln (settings had its centre as a literal): Heidelberg's report form
    showed an empty map 200 km away, and a citizen had to search before they could tap."""
    env = server_env(
        DATABASE_URL=database_url(application_name="serve-new-city"),
        GEOPORTAL_BRAND_FILE=_brand_file(tmp_path, HEIDELBERG),
    )
    with serve(env, tmp_path / "serve.log", "--workers", "1") as server:
        context = browser.new_context(locale="de-DE")
        page = context.new_page()
        # django-leaflet keeps its maps out of globals; its map:init event hands each one out.
        # The view is read there, as the map opens: once the city's districts have loaded, the
        # city map fits them (the test database's are Köln's), and when is a race.
        page.add_init_script(
            "window.addEventListener('map:init', e => (window.views = window.views || []).push("
            "{centre: e.detail.map.getCenter(), zoom: e.detail.map.getZoom()}))"
        )
        for path in ("/", "/melden/"):
            page.goto(server.base + path)
            page.wait_for_function("() => window.views && window.views.length")
            view = page.evaluate("() => window.views[0]")
            centre = view["centre"]
            assert abs(centre["lat"] - 49.41) < 0.05 and abs(centre["lng"] - 8.69) < 0.05, path
            assert view["zoom"] == 12, path
        basemap = json.loads(page.locator("#geoportal-basemap").text_content())
        assert basemap["center"] == [49.41, 8.69], "the crews' and themes' maps read this"
        context.close()


def test_the_open_data_catalogue_names_the_brands_city_licence_and_key(tmp_path):
    """Heidelberg's outline (BKG, dl-de/by-2.0) was offered as "Stadt Köln, CC BY 3.0 DE" with
    Köln's AGS and publisher "Geoportal Köln": open-data metadata held the demo's literals."""
    env = server_env(
        DATABASE_URL=database_url(application_name="serve-new-city-opendata"),
        GEOPORTAL_BRAND_FILE=_brand_file(tmp_path, HEIDELBERG),
    )
    with serve(env, tmp_path / "serve.log", "--workers", "1") as server:
        response = server.get("/opendata/catalog.jsonld")
        assert response.status_code == 200
        assert "Köln" not in response.text and "05315000" not in response.text
        datasets = {d["dct:identifier"]: d for d in response.json()["dcat:dataset"]}
        outline = datasets["municipalities"]
        geojson = outline["dcat:distribution"][0]
        assert geojson["dct:license"]["@id"].endswith("/dl-by-de/2.0")
        assert geojson["dcatde:licenseAttributionByText"] == HEIDELBERG["data_attribution"]
        assert outline["dct:publisher"]["foaf:name"] == "Stadt Heidelberg"
        assert outline["dcatde:politicalGeocodingURI"]["@id"].endswith("/08221000")
        # The demo core the test database holds: the portal itself publishes the postcodes.
        assert datasets["postcodes"]["dct:publisher"]["foaf:name"] == "Geoportal Heidelberg"



@pytest.mark.parametrize("path", ["/", "/melden/", "/zonen/"])
def test_search_hints_give_no_demo_street_as_example(client, path):
    """The hints said "Venloer Straße", "Ehrenfeld", "Hohe Straße 52": Köln's streets as the
    example to type, on Heidelberg's portal."""
    html = client.get(path).content.decode()
    hints = " ".join(re.findall(r"z\. B\.[^<\"]*", html))
    assert "Hauptstraße 5" in hints
    for name in ("Venloer", "Ehrenfeld", "Hohe Straße"):
        assert name not in hints, (path, hints)


def test_the_council_place_editor_opens_on_the_configured_centre(admin_client, settings):
    """The admin's map for a council paper's place opened on Köln's literal coordinates."""
    settings.GEOPORTAL_MAP_CENTER = (49.41, 8.69)
    for path in ("/admin/councilmap/paper/add/", "/admin/geoportal/area/add/"):
        html = admin_client.get(path).content.decode()
        # The widget's options (geoportal/widgets.py), read by geoportal/admin-map.js.
        assert '"default_lon": 8.69, "default_lat": 49.41' in html, path


DEMO_BRAND = Path(__file__).resolve().parents[2] / "fixtures/brand/koeln-demo.json"
_TERMS = """
import json, django
django.setup()
from opendata.metadata import OPEN_DATA
info = OPEN_DATA["addresses"]
print(json.dumps([info.licence, info.attribution, info.publisher, info.municipality_key]))
"""


def test_address_points_are_the_citys_own_unless_the_brand_names_their_owner(tmp_path):
    """A second city's address points were offered as open data under Essen's name and AGS
    (the demo's source, written into the metadata). The catalogue lists a layer only once it
    has rows, so the terms are read as the server builds them, under each brand."""
    def terms(brand: dict) -> list[str]:
        env = server_env(GEOPORTAL_BRAND_FILE=_brand_file(tmp_path, brand))
        run = subprocess.run([sys.executable, "-c", _TERMS], env=env, capture_output=True,
                             text=True, check=True)
        return json.loads(run.stdout.strip().splitlines()[-1])

    licence, attribution, publisher, key = terms(HEIDELBERG)
    assert licence.endswith("/dl-by-de/2.0")
    assert (attribution, publisher, key) == (
        HEIDELBERG["data_attribution"], "Stadt Heidelberg", "08221000")
    owner = {"licence": "dl-de/zero-2.0", "publisher": "Vermessungsamt", "attribution": "",
             "municipality_key": "08221000"}
    licence, attribution, publisher, key = terms({**HEIDELBERG, "addresses": owner})
    assert licence.endswith("/dl-zero-de/2.0") and publisher == "Vermessungsamt"
    demo = json.loads((DEMO_BRAND).read_text(encoding="utf-8"))
    assert terms(demo)[2:] == ["Stadt Essen", "05113000"]
