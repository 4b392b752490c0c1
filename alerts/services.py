"""Writes of alerts: subscribe (double opt-in), confirm, change, unsubscribe, digests."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.gis.geos import GEOSGeometry, Point, Polygon
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geoportal.models import Area, AreaKind
from reports.models import OutboxMessage

from . import conf, messages
from .models import AreaType, Frequency, Match, Subscription


class SubscriptionError(ValueError):
    """Input the citizen can fix; `field` names the form field."""

    def __init__(self, message: str, field: str = "__all__"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AreaChoice:
    """Exactly one of: `area` (district/quarter), `center` + `radius_m`, `polygon`."""

    area: Area | None = None
    center: Point | None = None
    radius_m: int | None = None
    polygon: Polygon | None = None
    label: str = ""


def _area_fields(choice: AreaChoice) -> dict:
    if choice.area is not None:
        if choice.area.kind not in (AreaKind.DISTRICT, AreaKind.QUARTER):
            raise SubscriptionError(_("Bitte einen Stadtbezirk oder Stadtteil wählen."), "area")
        return {"area_type": AreaType.AREA, "area": choice.area, "geom": None,
                "radius_m": None, "label": choice.label or choice.area.name}
    if choice.center is not None:
        low, high = conf.ALERTS_RADIUS_MIN_M, conf.ALERTS_RADIUS_MAX_M
        if choice.radius_m is None or not low <= choice.radius_m <= high:
            raise SubscriptionError(
                _("Der Umkreis muss zwischen %(low)s und %(high)s m liegen.")
                % {"low": low, "high": high}, "radius_m")
        # The storage CRS is metric (UTM), so a buffer in its units is a circle in metres.
        circle = choice.center.buffer(choice.radius_m, quadsegs=16)
        label = choice.label or _("%(r)s m um den gewählten Punkt") % {"r": choice.radius_m}
        return {"area_type": AreaType.CIRCLE, "area": None, "geom": circle,
                "radius_m": choice.radius_m, "label": label}
    if choice.polygon is not None:
        polygon = choice.polygon
        if polygon.num_coords - 1 > conf.ALERTS_POLYGON_MAX_VERTICES:
            raise SubscriptionError(
                _("Die Fläche hat zu viele Ecken (höchstens %(n)s).")
                % {"n": conf.ALERTS_POLYGON_MAX_VERTICES}, "polygon")
        if not polygon.valid or polygon.area <= 0:
            raise SubscriptionError(_("Die gezeichnete Fläche überschneidet sich selbst."),
                                    "polygon")
        if polygon.area / 1e6 > conf.ALERTS_POLYGON_MAX_KM2:
            raise SubscriptionError(
                _("Die Fläche ist zu groß (höchstens %(n)s km²).")
                % {"n": conf.ALERTS_POLYGON_MAX_KM2}, "polygon")
        return {"area_type": AreaType.POLYGON, "area": None, "geom": polygon, "radius_m": None,
                "label": choice.label or _("selbst gezeichnete Fläche")}
    raise SubscriptionError(_("Bitte ein Gebiet wählen."), "area_type")


def _topics_checked(topics: list[str]) -> list[str]:
    from .models import topic_choices

    allowed = {value for value, _label in topic_choices()}
    chosen = [t for t in dict.fromkeys(topics) if t in allowed]
    if not chosen:
        raise SubscriptionError(_("Bitte mindestens ein Thema wählen."), "topics")
    return chosen


@transaction.atomic
def subscription_create(
    *, email: str, where: AreaChoice, topics: list[str], frequency: str, language: str = "de"
) -> Subscription:
    """A new, unconfirmed subscription and its confirmation email (double opt-in)."""
    if frequency not in Frequency.values:
        raise SubscriptionError(_("Unbekannte Häufigkeit."), "frequency")
    subscription = Subscription.objects.create(
        email=email.strip(), language=language[:10] or "de", topics=_topics_checked(topics),
        frequency=frequency, **_area_fields(where),
    )
    messages.send_confirmation_request(subscription=subscription)
    return subscription


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription | None:
    subscription = Subscription.objects.select_for_update().filter(token=token).first()
    if subscription is not None and subscription.confirmed_at is None:
        # The first digest comes one period after confirming, not at once.
        subscription.confirmed_at = subscription.last_digest_at = timezone.now()
        subscription.save(update_fields=["confirmed_at", "last_digest_at"])
    return subscription


@transaction.atomic
def subscription_update(
    *, subscription: Subscription, topics: list[str], frequency: str
) -> Subscription:
    if frequency not in Frequency.values:
        raise SubscriptionError(_("Unbekannte Häufigkeit."), "frequency")
    subscription.topics = _topics_checked(topics)
    subscription.frequency = frequency
    subscription.save(update_fields=["topics", "frequency"])
    return subscription


def _forget_messages(subscription_ids) -> None:
    # The address lives on in outbox rows until they are deleted with the subscription.
    for pk in subscription_ids:
        for kind in ("confirm", "immediate", "digest"):
            OutboxMessage.objects.filter(
                purpose=messages.purpose_of(kind, Subscription(pk=pk))
            ).delete()


@transaction.atomic
def subscription_delete(*, token: str) -> bool:
    """Unsubscribe: the subscription, its address and every message to it are deleted."""
    subscription = Subscription.objects.filter(token=token).first()
    if subscription is None:
        return False
    _forget_messages([subscription.pk])
    subscription.delete()
    return True


@transaction.atomic
def subscriptions_purge_unconfirmed(*, now: datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - timedelta(days=conf.ALERTS_UNCONFIRMED_DAYS)
    stale = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
    _forget_messages(list(stale.values_list("pk", flat=True)))
    return stale.delete()[0]


def polygon_from_geojson(*, text: str, srid: int) -> Polygon:
    """A drawn polygon (GeoJSON in WGS84) in the storage CRS."""
    try:
        geom = GEOSGeometry(text, srid=4326)
    except (ValueError, TypeError) as exc:
        raise SubscriptionError(_("Die gezeichnete Fläche ist kein GeoJSON-Polygon."),
                                "polygon") from exc
    if geom.geom_type != "Polygon":
        raise SubscriptionError(_("Die gezeichnete Fläche ist kein GeoJSON-Polygon."), "polygon")
    geom.srid = 4326
    geom.transform(srid)
    return geom


# --- Digests ----------------------------------------------------------------------------------


def _due_since(frequency: str, now: datetime) -> datetime:
    return now - (timedelta(days=1) if frequency == Frequency.DAILY else timedelta(days=7))


def digest_due_ids(*, now: datetime | None = None) -> list[int]:
    """Subscriptions whose digest is due and who have something waiting."""
    now = now or timezone.now()
    ids = []
    for frequency in (Frequency.DAILY, Frequency.WEEKLY):
        since = _due_since(frequency, now)
        ids += list(
            Subscription.objects.filter(
                frequency=frequency, confirmed_at__isnull=False,
                matches__digested_at__isnull=True,
            ).exclude(last_digest_at__gt=since).values_list("pk", flat=True).distinct()
        )
    return sorted(ids)


def digest_send_batch(*, subscription_ids: list[int], now: datetime | None = None) -> int:
    """Assemble the digests of these subscribers: their outbox rows and their entries marked,
    in one transaction of three set-based statements. A worker killed before the commit leaves
    all of them untouched (they go out once, later); killed after, the entries are marked and
    never go out again. Returns how many digests were queued."""
    now = now or timezone.now()
    with transaction.atomic():
        # A second worker skips subscribers this one is assembling, and while they are locked no
        # publishing transaction can add an entry for them (its foreign key check waits): the
        # entries marked below are exactly those the digests list or count.
        locked = list(Subscription.objects.select_for_update(skip_locked=True)
                      .filter(pk__in=subscription_ids).values_list("pk", flat=True))
        if not locked:
            return 0
        queued = messages.queue_digests(subscription_ids=locked)
        marked = Match.objects.filter(subscription_id__in=locked, digested_at__isnull=True)
        with_entries = list(marked.values_list("subscription_id", flat=True).distinct())
        marked.update(digested_at=now)
        Subscription.objects.filter(pk__in=with_entries).update(last_digest_at=now)
        return queued


def digest_send(*, subscription_id: int, now: datetime | None = None) -> int:
    """One subscriber's digest; returns the number of entries it announced."""
    pending = Match.objects.filter(subscription_id=subscription_id,
                                   digested_at__isnull=True).count()
    return pending if digest_send_batch(subscription_ids=[subscription_id], now=now) else 0
