"""Alert matching and digests at city scale: 100,000 subscriptions (circles, districts and
quarters, drawn polygons) and 10,000 new items.

    python bench/alerts.py                 # a throwaway copy of the dev database (make demo)
    python bench/alerts.py --db NAME       # in database NAME; its bench rows deleted afterwards
    python bench/alerts.py --items 3000 --handler-items 1000 --plans 5

By default the dev database (the loaded demo city) is copied to `<name>_alerts` with CREATE
DATABASE … TEMPLATE, measured there and dropped, also after a failure; while another session
uses the dev database (`make run`) it measures in the dev database itself, as --db does. About
4.5-6 minutes on the loaded shared 2-core machine with the defaults, less on a quiet one.

Prints, for the matching query (what "matching time per item in PostGIS" means): wall clock
p50/p95 from Python; execution time inside PostgreSQL (EXPLAIN ANALYZE, TIMING OFF, so no
per-node clock calls) p50/p95; CPU time per item of the database backend and of Python (on a
loaded shared machine wall clock is mostly waiting for a core); how many plans used parallel
workers or JIT (each costs tens of ms); the machine's load; and the full plans (ANALYZE,
BUFFERS) of the `--plans` slowest items.

The subscriptions are committed and vacuumed before timing, as they are in a running city
(they accumulate over months, autovacuum keeps their visibility map): timing a query on rows
its own transaction has just written measures hint-bit and dirty-buffer work no production
query does. Everything the handler and the digests write runs in a transaction that is rolled
back, and the bench subscriptions (addresses @example.invalid) are deleted at the end, also
after a failure. `make bench` runs it with the defaults. BENCH_SUBSCRIPTIONS, BENCH_ITEMS and
BENCH_HANDLER_ITEMS (or the options) scale it.
"""

import argparse
import json
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

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.gis.gdal import CoordTransform, SpatialReference  # noqa: E402
from django.contrib.gis.geos import Point  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from alerts.matching import alerts_match_event, subscription_ids_matching  # noqa: E402
from alerts.services import digest_due_ids, digest_send_batch  # noqa: E402
from geoportal.events import Event, Topic  # noqa: E402
from geoportal.models import Area, AreaKind  # noqa: E402

SUBSCRIPTIONS = int(os.environ.get("BENCH_SUBSCRIPTIONS", "100000"))
ITEMS = int(os.environ.get("BENCH_ITEMS", "10000"))
# The whole handler writes an alert or digest entry per match (~900 per item at this density):
# timed on a sample, whose ~1 M digest entries then feed the digest run.
HANDLER_ITEMS = int(os.environ.get("BENCH_HANDLER_ITEMS", "2000"))
BENCH_EMAILS = "%@example.invalid"
# Köln's extent in EPSG:25832, where the synthetic circles and polygons are placed.
X0, X1, Y0, Y1 = 344000, 370000, 5632000, 5661000


class Rollback(Exception):
    pass


def seed(cursor, count: int) -> None:
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
        {"areas": area_ids, "n_areas": len(area_ids), "count": count,
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


def admin_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/postgres"


def use_database(name: str) -> None:
    # Django reconnects with the changed settings on the next query.
    connection.close()
    connection.settings_dict["NAME"] = name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="measure in this database (the demo city loaded) instead "
                        "of a throwaway copy of the dev database")
    parser.add_argument("--subscriptions", type=int, default=SUBSCRIPTIONS)
    parser.add_argument("--items", type=int, default=ITEMS)
    parser.add_argument("--handler-items", type=int, default=HANDLER_ITEMS)
    parser.add_argument("--plans", type=int, default=5,
                        help="print the full plans of this many slowest items")
    args = parser.parse_args()
    copy = None
    if args.db:
        use_database(args.db)
    else:
        source = connection.settings_dict["NAME"]
        copy = f"{source}_alerts"
        connection.close()  # CREATE DATABASE … TEMPLATE needs the source without sessions
        with psycopg.connect(admin_url(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
            try:
                admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
            except psycopg.errors.ObjectInUse:
                # `make run` is serving it: measure in place, as --db does (rows deleted after).
                print(f"{source} is in use, so no copy: measuring in {source} itself")
                copy = None
        if copy:
            use_database(copy)
            print(f"measuring in {copy}, a throwaway copy of {source}")
    try:
        run(args)
    finally:
        if copy:
            connection.close()
            with psycopg.connect(admin_url(), autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def run(args) -> None:
    if not Area.objects.filter(kind=AreaKind.DISTRICT).exists():
        sys.exit("no districts in this database: load the demo city first (make demo)")
    rng = random.Random(18)
    # One transformation for all points: point_from_lonlat builds one per call (~5 ms).
    to_storage = CoordTransform(SpatialReference(4326), SpatialReference(settings.GEOPORTAL_SRID))
    points = []
    for _ in range(args.items):
        point = Point(rng.uniform(6.85, 7.10), rng.uniform(50.88, 51.02), srid=4326)
        point.transform(to_storage)
        points.append(point)
    with connection.cursor() as cursor:
        cleanup(cursor)
        started = time.perf_counter()
        with transaction.atomic():
            seed(cursor, args.subscriptions)
        visible, pages = vacuum(cursor)
        print(f"seeded {args.subscriptions:,} subscriptions in "
              f"{time.perf_counter() - started:.1f} s (committed, vacuumed: {visible:,} of "
              f"{pages:,} pages all-visible)")
        # Wall-clock figures on a shared machine mean little without its load beside them.
        print(load_average())
        try:
            measure(cursor, points, handler_items=min(args.handler_items, len(points)),
                    plans=args.plans)
        finally:
            cleanup(cursor)


def vacuum(cursor) -> tuple[int, int]:
    """VACUUM until the visibility map says (nearly) every page is all-visible, as in a running
    city: the district part of matching is an index-only scan only then. Right after CREATE
    DATABASE autovacuum ANALYZEs the new copy, and its snapshot keeps VACUUM from marking the
    freshly seeded rows (seen: 0 of 10,000 pages), so try again for a while."""
    for _attempt in range(30):
        cursor.execute("VACUUM ANALYZE alerts_subscription")
        cursor.execute("SELECT relallvisible, relpages FROM pg_class "
                       "WHERE relname = 'alerts_subscription'")
        visible, pages = cursor.fetchone()
        if visible >= 0.99 * pages:
            break
        time.sleep(2)
    return visible, pages


def load_average() -> str:
    return ("load average (1, 5, 15 min): " + ", ".join(f"{v:.1f}" for v in os.getloadavg())
            + f" on {os.cpu_count()} cores")


def matching_sql(point) -> tuple[str, list]:
    return subscription_ids_matching(geom=point, topic=Topic.REPORTS).query.sql_with_params()


def plan_features(plan: dict) -> set[str]:
    """"parallel" if any node launched workers, "jit" if the statement was JIT-compiled."""
    text = json.dumps(plan)
    return ({"parallel"} if '"Workers Launched"' in text else set()) | (
        {"jit"} if "JIT" in plan else set())


def measure(cursor, points, *, handler_items: int, plans: int) -> None:
    items = len(points)
    try:
        with transaction.atomic():
            query_ms, matched = [], []
            with CpuClock(cursor) as cpu:
                for point in points:
                    start = time.perf_counter()
                    ids = list(subscription_ids_matching(geom=point, topic=Topic.REPORTS))
                    query_ms.append((time.perf_counter() - start) * 1000)
                    matched.append(len(ids))
            print(f"matching query, {items:,} items, wall clock from Python: "
                  f"median {statistics.median(query_ms):.2f} ms, "
                  f"p95 {percentile(query_ms, 0.95):.2f} ms, max {max(query_ms):.1f} ms; "
                  f"median {statistics.median(matched):.0f} subscriptions matched per item; "
                  + cpu.per_item(items))

            # The same query's execution time inside PostgreSQL (no driver, no Django, no
            # round trip): on a loaded machine the wall-clock p95 above is mostly the
            # scheduler. TIMING OFF: no clock call per plan node, only the statement's time.
            executed, features = [], {"parallel": 0, "jit": 0}
            with CpuClock(cursor) as cpu:
                for point in points:
                    sql, params = matching_sql(point)
                    cursor.execute("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + sql, params)
                    plan = cursor.fetchone()[0][0]
                    executed.append(plan["Execution Time"])
                    for feature in plan_features(plan):
                        features[feature] += 1
            print(f"matching query inside PostgreSQL (EXPLAIN ANALYZE), {items:,} items: "
                  f"median {statistics.median(executed):.2f} ms, "
                  f"p95 {percentile(executed, 0.95):.2f} ms, max {max(executed):.1f} ms; "
                  f"plans with parallel workers: {features['parallel']}, with JIT: "
                  f"{features['jit']}; " + cpu.per_item(items))
            slowest = sorted(range(items), key=lambda n: -executed[n])[:plans]
            for rank, n in enumerate(slowest, start=1):
                sql, params = matching_sql(points[n])
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                print(f"-- slowest #{rank}: {executed[n]:.2f} ms in the timed run, "
                      f"{matched[n]} matched; plan now:")
                print("\n".join("   " + row[0] for row in cursor.fetchall()))

            # Not timed: the first alert loads the URLconf (every app's views, seconds of CPU
            # on this machine), which a running server has done long before.
            alerts_match_event(Event(topic=Topic.REPORTS, kind="report.published",
                                     key="bench:warm-up", title="Bench-Meldung",
                                     path="/meldungen/bench/", geom=points[0]))
            handler_ms = []
            started = time.perf_counter()
            with CpuClock(cursor) as cpu:
                for n, point in enumerate(points[:handler_items]):
                    event = Event(topic=Topic.REPORTS, kind="report.published",
                                  key=f"bench:{n}", title=f"Bench-Meldung {n}",
                                  path=f"/meldungen/bench-{n}/", geom=point)
                    start = time.perf_counter()
                    alerts_match_event(event)
                    handler_ms.append((time.perf_counter() - start) * 1000)
            print(f"whole handler (match + queue alerts + digest entries), {handler_items:,} "
                  "items: "
                  f"median {statistics.median(handler_ms):.1f} ms, "
                  f"p95 {percentile(handler_ms, 0.95):.1f} ms, "
                  f"total {time.perf_counter() - started:.0f} s; " + cpu.per_item(handler_items))

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
            print(load_average())
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
