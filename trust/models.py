"""Rate-limit counters in PostgreSQL, so every gunicorn worker and host sees the same count."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    """Requests of one client (IP, email, user name; stored as a keyed hash) in one time window.

    Rows are incremented with an atomic UPSERT (`trust.ratelimit`) and deleted once their window
    is over, so the table stays small and holds no readable personal data.
    """

    key = models.CharField(max_length=80, verbose_name=_("Schlüssel"))
    window_start = models.DateTimeField(verbose_name=_("Fensterbeginn"))
    count = models.IntegerField(default=0, verbose_name=_("Anzahl"))

    class Meta:
        verbose_name = _("Zählerstand der Ratenbegrenzung")
        verbose_name_plural = _("Zählerstände der Ratenbegrenzung")
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="trust_counter_unique")
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class LoginAttempt(models.Model):
    """One login attempt through `django.contrib.auth.authenticate`, for the growing delay
    (`trust.logins`) and for staff to see who tries what (admin, kept TRUST_LOGIN_EVENTS_DAYS)."""

    class Outcome(models.TextChoices):
        SUCCEEDED = "ok", _("angemeldet")
        FAILED = "failed", _("falsches Passwort oder Konto")
        DELAYED = "delayed", _("abgewiesen: Wartezeit läuft")

    created_at = models.DateTimeField(db_index=True, verbose_name=_("Angelegt am"))
    username = models.CharField(_("Benutzername"), max_length=150)
    ip = models.CharField(_("Adresse"), max_length=64)
    path = models.CharField(_("Seite"), max_length=200, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, verbose_name=_("Ergebnis"))
    wait_seconds = models.IntegerField(_("Wartezeit (s)"), default=0)

    class Meta:
        verbose_name = _("Anmeldeversuch")
        verbose_name_plural = _("Anmeldeversuche")
        indexes = [
            models.Index(fields=["username", "created_at"]),
            models.Index(fields=["ip", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.username} von {self.ip} {self.created_at:%Y-%m-%d %H:%M:%S}: {self.outcome}"
