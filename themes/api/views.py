"""Thin JSON views: validate the query, call one selector, serialize."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.api.errors import bad_request, validated_query
from geoportal.api.serializers import LatLonSerializer
from geoportal.geo import OutsideServiceArea, point_from_lonlat

from .. import selectors
from ..models import LayerKind
from .serializers import NearQuerySerializer, ZoneLayerHitSerializer

RESERVED_PARAMS = {"lat", "lon", "radius", "limit", "format"}


def zone_hits_json(hits: list[selectors.ZoneHit]) -> list[dict]:
    return [
        {
            "layer": hit.layer.name,
            "title": hit.layer.title,
            "legend": hit.layer.legend,
            "zones": [
                {
                    "label": zone.label or hit.layer.title,
                    "source_id": zone.source_id,
                    "properties": selectors.public_properties(layer=hit.layer, feature=zone),
                }
                for zone in hit.zones
            ],
        }
        for hit in hits
    ]


class ZonesAtView(APIView):
    """For every zone layer, the zones that cover a WGS84 point (empty list: in no zone)."""

    @extend_schema(parameters=[LatLonSerializer], responses=ZoneLayerHitSerializer(many=True))
    def get(self, request):
        data = validated_query(LatLonSerializer, request)
        try:
            point = point_from_lonlat(lon=data["lon"], lat=data["lat"])
        except OutsideServiceArea as exc:
            return bad_request(str(exc), {"lat": [str(exc)]})
        return Response({"results": zone_hits_json(selectors.zones_covering(point=point))})


def places_geojson(layer, places) -> dict:
    return {
        "type": "FeatureCollection",
        "layer": layer.name,
        "title": layer.title,
        "attribution": layer.attribution,
        "features": [
            {
                "type": "Feature",
                "id": place.pk,
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(place.lon, 6), round(place.lat, 6)],
                },
                "properties": {
                    "label": place.label,
                    "distance_m": round(place.distance_m, 1),
                    **selectors.public_properties(layer=layer, feature=place),
                },
            }
            for place in places
        ],
    }


class PlacesNearView(APIView):
    """A place layer's features within `radius` metres of a WGS84 point, nearest first, as
    GeoJSON; each with `distance_m`. Any other parameter filters a public field
    (`?traeger=Stadt`, `?rollstuhlgerecht=1`)."""

    @extend_schema(
        parameters=[
            NearQuerySerializer,
            OpenApiParameter(
                "name",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                pattern=r"^[-a-zA-Z0-9_]+$",
                description="Name of a place layer, e.g. `kitas`.",
            ),
        ],
        # A GeoJSON FeatureCollection; each feature's properties carry `distance_m`.
        responses={(200, "application/geo+json"): OpenApiTypes.OBJECT},
    )
    def get(self, request, name: str):
        layer = selectors.layer_get(name=name, kind=LayerKind.POI)
        if layer is None:
            names = ", ".join(x.name for x in selectors.layer_list(kind=LayerKind.POI))
            message = _("Unbekannte Ortsebene %(name)s. Vorhanden: %(names)s.") % {
                "name": repr(name), "names": names or _("keine"),
            }
            return bad_request(message, {"layer": [message]})
        data = validated_query(NearQuerySerializer, request)
        filters = {k: v for k, v in request.query_params.items() if k not in RESERVED_PARAMS}
        unknown = set(filters) - set(layer.public_names)
        if unknown:
            field = sorted(unknown)[0]
            message = _("Unbekannter Filter %(field)s. Filterbar sind: %(fields)s.") % {
                "field": repr(field),
                "fields": ", ".join(layer.public_names) or _("keine Felder"),
            }
            return bad_request(message, {field: [message]})
        try:
            point = point_from_lonlat(lon=data["lon"], lat=data["lat"])
        except OutsideServiceArea as exc:
            return bad_request(str(exc), {"lat": [str(exc)]})
        places = selectors.places_near(
            layer=layer, point=point, radius_m=data["radius"], limit=data["limit"],
            filters=filters,
        )
        return Response(places_geojson(layer, places), content_type="application/geo+json")

