"""Rate-limit counters in PostgreSQL, so every gunicorn worker and host sees the same count."""

from django.db import models


class RateCounter(models.Model):
    """Requests of one client (IP, email, user name; stored as a keyed hash) in one time window.

    Rows are incremented with an atomic UPSERT (`trust.ratelimit`) and deleted once their window
    is over, so the table stays small and holds no readable personal data.
    """

    key = models.CharField(max_length=80)
    window_start = models.DateTimeField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="trust_counter_unique")
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
