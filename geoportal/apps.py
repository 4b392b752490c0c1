from django.apps import AppConfig


class GeoportalConfig(AppConfig):
    name = "geoportal"
    verbose_name = "Stadt und Gazetteer"

    def ready(self) -> None:
        # Publish the city core on WFS, OGC API, vector tiles and GeoJSON (docs/services.md).
        from .services import core_layers

        core_layers.register()
