"""SQL that PostgreSQL runs for the layer services: GeoJSON features and Mapbox vector tiles.

Raw SQL because the ORM cannot say ST_AsMVT, json_build_object or server-side cursors over
them. The rows of a layer come from its own queryset (compiled by Django, so an app's `rows`
filter applies everywhere); identifiers come from the model's meta via the registry's whitelist,
and every value is a parameter.
"""
# S608 flags every f-string below; each one only interpolates quoted identifiers from the
# registry's whitelist, integers, and SQL that Django compiled from the layer's queryset.
# ruff: noqa: S608

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import OperationalError, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q
from psycopg.errors import QueryCanceled

from .. import conf
from ..replicas import read_alias
from .layers import Layer

WGS84 = 4326
WEB_MERCATOR = 3857
# Decimal places: 6 in degrees is ~0.1 m, 2 in metres is 1 cm; both below the data's accuracy.
PRECISION = {WGS84: 6}
METRIC_PRECISION = 2
MVT_EXTENT = 4096
MVT_BUFFER = 64


def q(identifier: str) -> str:
    return connection.ops.quote_name(identifier)


def precision_for(srid: int) -> int:
    return PRECISION.get(srid, METRIC_PRECISION)


@dataclass
class Where:
    """AND-ed conditions over the layer's rows (alias `t`), with their parameters."""

    clauses: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)
    # A CQL2 filter (geoportal/ogc/cql2.py) as an ORM condition on the layer's queryset: Django
    # compiles it into the row source, parameterised like the rest.
    rows: Q | None = None

    def filter(self, condition: Q) -> None:
        self.rows = condition if self.rows is None else self.rows & condition

    def add(self, clause: str, *params) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def sql(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "TRUE"

    def bbox(self, layer: Layer, box: tuple[float, float, float, float], srid: int) -> None:
        """Rows whose geometry intersects the box, given in `srid` (x/y order).

        The box is densified before it is reprojected: a line of constant latitude is curved in
        UTM, and the four corners alone would cut features off near the box's edges. `&&`
        first, so the GiST index answers most of it."""
        geom = q(layer.geometry.column)
        storage = layer.geometry.srid
        envelope = "ST_MakeEnvelope(%s, %s, %s, %s, %s)"
        if srid != storage:
            step = (box[2] - box[0]) / 64 or 1
            envelope = f"ST_Transform(ST_Segmentize({envelope}, {step!r}), {int(storage)})"
        self.add(
            f"t.{geom} && {envelope} AND ST_Intersects(t.{geom}, {envelope})",
            *box,
            srid,
            *box,
            srid,
        )


def source_sql(layer: Layer, where: Where | None = None) -> tuple[str, list]:
    """The layer's rows as SQL, from its queryset (so the app's row filter always applies),
    narrowed by the request's CQL2 filter if there is one."""
    rows = layer.queryset()
    if where is not None and where.rows is not None:
        rows = rows.filter(where.rows)
    sql, params = rows.order_by().query.sql_with_params()
    return sql, list(params)


def order_sql(layer: Layer) -> str:
    return ", ".join(f"t.{q(col)}{' DESC' if desc else ''}" for col, desc in layer.order_columns)


def feature_sql(layer: Layer, *, srid: int = WGS84, lat_lon: bool = False) -> str:
    """One GeoJSON Feature per row, as text; geometry reprojected and rounded by PostGIS.

    `lat_lon` writes EPSG:4326 in its authority axis order (OGC API Part 2 with
    http://www.opengis.net/def/crs/EPSG/0/4326); GeoJSON proper is always lon/lat."""
    props = ", ".join(f"'{p.name}', t.{q(p.column)}" for p in layer.properties)
    geom = q(layer.geometry.column)
    simplify = layer.geojson_simplify_m
    geom_expr = (
        f"ST_SimplifyPreserveTopology(t.{geom}, {float(simplify)!r})" if simplify else (f"t.{geom}")
    )
    if srid != layer.geometry.srid:
        geom_expr = f"ST_Transform({geom_expr}, {int(srid)})"
    if lat_lon:
        geom_expr = f"ST_FlipCoordinates({geom_expr})"
    return (
        f"json_build_object('type', 'Feature', 'id', t.{q(layer.pk_column)}, 'geometry', "
        f"ST_AsGeoJSON({geom_expr}, {precision_for(srid)})::json, "
        f"'properties', json_build_object({props}))::text"
    )


@contextmanager
def timed_transaction() -> Iterator[BaseDatabaseWrapper]:
    """A transaction whose statements PostgreSQL cancels after
    conf.GEOPORTAL_SERVICES_STATEMENT_TIMEOUT (30 s): one hostile bbox or filter must not
    hold a connection for minutes. On the database this request reads from (a replica for
    public reads, geoportal/replicas.py); yields its connection."""
    timeout = conf.GEOPORTAL_SERVICES_STATEMENT_TIMEOUT
    alias = read_alias()
    db = connections[alias]
    with transaction.atomic(using=alias), db.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, true)", [timeout])
        yield db


def is_timeout(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and isinstance(exc.__cause__, QueryCanceled)


def features_sql(
    layer: Layer,
    where: Where,
    *,
    srid: int,
    limit: int | None = None,
    offset: int = 0,
    lat_lon: bool = False,
) -> tuple[str, list]:
    source, params = source_sql(layer, where)
    sql = (
        f"SELECT {feature_sql(layer, srid=srid, lat_lon=lat_lon)} FROM ({source}) AS t "
        f"WHERE {where.sql()} ORDER BY {order_sql(layer)}"
    )
    params = params + where.params
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        params += [limit, offset]
    return sql, params


def feature_page(
    layer: Layer, where: Where, *, srid: int, limit: int, offset: int, lat_lon: bool = False
) -> tuple[int, list[str]]:
    """numberMatched and one page of feature texts, in one transaction."""
    source, params = source_sql(layer, where)
    sql, page_params = features_sql(
        layer, where, srid=srid, limit=limit, offset=offset, lat_lon=lat_lon
    )
    with timed_transaction() as db, db.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM ({source}) AS t WHERE {where.sql()}", params + where.params
        )
        matched = cursor.fetchone()[0]
        features = []
        if offset < matched:
            cursor.execute(sql, page_params)
            features = [row[0] for row in cursor.fetchall()]
        return matched, features


def feature_stream(layer: Layer, where: Where, *, srid: int, chunk: int = 5000) -> Iterator[str]:
    """Feature texts straight from a server-side cursor: memory stays flat for any layer size.

    Runs lazily inside the response's iteration; if the client goes away, closing the generator
    rolls the transaction back and the cursor goes with it."""
    sql, params = features_sql(layer, where, srid=srid)
    with timed_transaction() as db, db.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            yield ",".join(row[0] for row in rows)


def tile_containing(lon: float, lat: float, zoom: int) -> tuple[int, int, int]:
    """(z, x, y) of the Web Mercator tile that holds a WGS84 point."""
    n = 2**zoom
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return zoom, int((lon + 180) / 360 * n), int(y)


def tile(layer: Layer, z: int, x: int, y: int, *, simplify_units: float = 0.25) -> bytes:
    """One Mapbox vector tile (EPSG:3857) of the layer, built by ST_AsMVT.

    The tile envelope (plus the clipping buffer) is reprojected into the storage CRS and
    densified, so the spatial index on the stored geometry picks the rows. Lines and polygons
    lose detail below `simplify_units` of the tile's 4096 units (the base map, a background
    drawn at 512 px, takes 2: a quarter pixel, and half the bytes of a land-use tile). A layer
    with its own `tile_builder` is asked first."""
    if layer.tile_builder is not None:
        body = layer.tile_builder(name=layer.name, z=z, x=x, y=y)
        if body is not None:
            return body
    source, params = source_sql(layer)
    geom = q(layer.geometry.column)
    storage = int(layer.geometry.srid)
    props = ", ".join(f"t.{q(p.column)} AS {q(p.name)}" for p in layer.properties)
    margin = MVT_BUFFER / MVT_EXTENT
    shape = f"t.{geom}"
    if storage == settings.GEOPORTAL_SRID and layer.geometry_type not in ("Point", "MultiPoint"):
        # Cut to the tile and drop detail below a quarter of a tile unit while still in metres:
        # ST_Transform then only reprojects what the tile shows (half the time for polygons at
        # zoom 12, far less at 16), and nothing visible changes.
        tolerance = 40_075_016.686 / 2**z / MVT_EXTENT * float(simplify_units)
        shape = f"ST_Simplify(ST_ClipByBox2D({shape}, bounds.native::box2d), {tolerance!r}, true)"
    sql = f"""
        WITH bounds AS (
            SELECT ST_TileEnvelope(%s, %s, %s) AS tile,
                   ST_Transform(ST_Segmentize(ST_TileEnvelope(%s, %s, %s, margin => %s),
                                              (ST_XMax(ST_TileEnvelope(%s, %s, %s))
                                               - ST_XMin(ST_TileEnvelope(%s, %s, %s))) / 16),
                                {storage}) AS native
        )
        SELECT ST_AsMVT(mvt, %s, {MVT_EXTENT}, 'geom', 'id') FROM (
            SELECT t.{q(layer.pk_column)} AS id, {props},
                   ST_AsMVTGeom(ST_Transform({shape}, {WEB_MERCATOR}), bounds.tile,
                                {MVT_EXTENT}, {MVT_BUFFER}, true) AS geom
            FROM ({source}) AS t, bounds
            WHERE t.{geom} && bounds.native
        ) AS mvt WHERE mvt.geom IS NOT NULL
    """
    zxy = [z, x, y]
    all_params = zxy + zxy + [margin] + zxy + zxy + [layer.name] + params
    with timed_transaction() as db, db.cursor() as cursor:
        cursor.execute(sql, all_params)
        return bytes(cursor.fetchone()[0] or b"")


def label_tile(layer: Layer, z: int, x: int, y: int, *, name: str) -> bytes:
    """One MVT layer `name` of the polygon layer's label points: the centre of each area's
    largest inscribed circle (ST_MaximumInscribedCircle: inside the area and as far from its
    edges as possible, where a name fits; ST_PointOnSurface may sit on a thin arm).

    The point is taken from the whole area, not the tile's piece of it, so an area is named once
    on the map and not once per tile it crosses; the tile has no buffer, so the point is in only
    the tile that holds it (the label itself is laid out across tiles by the client)."""
    source, params = source_sql(layer)
    geom = q(layer.geometry.column)
    storage = int(layer.geometry.srid)
    props = ", ".join(f"t.{q(p.column)} AS {q(p.name)}" for p in layer.properties)
    sql = f"""
        WITH bounds AS (
            SELECT ST_TileEnvelope(%s, %s, %s) AS tile,
                   ST_Transform(ST_Segmentize(ST_TileEnvelope(%s, %s, %s),
                                              (ST_XMax(ST_TileEnvelope(%s, %s, %s))
                                               - ST_XMin(ST_TileEnvelope(%s, %s, %s))) / 16),
                                {storage}) AS native
        )
        SELECT ST_AsMVT(mvt, %s, {MVT_EXTENT}, 'geom', 'id') FROM (
            SELECT t.{q(layer.pk_column)} AS id, {props},
                   ST_AsMVTGeom(ST_Transform(label.point, {WEB_MERCATOR}), bounds.tile,
                                {MVT_EXTENT}, 0, true) AS geom
            FROM ({source}) AS t, bounds,
                 LATERAL (SELECT (ST_MaximumInscribedCircle(t.{geom})).center AS point) AS label
            WHERE t.{geom} && bounds.native AND label.point && bounds.native
        ) AS mvt WHERE mvt.geom IS NOT NULL
    """
    zxy = [z, x, y]
    with timed_transaction() as db, db.cursor() as cursor:
        cursor.execute(sql, zxy * 4 + [name] + params)
        return bytes(cursor.fetchone()[0] or b"")


def extent_wgs84(layer: Layer) -> tuple[float, float, float, float] | None:
    """The layer's bounding box in lon/lat (ST_Extent reads only the index-sized boxes)."""
    source, params = source_sql(layer)
    geom = q(layer.geometry.column)
    sql = (
        f"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM ("
        f"SELECT ST_Transform(ST_Segmentize(ST_SetSRID(ST_Extent(t.{geom})::geometry, "
        f"{int(layer.geometry.srid)}), 500), {WGS84}) AS e FROM ({source}) AS t) AS x"
    )
    with timed_transaction() as db, db.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return None
    return tuple(round(v, 6) for v in row)
