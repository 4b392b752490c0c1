"""OGC API - Features as QGIS 3.16+ and GDAL's OAPIF driver read it, against the live server."""

import re

import pytest
from django.contrib.gis.geos import Polygon
from django.db import connection

from geoportal.models import Area, AreaKind, Street
from geoportal.ogc.layers import all_layers


def oapif(live_server) -> str:
    return f"OAPIF:{live_server.url}/ogcapi/"


def test_gdal_lists_every_collection(live_server, ogrinfo):
    out = ogrinfo("-so", oapif(live_server))
    listed = re.findall(r"^\d+: (\w+) \(title: ", out, re.M)
    assert set(listed) == {layer.name for layer in all_layers()}


@pytest.mark.parametrize(
    ("layer", "expected"),
    [
        ("districts", lambda: Area.objects.filter(kind=AreaKind.DISTRICT).count()),
        ("quarters", lambda: Area.objects.filter(kind=AreaKind.QUARTER).count()),
        ("streets", lambda: Street.objects.count()),
    ],
)
def test_gdal_feature_count_matches_the_database(live_server, ogrinfo, layer, expected):
    out = ogrinfo("-so", oapif(live_server), layer)
    assert int(re.search(r"Feature Count: (\d+)", out).group(1)) == expected()


def test_gdal_pages_through_every_street_once(live_server, ogr2geojson):
    doc = ogr2geojson(oapif(live_server), "streets", "-oo", "PAGE_SIZE=700")
    names = [f["properties"]["code"] for f in doc["features"]]
    assert len(doc["features"]) == Street.objects.count()
    assert sorted(names) == sorted(Street.objects.values_list("code", flat=True))


def test_gdal_bbox_in_lonlat(live_server, ogr2geojson):
    box = (6.94, 50.935, 6.96, 50.945)
    doc = ogr2geojson(oapif(live_server), "streets", "-spat", *map(str, box))
    got = sorted(f["properties"]["code"] for f in doc["features"])
    polygon = Polygon.from_bbox(box)
    polygon.srid = 4326
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code FROM geoportal_street WHERE ST_Intersects(geom, ST_Transform("
            "ST_Segmentize(ST_GeomFromEWKT(%s), %s), 25832))",
            [polygon.ewkt, (box[2] - box[0]) / 64],
        )
        expected = sorted(row[0] for row in cursor.fetchall())
    assert got == expected and len(got) > 20
