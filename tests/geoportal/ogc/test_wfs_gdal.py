"""WFS 2.0 as QGIS sees it: GDAL's WFS driver (the same OGR code QGIS's WFS provider mirrors)
against the live server and the committed Köln core."""

import re

import pytest
from django.contrib.gis.geos import Polygon
from django.db import connection

from geoportal.models import Area, AreaKind, Street
from geoportal.ogc.layers import all_layers


def wfs(live_server, **query) -> str:
    url = f"WFS:{live_server.url}/wfs"
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def test_capabilities_list_every_registered_layer(live_server, ogrinfo):
    out = ogrinfo("-so", wfs(live_server))
    listed = re.findall(r"^\d+: app:(\w+) \(title: ([^)]+)\)", out, re.M)
    assert {name for name, _ in listed} == {layer.name for layer in all_layers()}
    assert ("quarters", "Stadtteile") in listed


@pytest.mark.parametrize(
    ("layer", "rows"),
    [
        ("municipalities", lambda: Area.objects.filter(kind=AreaKind.MUNICIPALITY)),
        ("districts", lambda: Area.objects.filter(kind=AreaKind.DISTRICT)),
        ("quarters", lambda: Area.objects.filter(kind=AreaKind.QUARTER)),
        ("streets", lambda: Street.objects.all()),
    ],
)
def test_feature_count_matches_the_database(live_server, ogrinfo, layer, rows):
    out = ogrinfo("-so", wfs(live_server), layer)
    count = int(re.search(r"Feature Count: (\d+)", out).group(1))
    assert count == rows().count() > 0


def test_bbox_returns_exactly_the_streets_inside(live_server, ogr2geojson):
    box = (356000, 5644000, 357500, 5645500)  # EPSG:25832, Köln Altstadt-Nord
    doc = ogr2geojson(wfs(live_server), "streets", "-spat", *map(str, box))
    got = sorted(int(f["properties"]["gml_id"].split(".")[1]) for f in doc["features"])
    expected = sorted(
        Street.objects.filter(geom__intersects=Polygon.from_bbox(box)).values_list("id", flat=True)
    )
    assert got == expected
    assert 20 < len(got) < Street.objects.count()


def test_paging_returns_every_street_once(live_server, ogr2geojson):
    # A small page size makes GDAL walk STARTINDEX/COUNT over 12 pages.
    doc = ogr2geojson(wfs(live_server), "streets", "--config", "OGR_WFS_PAGE_SIZE", "500")
    ids = [int(f["properties"]["gml_id"].split(".")[1]) for f in doc["features"]]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(Street.objects.values_list("id", flat=True))


def test_gdal_pages_with_our_count_default(live_server, ogrinfo):
    # Without CountDefault in the capabilities GDAL (and QGIS) fetch a whole layer at once.
    out = ogrinfo("--debug", "on", "-q", wfs(live_server), "streets")
    requests = re.findall(r"REQUEST=GetFeature\S*", out)
    assert any("STARTINDEX=5000&COUNT=1000" in r for r in requests), requests


def _first_vertex(area: Area, srid: int) -> tuple[float, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointN(ST_ExteriorRing(ST_GeometryN("
            "ST_Transform(geom, %s), 1)), 1) AS p FROM geoportal_area WHERE id = %s) AS x",
            [srid, area.pk],
        )
        return cursor.fetchone()


@pytest.mark.parametrize(
    ("srsname", "srid", "places"),
    [
        (None, 25832, 3),
        ("urn:ogc:def:crs:EPSG::4326", 4326, 7),
        ("EPSG:4326", 4326, 7),
        ("EPSG:3857", 3857, 3),
    ],
)
def test_coordinates_match_postgis_in_every_crs(live_server, ogr2geojson, srsname, srid, places):
    area = Area.objects.get(kind=AreaKind.DISTRICT, name="Innenstadt")
    url = wfs(live_server, SRSNAME=srsname) if srsname else wfs(live_server)
    doc = ogr2geojson(url, "districts", "-where", f"code = '{area.code}'")
    (feature,) = doc["features"]
    x, y = feature["geometry"]["coordinates"][0][0][0]
    # GDAL hands out lon/lat for both 4326 spellings: it swaps the urn form's lat/lon back.
    expected = _first_vertex(area, srid)
    assert (round(x, places), round(y, places)) == (
        round(expected[0], places),
        round(expected[1], places),
    )
