"""Fixed-window rate limits counted in PostgreSQL (one atomic UPSERT per key and request).

A limit is `(count, seconds)`: at most `count` requests per window of `seconds`. Keys are
HMACs of scope, kind and value (IP, email, user name), so the table holds no readable personal
data; rows of windows that are over are deleted whenever a new window starts.
"""

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from . import conf
from .models import RateCounter

UPSERT = f"""
INSERT INTO {RateCounter._meta.db_table} (key, window_start, count) VALUES (%s, %s, 1)
ON CONFLICT (key, window_start) DO UPDATE SET count = {RateCounter._meta.db_table}.count + 1
RETURNING count, (xmax = 0)
"""  # noqa: S608 - the table name is ours; values are parameters
REFUND = f"UPDATE {RateCounter._meta.db_table} SET count = GREATEST(count - 1, 0) WHERE key = %s AND window_start = %s"  # noqa: E501, S608
LONGEST_WINDOW = timedelta(days=1)


@dataclass
class Hit:
    key: str
    window_start: datetime


@dataclass
class Decision:
    """The outcome of counting one request against several limits."""

    allowed: bool
    retry_after: int = 0
    hits: list[Hit] = field(default_factory=list)

    def refund(self) -> None:
        """Take this request back out of every counter (it did not count, e.g. it failed)."""
        with connection.cursor() as cursor:
            for hit in self.hits:
                cursor.execute(REFUND, [hit.key, hit.window_start])
        self.hits = []


def client_ip(request) -> str:
    """The client's address; behind `TRUST_PROXY_COUNT` proxies, from X-Forwarded-For.

    IPv6 addresses are cut to their /64 (one household or phone usually owns a whole /64).
    """
    ip = request.META.get("REMOTE_ADDR", "")
    proxies = conf.TRUST_PROXY_COUNT
    if proxies:
        chain = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [p for p in chain if p]
        if len(chain) >= proxies:
            ip = chain[-proxies]
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip or "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _key(scope: str, kind: str, value: str) -> str:
    secret = settings.SECRET_KEY.encode()
    message = f"{scope}:{kind}:{value.strip().lower()}".encode()
    return f"{scope}:{kind}:" + hmac.new(secret, message, hashlib.sha256).hexdigest()[:40]


def rate_limit_count(*, scope: str, identities: dict[str, str], now=None) -> Decision:
    """Count one request of `scope` for each identity ({"ip": …, "email": …}) with a limit.

    Limits come from `settings.TRUST_RATE_LIMITS["<scope>-<kind>"] = (count, seconds)`;
    identities without a limit or with an empty value are not counted. A refused request is
    refunded at once, so it does not eat into the other identities' allowance.
    """
    now = now or timezone.now()
    limits = settings.TRUST_RATE_LIMITS
    decision = Decision(allowed=True)
    new_window = False
    with connection.cursor() as cursor:
        for kind, value in identities.items():
            limit = limits.get(f"{scope}-{kind}")
            if not value or not limit:
                continue
            count_max, seconds = limit
            epoch = int(now.timestamp())
            start = datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)
            hit = Hit(key=_key(scope, kind, value), window_start=start)
            cursor.execute(UPSERT, [hit.key, hit.window_start])
            count, inserted = cursor.fetchone()
            decision.hits.append(hit)
            new_window = new_window or inserted
            if count > count_max:
                decision.allowed = False
                wait = int((start + timedelta(seconds=seconds) - now).total_seconds()) + 1
                decision.retry_after = max(decision.retry_after, wait)
        if new_window:
            RateCounter.objects.filter(window_start__lt=now - LONGEST_WINDOW).delete()
    if not decision.allowed:
        decision.refund()
    return decision
