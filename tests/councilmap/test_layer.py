"""Council places as an OGC layer: which paper a place belongs to (title, Aktenzeichen, type,
date, RIS link) on every service; deleted papers and matched text stay out."""

import json
import math

import pytest
from lxml import etree

from councilmap.models import Paper, PaperLocation
from tests.geoportal.ogc.conftest import decode_tile

pytestmark = pytest.mark.django_db

PLACE_FIELDS = {"paper_id", "name", "source", "precision", "confidence"}
PAPER_FIELDS = {"paper_name", "reference", "paper_type", "paper_date", "web"}
XSD = "{http://www.w3.org/2001/XMLSchema}"


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _paper_properties(paper: Paper) -> dict:
    return {
        "paper_id": paper.pk,
        "paper_name": paper.name,
        "reference": paper.reference,
        "paper_type": paper.paper_type,
        "paper_date": paper.date.isoformat() if paper.date else None,
        "web": paper.web,
    }


def _dated_place() -> PaperLocation:
    """A place whose paper has every field filled, so no check passes on empty values."""
    place = (PaperLocation.objects.filter(paper__deleted=False, paper__date__isnull=False)
             .exclude(paper__reference="").exclude(paper__paper_type="").exclude(paper__web="")
             .select_related("paper").order_by("pk").first())
    assert place is not None  # positive control: the demo papers have all of it
    return place


def _tile_of(point, z: int) -> tuple[int, int, int]:
    p = point.transform(4326, clone=True)
    n = 2**z
    y = int((1 - math.asinh(math.tan(math.radians(p.y))) / math.pi) / 2 * n)
    return z, int((p.x + 180) / 360 * n), y


def test_places_of_live_papers_only_and_no_matched_text(client, council):
    live = PaperLocation.objects.filter(paper__deleted=False)
    body = client.get("/ogcapi/collections/council_places/items", {"f": "json", "limit": 500})
    body = body.json()
    assert body["numberMatched"] == live.count()
    assert body["features"]
    for feature in body["features"]:
        assert "matched_text" not in feature["properties"]
        assert set(feature["properties"]) == PLACE_FIELDS | PAPER_FIELDS


def test_wfs_describes_and_serves_the_paper_of_a_place(client, council):
    place = _dated_place()
    schema = etree.fromstring(_content(client.get("/wfs", {
        "SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "DescribeFeatureType",
        "TYPENAMES": "council_places"})))
    types = {e.get("name"): e.get("type") for e in schema.iter(f"{XSD}element")}
    assert {name: types[name] for name in PAPER_FIELDS} == {
        "paper_name": "string", "reference": "string", "paper_type": "string",
        "paper_date": "date", "web": "anyURI"}
    doc = json.loads(_content(client.get("/wfs", {
        "SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
        "TYPENAMES": "council_places", "OUTPUTFORMAT": "geojson",
        "RESOURCEID": f"council_places.{place.pk}"})))
    [feature] = doc["features"]
    assert feature["properties"].items() >= _paper_properties(place.paper).items()
    # GML, as QGIS and GDAL read it by default.
    gml = etree.fromstring(_content(client.get("/wfs", {
        "SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
        "TYPENAMES": "council_places", "RESOURCEID": f"council_places.{place.pk}"})))
    values = {el.tag.split("}")[-1]: el.text for el in gml.iter() if isinstance(el.tag, str)}
    assert values["reference"] == place.paper.reference
    assert values["paper_date"] == place.paper.date.isoformat()


def test_ogc_api_queryables_schema_and_items_carry_the_paper(client, council):
    place = _dated_place()
    base = "/ogcapi/collections/council_places"
    queryables = client.get(f"{base}/queryables").json()["properties"]
    assert queryables["paper_date"] == {"type": ["string", "null"], "format": "date"}
    assert set(queryables) >= PAPER_FIELDS
    schema = client.get(f"{base}/schema").json()["properties"]["properties"]["properties"]
    assert set(schema) >= PAPER_FIELDS
    item = client.get(f"{base}/items/{place.pk}").json()
    assert item["properties"].items() >= _paper_properties(place.paper).items()
    # A planner filters on the Aktenzeichen; the value is a parameter, not SQL.
    found = client.get(f"{base}/items", {"reference": place.paper.reference}).json()
    assert {f["properties"]["paper_id"] for f in found["features"]} == {place.paper_id}


def test_geojson_and_tiles_carry_the_paper(client, council, tmp_path):
    place = _dated_place()
    doc = json.loads(_content(client.get("/geojson/council_places.geojson")))
    props = next(f["properties"] for f in doc["features"] if f["id"] == place.pk)
    assert props.items() >= _paper_properties(place.paper).items()
    z, x, y = _tile_of(place.geom.point_on_surface, 14)
    tile = decode_tile(client.get(f"/tiles/council_places/{z}/{x}/{y}.mvt").content,
                       tmp_path, z, x, y)
    mine = [f["properties"] for f in tile["features"] if f["properties"]["mvt_id"] == place.pk]
    assert mine and mine[0]["reference"] == place.paper.reference
    assert mine[0]["paper_name"] == place.paper.name


def test_a_deleted_paper_is_in_no_service(client, council):
    place = _dated_place()
    Paper.objects.filter(pk=place.paper_id).update(deleted=True)
    base = "/ogcapi/collections/council_places"
    assert client.get(f"{base}/items/{place.pk}").status_code == 404
    found = client.get(f"{base}/items", {"reference": place.paper.reference}).json()
    assert found["numberMatched"] == 0
    wfs = json.loads(_content(client.get("/wfs", {
        "SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
        "TYPENAMES": "council_places", "OUTPUTFORMAT": "geojson"})))
    assert wfs["features"]  # positive control: the other papers' places are there
    assert place.paper_id not in {f["properties"]["paper_id"] for f in wfs["features"]}
    doc = json.loads(_content(client.get("/geojson/council_places.geojson")))
    assert place.pk not in {f["id"] for f in doc["features"]}
