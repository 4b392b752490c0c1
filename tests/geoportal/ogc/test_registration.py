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


@pytest.fixture
def named_layer():
    """Streets with their municipality's name (a related field) instead of its id."""
    registered = register_layer(
        Layer(
            name="named_streets",
            title="Straßen mit Gemeinde",
            model=Street,
            fields=("name",),
            related_fields=(("municipality_name", "municipality__name"),),
            rows=_starting_with_a,
            order_by=("name",),
        )
    )
    yield registered
    unregister_layer("named_streets")


def test_a_related_name_is_served_on_every_service(client, named_layer, tmp_path):
    street = Street.objects.filter(name__startswith="A", municipality__isnull=False).first()
    city = street.municipality.name
    wfs = json.loads(content(client.get("/wfs", {
        "SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
        "TYPENAMES": "named_streets", "OUTPUTFORMAT": "geojson",
        "RESOURCEID": f"named_streets.{street.pk}",
    })))
    assert wfs["features"][0]["properties"] == {"name": street.name, "municipality_name": city}
    item = client.get(f"/ogcapi/collections/named_streets/items/{street.pk}").json()
    assert item["properties"] == {"name": street.name, "municipality_name": city}
    schema = client.get("/ogcapi/collections/named_streets/schema").json()
    column = schema["properties"]["properties"]["properties"]["municipality_name"]
    assert column["type"] == ["string", "null"]  # the municipality may be missing
    # A filter on the related name is a parameter against the row source, not SQL text.
    found = client.get("/ogcapi/collections/named_streets/items",
                       {"municipality_name": city, "name": street.name}).json()
    assert street.pk in {f["id"] for f in found["features"]}
    assert client.get("/ogcapi/collections/named_streets/items",
                      {"municipality_name": "x' OR '1'='1"}).json()["numberMatched"] == 0
    doc = json.loads(content(client.get("/geojson/named_streets.geojson")))
    props = next(f["properties"] for f in doc["features"] if f["id"] == street.pk)
    assert props == {"name": street.name, "municipality_name": city}
    lon, lat = street.geom.transform(4326, clone=True).point_on_surface.coords
    z, x, y = tile_containing(lon, lat, 14)
    tile = decode_tile(client.get(f"/tiles/named_streets/{z}/{x}/{y}.mvt").content,
                       tmp_path, z, x, y)
    mine = next(f for f in tile["features"] if f["properties"]["mvt_id"] == street.pk)
    assert mine["properties"]["municipality_name"] == city
