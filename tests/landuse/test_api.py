"""What is planned here, the plan as GeoJSON, statistics and the FNP page, over HTTP."""

import json

import pytest
from django.db import connection

from landuse import selectors
from landuse.services import plan_import

from .conftest import XPLAN_ZIP

# Real places in Köln and what the FNP 2014 shows there (checked against the data first).
KNOWN_POINTS = [
    ("Flughafen Köln/Bonn", 50.866, 7.143, "luftverkehr", "1713"),
    ("Stadtwald, Lindenthal", 50.930, 6.887, "gruenflaeche", "2045"),
    ("Königsforst, Rath/Heumar", 50.9286, 7.1279, "wald", "1945"),
    ("Ford-Werke, Niehl", 51.0096, 6.9514, "industriegebiet", "84"),
    ("Sülz, Berrenrather Straße", 50.921, 6.922, "wohnbauflaeche", "720"),
    ("Rhein bei Deutz", 50.938, 6.968, "wasserflaeche", "45"),
]


@pytest.mark.parametrize(("place", "lat", "lon", "class_key", "source_id"), KNOWN_POINTS,
                         ids=[p[0] for p in KNOWN_POINTS])
def test_known_points(client, koeln_plan, django_assert_max_num_queries, place, lat, lon,
                      class_key, source_id):
    # FNP: current plans joined, not looked up first; BPlans: their boundaries (documents and
    # key figures are only fetched where a BPlan covers the point).
    with django_assert_max_num_queries(2):
        response = client.get("/api/landuse/at", {"lat": lat, "lon": lon})
    assert response.status_code == 200
    [answer] = response.json()["results"]
    assert (answer["class_key"], answer["source_id"]) == (class_key, source_id)
    assert answer["label"] == selectors.CLASSES[class_key].label
    assert answer["color"] == selectors.CLASSES[class_key].color
    assert "BauGB" in answer["legal_basis"]
    assert answer["plan"]["name"] == "Flächennutzungsplan Köln"
    assert answer["plan"]["legal_status"] == "rechtswirksam"
    assert answer["plan"]["id"] == koeln_plan.pk


def test_outside_every_plan_is_empty_not_an_error(client, koeln_plan):
    response = client.get("/api/landuse/at", {"lat": 51.05, "lon": 6.99})  # Leverkusen
    assert response.status_code == 200
    assert response.json() == {"results": [], "bplans": []}


@pytest.mark.parametrize(("params", "field"), [
    ({"lat": "abc", "lon": "7"}, "lat"),
    ({"lat": "50.9"}, "lon"),
    ({"lat": "95", "lon": "7"}, "lat"),
    ({"lat": "10", "lon": "1"}, "lat"),  # on Earth, but not in Germany
    ({"lat": "nan", "lon": "7"}, "lat"),
    ({"lat": "50.9", "lon": "6.9", "plan": "999999"}, "plan"),
    ({"lat": "50.9", "lon": "6.9", "plan": "x"}, "plan"),
])
def test_bad_coordinates_are_400_in_our_error_shape(client, koeln_plan, params, field):
    response = client.get("/api/landuse/at", params)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"status", "detail", "errors"}
    assert body["status"] == 400 and field in body["errors"] and body["detail"]


def test_plan_parameter_answers_from_an_older_version(client, koeln_plan, tmp_path):
    from .test_services import square_geojson

    old = plan_import(path=square_geojson(tmp_path, "GE", "a.geojson"), name="Testplan").plan
    new = plan_import(path=square_geojson(tmp_path, "W", "b.geojson"), name="Testplan").plan
    point = {"lat": 50.921, "lon": 6.922}
    current = client.get("/api/landuse/at", point).json()["results"]
    assert {(a["plan"]["id"], a["class_key"]) for a in current} == {
        (koeln_plan.pk, "wohnbauflaeche"), (new.pk, "wohnbauflaeche")}
    older = client.get("/api/landuse/at", {**point, "plan": old.pk}).json()["results"]
    assert [(a["plan"]["version"], a["class_key"]) for a in older] == [(1, "gewerbegebiet")]
    assert older[0]["plan"]["is_current"] is False
    # The map follows the same rule: current versions by default, the named one on request.
    current_map = json.loads(client.get("/api/landuse/plan.geojson").content)["features"]
    assert {f["properties"]["plan"] for f in current_map} == {koeln_plan.pk, new.pk}
    old_map = json.loads(client.get("/api/landuse/plan.geojson", {"plan": old.pk}).content)
    assert [f["properties"]["class"] for f in old_map["features"]] == ["gewerbegebiet"]
    page = client.get("/fnp/", {"plan": old.pk}).content.decode()
    assert page.count("<li data-class=") == 1 and 'data-class="gewerbegebiet"' in page


def test_xplan_plan_answers_with_its_class(client, db):
    plan = plan_import(path=XPLAN_ZIP).plan
    response = client.get("/api/landuse/at", {"lat": 53.7425, "lon": 9.7006, "plan": plan.pk})
    results = response.json()["results"]
    assert results, "a point inside the sample plan"
    assert results[0]["plan"]["name"] == "FNP Testplan 6.0"
    assert results[0]["feature_class"].startswith(("FP_", "SO_"))


def test_geojson_is_filtered_by_bbox_and_simplified(client, koeln_plan,
                                                    django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        whole = client.get("/api/landuse/plan.geojson", {"zoom": 10})
    assert whole.status_code == 200 and whole["Content-Type"] == "application/geo+json"
    features = json.loads(whole.content)["features"]
    assert len(features) == 2120
    dom = client.get("/api/landuse/plan.geojson",
                     {"bbox": "6.955,50.939,6.961,50.943", "zoom": 17})
    near = json.loads(dom.content)["features"]
    assert 0 < len(near) < 60
    assert {f["properties"]["class"] for f in near} >= {"gemischte_bauflaeche"}
    coords = json.dumps(near[0]["geometry"]["coordinates"])
    assert all(len(c.split(".")[1]) <= 6 for c in coords.replace("]", "").split(",") if "." in c)
    # Coarser zoom, fewer vertices: simplification follows the zoom.
    detailed = client.get("/api/landuse/plan.geojson", {"zoom": 18}).content
    assert len(whole.content) < len(detailed) * 0.7


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "7,50,6,51", "6,95,7,96"])
def test_geojson_bad_bbox(client, db, bbox):
    response = client.get("/api/landuse/plan.geojson", {"bbox": bbox})
    assert response.status_code == 400 and "bbox" in response.json()["errors"]


def test_stats_per_class_and_district(client, koeln_plan):
    response = client.get("/api/landuse/stats")
    assert response.status_code == 200
    data = response.json()
    classes = {c["class_key"]: c for c in data["classes"]}
    assert classes["luftverkehr"]["areas"] == 1
    assert 600 < classes["luftverkehr"]["hectares"] < 800
    districts = {d["district"]: d for d in data["districts"]}
    assert len(districts) == 9
    assert districts["Porz"]["by_class"]["luftverkehr"] == pytest.approx(
        classes["luftverkehr"]["hectares"], abs=3)  # the airport: Porz, 2 ha beyond
    # Districts tile the city: their sums equal the class totals within the boundary margin.
    total_classes = sum(c["hectares"] for c in data["classes"])
    total_districts = sum(d["hectares"] for d in data["districts"])
    assert total_districts == pytest.approx(total_classes, rel=0.005)
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_Area(geom) / 10000 FROM geoportal_area "
                       "WHERE kind = 'municipality' AND code = '05315000'")
        city_ha = cursor.fetchone()[0]
    assert 0.9 * city_ha < total_classes < 1.02 * city_ha


def test_fnp_page_lists_only_present_classes(client, koeln_plan):
    response = client.get("/fnp/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-class="luftverkehr"' in html and 'data-class="industriegebiet"' in html
    assert 'data-class="gruen_friedhof"' not in html  # not a class of the Köln plan
    assert html.count("<li data-class=") == 19
    assert client.get("/fnp/", {"plan": 999999}).status_code == 404


def test_layer_queryset_for_ogc_services(koeln_plan, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(selectors.landuse_layer_queryset()[:5])
        assert all(r.plan.name == "Flächennutzungsplan Köln" for r in rows)
        assert all(r.geom.srid == 25832 for r in rows)


def test_fnp_page_lists_each_plan_version_once(client, koeln_plan, tmp_path):
    # The current version is the "aktuelle Fassung" option; it was listed again below it (#19).
    from .test_services import square_geojson

    page = client.get("/fnp/").content.decode()
    assert "fnp-plan" not in page  # nothing older to choose
    old = plan_import(path=square_geojson(tmp_path, "GE", "a.geojson"), name="Testplan").plan
    new = plan_import(path=square_geojson(tmp_path, "W", "b.geojson"), name="Testplan").plan
    page = client.get("/fnp/").content.decode()
    start = page.index('<select id="fnp-plan"')
    choice = page[start:page.index("</select>", start)]
    assert choice.count("<option") == 2
    assert choice.count(f"{koeln_plan.name} (Version {koeln_plan.version})") == 1
    assert choice.count("Testplan (Version 2)") == 1
    assert f'value="{old.pk}"' in choice and f'value="{new.pk}"' not in choice
    assert choice.count("Testplan, Version 1") == 1
