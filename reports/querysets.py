"""Query building blocks for reports; public reads start from `ReportQuerySet.public()`."""

from datetime import timedelta

from django.contrib.gis.db import models
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.utils import timezone


class ReportQuerySet(models.QuerySet):
    def public(self) -> "ReportQuerySet":
        """Published reports that staff did not hide; never joins the reporter table.

        The report grid's triggers (reports/migrations/0006_report_cells.py) repeat this
        predicate in SQL: change both together (tests/reports/test_clusters.py checks them)."""
        return self.filter(published_at__isnull=False, hidden_at__isnull=True)

    def open(self) -> "ReportQuerySet":
        from .models import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)

    def near(self, point: Point, metres: float) -> "ReportQuerySet":
        # Storage CRS is metric (EPSG:25832), so ST_DWithin on it uses the GiST index.
        return self.filter(geom__dwithin=(point, D(m=metres)))


class OutboxQuerySet(models.QuerySet):
    def due(self, now=None) -> "OutboxQuerySet":
        from .models import OutboxStatus

        now = now or timezone.now()
        return self.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)

    def undelivered(self) -> "OutboxQuerySet":
        from .models import OutboxStatus

        return self.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED])

    def stuck(self, older_than: timedelta) -> "OutboxQuerySet":
        return self.undelivered().filter(created_at__lt=timezone.now() - older_than)


class ReportPhotoQuerySet(models.QuerySet):
    def public(self) -> "ReportPhotoQuerySet":
        """Photos staff did not remove, of public reports."""
        return self.filter(
            hidden_at__isnull=True,
            report__published_at__isnull=False,
            report__hidden_at__isnull=True,
        )
