"""Reads on dataset layers: which zones cover a point, which places lie near it."""

import json
from dataclasses import dataclass

from django.contrib.gis.db.models.functions import AsGeoJSON, GeomOutputGeoFunc, Transform
from django.contrib.gis.geos import Point
from django.db.models import Prefetch

from geoportal.selectors import gazetteer_search

from .models import DatasetLayer, LayerKind, Place, Zone


class _Simplify(GeomOutputGeoFunc):
    function = "ST_SimplifyPreserveTopology"


@dataclass(frozen=True)
class ZoneHit:
    layer: DatasetLayer
    zones: list[Zone]


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


def zones_covering(*, point: Point) -> list[ZoneHit]:
    """For every zone layer, the zones that cover the point (one query with the layers)."""
    zones = (
        Zone.objects.covering(point)
        .select_related("layer")
        .order_by("layer__title", "layer_id", "label", "pk")
        .defer("geom")
    )
    hits: dict[int, ZoneHit] = {}
    for zone in zones:
        hits.setdefault(zone.layer_id, ZoneHit(zone.layer, [])).zones.append(zone)
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
