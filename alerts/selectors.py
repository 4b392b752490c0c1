"""Reads of alerts. Only the subscriber (by the secret token) ever sees a subscription."""

from .models import Subscription


def subscription_by_token(*, token: str) -> Subscription | None:
    return Subscription.objects.select_related("area").defer("area__geom").filter(
        token=token).first()
