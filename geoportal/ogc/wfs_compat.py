"""Three places where django-gisserver's input parsing disagrees with WFS 2.0, with its own
output, or with a clean error.

Written for django-gisserver 2.5.0, pinned exactly in pyproject.toml: the patches below replace
internals that have no public hook. tests/geoportal/ogc/test_wfs_compat.py is the contract that
fails when an upgrade moves them. Installed once from GeoportalConfig.ready().

1. Envelope without srsName.

GDAL (and so QGIS's processing tools and ogr2ogr) sends a BBOX filter as
`<gml:Envelope>` without `srsName`. WFS 2.0 (09-025r2 §7.9.2.4.4) says a geometry without
srsName is in the feature type's default CRS; gisserver insists on the attribute and answers
400. We let the Envelope through without a CRS; gisserver itself then applies the feature
type's default CRS when it builds the query (GEOSGMLGeometry.build_rhs handles `srs=None`).

2. `BBOX=minx,miny,maxx,maxy,EPSG:4326`. gisserver writes `EPSG:4326` output in lon/lat
(GeoServer's convention for the legacy spelling, GISSERVER_FORCE_XY_EPSG_4326) and reads a
`<gml:Envelope srsName="EPSG:4326">` as lon/lat too, but reads the same CRS in the KVP BBOX
as lat/lon, so a lon/lat box found nothing. We tag such a box as x/y, like its XML twin.

3. ValueReference beyond a property path. gisserver raises NotImplementedError for an XPath
function (`foo()`), predicate (`number[1]`) or descendant step (`//number`) while it builds the
query, outside its own error wrapping, so a client got a 500. Our feature types are flat: a
ValueReference is a property name, optionally prefixed with the type name or `/`. Anything else
is refused up front with ExternalValueError, which gisserver turns into a 400
InvalidParameterValue ExceptionReport (locator `filter` or `valueReference`).
"""

import re
from xml.etree.ElementTree import QName, tostring

from django.contrib.gis.gdal import AxisOrder
from django.contrib.gis.geos import GEOSGeometry
from gisserver.crs import CRS
from gisserver.exceptions import ExternalValueError
from gisserver.features import FeatureType
from gisserver.parsers.ast import tag_registry
from gisserver.parsers.gml.geometries import GEOSGMLGeometry
from gisserver.parsers.xml import xmlns


class EnvelopeInDefaultCRS(GEOSGMLGeometry):
    @classmethod
    def from_xml(cls, element):
        if "srsName" in element.attrib:
            return super().from_xml(element)
        return cls(srs=None, geos_data=GEOSGeometry.from_gml(tostring(element)))


_from_bbox = GEOSGMLGeometry.from_bbox.__func__


def _from_bbox_legacy_xy(cls, bbox_value: str):
    geometry = _from_bbox(cls, bbox_value)
    if geometry.srs is not None and geometry.srs.force_xy:
        CRS.tag_geometry(geometry.geos_data, axis_order=AxisOrder.TRADITIONAL)
    return geometry


_NAME = r"(?:[A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*"
# `name`, `app:name`, `streets/name`, `/app:streets/app:name`, `@gml:id`: steps of names only.
PROPERTY_PATH = re.compile(rf"\A(?:/?{_NAME}(?:/{_NAME})*|@{_NAME})\Z")

_resolve_element = FeatureType.resolve_element


def _resolve_property_path(self, xpath: str, ns_aliases: dict[str, str]):
    if not isinstance(xpath, str) or not PROPERTY_PATH.match(xpath.strip()):
        raise ExternalValueError(
            f"ValueReference {xpath!r} is not supported: give a property name such as 'name' "
            "(XPath functions, predicates and '//' are not)."
        )
    return _resolve_element(self, xpath.strip(), ns_aliases)


def install() -> None:
    # gisserver's registry refuses a second registration for a tag, so we replace the entry.
    tag_registry.parsers[QName(xmlns.gml32.value, "Envelope").text] = EnvelopeInDefaultCRS
    # The KVP parser calls GEOSGMLGeometry.from_bbox by name; there is no hook to pass ours.
    GEOSGMLGeometry.from_bbox = classmethod(_from_bbox_legacy_xy)
    # Every ValueReference (filters, SORTBY, GetPropertyValue) is resolved here.
    FeatureType.resolve_element = _resolve_property_path
