"""Reads for the Mängelmelder. Public reads start from `Report.objects.public()` and never
touch `Reporter`; the only selector that does is `report_reporter_for_staff`."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.gis.db.models.functions import AsGeoJSON, Distance, Transform
from django.contrib.gis.geos import Point, Polygon
from django.db.models import Count, F, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from geoportal.geo import OutsideServiceArea, point_from_lonlat
from geoportal.replicas import read_cursor
from geoportal.selectors import street_register_loaded as _street_register_loaded

from . import clusters, notifications

# The report grid's reads (cluster view, low-zoom tiles) live in their own module too.
from .clusters import report_layer_marker, report_tile_clusters  # noqa: F401, E402
from .models import (
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    ApiKey,
    Category,
    EventKind,
    ModerationEvent,
    ModerationState,
    Office,
    OutboxMessage,
    OutboxStatus,
    Report,
    Reporter,
    ReportEvent,
    ReportPhoto,
    Status,
)
from .routing import NotServed, check_served, not_served_message

# Statistics are reads too; they live in their own module to keep this one short.
from .statistics import (  # noqa: F401, E402
    report_default_target_days,
    report_density_by_district_geojson,
    report_stats_participation_per_month,
    report_stats_per_category,
    report_stats_per_district,
    report_stats_per_month,
    report_stats_response_times,
)

DUPLICATE_RADIUS_M = 250
GEOJSON_PRECISION = 6  # ~0.1 m in WGS84 degrees: enough for a pin, small on the wire
PUBLIC_EVENT_KINDS = [
    EventKind.CREATED,
    EventKind.CONFIRMED,
    EventKind.ROUTED,
    EventKind.REROUTED,
    EventKind.STATUS,
]


def category_tree() -> list[Category]:
    """Active top-level categories with their active children in `.leaves`."""
    children = Prefetch("children", queryset=Category.objects.filter(active=True), to_attr="leaves")
    return list(
        Category.objects.filter(active=True, parent__isnull=True).prefetch_related(children)
    )


def category_leaves() -> QuerySet[Category]:
    return (
        Category.objects.filter(active=True, children__isnull=True)
        .select_related("parent")
        .order_by("parent__position", "parent__name", "position", "name")
    )


def category_get(*, code: str) -> Category | None:
    return Category.objects.filter(code=code, active=True).select_related("parent").first()


@dataclass(frozen=True)
class ReportFilter:
    category: str = ""  # a category code; a parent includes its children
    status: str = ""
    district: str = ""  # an area code
    date_from: date | None = None
    date_to: date | None = None
    bbox: tuple[float, float, float, float] | None = None  # WGS84 west, south, east, north
    numbers: tuple[str, ...] = ()


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def report_list_public(*, filters: ReportFilter = ReportFilter()) -> QuerySet[Report]:
    reports = (
        Report.objects.public()
        .select_related("category", "category__parent", "office", "district", "quarter")
        .defer("district__geom", "quarter__geom", "token")
        # PostGIS reprojects in bulk; one GDAL transform per row in Python costs ~1 ms each.
        .annotate(geom_wgs84=Transform("geom", 4326))
        # A duplicate names the report that carries on (Report.status_label), in the same query.
        .annotate(duplicate_of_number=F("duplicate_of__number"))
    )
    if filters.numbers:
        return reports.filter(number__in=filters.numbers)
    if filters.category:
        reports = reports.filter(
            Q(category__code=filters.category) | Q(category__parent__code=filters.category)
        )
    if filters.status:
        statuses = OPEN_STATUSES if filters.status == "open_all" else [filters.status]
        reports = reports.filter(status__in=statuses)
    if filters.district:
        reports = reports.filter(district__code=filters.district)
    if filters.date_from:
        reports = reports.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        reports = reports.filter(created_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.bbox:
        box = Polygon.from_bbox(filters.bbox)
        box.srid = 4326
        # Django transforms the box to the column's CRS, so the GiST index on geom is used.
        reports = reports.filter(geom__intersects=box)
    return reports


def report_get_public(*, number: str) -> Report | None:
    # The municipality names the place of a report without address or quarter (a city that has
    # loaded only its outline).
    reports = report_list_public().select_related("municipality").defer("municipality__geom")
    return reports.filter(number=number).first()


def report_duplicate_numbers_public(*, report: Report) -> list[str]:
    """Numbers of the public reports closed as duplicates of this one, oldest first."""
    return list(
        Report.objects.public()
        .filter(duplicate_of=report)
        .order_by("created_at", "id")
        .values_list("number", flat=True)
    )


def report_get_by_token(*, token: str) -> Report | None:
    """Open311 tokens: any report, published or not, but only its id is revealed."""
    return Report.objects.filter(token=token).only("id", "number", "token", "published_at").first()


def report_get_for_receipt(*, token: str) -> Report | None:
    """The "thank you" page after filing: the report, published or not, by its secret token."""
    return Report.objects.select_related("category", "office").filter(token=token).first()


def report_photo_public(*, number: str, photo_id: int) -> ReportPhoto | None:
    return ReportPhoto.objects.public().filter(pk=photo_id, report__number=number).first()


def api_key_active(*, key: str) -> ApiKey | None:
    return ApiKey.objects.filter(key=key, active=True).first() if key else None


def report_history_public(*, report: Report) -> list[ReportEvent]:
    return list(
        report.events.filter(kind__in=PUBLIC_EVENT_KINDS)
        .select_related("office")
        .order_by("created_at", "id")
    )


def street_register_loaded() -> bool:
    """Whether a typed address can be looked up: geoportal's one answer, as its search uses."""
    return _street_register_loaded()


def report_place_not_served(*, lon: float, lat: float) -> str:
    """Why reports cannot be filed at this place ("" where they can): the form says so as soon
    as the pin is placed. Outside the portal's bounds gets the same city wording."""
    try:
        check_served(point=point_from_lonlat(lon=lon, lat=lat))
    except OutsideServiceArea:
        return not_served_message()
    except NotServed as exc:
        return str(exc)
    return ""


def report_duplicates_nearby(
    *, point: Point, category: Category, metres: float = DUPLICATE_RADIUS_M, limit: int = 10
) -> list[Report]:
    """Open, published reports of the same category within `metres`, nearest first."""
    return list(
        Report.objects.public()
        .open()
        .filter(category=category)
        .near(point, metres)
        .annotate(distance=Distance("geom", point))
        .select_related("category")
        .order_by("distance", "-created_at")[:limit]
    )


def report_status_labels() -> dict[str, str]:
    """Status code -> its name in the active language, for maps whose GeoJSON carries codes."""
    return {code: str(label) for code, label in Status.choices}


def report_list_with_photo(*, filters: ReportFilter = ReportFilter()) -> QuerySet[Report]:
    """report_list_public, each row with its first public photo's id (or None) for the list's
    thumbnail: one subquery in the page's query, not one query per row."""
    first = (
        ReportPhoto.objects.public()
        .filter(report=OuterRef("pk"))
        .order_by("position", "id")
        .values("pk")[:1]
    )
    return report_list_public(filters=filters).annotate(first_photo_id=Subquery(first))


def reports_geojson(*, filters: ReportFilter = ReportFilter(), limit: int = 5000) -> bytes:
    """A FeatureCollection of public reports in WGS84, built by PostgreSQL in one statement.

    The filtered public queryset is compiled by the ORM and wrapped; json_agg builds the bytes.
    """
    inner = (
        report_list_public(filters=filters)
        .annotate(
            category_name=F("category__name"),
            group_name=F("category__parent__name"),
            # The top category's code picks the map's icon (a top category is its own group).
            group_code=Coalesce(F("category__parent__code"), F("category__code")),
            district_name=F("district__name"),
            geometry=AsGeoJSON(Transform("geom", 4326), precision=GEOJSON_PRECISION),
        )
        .order_by("-created_at", "-id")
        .values(
            "number",
            "status",
            "created_at",
            "address",
            "supporters",
            "category_name",
            "group_name",
            "group_code",
            "district_name",
            "geometry",
        )[:limit]
    )
    sql, params = inner.query.sql_with_params()
    wrapped = f"""
        SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(
            json_build_object(
                'type', 'Feature', 'id', r.number,
                'geometry', r.geometry::json,
                'properties', json_build_object(
                    'number', r.number, 'status', r.status, 'category', r.category_name,
                    'group', r.group_name, 'group_code', r.group_code,
                    'district', r.district_name, 'address', r.address, 'supporters', r.supporters,
                    'created', to_char(r.created_at AT TIME ZONE 'UTC',
                                       'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                    'url', '/meldungen/' || r.number || '/')
            )), '[]'::json))::text
        FROM ({sql}) AS r
    """  # noqa: S608 - `sql` is the ORM's own compiled, parameterised query
    with read_cursor(timeout_ms=10_000) as cursor:
        cursor.execute(wrapped, params)
        return cursor.fetchone()[0].encode()


def reports_clusters_geojson(*, filters: ReportFilter = ReportFilter(), zoom: int) -> bytes:
    """Public reports grouped on a grid that fits the map's zoom.

    For maps far zoomed out over many reports: one point per occupied cell, at the mean
    position of its reports, with the number of reports and of open ones. Read from the report
    grid (reports/clusters.py) when it can answer (no date filter, zoom up to its finest
    level); else grouped from the reports themselves, which costs a scan of the filtered rows.
    """
    if not (filters.date_from or filters.date_to or filters.numbers):
        statuses = (
            (OPEN_STATUSES if filters.status == "open_all" else [filters.status])
            if filters.status
            else ()
        )
        body = clusters.report_clusters_geojson_from_grid(
            zoom=zoom,
            category=filters.category,
            statuses=statuses,
            district=filters.district,
            bbox=filters.bbox,
        )
        if body is not None:
            return body
    return _reports_clusters_geojson_live(filters=filters, zoom=zoom)


def _reports_clusters_geojson_live(*, filters: ReportFilter, zoom: int) -> bytes:
    # The same cells as the grid (floor(x / size) in the storage CRS), grouped on the fly.
    size = clusters.cell_m(zoom)
    inner = report_list_public(filters=filters).order_by().values("geom", "status")
    sql, params = inner.query.sql_with_params()
    wrapped = f"""
        SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(
            json_build_object(
                'type', 'Feature',
                'geometry', ST_AsGeoJSON(ST_Transform(c.center, 4326), %s)::json,
                'properties', json_build_object('count', c.n, 'open', c.n_open))
            ), '[]'::json))::text
        FROM (
            SELECT count(*) AS n,
                   count(*) FILTER (WHERE r.status = ANY(%s)) AS n_open,
                   ST_Centroid(ST_Collect(r.geom)) AS center
            FROM ({sql}) AS r
            GROUP BY floor(ST_X(r.geom) / %s), floor(ST_Y(r.geom) / %s)
        ) AS c
    """  # noqa: S608 - `sql` is the ORM's own compiled, parameterised query
    with read_cursor(timeout_ms=10_000) as cursor:
        cursor.execute(wrapped, [GEOJSON_PRECISION, list(OPEN_STATUSES), *params, size, size])
        return cursor.fetchone()[0].encode()


def reporter_by_confirm_token(*, token: str) -> Reporter | None:
    """For the confirmation page; the template shows only the report's public fields."""
    return (
        Reporter.objects.select_related("report", "report__category", "report__office")
        .filter(confirm_token=token)
        .first()
    )


def report_reporter_for_staff(*, report: Report) -> Reporter | None:
    """Contact data for staff views and the admin only."""
    return Reporter.objects.filter(report=report).first()


def outbox_health() -> dict:
    """For the status page: how many messages wait, how many were given up, the oldest age."""
    counts = OutboxMessage.objects.aggregate(
        pending=Count("id", filter=Q(status=OutboxStatus.PENDING)),
        failed=Count("id", filter=Q(status=OutboxStatus.FAILED)),
        retrying=Count("id", filter=Q(status=OutboxStatus.PENDING, attempts__gt=0)),
        oldest=Min("created_at", filter=~Q(status=OutboxStatus.SENT)),
    )
    oldest = counts["oldest"]
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {
        "pending": counts["pending"],
        "failed": counts["failed"],
        "retrying": counts["retrying"],
        "oldest_undelivered_age_seconds": round(age, 1),
        "healthy": counts["failed"] == 0 and age < 3600,
    }


def report_delivery_state(*, report: Report) -> dict:
    rows = report.messages.values("status").annotate(n=Count("id"))
    state = dict.fromkeys(OutboxStatus.values, 0)
    for row in rows:
        state[row["status"]] = row["n"]
    return state


def public_statuses() -> list[tuple[str, str]]:
    from .models import Status

    return [(s, Status(s).label) for s in PUBLIC_STATUSES]


def report_moderation_queue() -> list[Report]:
    """Reports whose text the filter masked (or staff flagged), oldest first: staff only."""
    return list(
        Report.objects.filter(moderation=ModerationState.PENDING)
        .select_related("category", "office")
        .order_by("created_at", "id")
    )


def moderation_recent(*, limit: int = 30) -> list[ModerationEvent]:
    return list(
        ModerationEvent.objects.select_related("report", "actor").order_by("-created_at")[:limit]
    )


def report_get_for_staff(*, number: str) -> Report | None:
    """Any report, hidden or unpublished: staff pages only, never a public output."""
    return Report.objects.select_related("category", "office").filter(number=number).first()


def report_public_in_offices(*, number: str, office_ids) -> Report | None:
    """A published report of one of these offices, by its number (a crew naming the report
    another one duplicates)."""
    return Report.objects.public().filter(number=number, office_id__in=office_ids).first()


def report_last_event_id(*, report: Report, kinds) -> int:
    """The id of the report's newest event of these kinds, 0 if it has none."""
    return report.events.filter(kind__in=kinds).aggregate(m=Max("id"))["m"] or 0


def report_photo_for_staff(*, number: str, photo_id: int) -> ReportPhoto | None:
    return ReportPhoto.objects.filter(pk=photo_id, report__number=number).first()


def photos_stored_today(*, now=None) -> int:
    """Photos stored since local midnight, of every report (the daily photo budget)."""
    now = timezone.localtime(now or timezone.now())
    return ReportPhoto.objects.filter(created_at__gte=_day_start(now.date())).count()


def office_get(*, office_id: int) -> Office | None:
    return Office.objects.filter(pk=office_id).first()


def office_list() -> QuerySet[Office]:
    return Office.objects.all()


def site_url(*, path: str) -> str:
    """The absolute address of a site path, for messages (the worker has no request)."""
    return notifications._url(path)


def report_public_url(*, report: Report) -> str:
    """The absolute address of the report's public page, for messages."""
    return notifications.report_url(report)
