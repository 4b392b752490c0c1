"""Grouping public reports on a zoom-dependent grid, for maps with more reports than one
GeoJSON response holds."""

import pytest

from reports import selectors
from reports.models import Report

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
    import json

    from reports.models import Status
    from reports.services import report_status_change

    report_status_change(report=Report.objects.public().first(), status=Status.CLOSED, note="")
    [only] = json.loads(selectors.reports_clusters_geojson(zoom=8))["features"]
    assert only["properties"] == {"count": 6, "open": 5}


@pytest.mark.parametrize("zoom", ["-1", "23", "x"])
def test_a_bad_zoom_is_a_400(client, zoom):
    response = client.get("/meldungen/karte.geojson", {"cluster_zoom": zoom})
    assert response.status_code == 400
    assert "cluster_zoom" in response.json()["errors"]
