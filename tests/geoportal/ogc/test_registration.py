"""What docs/services.md promises another app: one register_layer() call publishes a layer on
every service, and its `rows` filter and field whitelist hold on every one of them."""

import json

import pytest

from geoportal.models import Street
from geoportal.ogc.layers import Layer, register_layer, unregister_layer
from geoportal.ogc.sql import tile_containing

from .conftest import decode_tile

pytestmark = pytest.mark.django_db
NAME = "a_streets"


def _starting_with_a(queryset):
    # Stands in for "public reports only": rows outside it must not show up anywhere.
    return queryset.filter(name__startswith="A")


@pytest.fixture
def layer():
    registered = register_layer(
        Layer(
            name=NAME,
            title="A-Straßen",
            model=Street,
            fields=("name",),
            rows=_starting_with_a,
            order_by=("name",),
        )
    )
    yield registered
    unregister_layer(NAME)


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def public_ids():
    return set(Street.objects.filter(name__startswith="A").values_list("id", flat=True))


@pytest.fixture
def hidden():
    return Street.objects.exclude(name__startswith="A").order_by("id").first()


def test_wfs_serves_only_public_rows_and_fields(client, layer, public_ids, hidden):
    response = client.get(
        "/wfs",
        {
            "SERVICE": "WFS",
            "VERSION": "2.0.0",
            "REQUEST": "GetFeature",
            "TYPENAMES": NAME,
            "OUTPUTFORMAT": "geojson",
            "COUNT": "5000",
        },
    )
    doc = json.loads(content(response))
    assert {int(f["id"].split(".")[1]) for f in doc["features"]} == public_ids
    assert doc["numberMatched"] == len(public_ids)
    assert set(doc["features"][0]["properties"]) == {"name"}
    # A filter cannot reach around the row filter.
    response = client.get(
        "/wfs",
        {
            "SERVICE": "WFS",
            "VERSION": "2.0.0",
            "REQUEST": "GetFeature",
            "TYPENAMES": NAME,
            "OUTPUTFORMAT": "geojson",
            "RESOURCEID": f"{NAME}.{hidden.pk}",
        },
    )
    assert json.loads(content(response))["features"] == []


def test_ogcapi_serves_only_public_rows(client, layer, public_ids, hidden):
    doc = json.loads(client.get(f"/ogcapi/collections/{NAME}/items?limit=5000").content)
    assert {f["id"] for f in doc["features"]} == public_ids
    assert doc["numberMatched"] == len(public_ids)
    assert client.get(f"/ogcapi/collections/{NAME}/items/{hidden.pk}").status_code == 404
    assert (
        client.get(f"/ogcapi/collections/{NAME}/items?name={hidden.name}").json()["numberMatched"]
        == 0
    )


def test_geojson_serves_only_public_rows(client, layer, public_ids):
    doc = json.loads(content(client.get(f"/geojson/{NAME}.geojson")))
    assert {f["id"] for f in doc["features"]} == public_ids


def _tile_ids(client, layer_name, z, x, y, tmp_path) -> set[int]:
    data = client.get(f"/tiles/{layer_name}/{z}/{x}/{y}.mvt").content
    if not data:
        return set()
    return {f["properties"]["mvt_id"] for f in decode_tile(data, tmp_path, z, x, y)["features"]}


def test_tiles_serve_only_public_rows(client, layer, tmp_path, hidden):
    lon, lat = hidden.geom.transform(4326, clone=True).point_on_surface.coords
    z, x, y = tile_containing(lon, lat, 14)
    # The same tile of the full street layer holds the hidden street: we look in the right place.
    assert hidden.pk in _tile_ids(client, "streets", z, x, y, tmp_path)
    ids = _tile_ids(client, NAME, z, x, y, tmp_path)
    assert hidden.pk not in ids
    assert all(
        name.startswith("A")
        for name in Street.objects.filter(pk__in=ids).values_list("name", flat=True)
    )
