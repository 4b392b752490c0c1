"""Turning user coordinates into storage geometry, with errors a user can act on."""

from django.conf import settings
from django.contrib.gis.geos import Point


class OutsideServiceArea(ValueError):
    pass


def point_from_lonlat(*, lon: float, lat: float) -> Point:
    """A WGS84 lon/lat pair as a point in the storage CRS; refuses points far outside Germany."""
    lon_min, lat_min, lon_max, lat_max = settings.GEOPORTAL_BOUNDS
    if not (lon_min <= lon <= lon_max and lat_min <= lat <= lat_max):
        raise OutsideServiceArea(
            f"lat={lat}, lon={lon} lies outside the area this portal serves "
            f"(lat {lat_min}..{lat_max}, lon {lon_min}..{lon_max}). "
            "Send WGS84 degrees; check that lat and lon are not swapped."
        )
    point = Point(lon, lat, srid=4326)
    point.transform(settings.GEOPORTAL_SRID)
    return point
