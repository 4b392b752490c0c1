import pytest
from django.contrib.gis.geos import Point

from geoportal.geo import point_from_lonlat


@pytest.fixture
def lonlat():
    def make(lon: float, lat: float) -> Point:
        return point_from_lonlat(lon=lon, lat=lat)

    return make
