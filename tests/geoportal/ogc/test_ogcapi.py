"""OGC API - Features over the Django test client: shapes, paging, filters, errors."""

import json
from datetime import timedelta

import pytest
from django.contrib.gis.geos import Polygon
from django.db import connection
from django.utils import timezone

from geoportal.models import Address, Area, AreaKind, Street
from geoportal.ogc.layers import all_layers

pytestmark = pytest.mark.django_db
BASE = "/ogcapi"
# Köln Altstadt-Nord in lon/lat.
BBOX = (6.94, 50.935, 6.96, 50.945)


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, response.content[:500]
    return json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )


def test_landing_page_links_to_api_conformance_and_collections(client):
    doc = get_json(client, f"{BASE}/")
    rels = {link["rel"] for link in doc["links"]}
    assert {"self", "alternate", "service-desc", "conformance", "data"} <= rels


def test_openapi_documents_every_collection(client):
    doc = get_json(client, f"{BASE}/api")
    assert doc["openapi"].startswith("3.0")
    for layer in all_layers():
        assert f"/collections/{layer.name}/items" in doc["paths"]
    street_params = {
        p.get("name") for p in doc["paths"]["/collections/streets/items"]["get"]["parameters"]
    }
    assert {"name", "code", "municipality_id"} <= street_params


def test_conformance_declares_core_and_geojson(client):
    doc = get_json(client, f"{BASE}/conformance")
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in doc["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in doc["conformsTo"]


def test_collections_have_extent_in_crs84(client):
    doc = get_json(client, f"{BASE}/collections")
    by_id = {c["id"]: c for c in doc["collections"]}
    assert set(by_id) == {layer.name for layer in all_layers()}
    minx, miny, maxx, maxy = by_id["districts"]["extent"]["spatial"]["bbox"][0]
    assert 6.7 < minx < maxx < 7.2 and 50.8 < miny < maxy < 51.1


def test_items_page_through_every_quarter_once(client, django_assert_max_num_queries):
    seen, url, pages = [], f"{BASE}/collections/quarters/items?limit=30", 0
    while url:
        # savepoint, statement_timeout, count, page, release: independent of the page size.
        with django_assert_max_num_queries(5):
            doc = get_json(client, url)
        assert doc["numberMatched"] == 86
        assert doc["numberReturned"] == len(doc["features"])
        seen += [f["id"] for f in doc["features"]]
        url = next((link["href"] for link in doc["links"] if link["rel"] == "next"), None)
        pages += 1
    assert pages == 3
    assert sorted(seen) == sorted(
        Area.objects.filter(kind=AreaKind.QUARTER).values_list("id", flat=True)
    )
    assert len(seen) == len(set(seen))


def test_items_bbox_matches_postgis(client):
    bbox = ",".join(map(str, BBOX))
    doc = get_json(client, f"{BASE}/collections/streets/items?bbox={bbox}&limit=10000")
    box = Polygon.from_bbox(BBOX)
    box.srid = 4326
    # The server densifies the box before reprojecting; so does this reference query.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM geoportal_street WHERE ST_Intersects(geom, "
            "ST_Transform(ST_Segmentize(ST_GeomFromEWKT(%s), %s), 25832))",
            [box.ewkt, (BBOX[2] - BBOX[0]) / 64],
        )
        expected = sorted(row[0] for row in cursor.fetchall())
    assert sorted(f["id"] for f in doc["features"]) == expected
    assert 20 < len(expected) < Street.objects.count()


def test_items_coordinates_are_lonlat_with_six_decimals(client):
    area = Area.objects.get(kind=AreaKind.DISTRICT, name="Innenstadt")
    doc = get_json(client, f"{BASE}/collections/districts/items/{area.pk}")
    x, y = doc["geometry"]["coordinates"][0][0][0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointN(ST_ExteriorRing(ST_GeometryN("
            "ST_Transform(geom, 4326), 1)), 1) AS p FROM geoportal_area WHERE id = %s) AS x",
            [area.pk],
        )
        ex, ey = cursor.fetchone()
    assert (x, y) == (round(ex, 6), round(ey, 6))
    assert doc["properties"] == {
        "code": area.code,
        "name": "Innenstadt",
        "kind": "district",
        "parent_id": area.parent_id,
        "updated_at": doc["properties"]["updated_at"],
    }


def test_property_filter_and_whitelist(client):
    doc = get_json(client, f"{BASE}/collections/quarters/items?name=Ehrenfeld")
    assert [f["properties"]["name"] for f in doc["features"]] == ["Ehrenfeld"]
    # `source` is a model field but not published: neither output nor a filter.
    assert "source" not in doc["features"][0]["properties"]
    get_json(client, f"{BASE}/collections/quarters/items?source=x", status=400)


def test_datetime_interval_filters_on_the_layers_time_field(client):
    now = timezone.now()
    past = (now - timedelta(days=365)).date().isoformat()
    doc = get_json(client, f"{BASE}/collections/districts/items?datetime={past}/..")
    assert doc["numberMatched"] == 9
    doc = get_json(client, f"{BASE}/collections/districts/items?datetime=../{past}")
    assert doc["numberMatched"] == 0
    problem = get_json(client, f"{BASE}/collections/streets/items?datetime={past}", status=400)
    assert "no time property" in problem["detail"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("bbox=1,2,3", "four numbers"),
        ("bbox=7,51,6,50", "minimum must be below"),
        ("bbox=nan,1,2,3", "finite"),
        ("bbox=1e999,1,2,3", "finite"),
        ("limit=0", "between 1 and"),
        ("limit=abc", "whole number"),
        ("offset=-1", "between 0 and"),
        ("datetime=yesterday", "RFC 3339"),
        ("code=1&f=xml", "f must be"),
        ("house=1", "Unknown query parameter"),
    ],
)
def test_bad_parameters_are_problem_json_400(client, query, message):
    response = client.get(f"{BASE}/collections/districts/items?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert message in json.loads(response.content)["detail"]


def test_unknown_collection_and_feature_are_404_problems(client):
    for url in (
        "/collections/nope",
        "/collections/nope/items",
        "/collections/streets/items/x",
        "/collections/streets/items/999999999",
    ):
        response = client.get(BASE + url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"


def test_html_by_f_and_by_accept(client):
    response = client.get(f"{BASE}/collections/districts/items?f=html")
    assert response.status_code == 200 and b"Innenstadt" in response.content
    innenstadt = Area.objects.get(kind=AreaKind.DISTRICT, name="Innenstadt")
    item_link = f"/ogcapi/collections/districts/items/{innenstadt.pk}?f=html"
    assert item_link.encode() in response.content
    assert client.get(item_link).status_code == 200
    assert response["Content-Type"].startswith("text/html")
    response = client.get(f"{BASE}/collections", HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert response["Content-Type"].startswith("text/html") and b"Stadtteile" in response.content
    response = client.get(f"{BASE}/collections", HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    assert "Accept" in response["Vary"]


def test_addresses_publish_the_whitelist_only(client, lonlat):
    Address.objects.create(
        street_name="Domkloster",
        street_key="domkloster",
        house_number=4,
        house_number_suffix="a",
        postcode="50667",
        city="Köln",
        geom=lonlat(6.9583, 50.9413),
        source="intern",
        source_id="secret-42",
    )
    doc = get_json(client, f"{BASE}/collections/addresses/items?postcode=50667")
    (feature,) = doc["features"]
    assert feature["properties"] == {
        "street_name": "Domkloster",
        "house_number": 4,
        "house_number_suffix": "a",
        "postcode": "50667",
        "city": "Köln",
    }
    assert feature["geometry"] == {"type": "Point", "coordinates": [6.9583, 50.9413]}
    assert b"secret-42" not in client.get("/geojson/addresses.geojson").getvalue()


@pytest.mark.parametrize(
    ("crs", "srid", "lat_first"),
    [
        ("http://www.opengis.net/def/crs/OGC/1.3/CRS84", 4326, False),
        ("http://www.opengis.net/def/crs/EPSG/0/4326", 4326, True),
        ("http://www.opengis.net/def/crs/EPSG/0/25832", 25832, False),
        ("http://www.opengis.net/def/crs/EPSG/0/3857", 3857, False),
    ],
)
def test_items_in_another_crs_part2(client, crs, srid, lat_first):
    area = Area.objects.get(kind=AreaKind.DISTRICT, name="Innenstadt")
    response = client.get(f"{BASE}/collections/districts/items/{area.pk}", {"crs": crs})
    assert response["Content-Crs"] == f"<{crs}>"
    first, second = json.loads(response.content)["geometry"]["coordinates"][0][0][0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointN(ST_ExteriorRing(ST_GeometryN("
            "ST_Transform(geom, %s), 1)), 1) AS p FROM geoportal_area WHERE id = %s) AS x",
            [srid, area.pk],
        )
        x, y = cursor.fetchone()
    places = 6 if srid == 4326 else 2
    expected = (
        (round(y, places), round(x, places)) if lat_first else (round(x, places), round(y, places))
    )
    assert (first, second) == expected


def test_bbox_in_the_storage_crs(client):
    box = (356000, 5644000, 357500, 5645500)
    doc = get_json(
        client,
        f"{BASE}/collections/streets/items?limit=10000&bbox={','.join(map(str, box))}"
        "&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/25832",
    )
    expected = Street.objects.filter(geom__intersects=Polygon.from_bbox(box))
    assert sorted(f["id"] for f in doc["features"]) == sorted(expected.values_list("id", flat=True))
    problem = get_json(client, f"{BASE}/collections/streets/items?crs=EPSG:31467", status=400)
    assert "crs must be one of" in problem["detail"]


def test_huge_feature_id_is_404_not_500(client):
    response = client.get(f"{BASE}/collections/streets/items/99999999999999999999")
    assert response.status_code == 404


def test_a_query_over_the_statement_timeout_is_a_503_problem(client, settings):
    settings.GEOPORTAL_SERVICES_STATEMENT_TIMEOUT = "1ms"
    problem = get_json(client, f"{BASE}/collections/streets/items?limit=10000", status=503)
    assert "too long" in problem["detail"]


def test_collection_schema_lists_the_published_properties(client):
    collection = get_json(client, f"{BASE}/collections/addresses")
    (link,) = [link for link in collection["links"] if link["rel"] == "describedby"]
    assert link["type"] == "application/schema+json"
    response = client.get(link["href"])
    assert response["Content-Type"] == "application/schema+json"
    schema = json.loads(response.content)
    props = schema["properties"]["properties"]["properties"]
    assert set(props) == {"street_name", "house_number", "house_number_suffix", "postcode", "city"}
    assert props["house_number"]["type"] == ["integer", "null"]
    assert schema["properties"]["geometry"]["format"] == "geometry-point"
