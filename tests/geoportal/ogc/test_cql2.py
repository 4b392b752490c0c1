"""OGC API - Features Part 3: CQL2 text and JSON filters and queryables, each result compared with
the ORM's answer to the same question."""

import json
from urllib.parse import urlencode

import pytest
from django.contrib.gis.geos import Point

from geoportal.models import Area, AreaKind
from geoportal.ogc.layers import all_layers

from .test_ogcapi import get_json

pytestmark = pytest.mark.django_db
QUARTERS = "/ogcapi/collections/quarters"
DOM = (6.958, 50.9413)  # Kölner Dom, lon/lat


def quarters():
    return Area.objects.filter(kind=AreaKind.QUARTER)


def codes(client, **query) -> list[str]:
    doc = get_json(client, f"{QUARTERS}/items?{urlencode({'limit': 1000, **query})}")
    assert doc["numberMatched"] == doc["numberReturned"] == len(doc["features"])
    return sorted(f["properties"]["code"] for f in doc["features"])


def expected(queryset) -> list[str]:
    return sorted(queryset.values_list("code", flat=True))


def dom_quarters():
    return quarters().filter(geom__intersects=Point(*DOM, srid=4326))


def first_name() -> str:
    return quarters().order_by("code").first().name


@pytest.mark.parametrize(
    ("text", "queryset"),
    [
        (lambda: f"name = '{first_name()}'", lambda: quarters().filter(name=first_name())),
        (lambda: "name LIKE 'Neu%'", lambda: quarters().filter(name__startswith="Neu")),
        (
            lambda: "name <> 'x' AND NOT name LIKE '%e%'",
            lambda: quarters().exclude(name__contains="e"),
        ),
        (
            lambda: "name IN ('Ehrenfeld', 'Lindenthal', 'Nippes')",
            lambda: quarters().filter(name__in=["Ehrenfeld", "Lindenthal", "Nippes"]),
        ),
        (
            lambda: "code BETWEEN '05315000-100' AND '05315000-299'",
            lambda: quarters().filter(code__gte="05315000-100", code__lte="05315000-299"),
        ),
        (
            lambda: f"S_INTERSECTS(geometry, POINT({DOM[0]} {DOM[1]}))",
            dom_quarters,
        ),
        (
            lambda: "S_INTERSECTS(geom, ENVELOPE(6.94 50.935 6.96 50.945)) OR name = 'Porz'",
            lambda: (
                quarters().filter(geom__intersects=_box(6.94, 50.935, 6.96, 50.945))
                | quarters().filter(name="Porz")
            ),
        ),
        # CQL2 1.0's own text forms, beside the draft ones pygeofilter 0.4 was written for.
        (
            lambda: "S_INTERSECTS(geom, BBOX(6.94, 50.935, 6.96, 50.945))",
            lambda: quarters().filter(geom__intersects=_box(6.94, 50.935, 6.96, 50.945)),
        ),
        (lambda: "\"name\" LIKE 'Neu%'", lambda: quarters().filter(name__startswith="Neu")),
        (
            lambda: "updated_at T_AFTER TIMESTAMP('2000-01-01T00:00:00Z')",
            lambda: quarters(),
        ),
        (
            lambda: "updated_at T_BEFORE TIMESTAMP('2000-01-01T00:00:00Z')",
            lambda: quarters().none(),
        ),
    ],
)
def test_cql2_text_selects_what_the_orm_selects(client, text, queryset):
    got = codes(client, filter=text())
    assert got == expected(queryset())


def _box(*bounds):
    from django.contrib.gis.geos import Polygon

    box = Polygon.from_bbox(bounds)
    box.srid = 4326
    return box


def test_the_filter_has_rows_to_find():
    # Positive control: the cases above do not all pass by matching nothing.
    assert dom_quarters().count() == 1
    assert quarters().filter(name__startswith="Neu").count() >= 2


@pytest.mark.parametrize(
    ("doc", "queryset"),
    [
        (
            {"op": "=", "args": [{"property": "name"}, "Ehrenfeld"]},
            lambda: quarters().filter(name="Ehrenfeld"),
        ),
        (
            {
                "op": "s_intersects",
                "args": [{"property": "geometry"}, {"type": "Point", "coordinates": list(DOM)}],
            },
            dom_quarters,
        ),
        (
            {
                "op": "and",
                "args": [
                    {"op": "like", "args": [{"property": "name"}, "%dorf"]},
                    {"op": "not", "args": [{"op": "=", "args": [{"property": "name"}, "x"]}]},
                ],
            },
            lambda: quarters().filter(name__endswith="dorf"),
        ),
        (
            {
                "op": "t_after",
                "args": [{"property": "updated_at"}, {"timestamp": "2000-01-01T00:00:00Z"}],
            },
            quarters,
        ),
        (
            {
                "op": "s_intersects",
                "args": [{"property": "geometry"}, {"bbox": [6.94, 50.935, 6.96, 50.945]}],
            },
            lambda: quarters().filter(geom__intersects=_box(6.94, 50.935, 6.96, 50.945)),
        ),
    ],
)
def test_cql2_json_selects_what_the_orm_selects(client, doc, queryset):
    got = codes(client, filter=json.dumps(doc), **{"filter-lang": "cql2-json"})
    assert got == expected(queryset())


def test_filter_crs_reads_geometries_in_the_storage_crs(client):
    dom = Point(*DOM, srid=4326)
    dom.transform(25832)
    got = codes(
        client,
        filter=f"S_INTERSECTS(geometry, POINT({dom.x:.2f} {dom.y:.2f}))",
        **{"filter-crs": "http://www.opengis.net/def/crs/EPSG/0/25832"},
    )
    assert got == expected(dom_quarters())


def test_filter_crs_epsg_4326_is_lat_lon(client):
    got = codes(
        client,
        filter=f"S_INTERSECTS(geometry, POINT({DOM[1]} {DOM[0]}))",
        **{"filter-crs": "http://www.opengis.net/def/crs/EPSG/0/4326"},
    )
    assert got == expected(dom_quarters())


def test_filter_combines_with_bbox_and_pages_with_its_links(client):
    query = urlencode({"filter": "name LIKE '%e%'", "limit": 5})
    doc = get_json(client, f"{QUARTERS}/items?{query}")
    assert doc["numberMatched"] == quarters().filter(name__contains="e").count() > 5
    following = next(link["href"] for link in doc["links"] if link["rel"] == "next")
    assert "filter=" in following
    assert get_json(client, following)["numberMatched"] == doc["numberMatched"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"filter": "source = 'x'"}, "unknown property 'source'"),
        ({"filter": "name_key LIKE 'a%'"}, "unknown property 'name_key'"),
        ({"filter": "upper(name) = 'PORZ'"}, "unknown function 'upper'"),
        ({"filter": "CASEI(name) = casei('porz')"}, "CASEI and ACCENTI"),
        ({"filter": "ACCENTI(name) = accenti('Porz')"}, "CASEI and ACCENTI"),
        ({"filter": "S_INTERSECTS(geom, BBOX(6.9, 50.9, 7.0))"}, "unknown function 'bbox'"),
        ({"filter": "name = "}, "not valid cql2-text"),
        ({"filter": "name = 'x'; DROP TABLE geoportal_area"}, "not valid cql2-text"),
        ({"filter": "{not json", "filter-lang": "cql2-json"}, "not valid cql2-json"),
        (
            {
                "filter": json.dumps({"op": "=", "args": [{"property": "secret"}, 1]}),
                "filter-lang": "cql2-json",
            },
            "unknown property 'secret'",
        ),
        ({"filter": "name = 'x'", "filter-lang": "ecql"}, "filter-lang must be"),
        ({"filter": "parent_id = 'abc'"}, "does not fit"),
        ({"filter": "name = 'x'", "filter-crs": "EPSG:9999"}, "filter-crs must be"),
        ({"filter-lang": "cql2-text"}, "need a filter"),
    ],
)
def test_bad_filters_are_400_problems_naming_the_fault(client, query, message):
    response = client.get(f"{QUARTERS}/items?{urlencode(query)}")
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    assert message in json.loads(response.content)["detail"]


def test_queryables_are_the_published_properties_and_the_geometry(client):
    for layer in all_layers():
        doc = get_json(client, f"/ogcapi/collections/{layer.name}/queryables")
        assert set(doc["properties"]) == {p.name for p in layer.properties} | {"geometry"}
        assert doc["additionalProperties"] is False
    collection = get_json(client, QUARTERS)
    rels = {link["rel"] for link in collection["links"]}
    assert "http://www.opengis.net/def/rel/ogc/1.0/queryables" in rels


def test_conformance_declares_filtering_and_cql2(client):
    classes = set(get_json(client, "/ogcapi/conformance")["conformsTo"])
    assert "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter" in classes
    assert "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text" in classes
    assert "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json" in classes
