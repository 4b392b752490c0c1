"""Matching a public event to subscriptions, inside the publisher's transaction."""

from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Q, QuerySet

from geoportal.events import Event
from geoportal.selectors import area_ids_intersecting

from . import messages
from .models import Frequency, Match, Subscription


def subscriptions_matching(*, geom: GEOSGeometry, topic: str) -> QuerySet[Subscription]:
    """Confirmed subscriptions to `topic` whose area the geometry touches.

    Circles and drawn polygons: ST_Intersects on the GiST index of `geom`. Districts and
    quarters: the city core says which areas the geometry touches (its subdivided parts are
    indexed), then a btree lookup; copying district polygons into 100,000 rows would not be.
    """
    area_ids = area_ids_intersecting(geom=geom)
    return Subscription.objects.filter(
        Q(geom__intersects=geom) | Q(area_id__in=area_ids),
        confirmed_at__isnull=False,
        topics__contains=[topic],
    )


def alerts_match_event(event: Event) -> int:
    """Queue an alert for every immediate subscriber and a digest entry for the others.

    Runs in the transaction that publishes the item, so the alert exists iff the item does.
    """
    count = 0
    pending = []
    for subscription in subscriptions_matching(geom=event.geom, topic=event.topic).defer("geom"):
        count += 1
        if subscription.frequency == Frequency.IMMEDIATE:
            messages.send_alert(subscription=subscription, event=event)
        else:
            pending.append(Match(
                subscription=subscription, topic=event.topic, kind=event.kind,
                item_key=event.key[:100], title=event.title[:300], path=event.path[:300],
                summary=event.summary[:500],
            ))
    Match.objects.bulk_create(pending)
    return count
