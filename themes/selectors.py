"""Reads on dataset layers: which zones cover a point, which places lie near it."""

import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.db.models.functions import AsGeoJSON, GeomOutputGeoFunc, Transform
from django.contrib.gis.geos import Point
from django.db.models import Prefetch

from geoportal.geo import transformed
from geoportal.replicas import read_cursor

from .models import DatasetLayer, LayerKind, Place, Zone, ZonePart

_POINT = "ST_SetSRID(ST_MakePoint(%(x)s, %(y)s), %(srid)s)"
# No statement timeout on the zone lookup or the radius search: each is one index lookup like
# the ORM's reads, and SET LOCAL needs a transaction: three more round trips than the lookup
# itself (that doubled its time on the loaded machine).
ZONES_TIMEOUT_MS = SEARCH_TIMEOUT_MS = None


class _Simplify(GeomOutputGeoFunc):
    function = "ST_SimplifyPreserveTopology"


@dataclass(frozen=True)
class ZoneLayer:
    """What a zone answer shows of its layer."""

    pk: int
    name: str
    title: str
    legend: str
    color: str
    fields: list[dict]

    @property
    def public_names(self) -> list[str]:
        return [f["name"] for f in self.fields]


@dataclass(frozen=True)
class ZoneAnswer:
    pk: int
    label: str
    source_id: str
    properties: dict


@dataclass(frozen=True)
class ZoneHit:
    layer: ZoneLayer
    zones: list[ZoneAnswer]


def layer_get(*, name: str, kind: str | None = None) -> DatasetLayer | None:
    layers = DatasetLayer.objects.filter(name=name, feature_count__gt=0)
    if kind:
        layers = layers.filter(kind=kind)
    return layers.first()


def layer_alert_topics() -> list[tuple[str, str]]:
    """(topic, title) of every layer that opts in to area alerts, for the subscription form."""
    from .events import alert_topic

    return [(alert_topic(layer), layer.title)
            for layer in DatasetLayer.objects.filter(alerts_enabled=True).order_by("title")]


def layer_list(*, kind: str | None = None) -> list[DatasetLayer]:
    layers = DatasetLayer.objects.filter(feature_count__gt=0)
    if kind:
        layers = layers.filter(kind=kind)
    return list(layers.order_by("title", "pk"))


def public_properties(*, layer: DatasetLayer, feature) -> dict:
    return {name: feature.properties.get(name) for name in layer.public_names}


# Raw SQL: with 50 zone layers Django spent ~3 ms of CPU building this query and ~100 model
# instances around a 0.3 ms index lookup (bench/themes_layers.py); the statement is fixed, so
# it is written once. Identifiers are the models' own table names.
_ZONES_COVERING_SQL = f"""
    SELECT z.id, z.label, z.source_id, z.properties::text,
           l.id, l.name, l.title, l.legend, l.color, l.fields::text
    FROM {Zone._meta.db_table} z JOIN {DatasetLayer._meta.db_table} l ON l.id = z.layer_id
    WHERE z.id IN (SELECT p.zone_id FROM {ZonePart._meta.db_table} p
                   WHERE ST_Covers(p.geom, ST_SetSRID(ST_MakePoint(%s, %s), %s)))
    ORDER BY l.title, z.layer_id, z.label, z.id
"""  # noqa: S608 - only the models' table names are formatted in


def zones_covering(*, point: Point) -> list[ZoneHit]:
    """For every zone layer, the zones that cover the point (one query across all layers,
    through their subdivided parts), layers by title."""
    if point.srid != settings.GEOPORTAL_SRID:
        point = transformed(point, settings.GEOPORTAL_SRID)
    with read_cursor(timeout_ms=ZONES_TIMEOUT_MS) as cursor:
        cursor.execute(_ZONES_COVERING_SQL, [point.x, point.y, settings.GEOPORTAL_SRID])
        rows = cursor.fetchall()
    hits: dict[int, ZoneHit] = {}
    for pk, label, source_id, properties, layer_id, *layer in rows:
        hit = hits.get(layer_id)
        if hit is None:
            name, title, legend, color, fields = layer
            hit = hits[layer_id] = ZoneHit(
                ZoneLayer(layer_id, name, title, legend, color, json.loads(fields)), []
            )
        hit.zones.append(ZoneAnswer(pk, label, source_id, json.loads(properties)))
    return list(hits.values())


@dataclass(frozen=True)
class PlaceAnswer:
    pk: int
    label: str
    properties: dict
    distance_m: float  # metres in the storage CRS (UTM: scale error far below 0.1 % in a city)
    lon: float
    lat: float


# Raw SQL for the same reason as the zone lookup: the ORM spent ~2.4 ms of CPU per search
# around a 0.5 ms KNN lookup (bench/themes_layers.py). `geom <-> point` walks the GiST index
# nearest first; ST_DWithin bounds it. Filter keys and values are parameters, never SQL.
_PLACES_NEAR_SQL = f"""
    SELECT p.id, p.label, p.properties::text, ST_Distance(p.geom, {_POINT}),
           ST_X(ST_Transform(p.geom, 4326)), ST_Y(ST_Transform(p.geom, 4326))
    FROM {Place._meta.db_table} p
    WHERE p.layer_id = %(layer)s AND ST_DWithin(p.geom, {_POINT}, %(radius)s) {{filters}}
    ORDER BY p.geom <-> {_POINT}, p.id
    LIMIT %(limit)s
"""  # noqa: S608 - only the model's table name and fixed fragments are formatted in


def places_near(
    *, layer: DatasetLayer, point: Point, radius_m: float, limit: int, filters: dict | None = None
) -> list[PlaceAnswer]:
    """The layer's places within radius_m, nearest first, with their distance in metres.

    `filters` compare public fields by their text, case-insensitive (`?traeger=Stadt`);
    booleans also as 1/0."""
    if point.srid != settings.GEOPORTAL_SRID:
        point = transformed(point, settings.GEOPORTAL_SRID)
    params = {"x": point.x, "y": point.y, "srid": settings.GEOPORTAL_SRID, "layer": layer.pk,
              "radius": radius_m, "limit": limit}
    types = {f["name"]: f["type"] for f in layer.fields}
    clauses = []
    for i, (name, value) in enumerate((filters or {}).items()):
        params[f"key{i}"] = name
        if types.get(name) == "boolean":
            truthy = str(value).lower() in ("1", "true", "ja", "yes")
            params[f"value{i}"] = "true" if truthy else "false"
            clauses.append(f"AND (p.properties -> %(key{i})s) = %(value{i})s::jsonb")
        else:
            params[f"value{i}"] = str(value)
            clauses.append(f"AND UPPER(p.properties ->> %(key{i})s) = UPPER(%(value{i})s)")
    with read_cursor(timeout_ms=SEARCH_TIMEOUT_MS) as cursor:
        cursor.execute(_PLACES_NEAR_SQL.format(filters=" ".join(clauses)), params)
        rows = cursor.fetchall()
    return [
        PlaceAnswer(pk, label, json.loads(properties), distance, lon, lat)
        for pk, label, properties, distance, lon, lat in rows
    ]


def zone_layers_with_zones() -> list[DatasetLayer]:
    return list(
        DatasetLayer.objects.filter(kind=LayerKind.ZONE, feature_count__gt=0)
        .prefetch_related(Prefetch("zones", queryset=Zone.objects.defer("geom")))
        .order_by("title")
    )


def zones_geojson(*, zone_ids: list[int], simplify_m: float = 2.0) -> str:
    """The given zones as a WGS84 FeatureCollection text, built and simplified by PostGIS."""
    zones = (
        Zone.objects.filter(pk__in=zone_ids)
        .annotate(gj=AsGeoJSON(Transform(_Simplify("geom", simplify_m), 4326), precision=6))
        .values_list("pk", "label", "gj")
    )
    features = [
        f'{{"type":"Feature","id":{pk},"properties":{{"label":{json.dumps(label)}}},"geometry":{gj}}}'
        for pk, label, gj in zones
    ]
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
