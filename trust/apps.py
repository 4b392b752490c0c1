from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class TrustConfig(AppConfig):
    name = "trust"
    verbose_name = gettext_lazy("Sicherheit und Betrieb")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import logins

        user_login_failed.connect(logins.on_login_failed, dispatch_uid="trust-login-failed")
        user_logged_in.connect(logins.on_logged_in, dispatch_uid="trust-logged-in")
