import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

from geoportal.models import Area, AreaKind
from reports import services
from reports.models import EventKind, Office, RoutingRule
from reports.routing import NotServed, route_for

from .conftest import DOM, EHRENFELD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("where", "district"),
    [(DOM, "Innenstadt"), (EHRENFELD, "Ehrenfeld"), ((7.0600, 50.8830), "Porz")],
)
def test_a_category_without_a_rule_goes_to_the_bürgeramt_of_its_district(
    koeln, where, district, make_report
):
    report = make_report(*where, code="sonstiges-anliegen")
    assert report.district.name == district
    assert report.office.name == f"Bürgeramt {district}"
    assert report.municipality.code == "05315000"


def test_a_category_rule_beats_the_district_fallback(koeln, make_report):
    report = make_report(*DOM, code="schlagloch")
    assert report.office.name == "Amt für Straßen und Verkehrsentwicklung"
    assert report.district.name == "Innenstadt"
    assert report.quarter is not None
    assert report.address.endswith("Köln")


def test_the_narrowest_area_wins_within_one_category(koeln, category, lonlat):
    point = lonlat(*EHRENFELD)
    district = Area.objects.get(kind=AreaKind.DISTRICT, name="Ehrenfeld")
    quarter = Area.objects.covering(point).get(kind=AreaKind.QUARTER)
    koeln_area = Area.objects.get(kind=AreaKind.MUNICIPALITY, code="05315000")
    for area, name in [(district, "Bezirksgärtnerei Ehrenfeld"), (quarter, "Gärtnerei Quartier")]:
        RoutingRule.objects.create(
            category=category("gruen"),
            area=area,
            office=Office.objects.create(name=name, email="g@example.org", authority=koeln_area),
        )
    route = route_for(category=category("baum"), point=point)
    assert route.office.name == "Gärtnerei Quartier"
    assert route.rule.area == quarter


def test_a_county_rule_serves_a_second_municipality(sindelfingen, make_report):
    kreisstrasse = make_report(*sindelfingen["lonlat"], code="kreisstrasse")
    assert kreisstrasse.office == sindelfingen["landratsamt"]
    assert kreisstrasse.county == sindelfingen["county"]
    assert kreisstrasse.municipality == sindelfingen["town"]
    pothole = make_report(*sindelfingen["lonlat"], code="schlagloch")
    assert pothole.office == sindelfingen["tiefbau"]
    other = make_report(*sindelfingen["lonlat"], code="graffiti")
    assert other.office == sindelfingen["rathaus"]


def test_a_kreisstrasse_in_köln_stays_with_the_city(koeln, make_report):
    assert make_report(*DOM, code="kreisstrasse").office.name == (
        "Amt für Straßen und Verkehrsentwicklung"
    )


@pytest.mark.parametrize("where", [(7.0982, 50.7374), (13.4050, 52.5200)])  # Bonn, Berlin
def test_a_point_outside_every_served_municipality_is_refused(koeln, category, lonlat, where):
    with pytest.raises(NotServed, match="außerhalb von Köln"):
        route_for(category=category("schlagloch"), point=lonlat(*where))


def test_a_point_on_a_district_boundary_is_routed_to_the_lowest_code(koeln, category):
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT ST_AsEWKT(ST_PointN(ST_GeometryN(ST_CollectionExtract(
                 ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom)), 2), 1), 2))
               FROM geoportal_area a JOIN geoportal_area b
                 ON a.kind = 'district' AND b.kind = 'district' AND a.code < b.code
                AND ST_Touches(a.geom, b.geom)
               ORDER BY a.code, b.code LIMIT 1"""
        )
        ewkt = cursor.fetchone()[0]
    point = GEOSGeometry(ewkt)
    codes = sorted(a.code for a in Area.objects.covering(point).filter(kind=AreaKind.DISTRICT))
    assert len(codes) == 2, "the point lies on the shared boundary"
    for _ in range(3):
        route = route_for(category=category("sonstiges-anliegen"), point=point)
        assert route.areas[AreaKind.DISTRICT].code == codes[0]


def test_rerouting_keeps_the_history(koeln, make_report):
    report = make_report(*DOM, code="graffiti")
    first = report.office
    awb = Office.objects.get(name="Abfallwirtschaftsbetriebe Köln (AWB)")
    services.report_reroute(report=report, office=awb, note="Müll, kein Graffiti")
    report.refresh_from_db()
    assert report.office == awb
    offices = [
        e.office for e in report.events.filter(kind__in=[EventKind.ROUTED, EventKind.REROUTED])
    ]
    assert offices == [first, awb]
    assert report.messages.filter(purpose="office_rerouted", recipient=awb.email).exists()
