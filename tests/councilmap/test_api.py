"""The decision GeoJSON, statistics, /rat/ and the paper page: filters, bad input, query counts."""

import json

import pytest
from django.contrib.gis.geos import GEOSGeometry

from councilmap.models import Organization, Paper, PaperLocation
from geoportal.models import Area, AreaKind

pytestmark = pytest.mark.django_db
GEOJSON = "/api/rat/beschluesse.geojson"


def features(client, **params):
    response = client.get(GEOJSON, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)["features"]


def test_all_places_of_live_papers_are_features(council, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        found = features(client)
    assert len(found) == PaperLocation.objects.filter(paper__deleted=False).count()
    props = next(
        f["properties"] for f in found if f["properties"]["name"].endswith("Rudolfplatzes")
    )
    assert props["url"] == f"/rat/vorlagen/{props['paper_id']}/"
    assert props["web"].startswith("https://ris.example.org/koeln-demo/vorlagen/")
    assert props["committee"] == "[Demo] Stadtentwicklungsausschuss"
    assert props["result"] == "Beschlossen" and props["decided_on"] == "2026-07-02"
    assert props["source"] == "extracted" and props["matched_text"] == "Rudolfplatzes"
    lon, lat = next(f for f in found if f["geometry"]["type"] == "Point")["geometry"]["coordinates"]
    assert len(str(lon).split(".")[1]) <= 6  # fixed precision


def test_committee_filter(council, client):
    committee = Organization.objects.get(name="[Demo] Bezirksvertretung Ehrenfeld")
    found = features(client, committee=committee.pk)
    assert {f["properties"]["committee"] for f in found} == {committee.name}
    assert len({f["properties"]["paper_id"] for f in found}) == 5


def test_result_type_and_date_filters(council, client):
    rejected = features(client, result="Abgelehnt")
    assert {f["properties"]["result"] for f in rejected} == {"Abgelehnt"}
    assert len({f["properties"]["paper_id"] for f in rejected}) == 2
    motions = features(client, paper_type="Antrag", decided="true")
    assert motions and all(f["properties"]["paper_type"] == "Antrag" for f in motions)
    summer = features(client, date_from="2026-06-01", date_to="2026-06-30")
    days = {f["properties"]["decided_on"] for f in summer}
    assert days and all("2026-06-01" <= day <= "2026-06-30" for day in days)


def test_district_and_bbox_filters(council, client):
    ehrenfeld = Area.objects.get(kind=AreaKind.DISTRICT, name="Ehrenfeld")
    found = features(client, district=ehrenfeld.code)
    assert found
    for feature in found:
        geom = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
        geom.transform(25832)
        assert ehrenfeld.geom.intersects(geom)
    assert not any(f["properties"]["place"] == "Porz" for f in found)
    deutz = features(client, bbox="6.965,50.925,6.985,50.935")
    assert {f["properties"]["place"] for f in deutz} >= {"Deutzer Hafen"}
    assert {"Bickendorf", "Subbelrather Straße"}.isdisjoint(f["properties"]["place"] for f in deutz)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "7,51,6,50"}, "bbox"),
        ({"date_from": "2026-09-01", "date_to": "2026-01-01"}, "date_to"),
        ({"date_from": "gestern"}, "date_from"),
        ({"committee": "abc"}, "committee"),
        ({"district": "1; DROP TABLE x"}, "district"),
        ({"district": "xyz"}, "district"),  # an unknown code was an empty 200
        ({"limit": "0"}, "limit"),
    ],
)
def test_bad_input_is_a_clear_400(council, client, params, field):
    for url in (GEOJSON, "/api/rat/statistik/"):
        response = client.get(url, params)
        assert response.status_code == 400
        body = response.json()
        assert body["status"] == 400 and field in body["errors"] and body["detail"]


def test_bad_input_is_explained_in_the_requests_language(council, client):
    """The bbox and date messages were English only, also under the German filter form."""
    german = client.get(GEOJSON, {"bbox": "1,2,3"}).json()
    assert german["errors"]["bbox"] == ["Bitte west,süd,ost,nord in WGS84-Grad angeben."]
    english = client.get(GEOJSON, {"bbox": "7,51,6,50"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["errors"]["bbox"] == ["Use west,south,east,north with west<east, south<north."]
    dates = {"date_from": "2026-09-01", "date_to": "2026-01-01"}
    assert client.get(GEOJSON, dates).json()["errors"]["date_to"] == [
        "date_to liegt vor date_from."
    ]
    assert client.get(GEOJSON, dates, HTTP_ACCEPT_LANGUAGE="en").json()["errors"]["date_to"] == [
        "date_to lies before date_from."
    ]
    unknown = client.get(GEOJSON, {"district": "xyz"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert unknown["errors"]["district"][0].startswith("Unknown district “xyz”; valid codes: ")


def test_statistics_per_district_are_counted_in_sql(
    council, client, django_assert_max_num_queries
):
    # Counts in one SQL query over the places' stored districts, names from geoportal: constant.
    with django_assert_max_num_queries(5):
        response = client.get("/api/rat/statistik/")
    rows = {row["name"]: row for row in response.json()["districts"]}
    assert len(rows) == 9
    assert rows["Ehrenfeld"]["papers"] >= 6 and rows["Porz"]["papers"] == 1
    assert all(row["decisions"] <= row["papers"] for row in rows.values())
    rejected = client.get("/api/rat/statistik/", {"result": "Abgelehnt"}).json()["districts"]
    assert sum(row["decisions"] for row in rejected) == 2


def test_rat_page_lists_decisions_and_filters_server_side(council, client):
    page = client.get("/rat/").content.decode()
    assert "[Demo] Umgestaltung der Venloer Straße" in page
    assert "Bezirksvertretung Ehrenfeld" in page
    committee = Organization.objects.get(name="[Demo] Verkehrsausschuss")
    filtered = client.get("/rat/", {"committee": committee.pk}).content.decode()
    assert "Subbelrather" in filtered and "Venloer Straße zwischen" not in filtered
    bad = client.get("/rat/", {"committee": "abc", "bbox": "x"})
    assert bad.status_code == 400 and "committee" in bad.content.decode()


def test_paper_page_shows_decision_places_and_ris_link(council, client):
    paper = Paper.objects.get(name__contains="Venloer Straße zwischen")
    html = client.get(f"/rat/vorlagen/{paper.pk}/").content.decode()
    assert "Beschlossen" in html and "Bezirksvertretung Ehrenfeld" in html
    assert paper.web in html and "Straßenabschnitt" in html and "aus dem Text erkannt" in html
    deleted = Paper.objects.filter(deleted=True).first()
    assert client.get(f"/rat/vorlagen/{deleted.pk}/").status_code == 404
    assert client.get("/rat/vorlagen/999999999/").status_code == 404


def test_paper_filter_gives_one_papers_places(council, client):
    paper = Paper.objects.get(name__contains="Gutenbergstraße 12")
    found = features(client, paper=paper.pk)
    # The house number is placed (interpolated on the street's segments), not the whole street.
    assert {f["properties"]["place"] for f in found} == {"Gutenbergstraße 12", "Ehrenfeld"}
