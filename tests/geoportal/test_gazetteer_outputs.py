"""#13 audit, the city core's public outputs: a name that Köln has in several quarters is one
feature per quarter, told apart by its quarter, never one multi-part place; no output shows
the register's quarter suffix ("Schillerstraße We")."""

import json
import re

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Count

from geoportal import selectors
from geoportal.models import Street

from .ogc.conftest import decode_tile
from .ogc.test_wfs import wfs

pytestmark = pytest.mark.django_db


def _same_name_rows(name: str) -> dict[int, Street]:
    rows = Street.objects.filter(name=name).select_related("quarter")
    assert rows.count() >= 3
    return {street.pk: street for street in rows}


def _suffixed() -> list[Street]:
    """Streets the register writes with a quarter suffix, e.g. "Schillerstr. We"."""
    return list(Street.objects.exclude(suffix="").select_related("quarter"))


def _suffix_forms(streets: list[Street]) -> re.Pattern:
    """The name followed by its suffix, as a label would leak it: "Schillerstraße We"."""
    forms = {f"{s.name} {s.suffix}" for s in streets} | {s.source_name for s in streets}
    return re.compile("|".join(rf"{re.escape(form)}\b" for form in sorted(forms)))


def _assert_one_per_quarter(features: list[dict], name: str) -> None:
    rows = _same_name_rows(name)
    assert sorted(int(str(f["id"]).rsplit(".", 1)[-1]) for f in features) == sorted(rows)
    for feature in features:
        street = rows[int(str(feature["id"]).rsplit(".", 1)[-1])]
        props = feature["properties"]
        assert props["name"] == name
        assert props["label"] == f"{name}, Köln-{street.quarter.name}" == street.label
        assert props["quarter_name"] == street.quarter.name
        assert props["quarter_id"] == street.quarter_id
        geom = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326).transform(
            street.geom.srid, clone=True
        )
        # The feature is this street only: within a metre of it, and nowhere near the others.
        assert street.geom.buffer(1).covers(geom)
        for other in rows.values():
            if other.pk != street.pk:
                assert geom.distance(other.geom) > 1000


def test_wfs_streets_are_one_feature_per_quarter_with_its_quarter(client):
    flt = (
        '<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsEqualTo>'
        "<fes:ValueReference>name</fes:ValueReference><fes:Literal>Hauptstraße</fes:Literal>"
        "</fes:PropertyIsEqualTo></fes:Filter>"
    )
    response, content = wfs(
        client, REQUEST="GetFeature", TYPENAMES="streets", FILTER=flt, OUTPUTFORMAT="geojson",
        SRSNAME="urn:ogc:def:crs:EPSG::4326",
    )
    assert response.status_code == 200, content[:500]
    features = json.loads(content)["features"]
    # GeoJSON is lon/lat whatever the CRS spelling.
    _assert_one_per_quarter(features, "Hauptstraße")


def test_ogc_api_streets_are_one_feature_per_quarter_with_its_quarter(client):
    response = client.get("/ogcapi/collections/streets/items",
                          {"f": "json", "name": "Schulstraße", "limit": 50})
    assert response.status_code == 200
    _assert_one_per_quarter(response.json()["features"], "Schulstraße")


def test_no_name_is_one_row_in_two_quarters():
    """One row per street key: two same-named streets never share a row (and so a geometry)."""
    shared = (
        Street.objects.values("name", "quarter_id").annotate(n=Count("id")).filter(n__gt=1)
    )
    for row in shared:
        # Two keys of one name in one quarter exist (a street and a path of it); each is still
        # its own row with its own label.
        labels = Street.objects.filter(name=row["name"], quarter_id=row["quarter_id"])
        assert labels.values("label").distinct().count() == row["n"], row
    by_name = Street.objects.values("name").annotate(n=Count("id")).filter(n__gt=1)
    for row in by_name:
        labels = set(Street.objects.filter(name=row["name"]).values_list("label", flat=True))
        assert len(labels) == row["n"], row["name"]


def test_no_public_street_output_carries_a_quarter_suffix(client, tmp_path):
    suffixed = _suffixed()
    assert len(suffixed) > 500  # positive control: the register has them
    leak = _suffix_forms(suffixed)
    assert leak.search("Schillerstraße We, Köln") and leak.search("Schillerstr. We")
    # The whole streets layer as GeoJSON, names and labels.
    response = client.get("/geojson/streets.geojson")
    body = b"".join(response.streaming_content).decode()
    features = json.loads(body)["features"]
    assert len(features) == Street.objects.count()
    assert not leak.search(body)
    weiden = Street.objects.get(source_name="Schillerstr. We")
    assert weiden.label in {f["properties"]["label"] for f in features}
    # Search, reverse geocoding and a vector tile on the suffixed streets themselves.
    for street in suffixed[::25]:
        for hit in selectors.geocode_search(query=street.name).hits:
            assert not leak.search(hit.label), hit.label
        point = street.geom[0].interpolate_normalized(0.5)
        reverse = selectors.geocode_reverse(point=point)
        assert reverse is not None and not leak.search(reverse.label), reverse.label
    point = weiden.geom[0].interpolate_normalized(0.5).transform(4326, clone=True)
    z, x, y = _tile_of(point.x, point.y, 15)
    tile = client.get(f"/tiles/streets/{z}/{x}/{y}.mvt")
    doc = decode_tile(tile.content, tmp_path, z, x, y)
    names = {f["properties"].get("label") for f in doc["features"]}
    assert weiden.label in names
    assert not any(leak.search(name or "") for name in names)


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    import math

    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("Schillerstr. We", "Schillerstraße, Köln-Weiden"),
        ("Schillerstr. We 5", "Schillerstraße 5, 50859 Köln-Weiden"),
        ("Feldstr. Wa", "Feldstraße, Köln-Wahn"),
        ("Hauptstr. (Rodenkirchen)", "Hauptstraße, Köln-Rodenkirchen"),
    ],
)
def test_the_registers_own_spelling_finds_the_one_street_it_means(query, label):
    """Copied from the city's data, the suffix resolves to its quarter; it is never shown."""
    result = selectors.geocode_search(query=query)
    assert result.hits[0].label == label
    assert selectors.search_hit_is_sure(result=result)


def test_an_unknown_suffix_is_just_a_typo():
    result = selectors.geocode_search(query="Venloer Str. Xy")
    assert result.hits[0].label == "Venloer Straße, Köln"
    assert not selectors.search_hit_is_sure(result=result)
