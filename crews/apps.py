from django.apps import AppConfig


class CrewsConfig(AppConfig):
    name = "crews"
    verbose_name = "Außendienst (Einsatz-Tablets)"
    default_auto_field = "django.db.models.BigAutoField"
