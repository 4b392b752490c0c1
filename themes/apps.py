from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = gettext_lazy("Themenkarten")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from geoportal.ogc.layers import register_layer_source

        from .registry import theme_layers

        register_layer_source(theme_layers)
