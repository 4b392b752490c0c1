"""Read replicas: public read requests go to a PostgreSQL streaming replica, everything else to
the primary (docs/operations.md, "Read replica").

The middleware decides per request whether its reads may go to a replica; the router sends those
reads to the first healthy replica. A replica is healthy when it accepts a connection and its
replay lag is below `GEOPORTAL_REPLICA_MAX_LAG_SECONDS`; one that is down or lagging is
skipped for `GEOPORTAL_REPLICA_RETRY_SECONDS`. Outside a request (commands, workers) everything
goes to the primary.
"""

import contextvars
import itertools
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.utils import CursorWrapper
from django.db.utils import DatabaseError

from geoportal import conf

log = logging.getLogger(__name__)

# None: this request reads from the primary. "?": it may read from a replica, not chosen yet.
_request_replica: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "geoportal_replica", default=None
)
_UNDECIDED = "?"
# alias -> monotonic time until which it is skipped (down or lagging), per process.
_skip_until: dict[str, float] = {}
# alias -> monotonic time of its last lag check, per process.
_checked_at: dict[str, float] = {}
# Which replica a new request tries first, so reads spread over all healthy ones.
_turn = itertools.count()

# Replay lag in seconds; 0 when everything received is replayed (an idle primary sends nothing,
# so the age of the last replayed transaction alone would grow without any lag).
_LAG_SQL = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def replica_aliases() -> list[str]:
    return [alias for alias in connections.settings if alias.startswith("replica")]


def _healthy(alias: str, now: float) -> bool:
    if _skip_until.get(alias, 0) > now:
        return False
    try:
        connection = connections[alias]
        # A persistent connection to a replica that went away since the last request looks
        # fine until a query runs on it, in the view: check it here (CONN_HEALTH_CHECKS' check,
        # once per request), and connect anew, which fails at once if the replica is down.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        if now - _checked_at.get(alias, -1e9) >= conf.GEOPORTAL_REPLICA_CHECK_SECONDS:
            with connection.cursor() as cursor:
                cursor.execute(_LAG_SQL)
                lag = float(cursor.fetchone()[0])
            _checked_at[alias] = now
            if lag > conf.GEOPORTAL_REPLICA_MAX_LAG_SECONDS:
                log.warning("Replica %s lags %.1f s: reading from the primary", alias, lag)
                _skip_until[alias] = now + conf.GEOPORTAL_REPLICA_RETRY_SECONDS
                return False
        return True
    except DatabaseError as error:
        log.warning("Replica %s unavailable (%s): reading from the primary", alias, error)
        connections[alias].close_if_unusable_or_obsolete()
        _skip_until[alias] = now + conf.GEOPORTAL_REPLICA_RETRY_SECONDS
        return False


def _choose() -> str:
    """A healthy replica, taking turns so that reads spread over all of them; the primary when
    none is healthy."""
    now = time.monotonic()
    aliases = replica_aliases()
    if not aliases:
        return DEFAULT_DB_ALIAS
    start = next(_turn) % len(aliases)
    for alias in aliases[start:] + aliases[:start]:
        if _healthy(alias, now):
            return alias
    return DEFAULT_DB_ALIAS


def read_alias() -> str:
    """The database this request reads from: for raw SQL (`connections[read_alias()]`), and what
    the router answers for the ORM. Reads inside a transaction on the primary stay there (they
    may follow a write)."""
    chosen = _request_replica.get()
    if chosen is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    if chosen == _UNDECIDED:
        chosen = _choose()
        _request_replica.set(chosen)
    return chosen


@contextmanager
def read_cursor(*, timeout_ms: int | None) -> Iterator[CursorWrapper]:
    """A cursor for a raw-SQL read on the database this request reads from (a replica for
    public reads, like the ORM's). With `timeout_ms`, in a transaction whose statements
    PostgreSQL cancels after that time (SET LOCAL needs one; inside a caller's transaction no
    savepoint is spent on it, the timeout then lasts until that transaction ends)."""
    alias = read_alias()
    db = connections[alias]
    if timeout_ms is None:
        with db.cursor() as cursor:
            yield cursor
        return
    with transaction.atomic(using=alias, savepoint=False), db.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(int(timeout_ms))])
        yield cursor


def _streamed(chunks, chosen: str | None):
    """A streamed body (GeoJSON, exports) runs its queries after the middleware has returned."""
    iterator = iter(chunks)
    while True:
        token = _request_replica.set(chosen)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _request_replica.reset(token)
        yield chunk


class ReplicaRouter:
    """Reads of a public request go to a healthy replica; all writes and migrations to the
    primary."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas are copies of the primary: every object lives in one database

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _public_read(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    # Someone logged in (staff, crews) or who just wrote reads from the primary.
    cookies = request.COOKIES
    if conf.GEOPORTAL_PRIMARY_COOKIE in cookies or "sessionid" in cookies:
        return False
    path = request.path_info
    return path == "/" or path.startswith(tuple(conf.GEOPORTAL_REPLICA_PATHS))


class ReplicaMiddleware:
    """Marks public read requests for the router, and after a write sets a short-lived cookie so
    the writer's next requests (their own new report) read from the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases():
            return self.get_response(request)
        token = _request_replica.set(_UNDECIDED if _public_read(request) else None)
        try:
            response = self.get_response(request)
            if response.streaming:
                response.streaming_content = _streamed(
                    response.streaming_content, _request_replica.get()
                )
        finally:
            _request_replica.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 400:
            response.set_cookie(
                conf.GEOPORTAL_PRIMARY_COOKIE,
                "1",
                max_age=conf.GEOPORTAL_READ_YOUR_WRITES_SECONDS,
                httponly=True,
                samesite="Lax",
            )
        return response
