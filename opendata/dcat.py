"""DCAT-AP.de descriptions of the datasets as JSON-LD (dcat:Catalog, dcat:Dataset,
dcat:Distribution), for GovData / Open.NRW harvesters and search engines."""

from collections.abc import Callable

from django.conf import settings

from geoportal.ogc import sql

from . import conf
from .datasets import FORMATS, Dataset
from .metadata import LICENCE_NAMES

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatde": "http://dcat-ap.de/def/dcatde/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "locn": "http://www.w3.org/ns/locn#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "gsp": "http://www.opengis.net/ont/geosparql#",
}
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
THEME = "http://publications.europa.eu/resource/authority/data-theme/"
GERMAN = "http://publications.europa.eu/resource/authority/language/DEU"
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"

# url(name, kind) -> absolute URL; kind is "page", "catalog" or a format's extension.
UrlFor = Callable[[str, str], str]


def _datetime(value) -> dict:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"}


def _organisation(name: str) -> dict:
    return {"@type": "foaf:Organization", "foaf:name": name}


def dataset_jsonld(dataset: Dataset, url: UrlFor) -> dict:
    layer, info = dataset.layer, dataset.info
    key = info.municipality_key
    node = {
        "@id": url(dataset.name, "page"),
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.name,
        "dct:title": layer.title,
        "dct:description": layer.description or layer.title,
        "dct:publisher": _organisation(info.publisher),
        "dct:modified": _datetime(dataset.modified),
        "dct:language": {"@id": GERMAN},
        "dcat:theme": {"@id": THEME + info.theme},
        "dcat:keyword": list(layer.keywords),
        "dcat:landingPage": {"@id": url(dataset.name, "page")},
        "dct:spatial": _spatial(dataset),
        "dcat:distribution": [_distribution(dataset, ext, url) for ext in FORMATS],
    }
    if key:  # the brand's municipality_key; a place without one is not guessed
        node["dcatde:politicalGeocodingLevelURI"] = {"@id": GEOCODING + "Level/municipality"}
        node["dcatde:politicalGeocodingURI"] = {"@id": f"{GEOCODING}municipalityKey/{key}"}
    contributor = conf.OPENDATA_CONTRIBUTOR_ID
    if contributor:  # GovData assigns one per publishing body; without it we say nothing
        node["dcatde:contributorID"] = {"@id": contributor}
    return node


def _spatial(dataset: Dataset) -> dict:
    node = {"@type": "dct:Location"}
    extent = sql.extent_wgs84(dataset.layer) if dataset.count else None
    if extent:
        x0, y0, x1, y1 = extent
        node["dcat:bbox"] = {
            "@value": f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))",
            "@type": "gsp:wktLiteral",
        }
    return node


def _distribution(dataset: Dataset, ext: str, url: UrlFor) -> dict:
    fmt = FORMATS[ext]
    node = {
        "@id": url(dataset.name, ext),
        "@type": "dcat:Distribution",
        "dct:title": f"{dataset.layer.title} ({fmt.label}, {fmt.crs})",
        "dct:description": f"{fmt.label}, Koordinatenreferenzsystem {fmt.crs}",
        "dcat:accessURL": {"@id": url(dataset.name, "page")},
        "dcat:downloadURL": {"@id": url(dataset.name, ext)},
        "dct:format": {"@id": FILE_TYPE + fmt.eu_file_type},
        "dcat:mediaType": {"@id": "https://www.iana.org/assignments/media-types/" + fmt.media_type},
        "dct:license": {"@id": dataset.info.licence},
        "dct:modified": _datetime(dataset.modified),
        "dct:conformsTo": {"@id": "http://www.opengis.net/def/crs/EPSG/0/" + fmt.crs[5:]},
    }
    if dataset.info.attribution:
        node["dcatde:licenseAttributionByText"] = dataset.info.attribution
    return node


def catalog_jsonld(datasets: list[Dataset], url: UrlFor) -> dict:
    return {
        "@context": CONTEXT,
        "@id": url("", "catalog"),
        "@type": "dcat:Catalog",
        "dct:title": f"Offene Daten – {settings.GEOPORTAL_NAME}",
        "dct:description": (
            "Alle öffentlichen Geodaten des Geoportals als GeoJSON, CSV und GeoPackage."
        ),
        "dct:publisher": _organisation(settings.GEOPORTAL_NAME),
        "dct:language": {"@id": GERMAN},
        "dcat:dataset": [dataset_jsonld(d, url) for d in datasets],
    }


def licence_name(uri: str) -> str:
    return LICENCE_NAMES.get(uri, uri)
