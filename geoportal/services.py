"""Writes of the city core."""

from django.utils import timezone

from .models import WorkerHeartbeat


def worker_heartbeat(*, name: str) -> None:
    """Called by every background worker on each loop, so the status page sees it alive."""
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"last_seen": timezone.now()})
