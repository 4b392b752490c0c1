"""The layers of the portal's own base map, served as one vector tile at /basemap/{z}/{x}/{y}.mvt.

Each is a registered layer narrowed to the fields the base-map style reads (the street's name,
the land-use class): a base-map tile carries no codes or ids it does not draw, so it stays small
on a phone's connection, and nothing outside the layer's public fields can ever be in it.
"""

from dataclasses import replace

from django.core.exceptions import ImproperlyConfigured

from .. import conf
from .layers import Layer, get_layer


def basemap_layers() -> list[Layer]:
    layers = []
    for name, fields, min_zoom in conf.GEOPORTAL_BASEMAP_LAYERS:
        layer = get_layer(name)
        if layer is None:
            continue
        hidden = set(fields) - {p.name for p in layer.properties}
        if hidden:
            raise ImproperlyConfigured(
                f"GEOPORTAL_BASEMAP_LAYERS: {name} does not publish {', '.join(sorted(hidden))}."
            )
        # Related names (Layer.related_fields) are narrowed too, or they would ride along.
        narrowed = {
            "fields": tuple(f for f in fields if f in layer.fields),
            "related_fields": tuple(r for r in layer.related_fields if r[0] in fields),
        }
        if min_zoom is not None:
            narrowed["min_zoom"] = min_zoom
        layers.append(replace(layer, **narrowed))
    return layers
