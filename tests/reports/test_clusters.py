"""Grouping public reports on a zoom-dependent grid, for maps with more reports than one
GeoJSON response holds."""

import json
from collections import Counter
from math import floor

import pytest
from django.db import connection

from geoportal.geo import point_from_lonlat
from geoportal.ogc.sql import tile_containing
from reports import clusters as grid
from reports import selectors, services
from reports.models import Report, ReportCell, Status
from tests.geoportal.ogc.conftest import decode_tile

from .conftest import DOM, EHRENFELD

pytestmark = pytest.mark.django_db


@pytest.fixture
def six_reports(make_report):
    # Four reports within ~30 m of the Dom, two at Bahnhof Ehrenfeld (~3 km west); one of the
    # Dom's stays unconfirmed and must not be counted.
    for i in range(4):
        make_report(DOM[0] + i * 0.0001, DOM[1])
    make_report(DOM[0], DOM[1] + 0.0002, publish=False)
    for i in range(2):
        make_report(EHRENFELD[0] + i * 0.0001, EHRENFELD[1], code="ampel-defekt")


def clusters(client, zoom: int, **params) -> list[dict]:
    response = client.get("/meldungen/karte.geojson", {"cluster_zoom": zoom, **params})
    assert response.status_code == 200
    return response.json()["features"]


def test_counts_add_up_to_the_public_reports(client, six_reports):
    public = Report.objects.public().count()
    assert public == 6, "the fixture publishes six reports (0 == 0 would prove nothing)"
    for zoom in (8, 12, 16, 19):
        assert sum(f["properties"]["count"] for f in clusters(client, zoom)) == public


def test_the_grid_follows_the_zoom(client, six_reports):
    counts = sorted(f["properties"]["count"] for f in clusters(client, 13))
    assert counts[-2:] == [2, 4]  # the Dom's four and Ehrenfeld's two, each in one cell
    assert len(clusters(client, 20)) >= 6  # ~1 m cells: every report on its own


def test_filters_apply_to_clusters(client, six_reports):
    features = clusters(client, 13, category="ampel-defekt")
    assert [f["properties"]["count"] for f in features] == [2]
    lon, lat = features[0]["geometry"]["coordinates"]
    assert lon == pytest.approx(EHRENFELD[0] + 0.00005, abs=1e-5)
    assert lat == pytest.approx(EHRENFELD[1], abs=1e-5)


def test_open_reports_are_counted_apart(six_reports):
    report = Report.objects.public().first()
    services.report_status_change(report=report, status=Status.CLOSED, note="")
    [only] = json.loads(selectors.reports_clusters_geojson(zoom=8))["features"]
    assert only["properties"] == {"count": 6, "open": 5}


@pytest.mark.parametrize("zoom", ["-1", "23", "x"])
def test_a_bad_zoom_is_a_400(client, zoom):
    response = client.get("/meldungen/karte.geojson", {"cluster_zoom": zoom})
    assert response.status_code == 400
    assert "cluster_zoom" in response.json()["errors"]



# The report grid (ReportCell, kept by PostgreSQL triggers) behind the cluster view and the
# low-zoom report tiles: its counts must be what the public reports say, after every write.


def _public_cells() -> Counter:
    """What the grid should hold: public reports counted per level, cell and dimension."""
    cells = Counter()
    for report in Report.objects.public():
        for level in grid.LEVELS:
            size = grid.cell_m(level)
            cell = (level, floor(report.geom.x / size), floor(report.geom.y / size))
            cells[(*cell, report.category_id, report.status, report.district_id)] += 1
    return cells


def _grid_cells() -> Counter:
    rows = ReportCell.objects.values_list(
        "level", "cx", "cy", "category_id", "status", "district_id", "n"
    )
    return Counter({tuple(row[:-1]): row[-1] for row in rows})


def _by_cell(features: list[dict], zoom: int) -> Counter:
    """Features keyed by the cell of their position (a mean of a cell's reports lies in it)."""
    size = grid.cell_m(zoom)
    cells = Counter()
    for feature in features:
        point = lonlat_point(*feature["geometry"]["coordinates"])
        cells[(floor(point.x / size), floor(point.y / size))] += feature["properties"]["count"]
    return cells


def _public_by_cell(zoom: int) -> Counter:
    size = grid.cell_m(zoom)
    return Counter(
        (floor(r.geom.x / size), floor(r.geom.y / size)) for r in Report.objects.public()
    )


def test_cluster_view_counts_equal_the_public_reports_per_cell(client, six_reports):
    assert ReportCell.objects.exists(), "the cluster view must read the grid"
    for zoom in (4, 10, 11, 12, 13, 14, 16):
        expected = _public_by_cell(zoom)
        assert sum(expected.values()) == 6
        assert _by_cell(clusters(client, zoom), zoom) == expected, zoom
        # The live grouping (date filters, zooms finer than the grid) gives the same answer.
        live = selectors._reports_clusters_geojson_live(filters=selectors.ReportFilter(), zoom=zoom)
        assert _by_cell(json.loads(live)["features"], zoom) == expected, zoom


def test_the_grid_answers_the_cluster_view(client, six_reports):
    # Counts only the grid knows prove where the answer came from: the grid, not the reports.
    ReportCell.objects.filter(level=grid.grid_level(12)).update(n=100)
    assert sum(f["properties"]["count"] for f in clusters(client, 12)) > 100
    # A date filter cannot be answered from the grid: the reports are grouped themselves.
    assert sum(f["properties"]["count"] for f in clusters(client, 12, date_from="2000-01-01")) == 6


def test_a_bbox_counts_the_cells_it_touches(client, six_reports):
    # A box around the Dom only: Ehrenfeld's reports (3 km west) are not in it.
    bbox = f"{DOM[0] - 0.002},{DOM[1] - 0.001},{DOM[0] + 0.002},{DOM[1] + 0.001}"
    assert sum(f["properties"]["count"] for f in clusters(client, 14, bbox=bbox)) == 4


def test_every_write_keeps_the_grid_equal_to_the_public_reports(
    make_report, six_reports, django_user_model
):
    assert sum(_public_cells().values()) == 6 * len(grid.LEVELS)
    assert _grid_cells() == _public_cells()
    new = make_report(DOM[0] + 0.01, DOM[1])  # filed and confirmed: counted
    assert _grid_cells() == _public_cells()
    make_report(DOM[0] + 0.02, DOM[1], publish=False)  # never confirmed: never counted
    assert _grid_cells() == _public_cells()
    staff = django_user_model.objects.create_user("moderator", is_staff=True)
    services.report_moderate(report=new, reason="Beleidigung", actor=staff, hidden=True)
    assert _grid_cells() == _public_cells()
    assert sum(n for key, n in _grid_cells().items() if key[0] == 16) == 6  # hidden: gone
    services.report_moderate(report=new, reason="Doch in Ordnung", actor=staff, hidden=False)
    services.report_status_change(report=new, status=Status.CLOSED, note="")
    services.report_support(report=new)  # changes no count: the cells stay as they are
    assert _grid_cells() == _public_cells()
    Report.objects.filter(pk=new.pk).update(geom=lonlat_point(*EHRENFELD))  # moved by staff
    assert _grid_cells() == _public_cells()
    Report.objects.filter(pk=new.pk).delete()
    assert _grid_cells() == _public_cells()
    assert ReportCell.objects.filter(n__lte=0).count() == 0, "emptied cells are removed"


def lonlat_point(lon: float, lat: float):
    return point_from_lonlat(lon=lon, lat=lat)


def _tile(client, tmp_path, zoom: int, point=DOM) -> tuple[tuple[int, int, int], list[dict]]:
    z, x, y = tile_containing(*point, zoom)
    response = client.get(f"/tiles/reports/{z}/{x}/{y}.mvt")
    assert response.status_code == 200
    return (z, x, y), decode_tile(response.content, tmp_path, z, x, y)["features"]


def _public_in_tile(z: int, x: int, y: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {Report._meta.db_table} WHERE id = ANY(%s) AND "  # noqa: S608
            "ST_Intersects(ST_Transform(geom, 3857), ST_TileEnvelope(%s, %s, %s))",
            [list(Report.objects.public().values_list("id", flat=True)), z, x, y],
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize("zoom", [10, 12, 14, 15])
def test_low_zoom_report_tiles_carry_clusters_of_the_public_reports(
    client, tmp_path, six_reports, zoom
):
    (z, x, y), features = _tile(client, tmp_path, zoom)
    expected = _public_in_tile(z, x, y)
    assert expected >= 4, "the Dom's public reports are in this tile"
    for feature in features:
        assert set(feature["properties"]) <= {"count", "open", "mvt_id"}, "no report fields"
    west, south, east, north = _tile_bounds(z, x, y)
    inside = [
        f
        for f in features
        if west <= f["geometry"]["coordinates"][0] < east
        and south <= f["geometry"]["coordinates"][1] < north
    ]
    assert sum(f["properties"]["count"] for f in inside) == expected


def test_report_tiles_at_the_cluster_threshold_carry_the_reports(client, tmp_path, six_reports):
    _, features = _tile(client, tmp_path, 16)
    numbers = {f["properties"]["number"] for f in features}
    assert numbers and numbers <= set(Report.objects.public().values_list("number", flat=True))


def _tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) "
            "FROM ST_Transform(ST_TileEnvelope(%s, %s, %s), 4326) AS e",
            [z, x, y],
        )
        return cursor.fetchone()


def test_the_reports_etag_changes_with_every_public_change(client, make_report, django_user_model):
    # The reports layer's ETag comes from indexes (grid count, newest events, newest update),
    # not from scanning every report: each public change must still change it.
    def etag() -> str:
        response = client.get("/geojson/reports.geojson")
        assert response.status_code == 200
        return response["ETag"]

    report = make_report()
    staff = django_user_model.objects.create_user("moderator", is_staff=True)
    seen = [etag()]
    changes = [
        lambda: services.report_support(report=report),
        lambda: services.report_status_change(report=report, status=Status.IN_PROGRESS, note=""),
        lambda: services.report_moderate(report=report, reason="Test", actor=staff, hidden=True),
        lambda: make_report(EHRENFELD[0], EHRENFELD[1]),
        lambda: Report.objects.filter(pk=report.pk).delete(),
    ]
    for change in changes:
        change()
        seen.append(etag())
        assert seen[-1] != seen[-2], f"the ETag stayed after change {len(seen) - 1}"
