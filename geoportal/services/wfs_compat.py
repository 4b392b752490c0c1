"""Client quirks django-gisserver refuses but WFS 2.0 allows.

GDAL (and so QGIS's processing tools and ogr2ogr) sends a BBOX filter as
`<gml:Envelope>` without `srsName`. WFS 2.0 (09-025r2 §7.9.2.4.4) says a geometry without
srsName is in the feature type's default CRS; gisserver insists on the attribute and answers
400. We let the Envelope through without a CRS; gisserver itself then applies the feature
type's default CRS when it builds the query (GEOSGMLGeometry.build_rhs handles `srs=None`).
"""

from xml.etree.ElementTree import QName, tostring

from django.contrib.gis.geos import GEOSGeometry
from gisserver.parsers.ast import tag_registry
from gisserver.parsers.gml.geometries import GEOSGMLGeometry
from gisserver.parsers.xml import xmlns


class EnvelopeInDefaultCRS(GEOSGMLGeometry):
    @classmethod
    def from_xml(cls, element):
        if "srsName" in element.attrib:
            return super().from_xml(element)
        return cls(srs=None, geos_data=GEOSGeometry.from_gml(tostring(element)))


def install() -> None:
    # gisserver's registry refuses a second registration for a tag, so we replace the entry.
    tag_registry.parsers[QName(xmlns.gml32.value, "Envelope").text] = EnvelopeInDefaultCRS
