"""Reads on dataset layers: which zones cover a point, which places lie near it."""

import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.db.models.functions import AsGeoJSON, GeomOutputGeoFunc, Transform
from django.contrib.gis.geos import Point
from django.db.models import Prefetch

from geoportal.replicas import read_cursor
from geoportal.selectors import gazetteer_search

from .models import DatasetLayer, LayerKind, Place, Zone, ZonePart

# No statement timeout on the zone lookup: it is one index lookup like the ORM's reads, and
# SET LOCAL needs a transaction: three more round trips than the lookup itself (doubled its
# time on the loaded machine).
ZONES_TIMEOUT_MS = None


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
        point = point.transform(settings.GEOPORTAL_SRID, clone=True)
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


def places_near(
    *, layer: DatasetLayer, point: Point, radius_m: float, limit: int, filters: dict | None = None
) -> list[Place]:
    """The layer's places within radius_m, nearest first, each with `.distance` (a Distance).

    `filters` compare public fields by their text (`?traeger=Stadt`); booleans also as 1/0."""
    places = Place.objects.filter(layer=layer)
    types = {f["name"]: f["type"] for f in layer.fields}
    for name, value in (filters or {}).items():
        if types.get(name) == "boolean":
            truthy = str(value).lower() in ("1", "true", "ja", "yes")
            places = places.filter(**{f"properties__{name}": truthy})
        else:
            places = places.filter(**{f"properties__{name}__iexact": str(value)})
    places = places.within(point, radius_m=radius_m).annotate(wgs84=Transform("geom", 4326))
    return list(places[:limit])


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


def place_by_address(*, query: str):
    """The best gazetteer hit for an address typed into a page without JavaScript."""
    hits = gazetteer_search(query=query, limit=1)
    return hits[0] if hits else None
