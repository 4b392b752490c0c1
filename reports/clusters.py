"""Reads of the report grid (`ReportCell`): the public map's cluster view and low-zoom tiles.

PostgreSQL keeps the grid in the same transaction as every report write (triggers, migrations
0006 and 0008), so these reads group a few hundred cells instead of every public report: at
1 M reports the whole city's cluster view reads ~ 1,000 rows, not 1 M. Cells nest: map zoom
`z` groups the cells of the next stored level `L >= z` by `cx >> (L - z)`, which is exactly
`floor(x / size(z))` because size(z) = size(L) * 2^(L - z).
"""
# S608: the SQL below interpolates the ORM's own compiled, parameterised query and integers;
# every value is a parameter.
# ruff: noqa: S608

from django.conf import settings
from django.db.models import Max, Q, Sum

from geoportal.replicas import read_cursor

from . import conf
from .models import OPEN_STATUSES, ModerationEvent, Report, ReportCell, ReportEvent

# Must match migration 0008 (the triggers compute the cells with these numbers).
LEVELS = (10, 11, 12, 13, 14, 15, 16)
CLUSTER_PIXELS = 60
# Web Mercator metres per pixel at zoom 0 (256 px tiles), times cos(51°) for the scale at
# German latitudes, which the storage CRS's metres follow closely.
METRES_PER_PIXEL_Z0 = 156_543.03 * 0.63
GEOJSON_PRECISION = 6
MVT_EXTENT = 4096
MVT_BUFFER = 64
TIMEOUT_MS = 10_000


def cell_m(zoom: int) -> float:
    """The side of a cluster cell at a map zoom: CLUSTER_PIXELS screen pixels, in metres."""
    return CLUSTER_PIXELS * METRES_PER_PIXEL_Z0 / 2**zoom


def grid_level(zoom: int) -> int | None:
    """The stored level whose cells group into the cells of `zoom`; None above the finest."""
    return next((level for level in LEVELS if level >= zoom), None)


def _cells_sql(zoom: int, *, category: str = "", statuses=(), district: str = ""):
    """The stored cells (level, filters) that group into `zoom`'s cells, compiled by the ORM."""
    level = grid_level(zoom)
    cells = ReportCell.objects.filter(level=level)
    if category:
        cells = cells.filter(Q(category__code=category) | Q(category__parent__code=category))
    if statuses:
        cells = cells.filter(status__in=statuses)
    if district:
        cells = cells.filter(district__code=district)
    columns = ("cx", "cy", "status", "n", "sum_x", "sum_y")
    sql, params = cells.order_by().values(*columns).query.sql_with_params()
    return sql, list(params), level - zoom


# Groups the cells of one map zoom: count, open count and the mean position of the reports.
_GROUPED = """
    SELECT sum(c.n) AS n, coalesce(sum(c.n) FILTER (WHERE c.status = ANY(%s)), 0) AS n_open,
           ST_SetSRID(ST_MakePoint(sum(c.sum_x) / sum(c.n), sum(c.sum_y) / sum(c.n)), %s) AS center
    FROM ({cells}) AS c, box AS b
    WHERE c.cx BETWEEN b.x0 << {shift} AND ((b.x1 + 1) << {shift}) - 1
      AND c.cy BETWEEN b.y0 << {shift} AND ((b.y1 + 1) << {shift}) - 1
    GROUP BY c.cx >> {shift}, c.cy >> {shift}
"""
# The output cells a box (in the storage CRS) touches, as index ranges.
_BOX = """
    box AS (SELECT floor(ST_XMin(g) / %s)::int AS x0, floor(ST_XMax(g) / %s)::int AS x1,
                   floor(ST_YMin(g) / %s)::int AS y0, floor(ST_YMax(g) / %s)::int AS y1
            FROM (SELECT {geom} AS g) AS e)
"""
_EVERYWHERE = "ST_MakeEnvelope(-2147483648, -2147483648, 2147483647, 2147483647)"


def report_clusters_geojson_from_grid(
    *,
    zoom: int,
    category: str = "",
    statuses=(),
    district: str = "",
    bbox: tuple[float, float, float, float] | None = None,
) -> bytes | None:
    """Public reports grouped on `zoom`'s grid, read from the grid; None if the grid has no
    level for this zoom (finer than the finest stored level).

    Every cell the box touches is counted whole, so a cluster at the map's edge does not
    change its count as the map moves; the position is the mean of its reports."""
    if grid_level(zoom) is None:
        return None
    cells, params, shift = _cells_sql(zoom, category=category, statuses=statuses, district=district)
    size = cell_m(zoom)
    srid = settings.GEOPORTAL_SRID
    if bbox:
        # Densified first: a line of constant latitude is curved in the storage CRS.
        step = (bbox[2] - bbox[0]) / 16
        envelope = "ST_Segmentize(ST_MakeEnvelope(%s, %s, %s, %s, 4326), %s)"
        geom = f"ST_Transform({envelope}, {int(srid)})"
        geom_params = [*bbox, step]
    else:
        geom, geom_params = _EVERYWHERE, []
    sql = f"""
        WITH {_BOX.format(geom=geom)}
        SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(
            json_build_object(
                'type', 'Feature',
                'geometry', ST_AsGeoJSON(ST_Transform(k.center, 4326), %s)::json,
                'properties', json_build_object('count', k.n, 'open', k.n_open))
            ), '[]'::json))::text
        FROM ({_GROUPED.format(cells=cells, shift=shift)}) AS k
    """
    # In the placeholders' order: the box (its sizes, then its geometry), the precision, the
    # grouping, the cells' own.
    all_params = [*[size] * 4, *geom_params, GEOJSON_PRECISION, list(OPEN_STATUSES), srid, *params]
    with read_cursor(timeout_ms=TIMEOUT_MS) as cursor:
        cursor.execute(sql, all_params)
        return cursor.fetchone()[0].encode()


def report_tile_clusters(*, name: str, z: int, x: int, y: int) -> bytes | None:
    """A report tile below conf.REPORTS_TILE_CLUSTER_BELOW_ZOOM: one point per cluster with its
    `count` and `open` reports, from the grid; None at zooms that show the reports themselves.

    A tile at zoom z is drawn at map zoom z + 1 by 512 px clients (MapLibre), so it groups on
    the grid of z + 1: clusters CLUSTER_PIXELS apart on screen, as in the cluster view. A cluster
    belongs to the tile that holds its position (and to neighbours' buffers, like any point)."""
    if z >= conf.REPORTS_TILE_CLUSTER_BELOW_ZOOM:
        return None
    zoom = min(z + 1, LEVELS[-1])
    cells, params, shift = _cells_sql(zoom)
    size = cell_m(zoom)
    srid = int(settings.GEOPORTAL_SRID)
    margin = MVT_BUFFER / MVT_EXTENT
    # The tile with its buffer, densified and in the storage CRS, so its extent covers the
    # curved edges; clusters outside the tile proper are clipped by ST_AsMVTGeom.
    native = (
        f"ST_Transform(ST_Segmentize(ST_TileEnvelope(%s, %s, %s, margin => %s), "
        f"(ST_XMax(ST_TileEnvelope(%s, %s, %s)) - ST_XMin(ST_TileEnvelope(%s, %s, %s))) / 16), "
        f"{srid})"
    )
    sql = f"""
        WITH {_BOX.format(geom=native)}
        SELECT ST_AsMVT(mvt, %s, {MVT_EXTENT}, 'geom') FROM (
            SELECT k.n AS count, k.n_open AS open,
                   ST_AsMVTGeom(ST_Transform(k.center, 3857), ST_TileEnvelope(%s, %s, %s),
                                {MVT_EXTENT}, {MVT_BUFFER}, true) AS geom
            FROM ({_GROUPED.format(cells=cells, shift=shift)}) AS k
        ) AS mvt WHERE mvt.geom IS NOT NULL
    """
    zxy = [z, x, y]
    all_params = [*[size] * 4, *zxy, margin, *zxy, *zxy, name, *zxy]
    all_params += [list(OPEN_STATUSES), srid, *params]
    with read_cursor(timeout_ms=TIMEOUT_MS) as cursor:
        cursor.execute(sql, all_params)
        return bytes(cursor.fetchone()[0] or b"")


def report_layer_marker() -> tuple[str, object]:
    """The reports layer's change marker for ETags, from indexes only (a few ms at 1 M reports).

    Public reports counted by the grid (a report published, hidden, shown or deleted), the
    newest history and moderation events (a status, a route, a supporter, a text change) and
    the newest `updated_at` of a public report (admin edits; also the Last-Modified)."""
    count = ReportCell.objects.filter(level=LEVELS[0]).aggregate(n=Sum("n"))["n"]
    event = ReportEvent.objects.aggregate(n=Max("id"))["n"]
    moderation = ModerationEvent.objects.aggregate(n=Max("id"))["n"]
    modified = Report.objects.public().aggregate(m=Max("updated_at"))["m"]
    return f"{count}|{event}|{moderation}|{modified}", modified
