from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control

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


@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    # Browsers, feed readers and crawlers ask /favicon.ico whatever the page links: answer it.
    path = finders.find("geoportal/favicon.ico")
    if path is None:
        raise Http404("favicon.ico")
    return FileResponse(open(path, "rb"), content_type="image/x-icon")  # noqa: SIM115
