"""One definition of "in a district" for the council map filter and its statistics: the
Stadtbezirk covering a point on the place, stored on the place."""

import json

import pytest
from django.contrib.gis.geos import LineString, MultiLineString

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
    # A line from Lindenthal over the shared boundary 60 m into Ehrenfeld.
    edge = lindenthal.geom.intersection(ehrenfeld.geom).point_on_surface
    start, mid = (lindenthal.geom.intersection(edge.buffer(r)).point_on_surface for r in (400, 150))
    end = ehrenfeld.geom.intersection(edge.buffer(60)).point_on_surface
    # Its only inner vertex (the point on it PostGIS picks) lies in Lindenthal.
    line = LineString(start.coords, mid.coords, end.coords, srid=edge.srid)
    assert ehrenfeld.geom.covers(end) and line.intersects(ehrenfeld.geom)
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
