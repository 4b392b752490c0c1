import pytest
from django.contrib.gis.geos import Point

from geoportal import conf, selectors
from geoportal.models import Street
from geoportal.text import expand_abbreviations, normalize_street

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "spelling",
    ["Venloer Str.", "Venloer Straße", "venloer strasse", "Venloer-Straße", "VENLOERSTRASSE"],
)
def test_spellings_of_a_street_share_one_key(spelling):
    assert normalize_street(spelling) == normalize_street("Venloer Straße")


def test_umlauts_and_their_spellings_share_one_key():
    assert normalize_street("Mülheimer Str.") == normalize_street("Muelheimer Strasse")
    assert normalize_street("Mülheimer Str.") == normalize_street("Mulheimer Straße")
    assert normalize_street("Mülheimer Str.") != normalize_street("Mainzer Straße")


def test_abbreviations_are_written_out_for_display():
    assert expand_abbreviations("Görresstr.") == "Görresstraße"
    assert expand_abbreviations("Venloer Str.") == "Venloer Straße"
    assert expand_abbreviations("Am Stresemannplatz") == "Am Stresemannplatz"


def test_streets_are_stored_with_written_out_names():
    assert Street.objects.filter(name="Venloer Straße").count() == 1
    assert not Street.objects.filter(name__endswith="Str.").exists()


def _near(street_name: str, metres: float) -> Point:
    # Names shared by several quarters ("Aachener Straße" in Porz too): the first by key.
    line = Street.objects.filter(name=street_name).order_by("code").first().geom
    point = line.point_on_surface
    return Point(point.x + metres, point.y, srid=25832)


@pytest.mark.parametrize("street", ["Venloer Straße", "Aachener Straße", "Hohe Straße"])
def test_reverse_geocoding_near_a_street_returns_that_street(street):
    result = selectors.geocode_reverse(point=_near(street, 0.5))
    # Köln has house-number ranges: a pin on the street gets the number at that spot.
    assert result.kind == "interpolated"
    assert result.house_number
    assert result.street == street
    assert result.city == "Köln"
    assert result.distance_m < 5


def test_reverse_geocoding_far_from_every_street_returns_nothing(lonlat):
    assert selectors.geocode_reverse(point=lonlat(13.4050, 52.5200)) is None


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("venloer str", "Venloer Straße, Köln"),
        ("Venloer Strasse", "Venloer Straße, Köln"),
        ("venloerstraße", "Venloer Straße, Köln"),
        ("Muelheimer Ring", "Mülheimer Ring, Köln"),
        ("Goerresstr", "Görresstraße, Köln"),
        ("Venlor Strase", "Venloer Straße, Köln"),
        ("Ehrenfeld", "Ehrenfeld (Stadtbezirk)"),
    ],
)
def test_search_finds_streets_and_areas_by_any_spelling(query, first):
    hits = selectors.gazetteer_search(query=query)
    assert hits[0].label == first


def test_search_hits_carry_a_wgs84_position_and_box():
    hit = selectors.gazetteer_search(query="venloer str")[0]
    assert 6.8 < hit.lon < 7.0 and 50.9 < hit.lat < 51.0
    west, south, east, north = hit.bbox
    assert west < hit.lon < east and south < hit.lat < north


def test_search_api(client):
    response = client.get("/api/geocode/search", {"q": "venloer str", "limit": 3})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 3
    assert results[0]["label"] == "Venloer Straße, Köln"
    assert response.json()["results"][0]["kind"] == "street"
    # The forms' threshold for taking a hit, for the live search to ask by (portal.js).
    assert response.json()["accept_confidence"] == conf.GEOPORTAL_SEARCH_ACCEPT_CONFIDENCE


@pytest.mark.parametrize("params", [{}, {"q": "x"}, {"q": "venloer", "limit": "0"}])
def test_search_api_refuses_bad_queries(client, params):
    response = client.get("/api/geocode/search", params)
    assert response.status_code == 400
    assert response.json()["errors"]


def test_reverse_api_names_street_and_areas(client):
    point = _near("Venloer Straße", 1).transform(4326, clone=True)
    response = client.get("/api/geocode/reverse", {"lat": point.y, "lon": point.x})
    body = response.json()
    assert body["result"]["street"] == "Venloer Straße"
    assert body["result"]["distance_m"] < 5
    assert [a["kind"] for a in body["areas"]] == ["municipality", "district", "quarter"]


def test_reverse_api_outside_every_area_is_empty_not_an_error(client):
    response = client.get("/api/geocode/reverse", {"lat": 52.52, "lon": 13.405})
    assert response.status_code == 200
    assert response.json() == {"result": None, "areas": []}
