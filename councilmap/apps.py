from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CouncilmapConfig(AppConfig):
    name = "councilmap"
    verbose_name = gettext_lazy("Ratsbeschlüsse (Open.RIS.Map)")

    def ready(self):
        from geoportal.status import register_check

        from . import layers
        from .status import check_oparl_sync

        register_check("oparl", gettext_lazy("Ratsinformationssystem (OParl)"), check_oparl_sync)
        layers.register()
