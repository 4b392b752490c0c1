"""WFS 2.0 requests over the Django test client: capabilities, schema, formats, filters, errors."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test import Client
from lxml import etree

from geoportal.models import Area, AreaKind, Street

pytestmark = pytest.mark.django_db
NS = {
    "wfs": "http://www.opengis.net/wfs/2.0",
    "ows": "http://www.opengis.net/ows/1.1",
    "gml": "http://www.opengis.net/gml/3.2",
    "xs": "http://www.w3.org/2001/XMLSchema",
    "app": "https://geoportal.example/ns/wfs",
}


def wfs(client, method="get", **params):
    params = {"SERVICE": "WFS", "VERSION": "2.0.0", **params}
    response = client.get("/wfs", params)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


def exception_text(content: bytes) -> str:
    root = etree.fromstring(content)
    assert root.tag == "{http://www.opengis.net/ows/1.1}ExceptionReport"
    return root.findtext(".//ows:ExceptionText", namespaces=NS)


def test_capabilities_advertise_paging_and_crs(client):
    response, content = wfs(client, REQUEST="GetCapabilities")
    root = etree.fromstring(content)
    get_feature = root.find(".//ows:Operation[@name='GetFeature']", NS)
    count_default = get_feature.find("ows:Constraint[@name='CountDefault']/ows:DefaultValue", NS)
    assert count_default.text == "1000"
    quarters = root.find(".//wfs:FeatureType[wfs:Name='app:quarters']", NS)
    assert quarters.findtext("wfs:DefaultCRS", namespaces=NS) == "urn:ogc:def:crs:EPSG::25832"
    assert [e.text for e in quarters.findall("wfs:OtherCRS", NS)] == [
        "urn:ogc:def:crs:EPSG::4326",
        "urn:ogc:def:crs:EPSG::3857",
    ]


def test_describe_feature_type_lists_only_public_fields(client):
    _, content = wfs(client, REQUEST="DescribeFeatureType", TYPENAMES="addresses")
    names = etree.fromstring(content).xpath(".//xs:element/@name", namespaces=NS)
    assert set(names) == {
        "addresses",
        "street_name",
        "house_number",
        "house_number_suffix",
        "postcode",
        "city",
        "geom",
    }


def test_geojson_and_number_matched(client):
    response, content = wfs(
        client,
        REQUEST="GetFeature",
        TYPENAMES="quarters",
        COUNT="10",
        OUTPUTFORMAT="geojson",
        SORTBY="name DESC",
    )
    doc = json.loads(content)
    assert doc["numberMatched"] == 86 and doc["numberReturned"] == 10
    names = [f["properties"]["name"] for f in doc["features"]]
    assert names == sorted(names, reverse=True)


def test_csv_output_has_public_columns(client):
    _, content = wfs(client, REQUEST="GetFeature", TYPENAMES="districts", OUTPUTFORMAT="csv")
    rows = list(csv.DictReader(io.StringIO(content.decode())))
    assert len(rows) == 9
    assert "source" not in rows[0] and rows[0]["name"]


def test_fes_filter_and_stable_default_order(client):
    flt = (
        '<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsLike '
        'wildCard="*" singleChar="?" escapeChar="!"><fes:ValueReference>name</fes:ValueReference>'
        "<fes:Literal>Aachener*</fes:Literal></fes:PropertyIsLike></fes:Filter>"
    )
    _, content = wfs(
        client, REQUEST="GetFeature", TYPENAMES="streets", FILTER=flt, OUTPUTFORMAT="geojson"
    )
    ids = [f["id"] for f in json.loads(content)["features"]]
    expected = Street.objects.filter(name__startswith="Aachener").order_by("name", "pk")
    assert ids == [f"streets.{pk}" for pk in expected.values_list("pk", flat=True)]


@pytest.mark.parametrize(
    ("srsname", "first_is_lat"),
    [("urn:ogc:def:crs:EPSG::4326", True), ("EPSG:4326", False)],
)
def test_axis_order_follows_the_crs_spelling(client, srsname, first_is_lat):
    area = Area.objects.get(kind=AreaKind.DISTRICT, name="Innenstadt")
    _, content = wfs(
        client,
        REQUEST="GetFeature",
        TYPENAMES="districts",
        SRSNAME=srsname,
        RESOURCEID=f"districts.{area.pk}",
    )
    pos = etree.fromstring(content).xpath("string(.//gml:posList)", namespaces=NS).split()
    first, second = float(pos[0]), float(pos[1])
    lat, lon = (first, second) if first_is_lat else (second, first)
    assert 50.8 < lat < 51.1 and 6.7 < lon < 7.2


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<wfs:GetFeature service="WFS" version="2.0.0" xmlns:wfs="http://www.opengis.net/wfs/2.0"
  xmlns:fes="http://www.opengis.net/fes/2.0"><wfs:Query typeNames="districts"><fes:Filter>
<fes:PropertyIsEqualTo><fes:ValueReference>name</fes:ValueReference>
<fes:Literal>&lol3;</fes:Literal></fes:PropertyIsEqualTo></fes:Filter></wfs:Query>
</wfs:GetFeature>"""
XXE_FILTER = """<?xml version="1.0"?><!DOCTYPE f [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsEqualTo>
<fes:ValueReference>name</fes:ValueReference><fes:Literal>&xxe;</fes:Literal>
</fes:PropertyIsEqualTo></fes:Filter>"""


def test_billion_laughs_post_is_refused(client):
    response = client.post("/wfs", BILLION_LAUGHS, content_type="text/xml")
    assert response.status_code == 400
    assert "DTD" in exception_text(response.content)


def test_xxe_in_filter_is_refused_without_reading_the_file(client):
    response, content = wfs(client, REQUEST="GetFeature", TYPENAMES="districts", FILTER=XXE_FILTER)
    assert response.status_code == 400
    assert b"root:" not in content
    assert "DTD" in exception_text(content)


def test_xxe_in_post_body_is_refused(client):
    body = XXE_FILTER.replace(
        "<fes:Filter",
        "<wfs:GetFeature service='WFS' version='2.0.0' "
        "xmlns:wfs='http://www.opengis.net/wfs/2.0'><wfs:Query "
        "typeNames='districts'><fes:Filter",
    ).replace("</fes:Filter>", "</fes:Filter></wfs:Query></wfs:GetFeature>")
    response = client.post("/wfs", body, content_type="text/xml")
    assert response.status_code == 400
    assert b"root:" not in response.content


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"TYPENAMES": "nope"}, "nope"),
        ({"TYPENAMES": "districts", "SRSNAME": "EPSG:31467"}, "does not support CRS"),
        ({"TYPENAMES": "districts", "SRSNAME": "EPSG:banana"}, ""),
        ({"TYPENAMES": "districts", "BBOX": "1,2,3"}, "BBOX"),
        ({"TYPENAMES": "districts", "BBOX": "a,b,c,d"}, "BBOX"),
        ({"TYPENAMES": "districts", "BBOX": "nan,nan,nan,nan"}, "geometry"),
        ({"TYPENAMES": "districts", "FILTER": "<fes:Filter"}, "FILTER"),
        ({"TYPENAMES": "districts", "FILTER": "<Filter><Nope/></Filter>"}, ""),
        ({"TYPENAMES": "districts", "SORTBY": "source"}, "source"),
        ({"TYPENAMES": "districts", "COUNT": "-1"}, "COUNT"),
        ({"TYPENAMES": "districts", "STARTINDEX": "99999999999999999999"}, "STARTINDEX"),
    ],
)
def test_bad_requests_are_exception_reports(client, params, message):
    response, content = wfs(client, REQUEST="GetFeature", **params)
    assert response.status_code == 400
    assert message in exception_text(content)


def test_list_query_count_does_not_grow_with_the_page(client, django_assert_max_num_queries):
    # Savepoints and statement_timeout around the two phases (dispatch, streaming) included,
    # and one prefetch of the page's quarters (the streets layer's `quarter_name`).
    for count in ("10", "5000"):
        with django_assert_max_num_queries(10):
            _, content = wfs(client, REQUEST="GetFeature", TYPENAMES="streets", COUNT=count)
        assert content.count(b"<app:streets ") == int(count)


def test_sorting_by_a_shared_value_still_pages_every_row_once(client):
    # Many quarters share a parent district: SORTBY parent_id alone is not a total order.
    seen = []
    for start in range(0, 86, 20):
        _, content = wfs(
            client,
            REQUEST="GetFeature",
            TYPENAMES="quarters",
            OUTPUTFORMAT="geojson",
            SORTBY="parent_id",
            COUNT="20",
            STARTINDEX=str(start),
        )
        seen += [f["id"] for f in json.loads(content)["features"]]
    assert len(seen) == len(set(seen)) == 86


def test_a_query_over_the_statement_timeout_is_a_503_report(client, settings):
    settings.GEOPORTAL_SERVICES_STATEMENT_TIMEOUT = "1ms"
    # Distance from every street to a point: no index helps, well over a millisecond.
    flt = (
        '<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0" '
        'xmlns:gml="http://www.opengis.net/gml/3.2"><fes:Beyond>'
        "<fes:ValueReference>geom</fes:ValueReference>"
        '<gml:Point srsName="urn:ogc:def:crs:EPSG::25832"><gml:pos>356000 5644000</gml:pos>'
        '</gml:Point><fes:Distance uom="m">10</fes:Distance></fes:Beyond></fes:Filter>'
    )
    response, content = wfs(
        client, REQUEST="GetFeature", TYPENAMES="streets", FILTER=flt, RESULTTYPE="hits"
    )
    assert response.status_code == 503, content[:300]
    assert "too long" in exception_text(content)


def test_post_requests_need_no_csrf_token():
    # QGIS and GDAL POST XML without cookies or tokens; Django's CSRF check must not apply.
    body = (
        "<wfs:GetFeature service='WFS' version='2.0.0' outputFormat='geojson' "
        "xmlns:wfs='http://www.opengis.net/wfs/2.0'><wfs:Query typeNames='districts'/>"
        "</wfs:GetFeature>"
    )
    response = Client(enforce_csrf_checks=True).post("/wfs", body, content_type="text/xml")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(json.loads(content)["features"]) == 9


def test_a_filter_nested_thousands_deep_is_a_400(client):
    depth = 5000
    body = (
        "<wfs:GetFeature service='WFS' version='2.0.0' xmlns:wfs='http://www.opengis.net/wfs/2.0'"
        " xmlns:fes='http://www.opengis.net/fes/2.0'><wfs:Query typeNames='streets'><fes:Filter>"
        + "<fes:Not>"
        * depth
        + "<fes:PropertyIsEqualTo><fes:ValueReference>name</fes:ValueReference>"
        "<fes:Literal>x</fes:Literal></fes:PropertyIsEqualTo>"
        + "</fes:Not>" * depth
        + "</fes:Filter></wfs:Query></wfs:GetFeature>"
    )
    response = client.post("/wfs", body, content_type="text/xml")
    assert response.status_code == 400
    assert "nested too deeply" in exception_text(response.content)


@pytest.mark.parametrize("reference", ["municipality/source", "municipality__source", "source"])
def test_filters_cannot_reach_unpublished_fields(client, reference):
    flt = (
        "<fes:Filter xmlns:fes='http://www.opengis.net/fes/2.0'><fes:PropertyIsEqualTo>"
        f"<fes:ValueReference>{reference}</fes:ValueReference><fes:Literal>x</fes:Literal>"
        "</fes:PropertyIsEqualTo></fes:Filter>"
    )
    response, content = wfs(client, REQUEST="GetFeature", TYPENAMES="streets", FILTER=flt)
    assert response.status_code == 400
    assert "does not exist" in exception_text(content)


@pytest.mark.parametrize(
    "bbox",
    [
        "50.935,6.94,50.945,6.96,urn:ogc:def:crs:EPSG::4326",  # EPSG axis order: lat/lon
        "6.94,50.935,6.96,50.945,EPSG:4326",  # legacy spelling: lon/lat
    ],
)
def test_bbox_axis_order_follows_the_crs_spelling(client, bbox):
    response, content = wfs(
        client, REQUEST="GetFeature", TYPENAMES="streets", BBOX=bbox, RESULTTYPE="hits"
    )
    matched = int(etree.fromstring(content).get("numberMatched"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM geoportal_street WHERE ST_Intersects(geom, "
            "ST_Transform(ST_MakeEnvelope(6.94, 50.935, 6.96, 50.945, 4326), 25832))"
        )
        assert matched == cursor.fetchone()[0] > 20
