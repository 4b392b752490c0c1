"""Land use: import time of the Köln FNP and "what is planned here?" latency.

The import runs as a dry run (all the work, including the overlap check, then a rollback), so
the dev database keeps its plan. The point query is timed per call over random points in
Köln's bounding box: the selector (model objects, class lookup, plan info) against the bare
SQL. Run: `make bench`. BENCH_POINTS sets the number of points (default 10,000).
"""

import os
import random
import statistics
import time

import _django  # noqa: F401
from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import connection

from geoportal.models import Area, AreaKind
from landuse import conf
from landuse.importers.read import read_plan_file
from landuse.selectors import landuse_at, landuse_stats, plan_geojson, plan_ids
from landuse.services import plan_import

KOELN_SHP = settings.GEOPORTAL_FIXTURES / "landuse" / "koeln_fnp_aktuell.shp"
RAW_SQL = """
    SELECT a.id, a.class_code, a.source_id FROM landuse_landusearea a
     WHERE a.plan_id = ANY(%s) AND ST_Covers(a.geom, ST_SetSRID(ST_MakePoint(%s, %s), 25832))
"""


def timed(function, *args, **kwargs) -> float:
    started = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - started


def quantiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[int(len(ms) * 0.95) - 1]
    return f"median {statistics.median(ms):6.2f} ms  p95 {p95:6.2f} ms  max {ms[-1]:7.2f} ms"


def bench_import() -> None:
    reads = [
        timed(read_plan_file, KOELN_SHP, classes_csv=conf.LANDUSE_CLASSES_CSV) for _ in range(3)
    ]
    imports = []
    for _ in range(3):
        result = plan_import(path=KOELN_SHP, name="bench scratch", dry_run=True)
        imports.append(result.seconds)
    print(f"import Köln FNP ({result.read:,} features, {sum(result.by_class.values()):,} areas, "
          f"{result.overlap_count} overlaps), median of 3, rolled back:")
    print(f"  read + reproject + repair  {statistics.median(reads):6.2f} s")
    print(f"  whole import (dry run)     {statistics.median(imports):6.2f} s")


def random_points(n: int) -> list[tuple[float, float]]:
    city = Area.objects.get(kind=AreaKind.MUNICIPALITY, code="05315000").geom
    xmin, ymin, xmax, ymax = city.extent
    rng = random.Random(25832)
    return [(rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)) for _ in range(n)]


def bench_points(n: int) -> None:
    points = random_points(n)
    plans = plan_ids()
    if not plans:
        raise SystemExit("no current land-use plan: run `make demo` first")
    with connection.cursor() as cursor:
        for x, y in points[:300]:  # warm caches and the connection
            cursor.execute(RAW_SQL, [plans, x, y])
        raw, hits = [], 0
        for x, y in points:
            started = time.perf_counter()
            cursor.execute(RAW_SQL, [plans, x, y])
            hits += len(cursor.fetchall())
            raw.append(time.perf_counter() - started)
    selector, selector_hits = [], 0
    for x, y in points:
        started = time.perf_counter()
        selector_hits += len(landuse_at(point=Point(x, y, srid=25832)))
        selector.append(time.perf_counter() - started)
    assert hits == selector_hits, (hits, selector_hits)
    print(f"what is planned here, {n:,} random points in Köln's bounding box ({hits:,} hits):")
    print(f"  raw SQL   {quantiles(raw)}")
    print(f"  selector  {quantiles(selector)}")


def bench_layer() -> None:
    whole = [timed(plan_geojson, zoom=11) for _ in range(5)]
    size = len(plan_geojson(zoom=11))
    dom = [timed(plan_geojson, zoom=16, bbox=(6.945, 50.935, 6.971, 50.948)) for _ in range(5)]
    stats = [timed(landuse_stats) for _ in range(3)]
    print(f"plan.geojson whole plan, zoom 11 ({size / 1e6:.1f} MB): "
          f"{statistics.median(whole) * 1000:6.0f} ms")
    print(f"plan.geojson around the Dom, zoom 16: {statistics.median(dom) * 1000:6.0f} ms")
    print(f"stats per class and district:        {statistics.median(stats) * 1000:6.0f} ms")


def main() -> None:
    bench_import()
    bench_points(int(os.environ.get("BENCH_POINTS", "10000")))
    bench_layer()


if __name__ == "__main__":
    main()
