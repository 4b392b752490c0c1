from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = "Themenkarten"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from geoportal.ogc.layers import register_layer_source

        from .registry import theme_layers

        register_layer_source(theme_layers)
