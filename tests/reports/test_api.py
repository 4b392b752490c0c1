"""The REST API and the GeoJSON map layer."""

import json

import pytest

from reports.models import Report

from .conftest import DOM, EHRENFELD, jpeg_with_gps

pytestmark = pytest.mark.django_db


def test_list_detail_and_filters(client, make_report, django_assert_max_num_queries):
    for _ in range(3):
        make_report(*DOM)
    ehrenfeld = make_report(*EHRENFELD, code="baum")
    with django_assert_max_num_queries(3):
        data = client.get("/api/reports/").json()
    assert data["count"] == 4
    assert {"number", "status", "lat", "lon", "office", "district"} <= data["results"][0].keys()
    assert client.get("/api/reports/", {"category": "gruen"}).json()["count"] == 1
    assert (
        client.get("/api/reports/", {"district": "05315000-4", "status": ""}).json()["count"] == 1
    )
    detail = client.get(f"/api/reports/{ehrenfeld.number}/").json()
    assert detail["district"] == "Ehrenfeld" and detail["lat"] == pytest.approx(EHRENFELD[1])
    missing = client.get("/api/reports/2000-00000/")
    assert missing.status_code == 404 and missing.json()["status"] == 404
    bad = client.get("/api/reports/", {"status": "egal"})
    assert bad.status_code == 400 and "status" in bad.json()["errors"]


def test_geojson_is_built_in_postgres_with_bbox_and_fixed_precision(
    client, make_report, django_assert_max_num_queries
):
    make_report(*DOM)
    make_report(*EHRENFELD, code="baum")
    # One statement, plus the savepoint and SET LOCAL statement_timeout around it.
    make_report(*DOM, publish=False)  # unconfirmed: not on the map
    with django_assert_max_num_queries(4):
        response = client.get("/api/reports/geojson/")
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 2
    lon, lat = data["features"][0]["geometry"]["coordinates"]
    assert all(len(str(v).split(".")[1]) <= 6 for v in (lon, lat))
    assert set(data["features"][0]["properties"]) == {
        "number",
        "status",
        "category",
        "group",
        "group_code",
        "district",
        "address",
        "supporters",
        "created",
        "url",
    }
    box = client.get("/meldungen/karte.geojson", {"bbox": "6.90,50.94,6.93,50.96"}).json()
    assert [f["properties"]["district"] for f in box["features"]] == ["Ehrenfeld"]
    empty = client.get("/api/reports/geojson/", {"bbox": "0,0,1,1"}).json()
    assert empty == {"type": "FeatureCollection", "features": []}
    bad = client.get("/api/reports/geojson/", {"bbox": "7,51,6,50"})
    assert bad.status_code == 400 and "bbox" in bad.json()["errors"]


def test_duplicates_endpoint(client, make_report):
    near = make_report(*DOM)
    data = client.get(
        "/api/reports/duplicates/", {"lat": 50.9420, "lon": 6.9585, "category": "schlagloch"}
    ).json()
    assert [d["number"] for d in data["results"]] == [near.number]
    assert 50 < data["results"][0]["distance_m"] < 120
    far = client.get(
        "/api/reports/duplicates/",
        {"lat": EHRENFELD[1], "lon": EHRENFELD[0], "category": "schlagloch"},
    )
    assert far.json()["results"] == []
    other = client.get(
        "/api/reports/duplicates/", {"lat": DOM[1], "lon": DOM[0], "category": "baum"}
    )
    assert other.json()["results"] == []
    assert (
        client.get("/api/reports/duplicates/", {"lat": 1, "lon": 1, "category": "baum"}).status_code
        == 400
    )


@pytest.mark.parametrize(
    ("lat", "lon", "served"),
    [(DOM[1], DOM[0], True), (50.7374, 7.0982, False), (48.85, 2.35, False)],  # Dom, Bonn, Paris
)
def test_place_endpoint_says_whether_reports_are_taken_there(client, koeln, lat, lon, served):
    body = client.get("/api/reports/place/", {"lat": lat, "lon": lon}).json()
    assert body["served"] is served
    if served:
        assert body["detail"] == ""
    else:  # the same words for a neighbour town and for a point far outside the portal
        assert body["detail"].startswith("Dieser Ort liegt außerhalb von Köln:")


def test_place_endpoint_refuses_bad_input_in_our_error_shape(client, koeln):
    bad = client.get("/api/reports/place/", {"lat": "abc", "lon": "7"})
    assert bad.status_code == 400 and "lat" in bad.json()["errors"]


def test_post_needs_a_key_and_returns_no_personal_data(client, koeln):
    body = {
        "category": "ampel-defekt",
        "lat": DOM[1],
        "lon": DOM[0],
        "description": "Ampel aus",
        "email": "api@example.org",
        "name": "Api Nutzer",
    }
    refused = client.post("/api/reports/", body, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["status"] == 403
    created = client.post(
        "/api/reports/",
        body,
        content_type="application/json",
        headers={"X-Api-Key": "demo-open311-key"},
    )
    assert created.status_code == 201
    assert created.json()["published"] is True and "api@example.org" not in created.content.decode()
    assert Report.objects.get().source == "api"
    outside = client.post(
        "/api/reports/",
        {**body, "lat": 50.7374, "lon": 7.0982},
        content_type="application/json",
        headers={"X-Api-Key": "demo-open311-key"},
    )
    assert outside.status_code == 400 and "außerhalb" in outside.json()["detail"]


def test_photo_location_reads_exif_gps(client, koeln):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps(*EHRENFELD), "image/jpeg")
    data = client.post("/api/reports/photo-location/", {"photo": photo}).json()
    assert (data["lon"], data["lat"]) == pytest.approx(EHRENFELD, abs=1e-5)
    junk = SimpleUploadedFile("p.jpg", b"junk", "image/jpeg")
    bad = client.post("/api/reports/photo-location/", {"photo": junk})
    assert bad.status_code == 400 and "photo" in bad.json()["errors"]


def test_openapi_schema_lists_the_report_endpoints(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in [
        "/api/reports/",
        "/api/reports/{number}/",
        "/api/reports/geojson/",
        "/api/reports/duplicates/",
    ]:
        assert path in schema["paths"]


def test_post_multipart_with_a_photo_strips_its_metadata(client, koeln):
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps(*EHRENFELD), "image/jpeg")
    body = {
        "category": "ampel-defekt",
        "lat": DOM[1],
        "lon": DOM[0],
        "description": "Ampel aus",
        "email": "api@example.org",
        "photos": [photo],
    }
    created = client.post("/api/reports/", body, headers={"X-Api-Key": "demo-open311-key"})
    assert created.status_code == 201, created.content
    stored = Report.objects.get().photos.get()
    assert b"Exif" not in default_storage.open(stored.image.name).read()
    junk = SimpleUploadedFile("x.jpg", b"junk", "image/jpeg")
    bad = client.post(
        "/api/reports/", {**body, "photos": [junk]}, headers={"X-Api-Key": "demo-open311-key"}
    )
    assert bad.status_code == 400 and "photos" in bad.json()["errors"]
    assert Report.objects.count() == 1
