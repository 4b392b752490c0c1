from django.apps import AppConfig


class LanduseConfig(AppConfig):
    name = "landuse"
    verbose_name = "Flächennutzungsplan"

    def ready(self):
        from . import layers

        layers.register()
        layers.register_bplans()
