"""Open-data metadata of the registered layers, keyed by layer name (geoportal.ogc.layers).

The layer registry decides WHAT may leave the server (rows and fields); this mapping only adds
what a re-user needs to be allowed to use it: licence, attribution, publisher, place. A layer
without an entry here is not offered as open data (tests/opendata/test_catalog.py fails for it,
so nobody forgets to decide its licence).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The GovData licence vocabulary (DCAT-AP.de, http://dcat-ap.de/def/licenses/).
CC_BY_DE_3 = "http://dcat-ap.de/def/licenses/cc-by-de/3.0"
DL_BY_DE_2 = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
DL_ZERO_DE_2 = "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"
ODBL = "http://dcat-ap.de/def/licenses/odbl"

LICENCE_NAMES = {
    CC_BY_DE_3: "Creative Commons Namensnennung 3.0 Deutschland (CC BY 3.0 DE)",
    DL_BY_DE_2: "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2.0)",
    DL_ZERO_DE_2: "Datenlizenz Deutschland – Zero – Version 2.0 (dl-de/zero-2.0)",
    ODBL: "Open Data Commons Open Database License (ODbL)",
}
LICENCE_SHORT = {
    CC_BY_DE_3: "CC BY 3.0 DE",
    DL_BY_DE_2: "dl-de/by-2.0",
    DL_ZERO_DE_2: "dl-de/zero-2.0",
    ODBL: "ODbL 1.0",
}
LICENCE_PAGES = {
    CC_BY_DE_3: "https://creativecommons.org/licenses/by/3.0/de/",
    DL_BY_DE_2: "https://www.govdata.de/dl-de/by-2-0",
    DL_ZERO_DE_2: "https://www.govdata.de/dl-de/zero-2-0",
    ODBL: "https://opendatacommons.org/licenses/odbl/1-0/",
}

@dataclass(frozen=True)
class OpenDataInfo:
    licence: str  # a URI of LICENCE_NAMES
    attribution: str  # dcatde:licenseAttributionByText; empty where the licence needs none
    publisher: str
    municipality_key: str  # AGS of the place the data covers (dcatde:politicalGeocodingURI)
    theme: str = "REGI"  # EU data theme: REGI regions and cities, GOVE government


def _licence(name: str, key: str = "data_licence") -> str:
    """The brand's `data_licence` ("dl-de/by-2.0") as the vocabulary's URI; "" stays ""."""
    by_name = {short.lower(): uri for uri, short in LICENCE_SHORT.items()}
    if not name or name in LICENCE_NAMES:
        return name
    if name.lower() not in by_name:
        raise ImproperlyConfigured(
            f"GEOPORTAL_BRAND_FILE {key} = {name!r}: one of "
            + ", ".join(LICENCE_SHORT.values())
        )
    return by_name[name.lower()]


# The city's own data, the portal's own work and its place come from the brand file: a second
# city's catalogue named Köln's licence, publisher and AGS for Heidelberg's outline.
_BRAND = settings.GEOPORTAL_BRAND
CITY_AGS = _BRAND["municipality_key"]
PUBLISHER = settings.GEOPORTAL_NAME
_CITY = OpenDataInfo(
    licence=_licence(_BRAND["data_licence"]),
    attribution=_BRAND["data_attribution"],
    publisher=_BRAND["municipality"] or PUBLISHER,
    municipality_key=CITY_AGS,
)
# Reports and council places are this portal's own work (the city's administrative records and
# places derived from public council papers). dl-de/zero-2.0: the public sector's own "no
# conditions" licence, GovData-listed, so re-users need neither attribution nor a lawyer; the
# data holds no personal data and no third-party rights (the registry's whitelist keeps it so).
_OWN = OpenDataInfo(
    licence=DL_ZERO_DE_2,
    attribution="",
    publisher=PUBLISHER,
    municipality_key=CITY_AGS,
    theme="GOVE",
)

# Address points are the city's own unless the brand names their owner (the demo's are Essen's
# Hauskoordinaten: a second city's would otherwise have been credited to Essen).
_ADDRESS_TERMS = _BRAND["addresses"]
_ADDRESSES = OpenDataInfo(
    licence=_licence(_ADDRESS_TERMS["licence"], "addresses.licence") or _CITY.licence,
    attribution=_ADDRESS_TERMS["attribution"] or _CITY.attribution,
    publisher=_ADDRESS_TERMS["publisher"] or _CITY.publisher,
    municipality_key=_ADDRESS_TERMS["municipality_key"] or CITY_AGS,
)

_BPLAN = OpenDataInfo(
    licence=DL_BY_DE_2,
    attribution="Plangeber: die im Plan genannte Gemeinde (XPlanGML), dl-de/by-2.0",
    publisher=PUBLISHER,
    municipality_key=CITY_AGS,
)

OPEN_DATA: dict[str, OpenDataInfo] = {
    "counties": _CITY,
    "municipalities": _CITY,
    "districts": _CITY,
    "quarters": _CITY,
    "streets": _CITY,
    # Public domain (arnulf.us/PLZ, 1999): passed on without conditions, source named as a
    # courtesy.
    "postcodes": OpenDataInfo(
        licence=DL_ZERO_DE_2,
        attribution="Postleitzahlgebiete Stand 1999, gemeinfrei (arnulf.us/PLZ)",
        publisher=PUBLISHER,
        municipality_key=CITY_AGS,
    ),
    "landuse": _CITY,
    "addresses": _ADDRESSES,
    # The plans are the municipalities' statutes (Satzungen): official works without copyright
    # (§ 5 UrhG); dl-de/by-2.0 names the plan's municipality as GovData recommends.
    "bplans": _BPLAN,
    "bplan_areas": _BPLAN,
    "bplan_lines": _BPLAN,
    "reports": _OWN,
    "council_places": _OWN,
}


def open_data_info(layer) -> OpenDataInfo | None:
    """The entry above, else the terms a run-time layer carries itself (a dataset imported in
    `themes` states its licence at import). A layer without either is not open data, nor is
    the city's own data while the brand declares no licence for it."""
    if layer.name in OPEN_DATA:
        info = OPEN_DATA[layer.name]
        return info if info.licence else None
    if layer.licence in LICENCE_NAMES:
        return OpenDataInfo(
            licence=layer.licence,
            attribution=layer.attribution,
            publisher=layer.publisher or PUBLISHER,
            municipality_key=CITY_AGS,
        )
    return None
