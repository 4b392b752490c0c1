"""Web map endpoints: streamed GeoJSON with validators, Mapbox vector tiles, TileJSON."""

import gzip
import json

import pytest
from django.db import connection

from geoportal.models import Area, AreaKind, Street
from geoportal.ogc.sql import tile_containing

from .conftest import decode_tile

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


COLOGNE_CATHEDRAL = (6.9583, 50.9413)


def test_geojson_streams_the_whole_layer(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/geojson/quarters.geojson")
        doc = json.loads(body(response))
    assert response.streaming
    assert response["Content-Type"] == "application/geo+json"
    assert len(doc["features"]) == Area.objects.filter(kind=AreaKind.QUARTER).count() == 86
    names = {f["properties"]["name"] for f in doc["features"]}
    assert "Ehrenfeld" in names
    assert set(doc["features"][0]["properties"]) == {
        "code",
        "name",
        "kind",
        "parent_id",
        "updated_at",
    }


def test_geojson_is_gzipped_for_clients_that_ask(client):
    response = client.get("/geojson/streets.geojson", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    doc = json.loads(gzip.decompress(body(response)))
    assert len(doc["features"]) == Street.objects.count()


def test_geojson_bbox_returns_exactly_the_intersecting_streets(client):
    bbox = (6.94, 50.935, 6.96, 50.945)
    response = client.get("/geojson/streets.geojson", {"bbox": ",".join(map(str, bbox))})
    got = sorted(f["id"] for f in json.loads(body(response))["features"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM geoportal_street WHERE ST_Intersects(geom, ST_Transform("
            "ST_Segmentize(ST_MakeEnvelope(%s, %s, %s, %s, 4326), %s), 25832)) ORDER BY id",
            [*bbox, (bbox[2] - bbox[0]) / 64],
        )
        expected = [row[0] for row in cursor.fetchall()]
    assert got == expected and len(got) > 20


def test_conditional_get_is_304_until_the_layer_changes(client):
    first = client.get("/geojson/districts.geojson")
    body(first)
    etag, modified = first["ETag"], first["Last-Modified"]
    again = client.get("/geojson/districts.geojson", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and not again.content
    # The browser echoes the weak form GZipMiddleware sends; that must match too.
    weak = client.get("/geojson/districts.geojson", HTTP_IF_NONE_MATCH=f"W/{etag}")
    assert weak.status_code == 304
    since = client.get("/geojson/districts.geojson", HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    other_view = client.get("/geojson/districts.geojson?name=Porz", HTTP_IF_NONE_MATCH=etag)
    assert other_view.status_code == 200

    district = Area.objects.filter(kind=AreaKind.DISTRICT).first()
    district.name = "Umbenannt"
    district.save()
    changed = client.get("/geojson/districts.geojson", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Umbenannt" in body(changed).decode()


def test_geojson_errors_are_problem_json(client):
    assert client.get("/geojson/nope.geojson").status_code == 404
    response = client.get("/geojson/streets.geojson?bbox=1,2,3,x")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_vector_tile_holds_the_streets_of_that_tile(client, tmp_path):
    z, x, y = tile_containing(*COLOGNE_CATHEDRAL, 15)
    response = client.get(f"/tiles/streets/{z}/{x}/{y}.mvt")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    assert "max-age" in response["Cache-Control"]
    doc = decode_tile(response.content, tmp_path, z, x, y)
    got = {f["properties"]["mvt_id"] for f in doc["features"]}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM geoportal_street WHERE ST_Intersects(ST_Transform(geom, 3857), "
            "ST_TileEnvelope(%s, %s, %s))",
            [z, x, y],
        )
        inside = {row[0] for row in cursor.fetchall()}
    # The tile also carries streets within its 64/4096 clipping buffer.
    assert inside <= got and len(inside) > 5
    assert {"name", "code"} <= set(doc["features"][0]["properties"])


def test_tile_below_min_zoom_is_empty_and_revalidates(client):
    z, x, y = tile_containing(*COLOGNE_CATHEDRAL, 8)
    response = client.get(f"/tiles/addresses/{z}/{x}/{y}.mvt")
    assert response.status_code == 200 and response.content == b""
    z, x, y = tile_containing(*COLOGNE_CATHEDRAL, 12)
    first = client.get(f"/tiles/districts/{z}/{x}/{y}.mvt")
    assert len(first.content) > 100
    again = client.get(f"/tiles/districts/{z}/{x}/{y}.mvt", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/tiles/streets/3/8/0.mvt",
        "/tiles/streets/25/0/0.mvt",
        "/tiles/nope/1/0/0.mvt",
        "/tiles/nope.json",
    ],
)
def test_impossible_tiles_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_tilejson_points_at_the_tiles(client):
    doc = json.loads(client.get("/tiles/streets.json").content)
    assert doc["tiles"] == ["http://testserver/tiles/streets/{z}/{x}/{y}.mvt"]
    assert doc["vector_layers"][0]["id"] == "streets"
    assert doc["minzoom"] == 11
    minx, miny, maxx, maxy = doc["bounds"]
    assert 6.7 < minx < maxx < 7.2 and 50.8 < miny < maxy < 51.1
