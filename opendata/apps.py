from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = gettext_lazy("Offene Daten und Statistik")
