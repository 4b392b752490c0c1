"""Incidents for the status page."""

from django.db.models import Q, QuerySet


def incident_list_public(*, recent_days: int = 14) -> QuerySet:
    """Open incidents and those resolved in the last `recent_days` days, newest first."""
    from datetime import timedelta

    from django.utils import timezone

    from ..models import Incident

    since = timezone.now() - timedelta(days=recent_days)
    return Incident.objects.filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=since))


