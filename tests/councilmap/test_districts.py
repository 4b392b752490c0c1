"""One definition of "in a district" for the council map filter and its statistics: the
Stadtbezirk covering a point on the place, stored on the place."""

import json

import pytest
from django.contrib.gis.geos import LineString, MultiLineString, Point

from councilmap.models import Paper, PaperLocation
from councilmap.selectors import DecisionFilter, decision_list, decision_stats_by_district
from geoportal.models import Area, AreaKind

pytestmark = pytest.mark.django_db


def district(name: str) -> Area:
    return Area.objects.get(kind=AreaKind.DISTRICT, name=name)


def test_filter_and_statistics_agree_for_every_district(council):
    stats = {row["code"]: row["papers"] for row in decision_stats_by_district(
        filters=DecisionFilter())}
    for code, papers in stats.items():
        listed = decision_list(filters=DecisionFilter(district=code))
        assert len({row["id"] for row in listed}) == papers, code


def test_a_street_reaching_over_the_boundary_belongs_to_one_district_only(council, client):
    lindenthal, ehrenfeld = district("Lindenthal"), district("Ehrenfeld")
    # A line mostly in Lindenthal whose end reaches 50 m into Ehrenfeld.
    shared = lindenthal.geom.intersection(ehrenfeld.geom)
    edge = shared.centroid if not shared.empty else ehrenfeld.geom.point_on_surface
    inner = lindenthal.geom.point_on_surface
    (x0, y0), (x1, y1) = inner.coords, edge.coords
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    end = (x1 + (x1 - x0) / length * 50, y1 + (y1 - y0) / length * 50)
    # Its only inner vertex (the point on it PostGIS picks) lies in Lindenthal.
    line = LineString((x0, y0), ((x0 + x1) / 2, (y0 + y1) / 2), end, srid=inner.srid)
    assert ehrenfeld.geom.covers(Point(line.coords[-1], srid=line.srid))
    paper = Paper.objects.create(oparl_id="https://example.org/paper/boundary",
                                 name="Boundary test")
    place = PaperLocation.objects.create(
        paper=paper, source="manual", precision="street", name="x",
        geom=MultiLineString(line, srid=line.srid),
    )
    assert place.district_id == lindenthal.pk
    in_ehrenfeld = decision_list(filters=DecisionFilter(district=ehrenfeld.code))
    assert paper.pk not in {row["id"] for row in in_ehrenfeld}
    in_lindenthal = decision_list(filters=DecisionFilter(district=lindenthal.code))
    assert paper.pk in {row["id"] for row in in_lindenthal}
    response = client.get("/api/rat/beschluesse.geojson", {"district": ehrenfeld.code})
    ids = {f["properties"]["paper_id"] for f in json.loads(response.content)["features"]}
    assert paper.pk not in ids
