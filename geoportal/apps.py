from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class GeoportalConfig(AppConfig):
    name = "geoportal"
    verbose_name = gettext_lazy("Stadt und Gazetteer")

    def ready(self) -> None:
        from .ogc import core_layers, wfs_compat
        from .ogc.status import check_map_services
        from .status import register_check, register_core_checks

        register_core_checks()
        register_check("maps", gettext_lazy("Kartendienste (WFS, Kacheln)"), check_map_services)
        # Publish the city core on WFS, OGC API, vector tiles and GeoJSON (docs/services.md).
        core_layers.register()
        # django-gisserver input fixes (WFS 2.0 BBOX rules, hostile ValueReferences as 400s).
        wfs_compat.install()
