"""Citizen pages: "In welcher Zone bin ich?" and "<Orte> in der Nähe". Both answer a plain
GET form (address, or lat/lon from the GPS button), so they work without JavaScript; the map
is an addition for those who can see it."""

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from geoportal.forms import address_pick_apply
from geoportal.geo import OutsideServiceArea, point_from_lonlat
from geoportal.selectors import Precision, geocode_address

from . import conf, selectors
from .models import LayerKind
from .words import distance_words

RADII = (300, 500, 1000, 2000, 5000)
DEFAULT_RADIUS = 1000


@dataclass
class Located:
    point: object = None
    lon: float | None = None
    lat: float | None = None
    label: str = ""
    error: str = ""
    candidates: list = field(default_factory=list)  # what an unsure address may mean
    status: int = 200  # 400: the coordinates themselves are broken


def _float(text: str | None) -> float | None:
    try:
        value = float(text) if text not in (None, "") else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def _locate(request, *, areas: bool = True) -> Located | None:
    """Where the citizen asks about: lat/lon (GPS, map click) or an address; None: not asked.
    `areas=False`: a district, quarter, postcode or the city found for the address is no answer
    (a zone page told "Köln" it was "in der Umweltzone Köln", from the city's middle)."""
    params = address_pick_apply(request.GET, field="q")
    query = " ".join(params.get("q", "").split())[:200]
    lat, lon = params.get("lat"), params.get("lon")
    if lat or lon:
        flat, flon = _float(lat), _float(lon)
        if flat is None or flon is None:
            return Located(error=_("Die Koordinaten sind keine gültigen Zahlen."), status=400)
        label = query or _("Ihr Standort")
    elif query:
        answer = geocode_address(query=query)
        if answer.hit is None:
            # Nor is an area among the candidates to pick: its pick answered for its middle.
            candidates = [c for c in answer.candidates if areas or c.precision != Precision.AREA]
            return Located(error=answer.problem, candidates=candidates)
        if not areas and answer.hit.precision == Precision.AREA:
            return Located(error=_(
                "%(area)s ist ein Gebiet: ob es in einer Zone liegt, hängt von der Stelle darin "
                "ab. Bitte geben Sie Straße und Hausnummer ein oder verwenden Sie Ihren Standort."
            ) % {"area": answer.hit.label})
        flat, flon, label = answer.hit.lat, answer.hit.lon, answer.hit.label
    else:
        return None
    try:
        point = point_from_lonlat(lon=flon, lat=flat)
    except OutsideServiceArea:
        return Located(
            error=_("Dieser Ort liegt außerhalb des Gebiets dieses Portals."), status=400
        )
    return Located(point=point, lon=round(flon, 6), lat=round(flat, 6), label=label)


def zones_page(request):
    located = _locate(request, areas=False)
    layers = selectors.layer_list(kind=LayerKind.ZONE)
    context = {
        "layers": layers, "located": located, "q": request.GET.get("q", ""),
        # The API link asks about the place shown, else the portal's map centre (brand).
        "api_point": settings.GEOPORTAL_MAP_CENTER,
    }
    status = located.status if located else 200
    if located and not located.error:
        context["api_point"] = (located.lat, located.lon)
        hits = selectors.zones_covering(point=located.point)
        inside = {hit.layer.pk for hit in hits}
        context.update(
            hits=hits,
            outside=[layer for layer in layers if layer.pk not in inside],
            zones_geojson=selectors.zones_geojson(
                zone_ids=[zone.pk for hit in hits for zone in hit.zones]
            ),
        )
    return render(request, "themes/zones.html", context, status=status)


def near_index(request):
    return render(
        request, "themes/near_index.html", {"layers": selectors.layer_list(kind=LayerKind.POI)}
    )


def near_page(request, name: str):
    layer = selectors.layer_get(name=name, kind=LayerKind.POI)
    if layer is None:
        raise Http404(_("Diese Ortsebene gibt es nicht."))
    radius = int(_float(request.GET.get("radius")) or DEFAULT_RADIUS)
    radius = min(max(radius, 1), conf.THEMES_MAX_RADIUS_M)
    located = _locate(request)
    context = {
        "layer": layer,
        "located": located,
        "q": request.GET.get("q", ""),
        "radius": radius,
        "radii": sorted({*RADII, radius}),
    }
    status = located.status if located else 200
    if located and not located.error:
        places = selectors.places_near(
            layer=layer, point=located.point, radius_m=radius, limit=50
        )
        context["places"] = [
            {
                "label": place.label or layer.title,
                "distance_m": round(place.distance_m),
                "distance_words": distance_words(place.distance_m),
                "lon": round(place.lon, 6),
                "lat": round(place.lat, 6),
                "properties": selectors.public_properties(layer=layer, feature=place),
            }
            for place in places
        ]
    return render(request, "themes/near.html", context, status=status)
