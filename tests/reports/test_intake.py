"""The one report intake (`services.report_submit`): its checks, and the three adapters mapping
the same `ReportSubmitError` to their own format."""

import json

import pytest

from reports import services
from reports.models import ApiKey, Report, Status
from reports.services import ContactData, Location, ReportSubmitError, report_submit

from .conftest import DOM, EHRENFELD, jpeg_with_gps

pytestmark = pytest.mark.django_db

CONTACT = ContactData(email="melder@example.org", name="M. Elder")


def _submit(**overrides):
    kwargs = {
        "category": "schlagloch",
        "location": Location(lat=DOM[1], lon=DOM[0]),
        "description": "Ein tiefes Loch in der Fahrbahn.",
        "contact": CONTACT,
    }
    kwargs.update(overrides)
    return report_submit(**kwargs)


def test_a_valid_report_is_filed_and_routed_and_waits_for_confirmation(koeln):
    report = _submit()
    assert report.source == "web" and report.status == Status.UNCONFIRMED
    assert report.office.name == "Amt für Straßen und Verkehrsentwicklung"
    assert report.reporter.email == "melder@example.org"


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"category": ""}, "category", "required"),
        ({"category": "gibtsnicht"}, "category", "unknown"),
        ({"category": "strasse"}, "category", "not_leaf"),
        ({"contact": ContactData(email="")}, "email", "required"),
        ({"contact": ContactData(email="kein-at")}, "email", "invalid"),
        ({"contact": ContactData(email="a@example.org", name="x" * 201)}, "name", "too_long"),
        ({"description": "   "}, "description", "required"),
        ({"description": "x" * 2001}, "description", "too_long"),
        ({"location": Location()}, "location", "required"),
        ({"location": Location(address="Xyzzystraße 12")}, "location", "address_unknown"),
        ({"location": Location(lat=48.85, lon=2.35)}, "location", "outside"),  # Paris
        ({"location": Location(lat=50.7374, lon=7.0982)}, "location", "not_served"),  # Bonn
        # A point at the Dom sent with an address in Bonn: neither is taken silently.
        ({"location": Location(lat=DOM[1], lon=DOM[0], address="Poppelsdorfer Allee 1, Bonn")},
         "location", "address_elsewhere"),
        ({"uploads": [b"junk"]}, "photos", "invalid"),
        ({"uploads": [jpeg_with_gps(*DOM)] * 4}, "photos", "too_many"),
        ({"source": "open311"}, "api_key", "forbidden"),
    ],
)
def test_every_bad_input_is_one_error_type_naming_field_and_code(koeln, overrides, field, code):
    with pytest.raises(ReportSubmitError) as caught:
        _submit(**overrides)
    assert (caught.value.field, caught.value.code) == (field, code)
    assert caught.value.message
    assert not Report.objects.exists()


def test_an_inactive_key_is_refused_by_the_intake_too(koeln):
    key = ApiKey.objects.get(key="demo-open311-key")
    assert _submit(source="api", api_key=key).api_key == key
    key.active = False
    with pytest.raises(ReportSubmitError) as caught:
        _submit(source="api", api_key=key)
    assert caught.value.code == "forbidden"


def test_the_place_comes_from_an_address_or_else_from_a_photo(koeln):
    by_address = services.report_locate(location=Location(address="Venloer Straße"))
    assert by_address.found_by == "address" and by_address.label == "Venloer Straße, Köln"
    photos = services.report_photos_clean(uploads=[jpeg_with_gps(*EHRENFELD)])
    by_photo = services.report_locate(location=Location(), photos=photos)
    assert by_photo.found_by == "photo"
    assert (by_photo.lon, by_photo.lat) == pytest.approx(EHRENFELD, abs=1e-5)
    report = _submit(location=Location(), uploads=photos)
    assert report.district.name == "Ehrenfeld" and report.photos.count() == 1


def test_the_three_entry_points_map_the_same_error_to_their_format(client, koeln):
    """A group instead of a leaf category: one check, three formats."""
    web = client.post(
        "/melden/",
        {"category": "strasse", "lat": DOM[1], "lon": DOM[0], "action": "submit",
         "description": "Loch in der Straße", "email": "a@example.org"},
    )
    assert web.status_code == 400 and not Report.objects.exists()
    rest = client.post(
        "/api/reports/",
        {"category": "strasse", "lat": DOM[1], "lon": DOM[0],
         "description": "Loch in der Straße", "email": "a@example.org"},
        content_type="application/json",
        headers={"X-Api-Key": "demo-open311-key"},
    )
    assert rest.status_code == 400 and "category" in rest.json()["errors"]
    assert "Unterkategorie" in rest.json()["detail"]
    open311 = client.post(
        "/open311/v2/requests.json",
        {"api_key": "demo-open311-key", "service_code": "strasse", "lat": DOM[1],
         "long": DOM[0], "description": "Loch", "email": "a@example.org"},
    )
    assert open311.status_code == 404
    assert json.loads(open311.content) == [
        {"code": 404, "description": "service_code 'strasse' nicht gefunden"}
    ]
    assert not Report.objects.exists()


@pytest.mark.parametrize("place", ["Köln", "Bickendorf", "50823 Köln"])
def test_an_area_typed_as_the_place_is_refused_not_filed_at_its_middle(koeln, place):
    """"Köln" was filed at the city's middle as "Neusser Straße 141, 50733 Köln-Nippes"."""
    with pytest.raises(ReportSubmitError) as caught:
        _submit(location=Location(address=place))
    assert caught.value.code == "address_area" and caught.value.field == "location"
    assert f"„{place}“ ist ein Gebiet" in caught.value.message
    assert not Report.objects.exists()


def test_a_street_typed_alone_keeps_its_own_name_where_its_point_is_a_crossing(koeln):
    """The Ehrenfeldgürtel's point lies where the Subbelrather Straße crosses it: the report
    read "Subbelrather Straße 243". A street whose point has its own house keeps that house."""
    report = _submit(location=Location(address="Ehrenfeldgürtel"))
    assert report.address == "Ehrenfeldgürtel, Köln"
    located = services.report_locate(location=Location(address="Ehrenfeldgürtel"))
    again = _submit(location=Location(lat=located.lat, lon=located.lon, address=located.label))
    assert again.address == "Ehrenfeldgürtel, Köln"
    venloer = _submit(location=Location(address="Venloer Straße"))
    assert venloer.address.startswith("Venloer Straße ")
    assert venloer.address != "Venloer Straße, Köln"


def test_open311_refuses_an_area_as_address_string(client, koeln):
    key = ApiKey.objects.create(name="test", key="k-area")
    response = client.post("/open311/v2/requests.json", {
        "api_key": key.key, "service_code": "schlagloch", "address_string": "Köln",
        "email": "a@example.org", "description": "Loch in der Fahrbahn",
    }, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()[0]["description"] == (
        "address_string 'Köln' is an area, not a place; send lat and long, or a street and "
        "house number"
    )
    assert not Report.objects.exists()
