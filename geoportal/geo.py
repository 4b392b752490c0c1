"""Turning user coordinates into storage geometry, with errors a user can act on."""

import threading

from django.conf import settings
from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import GEOSGeometry, Point
from django.utils.translation import gettext as _

# The CRS of web maps, GeoJSON and user input (WGS84 lon/lat); storage is GEOPORTAL_SRID.
WEB_SRID = 4326


class OutsideServiceArea(ValueError):
    pass


def point_from_lonlat(*, lon: float, lat: float) -> Point:
    """A WGS84 lon/lat pair as a point in the storage CRS; refuses points far outside Germany."""
    lon_min, lat_min, lon_max, lat_max = settings.GEOPORTAL_BOUNDS
    if not (lon_min <= lon <= lon_max and lat_min <= lat <= lat_max):
        raise OutsideServiceArea(
            _(
                "lat=%(lat)s, lon=%(lon)s liegt außerhalb des Gebiets, das dieses Portal "
                "bedient (lat %(lat_min)s..%(lat_max)s, lon %(lon_min)s..%(lon_max)s). "
                "Senden Sie WGS84-Grad und prüfen Sie, ob lat und lon vertauscht sind."
            )
            % {"lat": lat, "lon": lon, "lat_min": lat_min, "lat_max": lat_max,
               "lon_min": lon_min, "lon_max": lon_max}
        )
    return transformed(Point(lon, lat, srid=WEB_SRID), settings.GEOPORTAL_SRID)


_local = threading.local()


def transformed(geom: GEOSGeometry, srid: int) -> GEOSGeometry:
    """A copy of `geom` in `srid`.

    `geom.transform(srid)` builds both spatial references and the transformation anew on
    every call (about 3 ms, most of a geocoder hit's serialisation); one per thread is kept
    here, since GDAL's transformation objects are not safe to share between threads.
    """
    if geom.srid == srid:
        return geom.clone()
    cache = _local.__dict__.setdefault("transforms", {})
    key = (geom.srid, srid)
    if key not in cache:
        cache[key] = CoordTransform(SpatialReference(geom.srid), SpatialReference(srid))
    out = geom.transform(cache[key], clone=True)
    out.srid = srid
    return out
