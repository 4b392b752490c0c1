"""Public statistics of the Mängelmelder and the council map, all counted by PostgreSQL.

Only published reports (`published_at IS NOT NULL`, the rule of `Report.objects.public()`),
and only counts, times and names of categories, offices and districts: nothing personal.

Definitions (docs/opendata.md):
- clock start: `published_at`, when the report went public and to the office;
- first response: the first `status` event of the report (staff set it in progress, closed or
  rejected, with a public note), whatever the status;
- fixed: the report's status is `closed` now; time to fix runs to the last `status` event that
  closed it (a reopened and closed again report counts its final closing);
- fixed within target: fixed no later than `target_days` after publication. The share is over
  the reports whose outcome is known: fixed ones, and not-rejected ones whose target date has
  passed. Reports still within their target time are left out, not counted as late.
"""
# ruff: noqa: S608 - the only interpolations are fixed SQL fragments chosen from _GROUPS and the
# target-days expression; every value is a parameter.

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connection

from reports import conf as reports_conf

SIMPLIFY_M = 20  # district outlines for the choropleth: 20 m is invisible at city zoom


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[str]
    rows: list[list]

    def as_dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _fetch(query: str, params: list | dict) -> list[list]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return [list(row) for row in cursor.fetchall()]


def default_target_days() -> int:
    return int(reports_conf.REPORTS_DEFAULT_TARGET_DAYS)


def _target_days_sql() -> str:
    """The category's own target time where the model has one (`Category.target_days`, being
    added on another branch), else the portal's default for every category."""
    from reports.models import Category

    try:
        column = Category._meta.get_field("target_days").column
    except FieldDoesNotExist:
        return "%(target)s"
    return f"COALESCE(c.{connection.ops.quote_name(column)}, %(target)s)"


def reports_per_category() -> Table:
    rows = _fetch(
        """SELECT c.code, c.name, count(r.id) FROM reports_report r
           JOIN reports_category c ON c.id = r.category_id
           WHERE r.published_at IS NOT NULL GROUP BY c.id ORDER BY count(r.id) DESC, c.name""",
        [],
    )
    return Table("kategorien", ["code", "category", "reports"], rows)


def reports_per_district() -> Table:
    """Reports, area and reports per km² of every Stadtbezirk (zero rows included).
    ST_Area in the metric storage CRS (EPSG:25832)."""
    rows = _fetch(
        """SELECT a.code, a.name, count(r.id), round((ST_Area(a.geom) / 1e6)::numeric, 2),
                  round((count(r.id) / NULLIF(ST_Area(a.geom) / 1e6, 0))::numeric, 2)
           FROM geoportal_area a
           LEFT JOIN reports_report r ON r.district_id = a.id AND r.published_at IS NOT NULL
           WHERE a.kind = 'district' GROUP BY a.id ORDER BY a.code""",
        [],
    )
    return Table(
        "bezirke",
        ["code", "district", "reports", "area_km2", "reports_per_km2"],
        [[c, n, k, float(a), float(d or 0)] for c, n, k, a, d in rows],
    )


def reports_per_month() -> Table:
    """By the month the report came in, in local time (a report filed at 00:30 on 1 May
    belongs to May)."""
    rows = _fetch(
        """SELECT to_char(date_trunc('month', r.created_at AT TIME ZONE %s), 'YYYY-MM'),
                  count(*)
           FROM reports_report r WHERE r.published_at IS NOT NULL
           GROUP BY 1 ORDER BY 1""",
        [settings.TIME_ZONE],
    )
    return Table("monate", ["month", "reports"], rows)


_GROUPS = {
    "category": "reports_category g ON g.id = d.category_id",
    "office": "reports_office g ON g.id = d.office_id",
}


def response_times(*, by: str) -> Table:
    """Per category or office: reports, fixed, median days to first response and to fix,
    and the share fixed within the target time (see the module's definitions)."""
    if by not in _GROUPS:
        raise ValueError(f"group by category or office, not {by!r}")
    query = f"""
        WITH r AS (
            SELECT r.id, r.category_id, r.office_id, r.status, r.published_at,
                   (SELECT min(e.created_at) FROM reports_reportevent e
                     WHERE e.report_id = r.id AND e.kind = 'status') AS responded_at,
                   CASE WHEN r.status = 'closed' THEN
                       (SELECT max(e.created_at) FROM reports_reportevent e
                         WHERE e.report_id = r.id AND e.kind = 'status' AND e.status = 'closed')
                   END AS fixed_at,
                   {_target_days_sql()} AS target_days
            FROM reports_report r JOIN reports_category c ON c.id = r.category_id
            WHERE r.published_at IS NOT NULL
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
                                OR (d.status <> 'rejected' AND d.due_at <= now())),
               min(d.target_days), max(d.target_days)
        FROM d JOIN {_GROUPS[by]}
        GROUP BY g.id, g.name ORDER BY count(*) DESC, g.name
    """
    rows = []
    for name, n, fixed, response, fix, in_time, decided, t_min, t_max in _fetch(
        query, {"target": default_target_days()}
    ):
        rows.append(
            [
                name,
                n,
                fixed,
                _days(response),
                _days(fix),
                round(in_time / decided, 3) if decided else None,
                t_min if t_min == t_max else f"{t_min}–{t_max}",
            ]
        )
    columns = [
        by,
        "reports",
        "fixed",
        "median_days_to_first_response",
        "median_days_to_fix",
        "share_fixed_within_target",
        "target_days",
    ]
    return Table("kategorien-zeiten" if by == "category" else "aemter", columns, rows)


def _days(value) -> float | None:
    return None if value is None else round(float(value), 2)


def council_per_district() -> Table:
    from councilmap.selectors import DecisionFilter, decision_stats_by_district

    rows = decision_stats_by_district(filters=DecisionFilter())
    return Table(
        "rat",
        ["code", "district", "papers", "decisions"],
        [[r["code"], r["name"], r["papers"], r["decisions"]] for r in rows],
    )


TABLES = {
    "kategorien": reports_per_category,
    "bezirke": reports_per_district,
    "monate": reports_per_month,
    "kategorien-zeiten": lambda: response_times(by="category"),
    "aemter": lambda: response_times(by="office"),
    "rat": council_per_district,
}


def statistics_table(*, name: str) -> Table | None:
    build = TABLES.get(name)
    return build() if build else None


def district_density_geojson() -> str:
    """The Stadtbezirke with their report counts and reports per km², for the choropleth map;
    one FeatureCollection written by PostgreSQL (EPSG:4326, 6 decimals)."""
    query = """
        WITH counts AS (
            SELECT a.id, a.code, a.name, a.geom, ST_Area(a.geom) / 1e6 AS km2,
                   count(r.id) AS reports
            FROM geoportal_area a
            LEFT JOIN reports_report r ON r.district_id = a.id AND r.published_at IS NOT NULL
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
    return _fetch(query, [SIMPLIFY_M])[0][0]
