"""Reads for crews and office leads. Every read starts from `reports_for_staff(user=...)`, so a
crew member of office A never sees a report of office B (the permission matrix lives here)."""

from dataclasses import dataclass

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.db import connection
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from reports.models import Office, Report, ReportEvent, Status

from .models import (
    CHANGE_EVENTS,
    OPEN_STAGES,
    PUBLIC_STATUS,
    CrewNotice,
    InternalNote,
    OfficeMembership,
    Role,
    Stage,
    WorkState,
)

NEARBY_M = 250
QUEUE_LIMIT = 200

# A report nobody in the field has touched yet takes its stage from the public status.
_STAGE_FROM_STATUS = Case(
    When(status=Status.IN_PROGRESS, then=Value(Stage.IN_PROGRESS.value)),
    When(status=Status.CLOSED, then=Value(Stage.FIXED.value)),
    When(status=Status.REJECTED, then=Value(Stage.NOT_FIXABLE.value)),
    default=Value(Stage.NEW.value),
    output_field=CharField(),
)


def staff_roles(*, user) -> dict[int, str]:
    """Office id -> role for this user; empty for anonymous users and non-members."""
    if not user.is_authenticated:
        return {}
    return dict(OfficeMembership.objects.filter(user=user).values_list("office_id", "role"))


def staff_is_admin(*, user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or Role.ADMIN in staff_roles(user=user).values()
    )


def staff_office_ids(*, user, roles: tuple[str, ...] = ()) -> list[int]:
    """Offices whose reports the user may see (admins: all); `roles` narrows to e.g. leads."""
    memberships = staff_roles(user=user)
    if user.is_authenticated and (user.is_superuser or Role.ADMIN in memberships.values()):
        return list(Office.objects.values_list("pk", flat=True))
    return [pk for pk, role in memberships.items() if not roles or role in roles]


def staff_offices(*, user, roles: tuple[str, ...] = ()) -> QuerySet[Office]:
    return Office.objects.filter(pk__in=staff_office_ids(user=user, roles=roles))


_PUBLIC_OF_STAGE = Case(
    *[When(work__stage=stage, then=Value(status.value)) for stage, status in PUBLIC_STATUS.items()],
    output_field=CharField(),
)


def reports_for_staff(*, user, roles: tuple[str, ...] = ()) -> QuerySet[Report]:
    """Published reports of the user's offices, annotated with their crew stage and version.

    A status or reroute event newer than the crew state's (written in the admin) counts as one
    more version, and the stage then follows the public status: `services._lock` does the same.
    """
    return _with_stage(
        Report.objects.public().filter(office_id__in=staff_office_ids(user=user, roles=roles))
    )


def _with_stage(qs: QuerySet[Report]) -> QuerySet[Report]:
    outside = Exists(
        ReportEvent.objects.filter(
            report=OuterRef("pk"), kind__in=CHANGE_EVENTS, pk__gt=OuterRef("work__last_event_id")
        )
    )
    return qs.annotate(outside_change=outside, public_of_stage=_PUBLIC_OF_STAGE).annotate(
        stage=Case(
            When(work__isnull=True, then=_STAGE_FROM_STATUS),
            When(
                Q(outside_change=True) & ~Q(status=F("public_of_stage")),
                then=_STAGE_FROM_STATUS,
            ),
            default=F("work__stage"),
            output_field=CharField(),
        ),
        version=Coalesce(F("work__version"), Value(1))
        + Case(When(outside_change=True, then=Value(1)), default=Value(0)),
    )


def report_get_for_staff(*, user, report_id: int) -> Report | None:
    return (
        reports_for_staff(user=user)
        .select_related("category", "office", "work__assignee", "duplicate_of")
        .filter(pk=report_id)
        .first()
    )


@dataclass(frozen=True)
class QueueFilter:
    stages: tuple[str, ...] = tuple(OPEN_STAGES)
    category: str = ""  # a category code; a parent includes its children
    order: str = "distance"  # distance, age, priority
    point: Point | None = None  # the tablet's position, EPSG:25832
    mine: bool = False  # only reports assigned to the user


def report_queue(*, user, filters: QueueFilter = QueueFilter()) -> list[Report]:
    """The crew's work queue: nearest first (KNN on the GiST index), or oldest / most supported."""
    qs = reports_for_staff(user=user).select_related("category__parent", "office", "work__assignee")
    if filters.stages:
        qs = qs.filter(stage__in=filters.stages)
    if filters.mine:
        qs = qs.filter(work__assignee=user)
    if filters.category:
        qs = qs.filter(
            Q(category__code=filters.category) | Q(category__parent__code=filters.category)
        )
    if filters.point is not None:
        qs = qs.annotate(distance=Distance("geom", filters.point))
    if filters.order == "distance" and filters.point is not None:
        # `<->` in ORDER BY lets PostGIS walk the GiST index (KNN) instead of sorting all rows.
        knn = RawSQL(  # noqa: S611 - fixed identifier, the point is a parameter
            f"{Report._meta.db_table}.geom <-> ST_GeomFromEWKB(%s)", (bytes(filters.point.ewkb),)
        )
        qs = qs.annotate(knn=knn).order_by("knn", "created_at")
    elif filters.order == "priority":
        qs = qs.order_by("-supporters", "created_at")
    else:
        qs = qs.order_by("created_at", "id")
    return list(qs[:QUEUE_LIMIT])


def report_history_for_staff(*, report: Report) -> list[ReportEvent]:
    return list(report.events.select_related("office", "actor").order_by("created_at", "id"))


def report_internal_notes(*, report: Report) -> list[InternalNote]:
    return list(report.internal_notes.select_related("author"))


def report_nearby_for_staff(*, user, report: Report, metres: float = NEARBY_M) -> list[Report]:
    """Other reports of the user's offices close by: candidates for 'duplicate of'."""
    return list(
        reports_for_staff(user=user)
        .near(report.geom, metres)
        .exclude(pk=report.pk)
        .annotate(distance=Distance("geom", report.geom))
        .select_related("category")
        .order_by("distance")[:10]
    )


def office_members(*, office: Office) -> list[OfficeMembership]:
    return list(
        OfficeMembership.objects.filter(office=office)
        .select_related("user")
        .order_by("role", "user__username")
    )


_DASHBOARD_SQL = """
SELECT
  count(*) FILTER (WHERE stage = ANY(%s)) AS open,
  count(*) FILTER (
    WHERE stage = ANY(%s) AND target_hours IS NOT NULL
      AND published_at + make_interval(hours => target_hours) < now()) AS overdue,
  percentile_cont(0.5) WITHIN GROUP (
    ORDER BY extract(epoch FROM first_response_at - published_at) / 3600.0) AS median_response_h,
  percentile_cont(0.5) WITHIN GROUP (
    ORDER BY extract(epoch FROM fixed_at - published_at) / 3600.0) AS median_fix_h
FROM ({inner}) AS x
"""


def office_dashboard(*, office: Office) -> dict:
    """Counts and medians (hours) in one statement: the ORM builds the rows with their stage
    (the same rules as the queue), raw SQL aggregates them, as the ORM has no percentile_cont."""
    inner = _with_stage(Report.objects.public().filter(office=office)).values(
        "published_at",
        "stage",
        first_response_at=F("work__first_response_at"),
        fixed_at=F("work__fixed_at"),
        target_hours=Coalesce(
            "category__target__target_hours", "category__parent__target__target_hours"
        ),
    )
    inner_sql, inner_params = inner.query.sql_with_params()
    open_stages = [s.value for s in OPEN_STAGES]
    with connection.cursor() as cursor:
        cursor.execute(
            _DASHBOARD_SQL.format(inner=inner_sql), [open_stages, open_stages, *inner_params]
        )
        columns = [c.name for c in cursor.description]
        row = dict(zip(columns, cursor.fetchone(), strict=True))
    assigned = (
        WorkState.objects.filter(report__office=office, stage__in=OPEN_STAGES)
        .exclude(assignee=None)
        .values_list("assignee__username", flat=True)
    )
    counts: dict[str, int] = {}
    for name in assigned:
        counts[name] = counts.get(name, 0) + 1
    row["assignments"] = sorted(counts.items())
    return row


def all_offices_except(*, office_id: int) -> QuerySet[Office]:
    """Forward targets: any office (a wrongly routed report may leave the user's offices)."""
    return Office.objects.exclude(pk=office_id).order_by("name")


def reports_duplicates_of(*, original: Report) -> QuerySet[Report]:
    """Reports the crews closed as duplicates of `original`."""
    return Report.objects.filter(duplicate_of=original)


def crew_notices_unseen(*, user) -> int:
    """How many reports were assigned or forwarded to this user and not opened since."""
    return CrewNotice.objects.filter(user=user, seen_at__isnull=True).values("report").distinct() \
        .count()
