"""geoportal.geo.transformed: the cached transformation gives what GEOS's own transform gives."""

import threading

import pytest
from django.contrib.gis.geos import LineString, Point

from geoportal.geo import point_from_lonlat, transformed


@pytest.mark.parametrize("srid", [25832, 3857, 4326])
def test_the_cached_transformation_matches_geos(srid):
    line = LineString((6.9581, 50.9413), (6.97, 50.95), srid=4326)
    expected = line.transform(srid, clone=True)
    got = transformed(line, srid)
    assert got.srid == srid and line.srid == 4326, "a copy, the input untouched"
    assert got.equals_exact(expected, tolerance=1e-6)
    back = transformed(got, 4326)
    assert back.equals_exact(line, tolerance=1e-9)


def test_lon_lat_order_and_threads():
    point = point_from_lonlat(lon=6.9581, lat=50.9413)
    assert point.srid == 25832 and point.x == pytest.approx(356_500, abs=1_000)
    assert point.y == pytest.approx(5_645_000, abs=2_000)
    seen = []

    def work():
        seen.append(transformed(Point(6.9581, 50.9413, srid=4326), 25832).coords)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [point.coords] * 4
