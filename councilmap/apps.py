from django.apps import AppConfig


class CouncilmapConfig(AppConfig):
    name = "councilmap"
    verbose_name = "Ratsbeschlüsse (Open.RIS.Map)"
