"""/statistik/: the public statistics as a page with bars and tables, each table as CSV and
JSON, and the district choropleth's GeoJSON. Thin: numbers come from `statistics`."""

import csv
import io
import json

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from geoportal.ogc.params import ProblemError, problem

from . import statistics

MAX_AGE = 300


def _bars(table: statistics.Table, value_column: str) -> list[dict]:
    """Rows with their bar length in percent of the table's largest value (a handful of
    aggregate rows, not reports)."""
    index = table.columns.index(value_column)
    largest = max((row[index] or 0 for row in table.rows), default=0)
    return [
        {"row": row, "percent": round(100 * (row[index] or 0) / largest, 1) if largest else 0}
        for row in table.rows
    ]


# ColorBrewer YlOrRd, 5 classes: readable for the common colour-vision deficiencies.
COLOURS = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]


def _classes(table: statistics.Table) -> list[dict]:
    """Five equal-width classes of reports per km², from 0 to the densest district."""
    index = table.columns.index("reports_per_km2")
    top = max((row[index] for row in table.rows), default=0) or 1
    step = top / len(COLOURS)
    return [
        {"low": round(i * step, 2), "high": round((i + 1) * step, 2), "color": colour}
        for i, colour in enumerate(COLOURS)
    ]


@require_safe
def statistics_page(request):
    tables = {name: statistics.statistics_table(name=name) for name in statistics.TABLES}
    return render(
        request,
        "opendata/statistics.html",
        {
            "categories": _bars(tables["kategorien"], "reports"),
            "districts": _bars(tables["bezirke"], "reports_per_km2"),
            "classes": _classes(tables["bezirke"]),
            "months": _bars(tables["monate"], "reports"),
            "participation": tables["beteiligung"],
            "small_count": statistics.SMALL_COUNT,
            "category_times": tables["kategorien-zeiten"],
            "office_times": tables["aemter"],
            "council": _bars(tables["rat"], "papers"),
            "total": sum(row[2] for row in tables["kategorien"].rows),
            "target_days": statistics.default_target_days(),
            "table_names": list(statistics.TABLES),
        },
    )


@require_safe
def statistics_export(request, name: str, fmt: str):
    if fmt not in ("csv", "json"):
        return problem(
            ProblemError(
                _("Unbekanntes Format „%(format)s“; verfügbar: %(known)s.")
                % {"format": fmt, "known": "csv, json"}
            )
        )
    table = statistics.statistics_table(name=name)
    if table is None:
        known = ", ".join(statistics.TABLES)
        return problem(
            ProblemError(
                _("Es gibt keine Statistik „%(name)s“; verfügbar: %(known)s.")
                % {"name": name, "known": known},
                status=404,
                title="Not Found",
            )
        )
    if fmt == "json":
        response = HttpResponse(
            json.dumps(table.as_dicts(), ensure_ascii=False), content_type="application/json"
        )
    else:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(table.columns)
        writer.writerows(["" if v is None else v for v in row] for row in table.rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="statistik-{name}.csv"'
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def district_geojson(request):
    response = HttpResponse(
        statistics.district_density_geojson(), content_type="application/geo+json"
    )
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
