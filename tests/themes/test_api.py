"""/api/zones/at and /api/poi/<layer>/near, and the layers on every service."""

import re

import pytest
from django.contrib.gis.geos import Point

from themes.models import DatasetLayer, Place

pytestmark = pytest.mark.django_db

DOM = {"lat": 50.9413, "lon": 6.9581}  # inside the Umweltzone
PORZ = {"lat": 50.8830, "lon": 7.0590}  # south-east of the Rhine, outside


def test_zones_at_names_the_zone(client, umweltzone, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        body = client.get("/api/zones/at", DOM).json()
    [hit] = body["results"]
    assert hit["layer"] == "umweltzone" and hit["title"] == "Umweltzone Köln"
    assert hit["zones"][0]["label"] == "Umweltzone Köln"
    assert client.get("/api/zones/at", PORZ).json() == {"results": []}


@pytest.mark.parametrize(
    "query", [{"lat": "nan", "lon": "7"}, {"lat": "50.9"}, {"lat": "10", "lon": "7"}]
)
def test_zones_at_bad_input_is_400(client, umweltzone, query):
    response = client.get("/api/zones/at", query)
    assert response.status_code == 400 and response.json()["detail"]


def test_near_is_nearest_first_with_metres(client, kitas):
    response = client.get("/api/poi/kitas/near", {**DOM, "radius": 1500, "limit": 5})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["attribution"].startswith("© OpenStreetMap")
    distances = [f["properties"]["distance_m"] for f in body["features"]]
    assert 0 < len(distances) <= 5 and distances == sorted(distances)
    assert all(d <= 1500 for d in distances)
    # distance_m is metres in the metric CRS, matching PostGIS on the spheroid within 0.1 %.
    first = body["features"][0]
    lon, lat = first["geometry"]["coordinates"]
    a = Point(DOM["lon"], DOM["lat"], srid=4326)
    b = Point(lon, lat, srid=4326)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Distance(%s::geography, %s::geography)", [a.ewkt, b.ewkt]
        )
        spheroid = cursor.fetchone()[0]
    assert abs(first["properties"]["distance_m"] - spheroid) < max(1.0, spheroid * 0.001)
    assert set(first["properties"]) == {"label", "distance_m", "name"}


def test_near_filters_on_public_fields(client, kitas):
    layer = DatasetLayer.objects.get(name="kitas")
    layer.fields = [*layer.fields, {"name": "traeger", "source": "x", "type": "string"},
                    {"name": "rollstuhlgerecht", "source": "y", "type": "boolean"}]
    layer.save()
    places = list(Place.objects.filter(layer=layer).order_by("pk")[:2])
    places[0].properties = {"name": "A", "traeger": "Stadt Köln", "rollstuhlgerecht": True}
    places[1].properties = {"name": "B", "traeger": "Kirche", "rollstuhlgerecht": False}
    for place in places:
        place.geom = Point(356_540, 5_645_260, srid=25832)
        place.save()
    query = {**DOM, "radius": 20_000, "limit": 200}
    names = lambda **f: {x["properties"]["name"] for x in  # noqa: E731
                         client.get("/api/poi/kitas/near", {**query, **f}).json()["features"]}
    assert names(traeger="stadt köln") == {"A"}
    assert names(rollstuhlgerecht="1") == {"A"}
    assert names(rollstuhlgerecht="0") == {"B"}


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/poi/kitas/near", {"radius": "0"}, "radius"),
        ("/api/poi/kitas/near", {"radius": "-5"}, "radius"),
        ("/api/poi/kitas/near", {"radius": "1000000"}, "radius"),
        ("/api/poi/kitas/near", {"radius": "NaN"}, "radius"),
        ("/api/poi/kitas/near", {"lat": "NaN"}, "lat"),
        ("/api/poi/kitas/near", {"limit": "0"}, "limit"),
        ("/api/poi/kitas/near", {"traeger": "x"}, "traeger"),
        ("/api/poi/nichts/near", {}, "layer"),
        ("/api/poi/umweltzone/near", {}, "layer"),
    ],
)
def test_near_bad_input_is_400_with_a_message(client, kitas, umweltzone, path, query, field):
    response = client.get(path, {**DOM, **query})
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"] and body["detail"]


def test_layers_appear_on_every_service_with_only_public_fields(client, kitas):
    assert "kitas" in client.get("/ogcapi/collections").content.decode()
    caps = client.get("/wfs", {"SERVICE": "WFS", "REQUEST": "GetCapabilities"}).content.decode()
    assert "kitas" in caps
    geojson = b"".join(client.get("/geojson/kitas.geojson").streaming_content).decode()
    assert '"label"' in geojson and '"name"' in geojson and "tags/name" not in geojson
    assert client.get("/tiles/kitas/12/2128/1372.mvt").status_code == 200
    catalog = client.get("/opendata/").content.decode()
    assert "Kitas" in catalog and "ODbL" in catalog
    assert client.get("/opendata/kitas.geojson").status_code == 200
    assert "Kitas" in client.get("/").content.decode()  # the city map's layer list


def test_a_deleted_layer_leaves_every_service(client, kitas):
    from themes.services import dataset_layer_delete

    dataset_layer_delete(layer=DatasetLayer.objects.get(name="kitas"))
    assert client.get("/geojson/kitas.geojson").status_code == 404
    assert client.get("/api/poi/kitas/near", DOM).status_code == 400


def test_pages_and_messages_in_english(client, kitas, umweltzone):
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    page = client.get("/zonen/", DOM, **english).content.decode()
    assert "Which zone am I in?" in page and "You are in the Umweltzone Köln." in page
    page = client.get("/in-der-naehe/kitas/", {**DOM, "radius": 500}, **english).content.decode()
    assert "Kitas nearby" in page and "within 500 m of Your location" in page
    assert "on foot" in page and "Use my location" in page
    body = client.get("/api/poi/kitas/near", {**DOM, "radius": "0"}, **english).json()
    assert body["errors"]["radius"] == ["The radius must be more than 0 metres."]
    body = client.get("/api/poi/nichts/near", DOM, **english).json()
    assert body["detail"].startswith("Unknown place layer 'nichts'. Available: kitas")
    german = client.get("/api/poi/kitas/near", {**DOM, "traeger": "x"}).json()
    assert german["detail"].startswith("Unbekannter Filter 'traeger'.")


def test_the_zone_page_asks_which_street_when_a_name_is_in_several_quarters(client, umweltzone):
    page = client.get("/zonen/", {"q": "Hohe Straße"}).content.decode()
    assert "nicht eindeutig" in page
    picks = {label: value for value, label in re.findall(
        r'name="address_pick" value="([^"]+)">([^<]+)<', page)}
    assert set(picks) >= {"Hohe Straße, Köln-Altstadt/Nord", "Hohe Straße, Köln-Ensen"}
    answer = client.get("/zonen/", {"q": "Hohe Straße", "lat": "", "lon": "",
                                    "address_pick": picks["Hohe Straße, Köln-Altstadt/Nord"]})
    assert "Sie sind in der Umweltzone Köln." in answer.content.decode()
    outside = client.get("/zonen/", {"q": "Poppelsdorfer Allee 1, Bonn"}).content.decode()
    assert "„Bonn“ liegt nicht im Gebiet" in outside and "Sie sind in der" not in outside


def test_the_zone_pages_api_link_asks_about_the_place_shown_not_koelns_dom(client, settings):
    """The link was a literal for the Dom: Gera's page asked the API about Köln."""
    settings.GEOPORTAL_MAP_CENTER = (50.88, 12.08)  # Gera's brand
    page = client.get("/zonen/").content.decode()
    assert "/api/zones/at?lat=50.88&amp;lon=12.08" in page and "6.9581" not in page
    page = client.get("/zonen/", {"lat": "50.9515", "lon": "6.9175"}).content.decode()
    assert "/api/zones/at?lat=50.9515&amp;lon=6.9175" in page


@pytest.mark.parametrize(
    ("query", "area"), [("Köln", "Köln (Gemeinde)"), ("Ehrenfeld", None), ("50667", "50667 Köln")]
)
def test_the_zone_page_asks_for_a_spot_in_an_area_instead_of_answering_for_its_middle(
    client, umweltzone, query, area
):
    """"Köln" was answered "Sie sind in der Umweltzone Köln." from the city's middle: whether an
    area lies in a zone depends on the spot in it (outside tryout, #13)."""
    page = client.get("/zonen/", {"q": query}).content.decode()
    assert "Sie sind in der" not in page and "Nicht in:" not in page
    if area:
        assert f"{area} ist ein Gebiet" in page
    else:  # a district and a quarter of one name: asked, with no area to pick
        assert "nicht eindeutig" in page and "Ehrenfeldgürtel" in page
        assert "(Stadtteil)" not in page and "(Stadtbezirk)" not in page
    house = client.get("/zonen/", {"q": "Hohe Straße 52"}).content.decode()
    assert "Sie sind in der Umweltzone Köln." in house and "ist ein Gebiet" not in house
