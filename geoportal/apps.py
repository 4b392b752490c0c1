from django.apps import AppConfig


class GeoportalConfig(AppConfig):
    name = "geoportal"
    verbose_name = "Stadt und Gazetteer"

    def ready(self) -> None:
        from .ogc import core_layers
        from .status import register_core_checks

        register_core_checks()
        # Publish the city core on WFS, OGC API, vector tiles and GeoJSON (docs/services.md).
        core_layers.register()
