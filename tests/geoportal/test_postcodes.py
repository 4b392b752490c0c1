"""Köln's postcode areas (1999): loaded with the demo, kept apart from the administrative areas,
and respected by the search ("Hauptstraße, 51143 Köln" is Porz's Hauptstraße)."""

import json

import pytest
from django.conf import settings
from django.utils import translation

from geoportal import selectors
from geoportal.geo import point_from_lonlat
from geoportal.importers.core import ImportFailed
from geoportal.importers.postcodes import PostcodeOptions, import_postcodes
from geoportal.models import Area, PostcodeArea

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _german():
    # Texts are compared in the source language; an English request before must not linger.
    with translation.override("de"):
        yield


def test_demo_loads_koelns_postcode_areas_in_the_storage_crs():
    areas = PostcodeArea.objects.all()
    assert areas.count() == 45
    assert set(areas.values_list("place", flat=True)) == {"Köln"}
    assert areas.first().geom.srid == settings.GEOPORTAL_SRID
    codes = set(areas.values_list("code", flat=True))
    assert {"50667", "50823", "50859", "51143", "51149"} <= codes


def test_a_point_lies_in_its_postcode(lonlat):
    assert selectors.postcode_at(point=lonlat(6.9581, 50.9413)).code == "50667"  # Kölner Dom
    assert selectors.postcode_at(point=lonlat(13.405, 52.52)) is None


def test_postcodes_are_not_administrative_areas(lonlat, client):
    """Routing, statistics, the council filter, alerts and the map layers read `Area`: no
    postcode is among them, and a point's areas are still municipality, district, quarter."""
    assert Area.objects.count() == 1 + 9 + 86
    dom = lonlat(6.9581, 50.9413)
    assert [a.kind for a in selectors.areas_covering(point=dom)] == [
        "municipality", "district", "quarter"
    ]
    assert selectors.district_of(geom=dom).name == "Innenstadt"
    body = client.get("/api/areas/", {"lat": 50.9413, "lon": 6.9581}).json()
    assert [a["kind"] for a in body["results"]] == ["municipality", "district", "quarter"]
    districts = json.loads(selectors.areas_geojson(kind="district"))
    assert len(districts["features"]) == 9
    assert client.get("/api/areas.geojson", {"kind": "postcode"}).status_code == 400


def test_importer_names_the_feature_with_a_bad_postcode(tmp_path):
    source = tmp_path / "plz.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"PLZ": "Köln"},
        "geometry": {"type": "Polygon", "coordinates": [
            [[6.9, 50.9], [6.91, 50.9], [6.91, 50.91], [6.9, 50.9]]]},
    }]}))
    with pytest.raises(ImportFailed, match="feature 0 has 'Köln' in field 'PLZ'"):
        import_postcodes(path=source, options=PostcodeOptions(code_field="PLZ"))
    with pytest.raises(ImportFailed, match="no field 'PLZ99'"):
        import_postcodes(path=source, options=PostcodeOptions(code_field="PLZ99"))


def test_importer_dry_run_writes_nothing_and_reimport_updates(fixtures_dir):
    path = fixtures_dir / "koeln/koeln_postleitzahlen_1999.geojson"
    options = PostcodeOptions(code_field="PLZ99", place_field="PLZORT99")
    dry = import_postcodes(path=path, options=options, dry_run=True)
    assert (dry.read, dry.updated, dry.created) == (45, 45, 0)
    again = import_postcodes(path=path, options=options)
    assert (again.created, again.updated) == (0, 45)
    assert PostcodeArea.objects.count() == 45


@pytest.mark.parametrize(
    ("query", "quarter"),
    [
        ("Hauptstraße, 51143 Köln", "Zündorf"),
        ("Hauptstraße 85, 50996 Köln", "Rodenkirchen"),
        ("Schillerstraße 5, 50859 Köln", "Weiden"),
        ("50859 Köln, Schillerstraße 5", "Weiden"),
        ("Schillerstraße 5 50859", "Weiden"),
    ],
)
def test_a_postcode_chooses_between_streets_of_one_name(query, quarter):
    answer = selectors.geocode_address(query=query)
    assert answer.hit is not None, answer.problem
    assert answer.hit.label.endswith(f"Köln-{quarter}")
    assert selectors.street_get(street_id=answer.hit.street_id).quarter.name == quarter


def test_without_postcode_a_name_in_several_quarters_stays_a_question():
    answer = selectors.geocode_address(query="Schillerstraße 5")
    assert answer.hit is None and answer.code == "address_unsure"


def test_a_postcode_holding_none_of_them_keeps_the_candidates_with_a_reason(client):
    result = selectors.geocode_search(query="Hauptstraße, 50667 Köln")
    assert result.reason == "„Hauptstraße“ liegt nicht im Postleitzahlgebiet 50667."
    assert not result.outside
    assert len([h for h in result.hits if h.label.startswith("Hauptstraße, ")]) == 3
    answer = selectors.geocode_address(query="Hauptstraße, 50667 Köln")
    assert answer.hit is None and answer.code == "address_unsure"
    assert answer.problem == result.reason
    body = client.get(
        "/api/geocode/search", {"q": "Hauptstraße, 50667 Köln"}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert body["reason"] == "“Hauptstraße” is not in the postcode area 50667."
    assert len(body["results"]) >= 3


def test_a_unique_street_with_another_postcode_is_not_taken_silently():
    answer = selectors.geocode_address(query="Venloer Straße 200, 50667 Köln")
    assert answer.hit is None
    assert "Postleitzahlgebiet 50667" in answer.problem
    assert answer.candidates[0].label.startswith("Venloer Straße 200")


def test_a_street_just_outside_its_1999_postcode_area_is_still_in_it():
    # The polling station Trierer Str. 8 has 50676; the street's line runs 114 m outside
    # that postcode's area of 1999 (the tolerance, GEOPORTAL_POSTCODE_TOLERANCE_M).
    street = selectors.street_list_by_name(name="Trierer Straße")
    pc = PostcodeArea.objects.get(code="50676")
    assert min(s.geom.distance(pc.geom) for s in street) > 100
    answer = selectors.geocode_address(query="Trierer Str. 8, 50676 Köln")
    assert answer.hit is not None, answer.problem


def test_answers_with_a_house_number_name_its_postcode(client):
    """"Venloer Straße 200, 50823 Köln", as on a letter, in the label and as a field."""
    search = client.get("/api/geocode/search", {"q": "Venloer Straße 200"}).json()["results"][0]
    assert (search["label"], search["postcode"]) == ("Venloer Straße 200, 50823 Köln", "50823")
    reverse = client.get("/api/geocode/reverse", {"lat": search["lat"], "lon": search["lon"]})
    result = reverse.json()["result"]
    assert result["postcode"] == "50823"
    assert result["label"] == f"Venloer Straße {result['house_number']}, 50823 Köln"
    # A street spans several postcodes: its hit names none.
    street = client.get("/api/geocode/search", {"q": "Venloer Straße"}).json()["results"][0]
    assert (street["label"], street["postcode"]) == ("Venloer Straße, Köln", "")


def test_the_typed_postcode_names_a_house_just_across_a_1999_border():
    hit = selectors.geocode_search(query="Trierer Str. 8, 50676 Köln").hits[0]
    assert hit.label == "Trierer Straße 8, 50676 Köln-Neustadt/Süd"


def test_a_postcode_with_a_quarter_finds_the_quarter_without_doubt():
    # The street filter must not cast doubt on an area hit ("Weidenweg" is not in 50859).
    result = selectors.geocode_search(query="50859 Weiden")
    assert result.hits[0].label == "Weiden (Stadtteil)"
    assert result.reason == ""
    assert selectors.search_hit_is_sure(result=result)


@pytest.mark.parametrize(
    "query", ["50823 Köln", "50823", "Köln 50823", "50823, Köln", "50823 Köln-Ehrenfeld"]
)
def test_a_postcode_with_its_city_or_alone_is_the_postcode_area(query):
    """"50823 Köln" returned Köln as a whole: the postcode's own area, as an area (a form asks
    for the spot in it), labelled as on a letter."""
    result = selectors.geocode_search(query=query)
    [hit] = result.hits
    assert (hit.kind, hit.precision, hit.label, hit.postcode) == (
        "postcode", "area", "50823 Köln", "50823"
    )
    assert result.reason == "" and selectors.search_hit_is_sure(result=result)
    area = PostcodeArea.objects.get(code="50823")
    assert area.geom.contains(point_from_lonlat(lon=hit.lon, lat=hit.lat))
    envelope = area.geom.envelope.transform(4326, clone=True).extent
    assert list(hit.bbox) == pytest.approx(envelope, abs=1e-6)
    answer = selectors.geocode_address(query=query)
    assert answer.hit == hit


def test_the_postcode_area_in_the_api_in_english(client):
    body = client.get(
        "/api/geocode/search", {"q": "50823 Köln"}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert [(h["label"], h["precision"]) for h in body["results"]] == [("50823 Köln", "area")]
    other = client.get("/api/geocode/search", {"q": "53111 Bonn"}, HTTP_ACCEPT_LANGUAGE="en")
    assert other.json()["results"] == []
    assert other.json()["reason"] == (
        "The postcode 53111 is outside the area this portal serves."
    )


@pytest.mark.parametrize("query", ["53111 Bonn", "53111"])
def test_a_postcode_of_another_city_is_outside(query):
    result = selectors.geocode_search(query=query)
    assert result.outside and result.hits == []
    assert result.reason == (
        "Die Postleitzahl 53111 liegt nicht im Gebiet, das dieses Portal bedient."
    )


def test_a_house_far_from_the_postcode_typed_is_named_with_its_own():
    # Venloer Straße runs through 50825, but no. 200 stands in 50823: the answer says so.
    hit = selectors.geocode_search(query="Venloer Straße 200, 50825 Köln").hits[0]
    assert (hit.label, hit.postcode) == ("Venloer Straße 200, 50823 Köln", "50823")


def test_planners_get_the_postcode_areas_as_a_layer(client):
    """What the search reads a postcode by is open to check: OGC API and WFS, code and place,
    in WGS84 for the web and in the storage CRS for QGIS."""
    doc = client.get("/ogcapi/collections/postcodes/items?limit=100&code=50823").json()
    [feature] = doc["features"]
    assert feature["properties"]["code"] == "50823"
    assert feature["properties"]["place"] == "Köln"
    assert feature["geometry"]["type"] == "MultiPolygon"
    lon, lat = feature["geometry"]["coordinates"][0][0][0]
    assert 6.7 < lon < 7.2 and 50.8 < lat < 51.1
    response = client.get("/wfs", {"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
                                    "TYPENAMES": "postcodes", "COUNT": "100",
                                    "SRSNAME": f"urn:ogc:def:crs:EPSG::{settings.GEOPORTAL_SRID}"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.count(b"<app:code>") == 45


@pytest.mark.parametrize(
    "query", ["50823 Bonn", "Bonn 50823", "Venloer Straße 200, 50823 Bonn"]
)
def test_a_koeln_postcode_with_another_city_says_which_city_it_belongs_to(query):
    """"50823 Bonn" answered "„Bonnstraße“ liegt nicht im Postleitzahlgebiet 50823.": the
    postcode is Köln's, the city is not served; the answer names the conflict and what to type."""
    result = selectors.geocode_search(query=query)
    assert result.outside and result.hits == []
    assert result.reason == (
        "Die Postleitzahl 50823 gehört zu Köln, nicht zu Bonn. Für eine Adresse in Köln "
        "schreiben Sie „50823 Köln“; Adressen in Bonn kennt dieses Portal nicht."
    )
    assert selectors.geocode_address(query=query).problem == result.reason


@pytest.mark.parametrize("query", ["53111 Köln", "Venloer Straße 200, 53111 Köln"])
def test_another_citys_postcode_with_koeln_asks_to_check_the_postcode(query):
    result = selectors.geocode_search(query=query)
    assert result.outside and result.hits == []
    assert result.reason == (
        "Die Postleitzahl 53111 gehört nicht zu Köln. Bitte die Postleitzahl prüfen oder "
        "weglassen."
    )


@pytest.mark.parametrize(("query", "label"), [
    ("50823 Venloer Straße", "Venloer Straße, Köln"),  # a street after the postcode stays one
    ("50823 Bonnstraße", "Bonnstraße, Köln"),
])
def test_a_street_after_a_postcode_is_no_town(query, label):
    result = selectors.geocode_search(query=query)
    assert not result.outside and result.hits[0].label == label
    # A word like a street in the postcode's area is searched, not taken for a town.
    dom = selectors.geocode_search(query="50667 Dom")
    assert not dom.outside and "Domkloster, Köln" in [hit.label for hit in dom.hits]


@pytest.mark.parametrize("query", ["50667 Hauptbahnhof", "Hauptbahnhof 50667", "50667 Hbf"])
def test_a_place_word_beside_a_postcode_is_no_town(query):
    """"50667 Hauptbahnhof" was told that 50667 belongs to Köln, "nicht zu Hauptbahnhof": a
    place every town has is no town. No street of that name lies in 50667, so the postcode's
    area is offered, asked for, before the streets like it elsewhere."""
    result = selectors.geocode_search(query=query)
    assert not result.outside
    assert result.hits[0].label == "50667 Köln" and result.hits[0].kind == "postcode"
    assert "Meinten Sie das Postleitzahlgebiet 50667 Köln?" in result.reason
    answer = selectors.geocode_address(query=query)
    assert answer.hit is None and answer.candidates[0].label == "50667 Köln"


def test_the_postcode_conflicts_in_english(client):
    def reason(query):
        return client.get(
            "/api/geocode/search", {"q": query}, HTTP_ACCEPT_LANGUAGE="en"
        ).json()["reason"]

    assert reason("50823 Bonn") == (
        "The postcode 50823 belongs to Köln, not to Bonn. For an address in Köln, type "
        "“50823 Köln”; this portal does not know addresses in Bonn."
    )
    assert reason("53111 Köln") == (
        "The postcode 53111 does not belong to Köln. Please check the postcode or leave it out."
    )
