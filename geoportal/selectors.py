"""Reads of the city core: which areas cover a point, reverse geocoding, search, map layers.

Other apps ask these functions; they do not build spatial queries on geoportal's models.
"""

import re
from dataclasses import dataclass

from django.contrib.gis.db.models.functions import (
    Distance,
    Envelope,
    GeomOutputGeoFunc,
    PointOnSurface,
    Transform,
)
from django.contrib.gis.geos import GEOSGeometry, MultiLineString, Point
from django.contrib.gis.measure import D
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from .models import AREA_LEVELS, Address, Area, AreaKind, Street
from .text import normalize_street

ADDRESS_RADIUS_M = 150
STREET_RADIUS_M = 500


def areas_covering(*, point: Point) -> list[Area]:
    """One area per kind that covers the point, widest first.

    A point on the boundary shared by two areas of one kind is covered by both; the one with
    the lowest code wins, so the answer never depends on row order.
    """
    areas = Area.objects.covering(point).defer("geom").order_by("kind", "code").distinct("kind")
    return sorted(areas, key=lambda area: area.level)


def area_covering(*, point: Point, kind: str) -> Area | None:
    return Area.objects.covering(point).defer("geom").filter(kind=kind).order_by("code").first()


def district_of(*, geom) -> Area | None:
    """The district a place lies in: the one covering a point on it (PostGIS
    ST_PointOnSurface). One answer per place, also for a street along a district boundary."""
    if geom is None or geom.empty:
        return None
    return area_covering(point=geom.point_on_surface, kind=AreaKind.DISTRICT)


def area_ids_intersecting(*, geom: GEOSGeometry) -> list[int]:
    """Ids of the areas (any kind) a geometry touches; read via the subdivided parts' index."""
    from .models import AreaPart

    return list(
        AreaPart.objects.filter(geom__intersects=geom).values_list("area_id", flat=True).distinct()
    )


def area_list(*, kind: str | None = None) -> QuerySet[Area]:
    areas = Area.objects.defer("geom").select_related("parent")
    return areas.filter(kind=kind) if kind else areas


@dataclass(frozen=True)
class ReverseResult:
    kind: str  # "address" or "street"
    label: str
    street: str
    house_number: str
    postcode: str
    city: str
    distance_m: float
    point: Point  # the address point, or the nearest point on the street line


class _ClosestPoint(GeomOutputGeoFunc):
    function = "ST_ClosestPoint"
    geom_param_pos = (0, 1)


def geocode_reverse(
    *,
    point: Point,
    address_radius_m: float = ADDRESS_RADIUS_M,
    street_radius_m: float = STREET_RADIUS_M,
) -> ReverseResult | None:
    """The nearest address point within `address_radius_m`, else the nearest street line."""
    address = (
        Address.objects.near(point, address_radius_m)
        .annotate(distance=Distance("geom", point))
        .order_by("distance", "id")
        .first()
    )
    if address is not None:
        return ReverseResult(
            kind="address",
            label=address.label,
            street=address.street_name,
            house_number=address.house,
            postcode=address.postcode,
            city=address.city,
            distance_m=round(address.distance.m, 1),
            point=address.geom,
        )
    street = (
        Street.objects.near(point, street_radius_m)
        .annotate(distance=Distance("geom", point), closest=_ClosestPoint("geom", point))
        .select_related("municipality")
        .order_by("distance", "id")
        .first()
    )
    if street is None:
        return None
    city = street.municipality.name if street.municipality else ""
    return ReverseResult(
        kind="street",
        label=f"{street.name}, {city}" if city else street.name,
        street=street.name,
        house_number="",
        postcode="",
        city=city,
        distance_m=round(street.distance.m, 1),
        point=street.closest,
    )


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "address", "street" or an area kind
    label: str
    lon: float
    lat: float
    bbox: tuple[float, float, float, float] | None  # WGS84 west, south, east, north


_HOUSE_NUMBER = re.compile(r"^(?P<street>.*?\D)\s*(?P<number>\d{1,5})\s*(?P<suffix>[a-zA-Z])?\s*$")


def gazetteer_search(*, query: str, limit: int = 10) -> list[SearchHit]:
    """Autocomplete over addresses, streets, districts and quarters.

    Prefix matches rank first, then matches inside the name, then trigram-similar names
    (typos). Names are compared by their normalised key, so "venloer str" finds "Venloer Straße".
    """
    query = " ".join(query.split())
    match = _HOUSE_NUMBER.match(query)
    if match and normalize_street(match["street"]):
        hits = _address_hits(
            key=normalize_street(match["street"]),
            number=int(match["number"]),
            suffix=(match["suffix"] or "").lower(),
            limit=limit,
        )
        if hits:
            return hits
    key = normalize_street(query)
    if not key:
        return []
    hits = _area_hits(key=key, limit=limit) + _street_hits(key=key, limit=limit)
    hits.sort(key=lambda ranked: ranked[0])
    return [hit for _, hit in hits[:limit]]


def _ranked(qs: QuerySet, key: str, field: str) -> QuerySet:
    return (
        qs.annotate(
            similarity=TrigramSimilarity(field, key),
            rank=Case(
                When(**{f"{field}__startswith": key}, then=Value(0)),
                When(**{f"{field}__contains": key}, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .filter(
            Q(**{f"{field}__startswith": key})
            | Q(**{f"{field}__contains": key})
            | Q(**{f"{field}__trigram_similar": key})
        )
        .order_by("rank", "-similarity")
    )


def _located(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        center=Transform(PointOnSurface("geom"), 4326), box=Transform(Envelope("geom"), 4326)
    )


def _hit(kind: str, label: str, obj) -> SearchHit:
    box = obj.box.extent if obj.box is not None else None
    return SearchHit(
        kind=kind,
        label=label,
        lon=round(obj.center.x, 6),
        lat=round(obj.center.y, 6),
        bbox=tuple(round(v, 6) for v in box) if box else None,
    )


def _area_hits(*, key: str, limit: int) -> list[tuple]:
    areas = _located(_ranked(Area.objects.defer("geom"), key, "name_key"))[:limit]
    return [
        ((a.rank, -a.similarity, 0), _hit(a.kind, f"{a.name} ({a.get_kind_display()})", a))
        for a in areas
    ]


def _street_hits(*, key: str, limit: int) -> list[tuple]:
    streets = _located(_ranked(Street.objects.select_related("municipality"), key, "name_key"))
    hits = []
    for s in streets.defer("geom", "municipality__geom")[:limit]:
        label = f"{s.name}, {s.municipality.name}" if s.municipality else s.name
        hits.append(((s.rank, -s.similarity, 1), _hit("street", label, s)))
    return hits


def _address_hits(*, key: str, number: int, suffix: str, limit: int) -> list[SearchHit]:
    addresses = _ranked(Address.objects.filter(house_number=number), key, "street_key").annotate(
        center=Transform("geom", 4326)
    )
    if suffix:
        addresses = addresses.filter(house_number_suffix__iexact=suffix)
    hits = []
    for a in addresses.order_by("rank", "-similarity", "house_number_suffix")[:limit]:
        a.box = None
        hits.append(_hit("address", a.label, a))
    return hits


def areas_geojson(*, kind: str, simplify_m: float = 2.0) -> bytes:
    """A FeatureCollection of one kind of area in WGS84, built by PostgreSQL in one statement."""
    if kind not in AREA_LEVELS:
        raise ValueError(f"Unknown area kind {kind!r}; use one of {', '.join(AreaKind.values)}.")
    sql = """
        SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(
            json_build_object(
                'type', 'Feature', 'id', a.id,
                'properties', json_build_object('name', a.name, 'code', a.code, 'kind', a.kind,
                                                'parent', p.name),
                'geometry', ST_AsGeoJSON(
                    ST_Multi(ST_Transform(ST_SimplifyPreserveTopology(a.geom, %s), 4326)), 6)::json
            ) ORDER BY a.code), '[]'::json))::text
        FROM geoportal_area a LEFT JOIN geoportal_area p ON p.id = a.parent_id
        WHERE a.kind = %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [simplify_m, kind])
        return cursor.fetchone()[0].encode()


def incident_list_public(*, recent_days: int = 14) -> QuerySet:
    """Open incidents and those resolved in the last `recent_days` days, newest first."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import Incident

    since = timezone.now() - timedelta(days=recent_days)
    return Incident.objects.filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=since))


# ---------------------------------------------------------------- street geometry for other apps
# Council placement (councilmap) asks these instead of querying geoportal's tables itself.


def street_union(*, street_ids: list[int]) -> GEOSGeometry | None:
    """The lines of the given street rows as one MultiLineString (storage CRS)."""
    geoms = list(Street.objects.filter(pk__in=street_ids).values_list("geom", flat=True))
    if not geoms:
        return None
    union = geoms[0]
    for geom in geoms[1:]:
        union = union.union(geom)
    return union if union.geom_type == "MultiLineString" else MultiLineString(
        *[g for g in (union if union.geom_type == "GeometryCollection" else [union])
          if g.geom_type == "LineString"], srid=union.srid)


def street_ids_in_areas(*, street_ids: list[int], area_ids: list[int]) -> list[int]:
    """Those of the street rows that run through any of the areas."""
    areas = Area.objects.filter(pk__in=area_ids)
    q = Q()
    for area in areas.only("geom"):
        q |= Q(geom__intersects=area.geom)
    if not q:
        return []
    return sorted(Street.objects.filter(pk__in=street_ids).filter(q).values_list("pk", flat=True))


def street_ids_near(*, street_ids: list[int], near_ids: list[int], metres: float) -> list[int]:
    """Those of the street rows that come within `metres` of any of the `near_ids` streets."""
    near = street_union(street_ids=near_ids)
    if near is None:
        return []
    return sorted(
        Street.objects.filter(pk__in=street_ids, geom__dwithin=(near, D(m=metres)))
        .values_list("pk", flat=True)
    )


def street_quarter(*, street_ids: list[int]) -> Area | None:
    """The quarter holding a point on the street (the middle of its longest part)."""
    geom = street_union(street_ids=street_ids)
    if geom is None:
        return None
    longest = max(geom, key=lambda line: line.length)
    point = longest.interpolate_normalized(0.5)
    return area_covering(point=point, kind=AreaKind.QUARTER)


def street_crossing(
    *, street_ids: list[int], cross_ids: list[int], tolerance_m: float = 30
) -> Point | None:
    """Where two streets meet: the point on the first nearest to the second, if they come
    within `tolerance_m` of each other (the city's lines need not share a vertex)."""
    a = street_union(street_ids=street_ids)
    b = street_union(street_ids=cross_ids)
    if a is None or b is None or a.distance(b) > tolerance_m:
        return None
    with connection.cursor() as cursor:  # GEOS in Django has no nearest-points call
        cursor.execute("SELECT ST_AsEWKB(ST_ClosestPoint(%s::geometry, %s::geometry))",
                       [a.ewkb, b.ewkb])
        return GEOSGeometry(memoryview(bytes(cursor.fetchone()[0])))


# The part of the street between its meeting points with two cross streets. The merged street
# may fall apart into several lines (dual carriageways, gaps): the piece nearest to both cross
# streets is cut. ST_LineSubstring needs the fractions in order, hence LEAST/GREATEST.
_STRETCH_SQL = """
WITH parts AS (
    SELECT (ST_Dump(ST_LineMerge(ST_Union(geom)))).geom AS g
    FROM geoportal_street WHERE id = ANY(%(main)s)
), a AS (SELECT ST_Union(geom) AS g FROM geoportal_street WHERE id = ANY(%(a)s)),
   b AS (SELECT ST_Union(geom) AS g FROM geoportal_street WHERE id = ANY(%(b)s)),
best AS (
    SELECT parts.g AS line, ST_Distance(parts.g, a.g) AS da, ST_Distance(parts.g, b.g) AS db,
           ST_LineLocatePoint(parts.g, ST_ClosestPoint(parts.g, a.g)) AS fa,
           ST_LineLocatePoint(parts.g, ST_ClosestPoint(parts.g, b.g)) AS fb
    FROM parts, a, b
    ORDER BY ST_Distance(parts.g, a.g) + ST_Distance(parts.g, b.g), ST_Length(parts.g) DESC
    LIMIT 1
)
SELECT ST_AsEWKB(ST_Multi(ST_LineSubstring(line, LEAST(fa, fb), GREATEST(fa, fb)))), da, db, fa, fb
FROM best
"""


def street_stretch(
    *, street_ids: list[int], from_ids: list[int], to_ids: list[int], tolerance_m: float = 60
) -> GEOSGeometry | None:
    """The stretch of a street between two cross streets; None if either does not meet it."""
    if not (street_ids and from_ids and to_ids):
        return None
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '5s'")
        cursor.execute(_STRETCH_SQL, {"main": street_ids, "a": from_ids, "b": to_ids})
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return None
    ewkb, da, db, fa, fb = row
    if da > tolerance_m or db > tolerance_m or abs(fa - fb) < 1e-6:
        return None
    return GEOSGeometry(memoryview(bytes(ewkb)))
