"""Point-in-area lookups for random points in Köln: the project's selector vs the bare SQL.

The selector returns one area per kind (municipality, district, quarter) as model objects; the
raw query asks PostGIS the same question over the subdivided parts. Run: `make bench`.
BENCH_POINTS sets the number of points (default 100,000).
"""

import os
import random
import statistics
import time

import _django  # noqa: F401
from django.contrib.gis.geos import Point
from django.db import connection

from geoportal.models import Area, AreaKind
from geoportal.selectors import areas_covering

RAW_SQL = """
    SELECT DISTINCT ON (a.kind) a.id, a.kind, a.code, a.name
    FROM geoportal_area a
    WHERE a.id IN (SELECT p.area_id FROM geoportal_areapart p
                   WHERE ST_Covers(p.geom, ST_SetSRID(ST_MakePoint(%s, %s), 25832)))
    ORDER BY a.kind, a.code
"""


def random_points(n: int) -> list[tuple[float, float]]:
    city = Area.objects.get(kind=AreaKind.MUNICIPALITY, code="05315000").geom
    xmin, ymin, xmax, ymax = city.extent
    rng = random.Random(25832)
    return [(rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)) for _ in range(n)]


def run_selector(points) -> tuple[float, int]:
    hits = 0
    started = time.perf_counter()
    for x, y in points:
        hits += len(areas_covering(point=Point(x, y, srid=25832)))
    return time.perf_counter() - started, hits


def run_raw(points) -> tuple[float, int]:
    hits = 0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for x, y in points:
            cursor.execute(RAW_SQL, [x, y])
            hits += len(cursor.fetchall())
    return time.perf_counter() - started, hits


def main() -> None:
    n = int(os.environ.get("BENCH_POINTS", "100000"))
    points = random_points(n)
    run_raw(points[:500])  # warm caches and the connection
    rounds = []
    for _ in range(1 if n >= 50_000 else 3):
        raw_s, raw_hits = run_raw(points)
        sel_s, sel_hits = run_selector(points)
        assert raw_hits == sel_hits, (raw_hits, sel_hits)
        rounds.append((raw_s, sel_s))
    raw_s = statistics.median(r for r, _ in rounds)
    sel_s = statistics.median(s for _, s in rounds)
    print(f"point-in-area, {n:,} random points in Köln's bounding box ({raw_hits:,} area hits)")
    for label, seconds in (("raw SQL", raw_s), ("selector", sel_s)):
        print(f"  {label:9} {seconds:7.2f} s  {n / seconds:8,.0f} points/s"
              f"  {seconds / n * 1e6:6.0f} µs/point")
    print(f"  ratio selector/raw: {sel_s / raw_s:.2f}x")


if __name__ == "__main__":
    main()
