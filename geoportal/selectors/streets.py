"""Streets: by name, near a place, where two meet, the stretch between two, and the
street geometry other apps ask for (council placement)."""

from django.contrib.gis.db.models.functions import Distance, Intersection
from django.contrib.gis.geos import GEOSGeometry, LineString, MultiLineString, Point
from django.contrib.gis.measure import D
from django.db.models import Q, QuerySet

from ..models import Area, AreaKind, Street, StreetNode
from ..replicas import read_cursor
from ..text import normalize_street
from .areas import area_covering


def street_list_by_name(*, name: str, municipality: Area | None = None) -> list[Street]:
    """Every street of that name (compared by normalised key, so "Hauptstr." finds
    "Hauptstraße"), one row per quarter, each with its `label`; never a union of them.

    Several rows mean the name alone does not say which street is meant.
    """
    key = normalize_street(name)
    if not key:
        return []
    streets = Street.objects.filter(name_key=key).select_related("quarter", "municipality")
    if municipality is not None:
        streets = streets.filter(municipality=municipality)
    return list(streets.order_by("label", "id"))


def street_list_near(*, geom: GEOSGeometry, metres: float) -> QuerySet[Street]:
    """Streets within `metres` of a point, line or area (storage CRS), nearest first."""
    return (
        Street.objects.filter(geom__dwithin=(geom, D(m=metres)))
        .annotate(distance=Distance("geom", geom))
        .select_related("quarter", "municipality")
        .order_by("distance", "id")
    )


def street_crossings(*, street: Street, other: Street, tolerance_m: float = 3.0) -> list[Point]:
    """Where two streets meet: the city's street nodes on both, else the points where the
    lines intersect. Empty when they do not meet; two or more when they meet twice."""
    nodes = list(
        StreetNode.objects.filter(geom__dwithin=(street.geom, D(m=tolerance_m)))
        .filter(geom__dwithin=(other.geom, D(m=tolerance_m)))
        .order_by("code")
        .values_list("geom", flat=True)
    )
    if nodes:
        return nodes
    meet = (
        Street.objects.filter(pk=street.pk)
        .annotate(meet=Intersection("geom", other.geom))
        .values_list("meet", flat=True)
        .first()
    )
    if meet is None or meet.empty:
        return []
    parts = [meet] if meet.geom_type == "Point" else list(meet)
    return [part if part.geom_type == "Point" else part.point_on_surface for part in parts]


def street_stretch_between(*, street: Street, first: Street, second: Street) -> LineString | None:
    """The part of `street` between where it meets `first` and `second` ("zwischen A und B").

    None when the street does not meet both, or meets them on pieces that do not join.
    Where it meets one of them twice, the shortest stretch wins.
    """
    starts = street_crossings(street=street, other=first)
    ends = street_crossings(street=street, other=second)
    best = None
    for start in starts:
        for end in ends:
            stretch = _line_between(street=street, start=start, end=end)
            if stretch is not None and (best is None or stretch.length < best.length):
                best = stretch
    return best


def _line_between(*, street: Street, start: Point, end: Point) -> LineString | None:
    # ST_LineSubstring needs one line: the merged piece of the street that holds both points.
    sql = """
        SELECT ST_AsEWKB(ST_LineSubstring(g, LEAST(a, b), GREATEST(a, b))) FROM (
            SELECT part.geom AS g, ST_LineLocatePoint(part.geom, %(s)s) AS a,
                   ST_LineLocatePoint(part.geom, %(e)s) AS b
            FROM geoportal_street st, ST_Dump(ST_LineMerge(st.geom)) AS part
            WHERE st.id = %(id)s AND ST_DWithin(part.geom, %(s)s, 5)
              AND ST_DWithin(part.geom, %(e)s, 5)
        ) located WHERE a <> b ORDER BY abs(a - b) * ST_Length(g) LIMIT 1
    """
    with read_cursor(timeout_ms=5000) as cursor:
        cursor.execute(sql, {"id": street.pk, "s": start.ewkb, "e": end.ewkb})
        row = cursor.fetchone()
    return GEOSGeometry(memoryview(bytes(row[0]))) if row else None


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
    # GEOS in Django has no nearest-points call.
    with read_cursor(timeout_ms=5000) as cursor:
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
    with read_cursor(timeout_ms=5000) as cursor:
        cursor.execute(_STRETCH_SQL, {"main": street_ids, "a": from_ids, "b": to_ids})
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return None
    ewkb, da, db, fa, fb = row
    if da > tolerance_m or db > tolerance_m or abs(fa - fb) < 1e-6:
        return None
    return GEOSGeometry(memoryview(bytes(ewkb)))




def street_register_loaded() -> bool:
    """Whether the city's streets are loaded, so a typed address can be looked up: a new city
    may serve its outline alone for a while (docs/new-city.md)."""
    return Street.objects.exists()
