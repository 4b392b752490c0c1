from django.apps import AppConfig


class CouncilmapConfig(AppConfig):
    name = "councilmap"
