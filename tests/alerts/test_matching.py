"""Matching in PostGIS inside the publishing transaction: reports 100 m away, council papers
placed there, land-use plans; immediate alerts with one-click unsubscribe headers, digests in
the subscriber's language."""

import pytest
from django.contrib.gis.geos import LineString, Polygon
from django.db import transaction

from alerts import services
from alerts.matching import subscription_ids_matching
from alerts.models import Match, Subscription
from councilmap.models import Paper
from councilmap.services import paper_location_create_manual
from geoportal.events import Topic
from geoportal.models import Area, AreaKind
from geoportal.selectors import area_covering
from reports.models import OutboxMessage
from reports.services import report_status_change

from .conftest import DOM, EHRENFELD

pytestmark = pytest.mark.django_db

NEAR_DOM = (6.9595, 50.9413)  # ~100 m east of the Dom


def test_report_100_m_away_alerts_at_once_with_unsubscribe_headers(subscribe, make_report,
                                                                   deliver):
    subscription = subscribe()
    deliver()
    make_report(lon=NEAR_DOM[0], lat=NEAR_DOM[1])
    alerts = [m for m in deliver() if m.to == ["nachbarin@example.org"]]
    assert len(alerts) == 1
    alert = alerts[0].message()
    assert alerts[0].subject.startswith("Neu in Ihrer Nähe:")
    assert f"/benachrichtigen/abmelden/{subscription.token}/" in alert["List-Unsubscribe"]
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = alerts[0].body
    assert "/meldungen/" in body and f"/benachrichtigen/abo/{subscription.token}/" in body
    # Nothing of the reporter reaches the neighbour.
    assert "melder@example.org" not in body


def test_far_away_unconfirmed_and_other_topics_get_nothing(subscribe, make_report, deliver):
    subscribe(email="weit@example.org", lon=EHRENFELD[0], lat=EHRENFELD[1], radius_m=250)
    subscribe(email="unbestaetigt@example.org", confirm=False)
    subscribe(email="nur-rat@example.org", topics=["council"])
    deliver()
    make_report(lon=NEAR_DOM[0], lat=NEAR_DOM[1])
    recipients = {r for m in deliver() for r in m.to}
    assert not {"weit@example.org", "unbestaetigt@example.org", "nur-rat@example.org"} & recipients


def test_status_change_alerts_and_a_rolled_back_report_alerts_nobody(subscribe, make_report,
                                                                     deliver):
    subscribe()
    report = make_report()
    deliver()
    report_status_change(report=report, status="in_progress", note="Kolonne bestellt")
    (alert,) = [m for m in deliver() if m.to == ["nachbarin@example.org"]]
    assert "Kolonne bestellt" in alert.body
    before = OutboxMessage.objects.count()

    @transaction.atomic
    def file_then_fail():
        make_report()
        raise RuntimeError("the request fails after the report was written")

    with pytest.raises(RuntimeError):
        file_then_fail()
    assert OutboxMessage.objects.count() == before


def test_district_subscription_matches_through_the_city_core(subscribe, make_report, deliver):
    from geoportal.geo import point_from_lonlat
    from geoportal.selectors import area_covering

    district = area_covering(point=point_from_lonlat(lon=DOM[0], lat=DOM[1]),
                             kind=AreaKind.DISTRICT)
    subscribe(email="bezirk@example.org", where=services.AreaChoice(area=district))
    other = Area.objects.filter(kind=AreaKind.DISTRICT).exclude(pk=district.pk).first()
    subscribe(email="anderer@example.org", where=services.AreaChoice(area=other))
    deliver()
    make_report()
    recipients = {r for m in deliver() for r in m.to}
    assert "bezirk@example.org" in recipients and "anderer@example.org" not in recipients


def test_council_paper_placed_there_alerts_once(subscribe, lonlat, deliver):
    subscribe()
    deliver()
    paper = Paper.objects.create(oparl_id="https://ris.example/paper/1", name="Umgestaltung "
                                 "der Domplatte", reference="AN/0001/2026")
    street = LineString(lonlat(6.9570, 50.9420), lonlat(6.9600, 50.9410), srid=25832)
    paper_location_create_manual(paper=paper, geom=street, name="Domplatte")
    (alert,) = [m for m in deliver() if m.to == ["nachbarin@example.org"]]
    assert "Domplatte" in alert.subject and f"/rat/vorlagen/{paper.pk}/" in alert.body


def test_landuse_plan_import_alerts_subscribers_in_its_extent(subscribe, fixtures_dir, deliver):
    from landuse.services import plan_import

    subscribe(topics=["landuse"], email="planung@example.org")
    deliver()
    path = fixtures_dir / "landuse" / "koeln_fnp_aktuell.shp"
    plan_import(path=path, name="FNP Köln", municipality_code="05315000")
    assert any("planung@example.org" in m.to for m in deliver())


def test_digest_collects_and_is_written_in_the_subscribers_language(subscribe, make_report,
                                                                    deliver):
    from datetime import timedelta

    from django.utils import timezone

    subscription = subscribe(email="daily@example.org", frequency="daily", language="en")
    deliver()
    make_report(lon=NEAR_DOM[0], lat=NEAR_DOM[1])
    make_report(description="Laterne aus", code="laterne-defekt")
    assert Match.objects.filter(subscription=subscription, digested_at__isnull=True).count() == 2
    assert services.digest_due_ids() == []  # the first digest comes a day after confirming
    tomorrow = timezone.now() + timedelta(days=1, minutes=1)
    assert services.digest_due_ids(now=tomorrow) == [subscription.pk]
    assert services.digest_send(subscription_id=subscription.pk, now=tomorrow) == 2
    assert services.digest_send(subscription_id=subscription.pk, now=tomorrow) == 0
    (digest,) = [m for m in deliver() if m.to == ["daily@example.org"]]
    assert digest.subject == "2 updates in your area"
    assert "Unsubscribe:" in digest.body
    assert digest.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def _plan(sql: str, params, *settings: str, analyze: bool = False) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting}")
        cursor.execute(("EXPLAIN (ANALYZE) " if analyze else "EXPLAIN ") + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_matching_reads_areas_from_the_index_alone_and_shapes_by_the_spatial_index(
        subscribe, lonlat):
    from django.db import connection

    district = area_covering(point=lonlat(*DOM), kind=AreaKind.DISTRICT)
    subscribe()
    subscribe(email="bezirk@example.org", where=services.AreaChoice(area=district))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE alerts_subscription")
    sql, params = subscription_ids_matching(geom=lonlat(*DOM), topic=Topic.REPORTS).query \
        .sql_with_params()
    # Rows written in the test's transaction are not all-visible (no VACUUM inside it), so
    # the planner would prefer a bitmap scan of three rows; without it, the plan shows that
    # the index covers every column the district part reads (100,000 rows: see the bench).
    plan = _plan(sql, params, "enable_seqscan = off", "enable_bitmapscan = off")
    # District subscribers: the covering partial index, no table row and no geometry test.
    assert "Index Only Scan using alerts_sub_area_cover" in plan, plan
    # GeoDjango names the GiST index on geom "<table>_geom_<hash>_id".
    assert "alerts_subscription_geom_" in plan, plan
    assert "BitmapOr" not in plan, plan


def test_a_district_with_thousands_of_subscribers_stays_serial_without_jit(subscribe, lonlat):
    """With `geom … OR area_id …` the geometry test was priced for every district subscriber:
    5,000 of them put the plan past jit_above_cost (100,000) and JIT compilation cost ~150 ms
    per item. Read apart, the district part costs an index scan."""
    from django.db import connection
    from django.utils import timezone

    district = area_covering(point=lonlat(*DOM), kind=AreaKind.DISTRICT)
    now = timezone.now()
    Subscription.objects.bulk_create(
        Subscription(email=f"s{n}@example.org", area_type="area", area=district, label="x",
                     topics=["reports"], frequency="daily", token=f"jit-{n}",
                     confirmed_at=now)
        for n in range(5000))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE alerts_subscription")
    sql, params = subscription_ids_matching(geom=lonlat(*DOM), topic=Topic.REPORTS).query \
        .sql_with_params()
    # The server's defaults, whatever the test server's configuration says.
    plan = _plan(sql, params, "jit = on", "jit_above_cost = 100000",
                 "parallel_setup_cost = 1000", "parallel_tuple_cost = 0.1",
                 "min_parallel_table_scan_size = 0", "min_parallel_index_scan_size = 0",
                 analyze=True)
    assert "JIT" not in plan and "Gather" not in plan, plan
    assert len(list(subscription_ids_matching(geom=lonlat(*DOM), topic=Topic.REPORTS))) == 5000


def test_every_kind_of_subscription_matches_points_lines_and_areas(subscribe, lonlat):
    """Items are points (a report), lines (a paper on a street) and areas (a plan's extent):
    each must reach circles, districts and drawn polygons it touches, and only those."""
    district = area_covering(point=lonlat(*DOM), kind=AreaKind.DISTRICT)
    square = Polygon.from_bbox((*lonlat(6.975, 50.945).coords, *lonlat(6.985, 50.950).coords))
    square.srid = lonlat(*DOM).srid
    circle = subscribe(email="kreis@example.org", radius_m=250)
    area = subscribe(email="bezirk@example.org", where=services.AreaChoice(area=district))
    polygon = subscribe(email="flaeche@example.org", where=services.AreaChoice(polygon=square))
    far = lonlat(*EHRENFELD)

    def matched(geom) -> set[int]:
        return set(subscription_ids_matching(geom=geom, topic=Topic.REPORTS))

    # A point 100 m from the Dom: the circle and the district, not the square 1.5 km east.
    assert matched(lonlat(*NEAR_DOM)) == {circle.pk, area.pk}
    # A street from the Dom into the square: all three.
    street = LineString(lonlat(*NEAR_DOM), lonlat(6.980, 50.947), srid=square.srid)
    assert matched(street) == {circle.pk, area.pk, polygon.pk}
    # A plan's extent that only overlaps the square's corner: the square and its district.
    extent = Polygon.from_bbox((*lonlat(6.984, 50.949).coords, *lonlat(6.990, 50.953).coords))
    extent.srid = square.srid
    assert polygon.pk in matched(extent) and circle.pk not in matched(extent)
    # Ehrenfeld: none of them.
    assert matched(far) == set()


def test_digest_lists_the_newest_and_counts_the_rest_in_english(subscribe, make_report,
                                                                deliver, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.ALERTS_DIGEST_MAX_ITEMS = 1
    subscription = subscribe(email="weekly@example.org", frequency="weekly", language="en")
    deliver()
    reports = [make_report(lon=NEAR_DOM[0], lat=NEAR_DOM[1], code=code)
               for code in ("schlagloch", "laterne-defekt", "schlagloch")]
    next_week = timezone.now() + timedelta(days=7, minutes=1)
    assert services.digest_send(subscription_id=subscription.pk, now=next_week) == 3
    (digest,) = [m for m in deliver() if m.to == ["weekly@example.org"]]
    assert digest.subject == "3 updates in your area"
    # Only the newest is listed; the rest is counted, in the subscriber's language.
    assert digest.body.count("\n* ") == 1 and reports[-1].number in digest.body
    assert "… and 2 more updates." in digest.body
    assert f"/benachrichtigen/abmelden/{subscription.token}/" in digest.body


def test_matching_never_launches_parallel_workers(subscribe, lonlat):
    """A parallel worker is a new process that loads PostGIS before it helps: 25-40 ms for a
    ~2 ms query. Even with parallelism made free, the table's setting keeps its scans serial.
    (A Parallel Append of the two whole parts is left: it would cost parallel_setup_cost on
    top of the larger part, more than both parts serially; the next test checks a dense
    district with the server's costs.)"""
    from django.db import connection

    subscribe()
    sql, params = subscription_ids_matching(geom=lonlat(*DOM), topic=Topic.REPORTS).query \
        .sql_with_params()
    with connection.cursor() as cursor:
        for setting in ("parallel_setup_cost", "parallel_tuple_cost",
                        "min_parallel_table_scan_size", "min_parallel_index_scan_size"):
            cursor.execute(f"SET LOCAL {setting} = 0")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_parallel_append = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Gather" not in plan and "Parallel" not in plan, plan


def test_one_report_reaches_circle_district_and_digest_subscribers_together(
        subscribe, make_report, deliver, lonlat):
    """Both parts of the matching (districts from the index, shapes from the GiST index) feed
    the same alert INSERT and the same digest INSERT."""
    district = area_covering(point=lonlat(*DOM), kind=AreaKind.DISTRICT)
    subscribe(email="kreis@example.org")
    subscribe(email="bezirk@example.org", where=services.AreaChoice(area=district))
    daily_circle = subscribe(email="kreis-taeglich@example.org", frequency="daily")
    daily_district = subscribe(email="bezirk-taeglich@example.org", frequency="daily",
                               where=services.AreaChoice(area=district))
    deliver()
    make_report(lon=NEAR_DOM[0], lat=NEAR_DOM[1])
    subscribers = {"kreis@example.org", "bezirk@example.org", "kreis-taeglich@example.org",
                   "bezirk-taeglich@example.org"}
    recipients = [r for m in deliver() for r in m.to if r in subscribers]
    assert sorted(recipients) == ["bezirk@example.org", "kreis@example.org"]
    pending = Match.objects.filter(digested_at__isnull=True)
    assert sorted(pending.values_list("subscription_id", flat=True)) == sorted(
        [daily_circle.pk, daily_district.pk])
