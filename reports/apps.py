from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = gettext_lazy("Mängelmelder")

    def ready(self):
        from geoportal.status import register_check

        from . import layers, trust
        from .status import check_outbox, check_photo_budget

        register_check("mail", gettext_lazy("E-Mail-Versand"), check_outbox)
        register_check("photos", gettext_lazy("Foto-Kontingent"), check_photo_budget)
        layers.register()
        trust.register()
