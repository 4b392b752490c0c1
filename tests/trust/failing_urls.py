"""The portal's URLs plus views that fail, for the production error-page and outage tests."""

from django.db import connection
from django.urls import path

from geoportal.urls import urlpatterns as portal
from trust.registry import Guard, register_guard


def boom(request):
    raise RuntimeError("secret internals: do not show me")


def database_lost(request):
    """Counted by the rate limiter, then the database goes away under the view (as in a
    PostgreSQL restart): the view's 503 is followed by the limiter's refund on a dead link."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
    raise AssertionError("the connection should be gone")


register_guard("probe-database-lost", Guard("probe", frozenset({201})))

urlpatterns = [
    path("boom/", boom),
    path("api/probe/database-lost/", database_lost, name="probe-database-lost"),
    *portal,
]
