"""Reads for the public statistics of the Mängelmelder (re-exported by `reports.selectors`),
all counted by PostgreSQL. Rows only; `opendata/statistics.py` names and formats the tables.

Only public reports, as `Report.objects.public()` defines them (its SQL is compiled into every
query here, so the rule lives in one place), and only counts, times and names of categories,
offices and districts: nothing personal.

Definitions (docs/opendata.md):
- clock start: `published_at`, when the report went public and to the office;
- first response: the first `status` event of the report (staff set it in progress, closed or
  rejected, with a public note), whatever the status;
- fixed: the report's status is `closed` now; time to fix runs to the last `status` event that
  closed it (a reopened and closed again report counts its final closing);
- fixed within target: fixed no later than the target days after publication. The share is
  over the reports whose outcome is known: fixed ones, and not-rejected ones whose target date
  has passed. Reports still within their target time are left out, not counted as late.
"""
# ruff: noqa: S608 - the only interpolations are fixed SQL fragments: the compiled public
# queryset and a join chosen from _GROUPS; every value is a parameter.

from django.conf import settings

from geoportal.replicas import read_cursor

from . import conf
from .models import EventKind, Report, Status

# Raw SQL here: percentiles, FILTER counts and per-report subqueries over events are one
# statement in PostgreSQL and several round trips (or Python loops) in the ORM.


def _public_ids() -> str:
    """`Report.objects.public()` as a subquery of report ids."""
    sql, params = Report.objects.public().values("id").query.sql_with_params()
    if params:  # the predicate is a plain IS NOT NULL today; a parameter would need threading
        raise NotImplementedError("public() with parameters: pass them through _fetch")
    return sql


def _fetch(query: str, params: list | dict) -> list[list]:
    with read_cursor(timeout_ms=None) as cursor:
        cursor.execute(query, params)
        return [list(row) for row in cursor.fetchall()]


def report_default_target_days() -> int:
    """Target days of every category (categories have no target of their own yet)."""
    return int(conf.REPORTS_DEFAULT_TARGET_DAYS)


def report_stats_per_category() -> list[list]:
    """[code, name, public reports], most reports first."""
    return _fetch(
        f"""SELECT c.code, c.name, count(r.id) FROM reports_report r
           JOIN reports_category c ON c.id = r.category_id
           WHERE r.id IN ({_public_ids()}) GROUP BY c.id ORDER BY count(r.id) DESC, c.name""",
        [],
    )


def report_stats_per_district() -> list[list]:
    """[code, name, public reports, area km², reports per km²] of every Stadtbezirk (zero rows
    included). ST_Area in the metric storage CRS (EPSG:25832)."""
    return _fetch(
        f"""SELECT a.code, a.name, count(r.id), round((ST_Area(a.geom) / 1e6)::numeric, 2),
                  round((count(r.id) / NULLIF(ST_Area(a.geom) / 1e6, 0))::numeric, 2)
           FROM geoportal_area a
           LEFT JOIN reports_report r ON r.district_id = a.id AND r.id IN ({_public_ids()})
           WHERE a.kind = 'district' GROUP BY a.id ORDER BY a.code""",
        [],
    )


def report_stats_per_month() -> list[list]:
    """[YYYY-MM, public reports] by the month the report came in, in local time (a report
    filed at 00:30 on 1 May belongs to May)."""
    return _fetch(
        f"""SELECT to_char(date_trunc('month', r.created_at AT TIME ZONE %s), 'YYYY-MM'),
                  count(*)
           FROM reports_report r WHERE r.id IN ({_public_ids()})
           GROUP BY 1 ORDER BY 1""",
        [settings.TIME_ZONE],
    )


def report_stats_participation_per_month() -> list[list]:
    """[YYYY-MM, public reports filed, supports ("Betrifft mich auch") given, returning
    reporters] per local month. A returning reporter filed a public report that month and an
    earlier one under the same e-mail address (case-insensitive); addresses are compared inside
    PostgreSQL and only the count leaves it. Reporters deleted by the retention rule are no
    longer counted, so older months can only undercount."""
    public = _public_ids()
    return _fetch(
        f"""WITH pub AS (SELECT r.id, r.created_at FROM reports_report r WHERE r.id IN ({public})),
           filed AS (
               SELECT to_char(date_trunc('month', created_at AT TIME ZONE %(tz)s), 'YYYY-MM')
                      AS month, count(*) AS n
               FROM pub GROUP BY 1),
           supported AS (
               SELECT to_char(date_trunc('month', e.created_at AT TIME ZONE %(tz)s), 'YYYY-MM')
                      AS month, count(*) AS n
               FROM reports_reportevent e JOIN pub ON pub.id = e.report_id
               WHERE e.kind = %(supported)s GROUP BY 1),
           who AS (
               SELECT lower(p.email) AS email, pub.created_at
               FROM reports_reporter p JOIN pub ON pub.id = p.report_id),
           came_back AS (
               SELECT to_char(date_trunc('month', w.created_at AT TIME ZONE %(tz)s), 'YYYY-MM')
                      AS month, count(DISTINCT w.email) AS n
               FROM who w
               WHERE EXISTS (SELECT 1 FROM who e
                             WHERE e.email = w.email AND e.created_at < w.created_at)
               GROUP BY 1),
           months AS (SELECT month FROM filed UNION SELECT month FROM supported
                      UNION SELECT month FROM came_back)
           SELECT m.month, coalesce(f.n, 0), coalesce(s.n, 0), coalesce(r.n, 0)
           FROM months m LEFT JOIN filed f USING (month) LEFT JOIN supported s USING (month)
           LEFT JOIN came_back r USING (month)
           ORDER BY m.month""",
        {"tz": settings.TIME_ZONE, "supported": EventKind.SUPPORTED},
    )


_GROUPS = {
    "category": "reports_category g ON g.id = d.category_id",
    "office": "reports_office g ON g.id = d.office_id",
}


def report_stats_response_times(*, by: str) -> list[list]:
    """Per category or office: [name, reports, fixed, median days to first response, median
    days to fix, fixed within target, outcome known, min target days, max target days]."""
    if by not in _GROUPS:
        raise ValueError(f"group by category or office, not {by!r}")
    query = f"""
        WITH r AS (
            SELECT r.id, r.category_id, r.office_id, r.status, r.published_at,
                   (SELECT min(e.created_at) FROM reports_reportevent e
                     WHERE e.report_id = r.id AND e.kind = %(status_event)s) AS responded_at,
                   CASE WHEN r.status = %(closed)s THEN
                       (SELECT max(e.created_at) FROM reports_reportevent e
                         WHERE e.report_id = r.id AND e.kind = %(status_event)s
                           AND e.status = %(closed)s)
                   END AS fixed_at,
                   %(target)s AS target_days
            FROM reports_report r
            WHERE r.id IN ({_public_ids()})
        ), d AS (
            SELECT r.*, extract(epoch FROM responded_at - published_at) / 86400 AS response_d,
                   extract(epoch FROM fixed_at - published_at) / 86400 AS fix_d,
                   published_at + make_interval(days => target_days) AS due_at
            FROM r
        )
        SELECT g.name, count(*), count(d.fixed_at),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY d.response_d),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY d.fix_d),
               count(*) FILTER (WHERE d.fixed_at <= d.due_at),
               count(*) FILTER (WHERE d.fixed_at IS NOT NULL
                                OR (d.status <> %(rejected)s AND d.due_at <= now())),
               min(d.target_days), max(d.target_days)
        FROM d JOIN {_GROUPS[by]}
        GROUP BY g.id, g.name ORDER BY count(*) DESC, g.name
    """
    return _fetch(
        query,
        {
            "target": report_default_target_days(),
            "status_event": EventKind.STATUS.value,
            "closed": Status.CLOSED.value,
            "rejected": Status.REJECTED.value,
        },
    )


def report_density_by_district_geojson(*, simplify_m: float) -> str:
    """The Stadtbezirke with their public report counts and reports per km², for a choropleth;
    one FeatureCollection written by PostgreSQL (EPSG:4326, 6 decimals)."""
    query = f"""
        WITH counts AS (
            SELECT a.id, a.code, a.name, a.geom, ST_Area(a.geom) / 1e6 AS km2,
                   count(r.id) AS reports
            FROM geoportal_area a
            LEFT JOIN reports_report r ON r.district_id = a.id AND r.id IN ({_public_ids()})
            WHERE a.kind = 'district' GROUP BY a.id
        )
        SELECT json_build_object('type', 'FeatureCollection', 'features',
            COALESCE(json_agg(json_build_object(
                'type', 'Feature', 'id', code,
                'geometry', ST_AsGeoJSON(ST_Transform(
                    ST_SimplifyPreserveTopology(geom, %s), 4326), 6)::json,
                'properties', json_build_object(
                    'code', code, 'name', name, 'reports', reports,
                    'area_km2', round(km2::numeric, 2),
                    'reports_per_km2', round((reports / NULLIF(km2, 0))::numeric, 2))
            ) ORDER BY code), '[]'::json))::text
        FROM counts
    """
    return _fetch(query, [simplify_m])[0][0]
