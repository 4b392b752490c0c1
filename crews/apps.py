from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CrewsConfig(AppConfig):
    name = "crews"
    verbose_name = gettext_lazy("Außendienst (Einsatz-Tablets)")
    default_auto_field = "django.db.models.BigAutoField"
