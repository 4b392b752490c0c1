"""A new city serves its outline before its street register (docs/new-city.md): a typed address
cannot be looked up there. The sender is told so and pointed at what works (the pin, the
position, a photo's GPS); nothing is filed at a made-up point."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from geoportal.models import Address, Street, StreetNode, StreetSegment
from reports.models import Report
from reports.services import ContactData, Location, ReportSubmitError, report_submit

from .conftest import EHRENFELD, jpeg_with_gps
from .test_citizen_flow import _form

pytestmark = pytest.mark.django_db

NOT_YET = "Adressen können wir hier noch nicht nachschlagen"


def _outline_only() -> None:
    """Köln as a new city has it: areas, no streets, no address points."""
    Address.objects.all().delete()
    StreetNode.objects.all().delete()
    # Segments first, by name: under a browser test's available_apps the registry leaves
    # geoportal out, so deleting the streets would not cascade to them (a FK error at commit).
    StreetSegment.objects.all().delete()
    Street.objects.all().delete()


@pytest.fixture
def outline_only(koeln):
    _outline_only()
    return koeln


@pytest.mark.parametrize("typed", ["Venloer Straße 200", "Hauptstraße", "Ehrenfeld", "Köln"])
def test_a_typed_address_is_refused_with_the_reason_not_as_unknown(outline_only, typed):
    """It read "Diese Adresse kennen wir nicht. Bitte anders schreiben." (or "… ist ein
    Gebiet"): no spelling could have helped."""
    with pytest.raises(ReportSubmitError) as caught:
        report_submit(
            category="schlagloch", location=Location(address=typed),
            description="Ein tiefes Loch.", contact=ContactData(email="a@example.org"),
        )
    assert (caught.value.field, caught.value.code) == ("location", "address_unavailable")
    assert NOT_YET in caught.value.message and "Foto mit GPS-Position" in caught.value.message
    assert not Report.objects.exists()


def test_with_streets_an_unknown_address_is_still_the_senders_to_fix(koeln):
    with pytest.raises(ReportSubmitError) as caught:
        report_submit(
            category="schlagloch", location=Location(address="Xyzzystraße 12"),
            description="Ein tiefes Loch.", contact=ContactData(email="a@example.org"),
        )
    assert caught.value.code == "address_unknown"


def test_the_form_without_javascript_says_so_and_files_by_the_photo(client, outline_only):
    response = client.post("/melden/", _form(address="Venloer Straße 200"))
    assert response.status_code == 400
    page = response.content.decode()
    assert NOT_YET in page and "Diese Adresse kennen wir nicht" not in page
    assert not Report.objects.exists()

    # Told to add a photo, the citizen does; the typed words may stay in the field.
    photo = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(*EHRENFELD), "image/jpeg")
    response = client.post(
        "/melden/", {**_form(address="Venloer Straße 200"), "photos": [photo]}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = Report.objects.get()
    assert report.district.name == "Ehrenfeld"
    assert report.address == "", "no house is known there: none is made up"


def test_the_check_step_takes_the_photo_too(client, outline_only):
    """"Ort prüfen" skipped photos whenever an address was typed: the citizen who added one
    as told got the same refusal again."""
    photo = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(*EHRENFELD), "image/jpeg")
    response = client.post(
        "/melden/",
        {**_form(address="Venloer Straße 200", action="check"), "photos": [photo]},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert NOT_YET not in page and "Ort: Position aus dem Foto" in page
    assert f'name="lat" value="{EHRENFELD[1]}' in page


def test_a_pin_with_typed_words_is_filed_at_the_pin(client, outline_only):
    response = client.post(
        "/melden/", _form(address="Venloer Straße 200", lat=EHRENFELD[1], lon=EHRENFELD[0])
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.district.name == "Ehrenfeld" and report.address == ""


def test_open311_names_its_parameters(client, outline_only):
    response = client.post(
        "/open311/v2/requests.json",
        {"api_key": "demo-open311-key", "service_code": "schlagloch",
         "address_string": "Venloer Straße 200", "description": "Loch",
         "email": "a@example.org"},
    )
    assert response.status_code == 400
    assert json.loads(response.content) == [{
        "code": 400,
        "description": "address_string kann noch nicht nachgeschlagen werden "
                       "(kein Straßenverzeichnis); senden Sie lat und long",
    }]
    assert not Report.objects.exists()
