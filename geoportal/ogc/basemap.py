"""The layers of the portal's own base map, served as one vector tile at /basemap/{z}/{x}/{y}.mvt.

Each is a registered layer narrowed to the fields the base-map style reads (the street's name,
the land-use class): a base-map tile carries no codes or ids it does not draw, so it stays small
on a phone's connection, and nothing outside the layer's public fields can ever be in it.
Area names (districts, quarters) come as label points of their own (`<layer>_labels`), one per
area, so the client writes each name once inside its area instead of along every tile edge.
"""

from dataclasses import replace
from functools import partial

from django.core.exceptions import ImproperlyConfigured

from .. import conf
from . import sql
from .layers import Layer, get_layer


def _narrowed(layer: Layer, fields: tuple[str, ...], setting: str) -> Layer:
    hidden = set(fields) - {p.name for p in layer.properties}
    if hidden:
        raise ImproperlyConfigured(
            f"{setting}: {layer.name} does not publish {', '.join(sorted(hidden))}."
        )
    # Related names (Layer.related_fields) are narrowed too, or they would ride along.
    return replace(
        layer,
        fields=tuple(f for f in fields if f in layer.fields),
        related_fields=tuple(r for r in layer.related_fields if r[0] in fields),
    )


def basemap_layers() -> list[Layer]:
    layers = []
    for name, fields, min_zoom in conf.GEOPORTAL_BASEMAP_LAYERS:
        layer = get_layer(name)
        if layer is None:
            continue
        layer = _narrowed(layer, fields, "GEOPORTAL_BASEMAP_LAYERS")
        if min_zoom is not None:
            layer = replace(layer, min_zoom=min_zoom)
        layers.append(layer)
    for name, field, min_zoom, max_zoom in conf.GEOPORTAL_BASEMAP_LABELS:
        layer = get_layer(name)
        if layer is None:
            continue
        source = _narrowed(layer, (field,), "GEOPORTAL_BASEMAP_LABELS")
        layers.append(
            replace(
                source,
                name=f"{name}_labels",
                min_zoom=min_zoom,
                max_zoom=max_zoom,
                tile_builder=partial(sql.label_tile, source),
            )
        )
    return layers
