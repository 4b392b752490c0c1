from django.shortcuts import render
from django.urls import reverse

from .ogc.layers import all_layers


def map_page(request):
    # Layers that ask to be on the city map (map_style), e.g. datasets imported as Themenkarten:
    # fetched as GeoJSON for the visible area while switched on, like the other overlays.
    overlays = [
        {
            "key": layer.name,
            "label": layer.title,
            "color": layer.map_style.get("color", "#555"),
            "url": reverse("services:geojson", args=[layer.name]) + "?",
            "popup": "label",
        }
        for layer in all_layers()
        if layer.map_style
    ]
    return render(request, "geoportal/map.html", {"layer_overlays": overlays})
