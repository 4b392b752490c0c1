"""Matching a public event to subscriptions, inside the publisher's transaction."""

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Now

from geoportal.events import Event
from geoportal.selectors import area_ids_intersecting

from . import messages
from .models import Frequency, Match, Subscription


def subscriptions_matching(
    *, geom: GEOSGeometry, topic: str, area_ids: list[int] | None = None
) -> QuerySet[Subscription]:
    """Confirmed subscriptions to `topic` whose area the geometry touches.

    Circles and drawn polygons: ST_Intersects on the GiST index of `geom`. Districts and
    quarters: the city core says which areas the geometry touches (its subdivided parts are
    indexed), then a btree lookup; copying district polygons into 100,000 rows would not be.
    """
    if area_ids is None:
        area_ids = area_ids_intersecting(geom=geom)
    return Subscription.objects.filter(
        Q(geom__intersects=geom) | Q(area_id__in=area_ids),
        confirmed_at__isnull=False,
        topics__contains=[topic],
    )


def alerts_match_event(event: Event) -> int:
    """Queue an alert for every immediate subscriber and a digest entry for the others.

    Runs in the transaction that publishes the item, so the alert exists iff the item does.
    Two INSERT … SELECT statements, no row through Python: an item in a dense district
    matches hundreds of subscriptions. Returns how many matched.
    """
    area_ids = area_ids_intersecting(geom=event.geom)
    matching = subscriptions_matching(geom=event.geom, topic=event.topic, area_ids=area_ids)
    alerts = messages.queue_alerts(
        subscriptions=matching.filter(frequency=Frequency.IMMEDIATE), event=event)
    return alerts + _queue_digest_entries(
        subscriptions=matching.exclude(frequency=Frequency.IMMEDIATE), event=event)


def _queue_digest_entries(*, subscriptions: QuerySet[Subscription], event: Event) -> int:
    rows = subscriptions.annotate(
        m_topic=Value(event.topic), m_kind=Value(event.kind), m_key=Value(event.key[:100]),
        m_title=Value(event.title[:300]), m_path=Value(event.path[:300]),
        m_summary=Value(event.summary[:500]), m_at=Now(),
    ).values_list("id", "m_topic", "m_kind", "m_key", "m_title", "m_path", "m_summary", "m_at")
    sql, params = rows.query.sql_with_params()
    # Raw SQL: the ORM has no INSERT … SELECT; the values are parameters of the SELECT.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(Match._meta.db_table)} "  # noqa: S608
            "(subscription_id, topic, kind, item_key, title, path, summary, created_at) "
            f"SELECT * FROM ({sql}) AS src", params)
        return cursor.rowcount
