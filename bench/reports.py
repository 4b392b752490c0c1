"""Mängelmelder timings on the demo city: filing, the map layer, the duplicate hint, Open311.

Adds 100,000 synthetic reports (BENCH_REPORTS) inside a transaction that is rolled back, so
the database is left as it was. Run with `make bench` (after `make run` or `make demo` loaded Köln).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from geoportal.geo import point_from_lonlat  # noqa: E402
from reports import selectors, services  # noqa: E402
from reports.generator import reports_analyze, reports_generate  # noqa: E402
from reports.models import Category  # noqa: E402

N = int(os.environ.get("BENCH_REPORTS", "100000"))
SIDE = int(N**0.5) + 1  # the synthetic reports fill a square of ~6 km around the first report


def timed(fn, repeat=20):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), max(runs)


class Rollback(Exception):
    pass


def main():
    category = Category.objects.get(code="schlagloch")
    points = [
        point_from_lonlat(lon=6.93 + (i % 20) * 0.003, lat=50.92 + (i // 20) * 0.002)
        for i in range(20 * 20)
    ]
    client = Client(HTTP_HOST="127.0.0.1")
    try:
        with transaction.atomic():
            i = iter(range(10**6))

            def create():
                services.report_create(
                    category=category,
                    point=points[next(i) % len(points)],
                    description="Bench",
                    contact=services.ContactData(email="bench@example.invalid"),
                )

            p50, worst = timed(create, repeat=50)
            print(
                "report_create (route + reverse geocode + outbox): "
                f"median {p50:.1f} ms, max {worst:.1f} ms"
            )
            with connection.cursor() as cursor:
                # N public reports on a grid of 6 km around the first demo report (the Dom),
                # rolled back at the end.
                reports_generate(
                    cursor, start=1, stop=N + 1, side=SIDE, spread_m=6000, statuses=("open",)
                )
                reports_analyze(cursor)
            total = selectors.report_list_public().count()
            print(f"public reports: {total}")
            for label, url in [
                ("GeoJSON, all (limit 5000)", "/api/reports/geojson/"),
                ("GeoJSON, bbox ~1 km²", "/api/reports/geojson/?bbox=6.95,50.93,6.964,50.939"),
                ("map clusters, whole city, zoom 11", "/meldungen/karte.geojson?cluster_zoom=11"),
                (
                    "map clusters, zoom 13 view",
                    "/meldungen/karte.geojson?cluster_zoom=13&bbox=6.90,50.91,6.99,50.96",
                ),
                (
                    "map points, zoom 16 view",
                    "/meldungen/karte.geojson?bbox=6.952,50.938,6.964,50.944",
                ),
                ("REST list, page of 50", "/api/reports/"),
                ("Open311 requests.json (1000)", "/open311/v2/requests.json"),
                (
                    "duplicates within 250 m",
                    "/api/reports/duplicates/?lat=50.9413&lon=6.9581&category=schlagloch",
                ),
            ]:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                size = len(response.content)
                p50, worst = timed(lambda u=url: client.get(u), repeat=10)
                print(f"{label}: median {p50:.1f} ms, max {worst:.1f} ms, {size / 1024:.0f} KiB")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
