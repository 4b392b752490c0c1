import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import connection

from geoportal import selectors
from geoportal.models import Area, AreaKind, AreaPart

pytestmark = pytest.mark.django_db

KNOWN_PLACES = [
    ("Kölner Dom", 6.9581, 50.9413, "Innenstadt", "Altstadt/Nord"),
    ("RheinEnergieStadion", 6.8750, 50.9336, "Lindenthal", "Müngersdorf"),
    ("Porz Markt", 7.0636, 50.8822, "Porz", "Porz"),
    ("Wiener Platz", 7.0125, 50.9640, "Mülheim", "Mülheim"),
    ("Bahnhof Ehrenfeld", 6.9175, 50.9515, "Ehrenfeld", "Ehrenfeld"),
    ("Pariser Platz", 6.8954, 51.0281, "Chorweiler", "Chorweiler"),
    ("Wilhelmplatz", 6.9553, 50.9660, "Nippes", "Nippes"),
    ("Universität", 6.9290, 50.9280, "Lindenthal", "Lindenthal"),
]


def test_demo_city_has_its_areas():
    assert Area.objects.filter(kind=AreaKind.MUNICIPALITY, name="Köln").count() == 1
    assert Area.objects.filter(kind=AreaKind.DISTRICT).count() == 9
    assert Area.objects.filter(kind=AreaKind.QUARTER).count() == 86


def test_every_quarter_lies_in_exactly_one_district():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT q.name, q.parent_id, array_agg(d.id ORDER BY d.id)
            FROM geoportal_area q JOIN geoportal_area d
              ON d.kind = 'district' AND ST_Intersects(d.geom, q.geom)
             AND ST_Area(ST_Intersection(d.geom, q.geom)) > 0.01 * ST_Area(q.geom)
            WHERE q.kind = 'quarter' GROUP BY q.id
            """
        )
        rows = cursor.fetchall()
    assert len(rows) == 86
    for name, parent_id, districts in rows:
        assert districts == [parent_id], f"{name} overlaps districts {districts}"


def test_districts_have_the_city_as_parent():
    koeln = Area.objects.get(kind=AreaKind.MUNICIPALITY)
    assert set(Area.objects.filter(kind=AreaKind.DISTRICT).values_list("parent", flat=True)) == {
        koeln.pk
    }


@pytest.mark.parametrize(("place", "lon", "lat", "district", "quarter"), KNOWN_PLACES)
def test_known_points_land_in_their_district_and_quarter(
    lonlat, place, lon, lat, district, quarter
):
    areas = selectors.areas_covering(point=lonlat(lon, lat))
    assert [(a.kind, a.name) for a in areas] == [
        ("municipality", "Köln"),
        ("district", district),
        ("quarter", quarter),
    ], place


def test_point_outside_every_area_gets_no_area(lonlat):
    assert selectors.areas_covering(point=lonlat(13.4050, 52.5200)) == []  # Berlin


def _square(x: float, y: float, size: float) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((x, y, x + size, y + size)), srid=25832)


def test_point_on_a_shared_boundary_goes_to_the_lowest_code():
    west = Area.objects.create(
        kind=AreaKind.DISTRICT, code="T-2", name="West", geom=_square(0, 0, 100)
    )
    east = Area.objects.create(
        kind=AreaKind.DISTRICT, code="T-1", name="East", geom=_square(100, 0, 100)
    )
    on_edge = west.geom.centroid.__class__(100, 50, srid=25832)
    assert set(Area.objects.covering(on_edge)) == {west, east}
    for _ in range(3):
        assert selectors.area_covering(point=on_edge, kind=AreaKind.DISTRICT) == east
        assert selectors.areas_covering(point=on_edge) == [east]


def test_parts_follow_the_area_through_the_trigger():
    area = Area.objects.get(kind=AreaKind.MUNICIPALITY)
    parts = AreaPart.objects.filter(area=area)
    assert parts.count() > 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT max(ST_NPoints(geom)) FROM geoportal_areapart WHERE area_id = %s", [area.pk]
        )
        assert cursor.fetchone()[0] <= 128
    area.geom = _square(0, 0, 10)
    area.save()
    [part] = AreaPart.objects.filter(area=area)
    assert part.geom.equals(Polygon.from_bbox((0, 0, 10, 10)))


class TestAreasApi:
    def test_areas_at_the_dom(self, client):
        response = client.get("/api/areas/", {"lat": 50.9413, "lon": 6.9581})
        assert response.status_code == 200
        assert [(a["kind"], a["name"]) for a in response.json()["results"]] == [
            ("municipality", "Köln"),
            ("district", "Innenstadt"),
            ("quarter", "Altstadt/Nord"),
        ]

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"lat": "abc", "lon": "6.95"}, "lat"),
            ({"lon": "6.95"}, "lat"),
            ({"lat": "50.9", "lon": "200"}, "lon"),
            ({"lat": "0", "lon": "0"}, "lat"),
        ],
    )
    def test_bad_coordinates_get_a_400_that_names_the_field(self, client, params, field):
        response = client.get("/api/areas/", params)
        assert response.status_code == 400
        body = response.json()
        assert body["status"] == 400
        assert field in body["errors"]
        assert body["detail"]

    def test_point_outside_the_city_is_an_empty_answer(self, client):
        response = client.get("/api/areas/", {"lat": 52.52, "lon": 13.405})
        assert response.status_code == 200
        assert response.json() == {"results": []}

    def test_areas_geojson_is_built_in_postgres(self, client, django_assert_max_num_queries):
        # One query builds the GeoJSON; the other sets its statement timeout.
        with django_assert_max_num_queries(2):
            response = client.get("/api/areas.geojson", {"kind": "district"})
        assert response["Content-Type"] == "application/geo+json"
        collection = response.json()
        assert len(collection["features"]) == 9
        geometry = collection["features"][0]["geometry"]
        assert geometry["type"] == "MultiPolygon"
        lon, lat = geometry["coordinates"][0][0][0]
        assert 6.7 < lon < 7.2 and 50.8 < lat < 51.1

    def test_unknown_kind_is_a_400(self, client):
        response = client.get("/api/areas.geojson", {"kind": "planet"})
        assert response.status_code == 400
        assert "kind" in response.json()["errors"]
