"""Alert matching and digests at city scale: 100,000 subscriptions (circles, districts and
quarters, drawn polygons) and 10,000 new items.

The subscriptions are committed and vacuumed before timing, as they are in a running city
(they accumulate over months, autovacuum keeps their visibility map): timing a query on rows
its own transaction has just written measures hint-bit and dirty-buffer work no production
query does. Everything the handler and the digests write runs in a transaction that is rolled
back, and the bench subscriptions (addresses @example.invalid) are deleted at the end, also
after a failure. Run with `make bench` (after `make run` or `make demo` loaded Köln).
BENCH_SUBSCRIPTIONS, BENCH_ITEMS and BENCH_HANDLER_ITEMS scale it.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from alerts.matching import alerts_match_event, subscriptions_matching  # noqa: E402
from alerts.services import digest_due_ids, digest_send_batch  # noqa: E402
from geoportal.events import Event, Topic  # noqa: E402
from geoportal.geo import point_from_lonlat  # noqa: E402
from geoportal.models import Area, AreaKind  # noqa: E402

SUBSCRIPTIONS = int(os.environ.get("BENCH_SUBSCRIPTIONS", "100000"))
ITEMS = int(os.environ.get("BENCH_ITEMS", "10000"))
# The whole handler writes an alert or digest entry per match (~900 per item at this density):
# timed on a sample, whose ~1 M digest entries then feed the digest run.
HANDLER_ITEMS = int(os.environ.get("BENCH_HANDLER_ITEMS", "2000"))
BENCH_EMAILS = "%@example.invalid"
EXPLAINED = min(ITEMS, 1000)
# Köln's extent in EPSG:25832, where the synthetic circles and polygons are placed.
X0, X1, Y0, Y1 = 344000, 370000, 5632000, 5661000


class Rollback(Exception):
    pass


def seed(cursor) -> None:
    """Half circles (250 m-2 km), 30 % districts and quarters, 20 % drawn hexagons; 40 % at
    once, 40 % daily, 20 % weekly. Built in SQL: 100,000 ORM saves would be the benchmark."""
    area_ids = list(Area.objects.filter(kind__in=[AreaKind.DISTRICT, AreaKind.QUARTER])
                    .values_list("id", flat=True))
    # Bench-only bulk insert: generate_series and random() in PostgreSQL.
    cursor.execute(
        """
        INSERT INTO alerts_subscription (email, language, area_type, area_id, geom, radius_m,
            label, topics, frequency, token, created_at, confirmed_at, last_digest_at)
        SELECT 'bench' || n || '@example.invalid', CASE WHEN n % 5 = 0 THEN 'en' ELSE 'de' END,
            kind,
            CASE WHEN kind = 'area' THEN (%(areas)s::bigint[])[1 + n %% %(n_areas)s] END,
            CASE kind
              WHEN 'circle' THEN ST_Buffer(ST_SetSRID(ST_MakePoint(x, y), 25832), r, 16)
              WHEN 'polygon' THEN ST_Buffer(ST_SetSRID(ST_MakePoint(x, y), 25832), r / 2, 1)
            END,
            CASE WHEN kind = 'circle' THEN r END,
            'bench', ARRAY['reports', 'council', 'landuse']::varchar(40)[],
            CASE WHEN n % 5 < 2 THEN 'immediate' WHEN n % 5 < 4 THEN 'daily' ELSE 'weekly' END,
            'bench-' || n, now() - interval '8 days', now() - interval '8 days',
            now() - interval '8 days'
        FROM (
            SELECT n,
                CASE WHEN n %% 10 < 5 THEN 'circle' WHEN n %% 10 < 8 THEN 'area'
                     ELSE 'polygon' END AS kind,
                %(x0)s + random() * (%(x1)s - %(x0)s) AS x,
                %(y0)s + random() * (%(y1)s - %(y0)s) AS y,
                (250 + random() * 1750)::int AS r
            FROM generate_series(1, %(count)s) AS n
        ) AS s
        """.replace("n % 5", "n %% 5"),
        {"areas": area_ids, "n_areas": len(area_ids), "count": SUBSCRIPTIONS,
         "x0": X0, "x1": X1, "y0": Y0, "y1": Y1},
    )
    cursor.execute("ANALYZE alerts_subscription")


def backend_cpu_seconds(cursor) -> float | None:
    """CPU seconds the database backend serving `cursor` has used, from /proc (a local
    PostgreSQL); None elsewhere. On a loaded shared machine wall-clock times are mostly waiting
    for a core: CPU time says what the work itself costs."""
    cursor.execute("SELECT pg_backend_pid()")
    try:
        fields = Path(f"/proc/{cursor.fetchone()[0]}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuClock:
    """CPU time of this process and of its database backend over a block."""

    def __init__(self, cursor):
        self.cursor = cursor

    def __enter__(self):
        self.backend, self.own = backend_cpu_seconds(self.cursor), time.process_time()
        return self

    def __exit__(self, *exc):
        backend = backend_cpu_seconds(self.cursor)
        self.own = time.process_time() - self.own
        self.backend = None if backend is None else backend - self.backend

    def per_item(self, n: int) -> str:
        db = "n/a" if self.backend is None else f"{self.backend * 1000 / n:.1f} ms"
        return f"CPU per item: database {db}, Python {self.own * 1000 / n:.1f} ms"


def percentile(values: list[float], p: float) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * p))]


def cleanup(cursor) -> None:
    # Bench-only: the seeded rows are recognisable by their reserved domain (RFC 2606).
    cursor.execute("DELETE FROM alerts_subscription WHERE email LIKE %s", [BENCH_EMAILS])


def main() -> None:
    rng = random.Random(18)
    points = [point_from_lonlat(lon=rng.uniform(6.85, 7.10), lat=rng.uniform(50.88, 51.02))
              for _ in range(ITEMS)]
    with connection.cursor() as cursor:
        cleanup(cursor)
        started = time.perf_counter()
        with transaction.atomic():
            seed(cursor)
        cursor.execute("VACUUM ANALYZE alerts_subscription")
        print(f"seeded {SUBSCRIPTIONS:,} subscriptions in {time.perf_counter() - started:.1f} s "
              "(committed, vacuumed)")
        # Wall-clock figures on a shared machine mean little without its load beside them.
        print("load average (1, 5, 15 min): " + ", ".join(f"{v:.1f}" for v in os.getloadavg())
              + f" on {os.cpu_count()} cores")
        try:
            measure(cursor, points)
        finally:
            cleanup(cursor)


def measure(cursor, points) -> None:
    try:
        with transaction.atomic():
            query_ms, matched = [], []
            with CpuClock(cursor) as cpu:
                for point in points:
                    start = time.perf_counter()
                    ids = list(subscriptions_matching(geom=point, topic=Topic.REPORTS)
                               .values_list("id", flat=True))
                    query_ms.append((time.perf_counter() - start) * 1000)
                    matched.append(len(ids))
            print(f"matching query, {ITEMS:,} items: median {statistics.median(query_ms):.2f} ms, "
                  f"p95 {percentile(query_ms, 0.95):.2f} ms, max {max(query_ms):.1f} ms; "
                  f"median {statistics.median(matched):.0f} subscriptions matched per item; "
                  + cpu.per_item(ITEMS))

            # The same query's execution time inside PostgreSQL (no driver, no Django, no
            # round trip): on a loaded machine the wall-clock p95 above is mostly the scheduler.
            executed = []
            for point in points[:EXPLAINED]:
                sql, params = subscriptions_matching(geom=point, topic=Topic.REPORTS) \
                    .values_list("id", flat=True).query.sql_with_params()
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
                executed.append(cursor.fetchone()[0][0]["Execution Time"])
            print(f"matching query inside PostgreSQL (EXPLAIN ANALYZE), {EXPLAINED:,} items: "
                  f"median {statistics.median(executed):.2f} ms, "
                  f"p95 {percentile(executed, 0.95):.2f} ms")

            handler_ms = []
            started = time.perf_counter()
            with CpuClock(cursor) as cpu:
                for n, point in enumerate(points[:HANDLER_ITEMS]):
                    event = Event(topic=Topic.REPORTS, kind="report.published",
                                  key=f"bench:{n}", title=f"Bench-Meldung {n}",
                                  path=f"/meldungen/bench-{n}/", geom=point)
                    start = time.perf_counter()
                    alerts_match_event(event)
                    handler_ms.append((time.perf_counter() - start) * 1000)
            print(f"whole handler (match + queue alerts + digest entries), {HANDLER_ITEMS:,} "
                  "items: "
                  f"median {statistics.median(handler_ms):.1f} ms, "
                  f"p95 {percentile(handler_ms, 0.95):.1f} ms, "
                  f"total {time.perf_counter() - started:.0f} s; " + cpu.per_item(HANDLER_ITEMS))

            cursor.execute("SELECT count(*) FROM alerts_match WHERE digested_at IS NULL")
            entries = cursor.fetchone()[0]
            started = time.perf_counter()
            with CpuClock(cursor) as cpu:
                due = digest_due_ids()
                digests = 0
                for start in range(0, len(due), 500):
                    digests += digest_send_batch(subscription_ids=due[start:start + 500])
            db = "n/a" if cpu.backend is None else f"{cpu.backend:.1f} s"
            print(f"digest assembly: {digests:,} digests ({entries:,} entries) in "
                  f"{time.perf_counter() - started:.1f} s; CPU: database {db}, "
                  f"Python {cpu.own:.1f} s")
            print("load average (1, 5, 15 min): "
                  + ", ".join(f"{v:.1f}" for v in os.getloadavg()))
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
