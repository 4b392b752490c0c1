from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class LanduseConfig(AppConfig):
    name = "landuse"
    verbose_name = gettext_lazy("Flächennutzungsplan")

    def ready(self):
        from . import layers

        layers.register()
        layers.register_bplans()
