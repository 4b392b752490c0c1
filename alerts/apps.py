from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Benachrichtigungen und Feeds"

    def ready(self):
        from geoportal.events import subscribe

        from .matching import alerts_match_event

        # Runs inside the publishing service's transaction: no match is lost or doubled.
        subscribe(alerts_match_event)
