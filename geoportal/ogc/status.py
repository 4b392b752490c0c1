"""The status page's view of the map services: a real WFS request and a real vector tile."""

from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _

from geoportal.status import GREEN, RED, CheckResult

from ..models import Area, AreaKind
from .layers import get_layer
from .sql import tile, tile_containing

WFS_CAPABILITIES = "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetCapabilities"


def check_map_services() -> CheckResult:
    city = Area.objects.filter(kind=AreaKind.MUNICIPALITY).only("geom").first()
    if city is None:
        return CheckResult(GREEN, _("Es sind noch keine Kartendaten geladen."))
    # The same request path a planner's QGIS takes (middleware, gisserver, PostgreSQL).
    hosts = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h]
    # The inner request runs LocaleMiddleware in this thread; keep the outer page's language.
    with translation.override(translation.get_language()):
        response = Client(raise_request_exception=False).get(
            WFS_CAPABILITIES, HTTP_HOST=hosts[0] if hosts else "localhost"
        )
    wfs_ok = response.status_code == 200 and b"WFS_Capabilities" in response.content
    center = city.geom.point_on_surface.transform(4326, clone=True)
    mvt = tile(get_layer("municipalities"), *tile_containing(center.x, center.y, 12))
    details = {"wfs": response.status_code, "tile_bytes": len(mvt)}
    if not wfs_ok:
        return CheckResult(RED, _("Der WFS-Dienst antwortet nicht richtig."), details)
    if not mvt:
        return CheckResult(RED, _("Die Kartenkacheln bleiben leer."), details)
    return CheckResult(GREEN, _("WFS, OGC API und Kartenkacheln antworten."), details)
