from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = gettext_lazy("Benachrichtigungen und Feeds")

    def ready(self):
        from geoportal.events import subscribe

        from .matching import alerts_match_event

        # Runs inside the publishing service's transaction: no match is lost or doubled.
        subscribe(alerts_match_event)
