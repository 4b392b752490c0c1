"""Settings of alerts, with their defaults. Read as `conf.NAME`; nowhere else reads them."""
from django.conf import settings

_DEFAULTS = {
    # Smallest and largest radius of a circle around an address or pin, in metres.
    "ALERTS_RADIUS_MIN_M": 250,
    "ALERTS_RADIUS_MAX_M": 2000,
    # A drawn polygon may have at most this many vertices and this area (km²).
    "ALERTS_POLYGON_MAX_VERTICES": 200,
    "ALERTS_POLYGON_MAX_KM2": 25.0,
    # Unconfirmed subscriptions (and their address) are deleted after this many days.
    "ALERTS_UNCONFIRMED_DAYS": 7,
    # A digest lists at most this many items, newest first; it counts the rest.
    "ALERTS_DIGEST_MAX_ITEMS": 50,
    # Entries per feed.
    "ALERTS_FEED_ITEMS": 50,
}


def __getattr__(name):
    if name in _DEFAULTS:
        return getattr(settings, name, _DEFAULTS[name])
    raise AttributeError(name)
