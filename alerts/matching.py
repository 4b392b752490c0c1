"""Matching a public event to subscriptions, inside the publisher's transaction."""

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from django.db.models import QuerySet

from geoportal.events import Event
from geoportal.selectors import area_ids_intersecting

from . import messages
from .models import Frequency, Match, Subscription


def subscriptions_matching(
    *, geom: GEOSGeometry, topic: str, area_ids: list[int] | None = None
) -> list[QuerySet[Subscription]]:
    """Confirmed subscriptions to `topic` whose area the geometry touches, as two disjoint
    parts to be read as one UNION ALL (a subscription has an area or a geometry, never both).

    Districts and quarters: the city core says which areas the geometry touches (its
    subdivided parts are indexed), then an index-only scan of the covering partial index on
    `area_id`, no geometry test and no table row. Circles and drawn polygons: ST_Intersects on
    the GiST index of `geom`. One statement with `geom … OR area_id …` charged the geometry
    test to every district subscriber too: a district with a few thousand subscribers priced
    the plan past `jit_above_cost` and JIT compilation took ~150 ms per item.
    """
    if area_ids is None:
        area_ids = area_ids_intersecting(geom=geom)
    following = Subscription.objects.filter(confirmed_at__isnull=False, topics__contains=[topic])
    return [following.filter(area_id__in=area_ids), following.filter(geom__intersects=geom)]


def subscription_ids_matching(*, geom: GEOSGeometry, topic: str) -> QuerySet:
    """The ids of `subscriptions_matching`, one UNION ALL statement (what the bench times)."""
    by_area, by_geometry = (part.values_list("id", flat=True)
                            for part in subscriptions_matching(geom=geom, topic=topic))
    return by_area.union(by_geometry, all=True)


def alerts_match_event(event: Event) -> int:
    """Queue an alert for every immediate subscriber and a digest entry for the others.

    Runs in the transaction that publishes the item, so the alert exists iff the item does.
    Two INSERT … SELECT statements, no row through Python: an item in a dense district
    matches hundreds of subscriptions. Returns how many matched.
    """
    area_ids = area_ids_intersecting(geom=event.geom)
    parts = subscriptions_matching(geom=event.geom, topic=event.topic, area_ids=area_ids)
    alerts = messages.queue_alerts(
        parts=[part.filter(frequency=Frequency.IMMEDIATE) for part in parts], event=event)
    return alerts + _queue_digest_entries(
        parts=[part.exclude(frequency=Frequency.IMMEDIATE) for part in parts], event=event)


def _queue_digest_entries(*, parts: list[QuerySet[Subscription]], event: Event) -> int:
    # Only the ids come from the subscriptions (the area part stays index-only); the entry's
    # values are parameters added around the UNION ALL. The statement's clock, as the ORM's
    # Now() gave before: a digest orders its entries by it.
    first, *others = (part.values_list("id", flat=True) for part in parts)
    ids_sql, params = first.union(*others, all=True).query.sql_with_params()
    values = [event.topic, event.kind, event.key[:100], event.title[:300], event.path[:300],
              event.summary[:500]]
    # Raw SQL: the ORM has no INSERT … SELECT; the values are parameters of the SELECT.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(Match._meta.db_table)} "  # noqa: S608
            "(subscription_id, topic, kind, item_key, title, path, summary, created_at) "
            "SELECT src.id, %s, %s, %s, %s, %s, %s, statement_timestamp() "
            f"FROM ({ids_sql}) AS src(id)",
            [*values, *params])
        return cursor.rowcount
