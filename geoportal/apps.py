from django.apps import AppConfig


class GeoportalConfig(AppConfig):
    name = "geoportal"
    verbose_name = "Stadt und Gazetteer"

    def ready(self):
        from .status import register_core_checks

        register_core_checks()
