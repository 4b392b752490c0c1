"""Public statistics tables of the Mängelmelder and the council map: names, columns and
formatting. The counting belongs to the apps that own the rows: `reports.selectors`
(`report_stats_*`, with the definitions) and `councilmap.selectors`."""

from dataclasses import dataclass

from alerts.selectors import subscription_stats_per_month
from councilmap.selectors import DecisionFilter, decision_stats_by_district
from reports import selectors as reports

SIMPLIFY_M = 20  # district outlines for the choropleth: 20 m is invisible at city zoom
# Counts of people below this are shown as "< 5": one or two supporters or subscribers in a
# month could be told apart by someone who knows who took part.
SMALL_COUNT = 5
SMALL_COUNT_LABEL = f"< {SMALL_COUNT}"


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[str]
    rows: list[list]

    def as_dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def default_target_days() -> int:
    return reports.report_default_target_days()


def reports_per_category() -> Table:
    return Table("kategorien", ["code", "category", "reports"], reports.report_stats_per_category())


def reports_per_district() -> Table:
    return Table(
        "bezirke",
        ["code", "district", "reports", "area_km2", "reports_per_km2"],
        [
            [c, n, k, float(a), float(d or 0)]
            for c, n, k, a, d in reports.report_stats_per_district()
        ],
    )


def reports_per_month() -> Table:
    return Table("monate", ["month", "reports"], reports.report_stats_per_month())


def suppress_small(count: int) -> int | str:
    return SMALL_COUNT_LABEL if 0 < count < SMALL_COUNT else count


def participation_per_month() -> Table:
    """"Beteiligung in Zahlen": per month the public reports filed (exact, as every report is
    public anyway), and the supports, new alert subscriptions and returning reporters, each a
    count of people and suppressed below SMALL_COUNT."""
    months: dict[str, list] = {}
    for month, filed, supported, returning in reports.report_stats_participation_per_month():
        months[month] = [filed, supported, 0, returning]
    for month, subscribed in subscription_stats_per_month():
        months.setdefault(month, [0, 0, 0, 0])[2] = subscribed
    return Table(
        "beteiligung",
        ["month", "reports", "supporters", "subscriptions", "returning_reporters"],
        [
            [month, filed, *(suppress_small(n) for n in people)]
            for month, (filed, *people) in sorted(months.items())
        ],
    )


def response_times(*, by: str) -> Table:
    """Per category or office: reports, fixed, median days to first response and to fix,
    and the share fixed within the target time (definitions in reports/statistics.py)."""
    rows = []
    for name, n, fixed, response, fix, in_time, decided, t_min, t_max in (
        reports.report_stats_response_times(by=by)
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
    "beteiligung": participation_per_month,
    "kategorien-zeiten": lambda: response_times(by="category"),
    "aemter": lambda: response_times(by="office"),
    "rat": council_per_district,
}


def statistics_table(*, name: str) -> Table | None:
    build = TABLES.get(name)
    return build() if build else None


def district_density_geojson() -> str:
    """The Stadtbezirke with report counts and reports per km², for the choropleth map."""
    return reports.report_density_by_district_geojson(simplify_m=SIMPLIFY_M)
