"""#13 audit, the council map's outputs: a paper on a name Köln has in several quarters waits
for review and shows in no output (GeoJSON, WFS, OGC API, tiles); every placed street is one
street row; a house number is placed at its point; filter and statistics count a paper near a
district border in the same one district."""

import json
import math

import pytest
from django.contrib.gis.geos import LineString, MultiLineString

from councilmap.geocoding import paper_placement
from councilmap.models import Paper, PaperLocation, PlacementReview
from councilmap.selectors import DecisionFilter, decision_stats_by_district
from councilmap.services import paper_locations_rebuild
from geoportal import selectors
from geoportal.models import Area, AreaKind, Street
from tests.geoportal.ogc.conftest import decode_tile

pytestmark = pytest.mark.django_db


def _tile_of(point, z: int) -> tuple[int, int, int]:
    p = point.transform(4326, clone=True)
    n = 2**z
    y = int((1 - math.asinh(math.tan(math.radians(p.y))) / math.pi) / 2 * n)
    return z, int((p.x + 180) / 360 * n), y


def _paper(name: str, key: str) -> Paper:
    paper = Paper.objects.create(oparl_id=f"https://example.org/paper/audit-{key}", name=name)
    paper_locations_rebuild(paper=paper, oparl_places=None)
    return paper


def _paper_ids_everywhere(client, tmp_path, *, tiles_at) -> dict[str, set[int]]:
    """The papers each public output shows, read as its clients read it."""
    seen = {}
    body = json.loads(client.get("/api/rat/beschluesse.geojson").content)
    seen["geojson"] = {f["properties"]["paper_id"] for f in body["features"]}
    response = client.get("/wfs", {"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
                                   "TYPENAMES": "council_places", "OUTPUTFORMAT": "geojson"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    seen["wfs"] = {f["properties"]["paper_id"] for f in json.loads(content)["features"]}
    body = client.get("/ogcapi/collections/council_places/items", {"f": "json", "limit": 1000})
    seen["ogcapi"] = {f["properties"]["paper_id"] for f in body.json()["features"]}
    seen["tiles"] = set()
    for point in tiles_at:
        z, x, y = _tile_of(point, 14)
        tile = client.get(f"/tiles/council_places/{z}/{x}/{y}.mvt")
        if tile.content:
            doc = decode_tile(tile.content, tmp_path, z, x, y)
            seen["tiles"] |= {f["properties"]["paper_id"] for f in doc["features"]}
    return seen


def test_an_ambiguous_paper_is_in_review_and_in_no_output(council, client, tmp_path):
    ambiguous = _paper("Anfrage zur Verkehrssituation in der Hauptstraße", "hauptstrasse")
    control = _paper("Gehweg vor dem Haus Venloer Straße 200", "venloer")
    hauptstrassen = list(Street.objects.filter(name="Hauptstraße"))
    assert not PaperLocation.objects.filter(paper=ambiguous).exists()
    review = PlacementReview.objects.get(paper=ambiguous)
    assert sorted(c["label"] for c in review.candidates) == sorted(s.label for s in hauptstrassen)
    where = [s.geom[0].interpolate_normalized(0.5) for s in hauptstrassen]
    where.append(PaperLocation.objects.get(paper=control).geom)
    seen = _paper_ids_everywhere(client, tmp_path, tiles_at=where)
    for output, papers in seen.items():
        assert control.pk in papers, output  # positive control: a placed paper is there
        assert ambiguous.pk not in papers, output
    body = json.loads(client.get("/api/rat/beschluesse.geojson", {"paper": ambiguous.pk}).content)
    assert body["features"] == []


def test_a_house_number_in_a_title_is_its_interpolated_point(council):
    paper = _paper("Gehweg vor dem Haus Venloer Straße 200", "venloer-200")
    [place] = PaperLocation.objects.filter(paper=paper)
    venloer = Street.objects.get(label="Venloer Straße, Köln")
    assert place.precision == "address" and place.geom.geom_type == "Point"
    assert place.geom.distance(selectors.address_locate(street=venloer, number=200).point) < 1
    # A name in two quarters with the committee's district: the point, not the 6 km street.
    result = paper_placement(name="Ampel vor dem Haus Neusser Straße 450",
                             committee="Bezirksvertretung 5 (Nippes)")
    [placed] = result.places
    neusser = Street.objects.get(label="Neusser Straße, Köln-Weidenpesch")
    assert placed.precision == "address" and placed.geom.geom_type == "Point"
    assert placed.geom.distance(selectors.address_locate(street=neusser, number=450).point) < 1


def test_a_house_number_only_one_namesake_has_tells_the_streets_apart(council):
    """No committee, no quarter: only Weidenpesch's Neusser Straße has a house 450 (Eil's
    ends far below), so a clerk places it there; a number both have stays a question."""
    result = paper_placement(name="Ampel vor dem Haus Neusser Straße 450", committee="")
    [placed] = result.places
    neusser = Street.objects.get(label="Neusser Straße, Köln-Weidenpesch")
    assert placed.geom.distance(selectors.address_locate(street=neusser, number=450).point) < 1
    both = [s for s in Street.objects.filter(name="Neusser Straße")
            if (found := selectors.address_locate(street=s, number=10)) and found.in_range]
    assert len(both) > 1, "positive control: a number several namesakes have"
    unsure = paper_placement(name="Ampel vor dem Haus Neusser Straße 10", committee="")
    assert unsure.places == [] and unsure.reviews


def test_every_placed_street_of_the_council_data_is_one_street_row(council):
    streets = PaperLocation.objects.filter(precision__in=["street", "street_section"])
    assert streets.count() >= 5  # positive control: the demo papers name streets
    for place in streets.exclude(street_id=None):
        street = Street.objects.get(pk=place.street_id)
        assert street.geom.buffer(1).covers(place.geom), (place.name, street.label)
        same_name = Street.objects.filter(name=street.name).exclude(pk=street.pk)
        for other in same_name:
            assert not other.geom.buffer(1).covers(place.geom), (place.name, other.label)


def test_filter_and_statistics_put_a_paper_at_a_border_in_one_district(council, client):
    lindenthal = Area.objects.get(kind=AreaKind.DISTRICT, name="Lindenthal")
    ehrenfeld = Area.objects.get(kind=AreaKind.DISTRICT, name="Ehrenfeld")
    edge = lindenthal.geom.intersection(ehrenfeld.geom).point_on_surface
    start = lindenthal.geom.intersection(edge.buffer(400)).point_on_surface
    end = ehrenfeld.geom.intersection(edge.buffer(60)).point_on_surface
    line = LineString(start.coords, edge.coords, end.coords, srid=edge.srid)

    def counts():
        stats = decision_stats_by_district(filters=DecisionFilter())
        by_code = {row["code"]: row["papers"] for row in stats}
        api = {row["code"]: row["papers"]
               for row in client.get("/api/rat/statistik/").json()["districts"]}
        assert api == by_code
        return by_code[lindenthal.code], by_code[ehrenfeld.code]

    before = counts()
    paper = Paper.objects.create(oparl_id="https://example.org/paper/audit-border", name="Border")
    PaperLocation.objects.create(paper=paper, source="manual", precision="street", name="x",
                                 geom=MultiLineString(line, srid=line.srid))
    after = counts()
    assert (after[0] - before[0], after[1] - before[1]) == (1, 0)
    for district, expected in ((lindenthal, True), (ehrenfeld, False)):
        body = json.loads(client.get("/api/rat/beschluesse.geojson",
                                     {"district": district.code}).content)
        assert (paper.pk in {f["properties"]["paper_id"] for f in body["features"]}) is expected
