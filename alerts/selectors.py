"""Reads of alerts. Only the subscriber (by the secret token) ever sees a subscription."""

from django.db.models import Count
from django.db.models.functions import TruncMonth

from .models import Subscription


def subscription_by_token(*, token: str) -> Subscription | None:
    return Subscription.objects.select_related("area").defer("area__geom").filter(
        token=token).first()


def subscription_stats_per_month() -> list[list]:
    """[YYYY-MM, subscriptions confirmed that month (local time) and not cancelled since]:
    a count only, for the public statistics; nothing about who or where."""
    rows = (
        Subscription.objects.filter(confirmed_at__isnull=False)
        .annotate(month=TruncMonth("confirmed_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return [[row["month"].strftime("%Y-%m"), row["n"]] for row in rows]
