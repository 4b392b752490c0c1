"""Areas: which cover a point, their lists and names, and the areas map layer."""

from django.contrib.gis.geos import GEOSGeometry, Point
from django.db.models import QuerySet

from ..models import AREA_LEVELS, Area, AreaKind
from ..replicas import read_cursor


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
    from ..models import AreaPart

    return list(
        AreaPart.objects.filter(geom__intersects=geom).values_list("area_id", flat=True).distinct()
    )


def area_relation(*, kind: str) -> tuple[str, list]:
    """The areas of one kind as SQL (columns code, name, geom) with its parameters, for another
    app's statement to join in the database: aggregating over areas in Python would read every
    polygon, and the table name stays geoportal's own."""
    query = Area.objects.filter(kind=kind).values("code", "name", "geom").query
    sql, params = query.sql_with_params()
    return sql, list(params)


def area_list(*, kind: str | None = None) -> QuerySet[Area]:
    areas = Area.objects.defer("geom").select_related("parent")
    return areas.filter(kind=kind) if kind else areas


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
    with read_cursor(timeout_ms=10_000) as cursor:
        cursor.execute(sql, [simplify_m, kind])
        return cursor.fetchone()[0].encode()


