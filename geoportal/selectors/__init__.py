"""Reads of the city core: which areas cover a point, streets, house numbers, reverse
geocoding, search, map layers.

Other apps ask these functions; they do not build spatial queries on geoportal's models.
A "street" is one `Street` row: all segments under one city street key, in one quarter. The
same name in another quarter is another street; no function here unions them into one place.

One module per idea, and this package is the one import path for callers
(`from geoportal.selectors import geocode_search`): `areas`, `streets`, `postcodes`,
`addresses` (house numbers, reverse geocoding), `query` (reading a typed search), `search`
(its hits), `gazetteer` (the council geocoder's index), `incidents`.
"""

from .addresses import (
    ADDRESS_RADIUS_M,
    STREET_RADIUS_M,
    AddressPoint,
    Precision,
    ReverseResult,
    address_locate,
    geocode_reverse,
    street_label_at,
)
from .areas import (
    area_covering,
    area_ids_intersecting,
    area_list,
    area_relation,
    areas_covering,
    areas_geojson,
    district_of,
)
from .gazetteer import (
    address_points_near,
    area_name_and_geom,
    area_names,
    area_parent_ids,
    gazetteer_version,
    home_municipality_name,
    street_get,
    street_label,
    street_names,
    street_quarter_ids,
)
from .incidents import incident_list_public
from .postcodes import postcode_area_get, postcode_at, postcode_code_at
from .search import (
    AddressAnswer,
    SearchHit,
    SearchResult,
    gazetteer_search,
    geocode_address,
    geocode_search,
    search_hit_is_sure,
)
from .streets import (
    street_crossing,
    street_crossings,
    street_ids_in_areas,
    street_ids_near,
    street_list_by_name,
    street_list_near,
    street_quarter,
    street_register_loaded,
    street_stretch,
    street_stretch_between,
    street_union,
)

__all__ = [
    "ADDRESS_RADIUS_M",
    "STREET_RADIUS_M",
    "AddressAnswer",
    "AddressPoint",
    "Precision",
    "ReverseResult",
    "SearchHit",
    "SearchResult",
    "address_locate",
    "address_points_near",
    "area_covering",
    "area_ids_intersecting",
    "area_list",
    "area_name_and_geom",
    "area_names",
    "area_parent_ids",
    "area_relation",
    "areas_covering",
    "areas_geojson",
    "district_of",
    "gazetteer_search",
    "gazetteer_version",
    "geocode_address",
    "geocode_reverse",
    "geocode_search",
    "home_municipality_name",
    "incident_list_public",
    "postcode_area_get",
    "postcode_at",
    "postcode_code_at",
    "search_hit_is_sure",
    "street_crossing",
    "street_crossings",
    "street_get",
    "street_ids_in_areas",
    "street_ids_near",
    "street_label",
    "street_label_at",
    "street_list_by_name",
    "street_list_near",
    "street_register_loaded",
    "street_names",
    "street_quarter",
    "street_quarter_ids",
    "street_stretch",
    "street_stretch_between",
    "street_union",
]
