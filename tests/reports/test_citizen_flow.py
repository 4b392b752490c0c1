"""Filing a report with plain HTML forms (no JavaScript), confirming it, following it."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reports.models import Report, Status
from reports.outbox import outbox_process_once
from reports.services import report_status_change

from .conftest import DOM, EHRENFELD, jpeg_with_gps

pytestmark = pytest.mark.django_db


def _form(**overrides) -> dict:
    data = {
        "category": "schlagloch",
        "address": "",
        "lat": "",
        "lon": "",
        "description": "Tiefes Schlagloch mitten auf der Fahrbahn.",
        "name": "",
        "email": "buerger@example.org",
        "phone": "",
        "action": "submit",
    }
    data.update(overrides)
    return data


def test_the_form_page_works_without_javascript(client, koeln):
    page = client.get("/melden/").content.decode()
    assert 'name="address"' in page and 'type="file"' in page
    assert "Schlagloch" in page and "<optgroup" in page


def test_a_report_by_address_search_alone_is_confirmed_and_followed(client, koeln):
    response = client.post("/melden/", _form(address="Venloer Straße"))
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == Status.UNCONFIRMED and not report.is_public
    # The address is what lies at the found point: Köln's register gives the house number.
    assert re.fullmatch(r"Venloer Straße \d+, \d{5} Köln", report.address)
    thanks = client.get(response["Location"]).content.decode()
    assert report.number in thanks and "Bestätigungslink" in thanks
    assert client.get(f"/meldungen/{report.number}/").status_code == 404, "not public yet"

    outbox_process_once()
    (confirm,) = mail.outbox
    assert confirm.to == ["buerger@example.org"] and report.number in confirm.subject
    assert f"/meldungen/{report.number}/" in confirm.body, "the link to follow it"
    link = re.search(r"http://\S+/melden/bestaetigen/\S+/", confirm.body).group(0)
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200 and "Meldung bestätigen" in page.content.decode()
    report.refresh_from_db()
    assert not report.is_public, "opening the link (a mail scanner does) publishes nothing"
    confirmed = client.post(urlsplit(link).path)
    assert confirmed.status_code == 200
    assert client.post(urlsplit(link).path).status_code == 200, "a second click is harmless"
    assert client.get("/melden/bestaetigen/falsch/").status_code == 404
    report.refresh_from_db()
    assert report.is_public and report.status == Status.OPEN
    outbox_process_once()
    subjects = sorted(m.subject for m in mail.outbox[1:])
    assert subjects == [
        f"Ihre Meldung {report.number} ist eingegangen",
        f"Neue Meldung {report.number}: Straße > Schlagloch",
    ]
    assert f"/meldungen/{report.number}/" in mail.outbox[-1].body or (
        f"/meldungen/{report.number}/" in mail.outbox[-2].body
    )

    report_status_change(report=report, status=Status.IN_PROGRESS, note="Kolonne bestellt")
    page = client.get(f"/meldungen/{report.number}/").content.decode()
    assert "In Bearbeitung" in page and "Kolonne bestellt" in page
    assert "Eingegangen" in page and "Amt für Straßen und Verkehrsentwicklung" in page


def test_a_pin_from_the_map_or_gps_files_the_report(client, koeln):
    response = client.post(
        "/melden/", _form(lat=EHRENFELD[1], lon=EHRENFELD[0], category="ampel-defekt")
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.is_public, "Ampel defekt needs no confirmation"
    assert report.district.name == "Ehrenfeld"


def test_the_photo_position_places_the_report_and_its_metadata_is_gone(client, koeln):
    photo = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(*EHRENFELD), "image/jpeg")
    response = client.post("/melden/", {**_form(category="ampel-defekt"), "photos": [photo]})
    assert response.status_code == 302, response.content.decode()[:2000]
    report = Report.objects.get()
    assert report.district.name == "Ehrenfeld"
    (stored,) = report.photos.all()
    data = default_storage.open(stored.image.name).read()
    assert b"Exif" not in data and b"Secret Phone" not in data
    served = client.get(f"/meldungen/{report.number}/fotos/{stored.pk}.jpg")
    assert served.status_code == 200 and b"".join(served.streaming_content) == data


def test_already_reported_nearby_is_shown_before_filing(client, make_report):
    existing = make_report(*DOM, code="schlagloch", description="Loch vor dem Dom")
    make_report(6.9600, 50.9358, code="laterne-defekt")  # other category: not a duplicate
    response = client.post("/melden/", _form(lat=50.9420, lon=6.9585))  # ~90 m away
    assert response.status_code == 200
    page = response.content.decode()
    assert "Schon gemeldet?" in page and existing.number in page
    assert Report.objects.count() == 2, "nothing filed yet"
    assert 'name="duplicates_seen" value="True"' in page
    response = client.post("/melden/", _form(lat=50.9420, lon=6.9585, duplicates_seen="True"))
    assert response.status_code == 302
    assert Report.objects.count() == 3


def test_supporting_an_existing_report(client, make_report):
    report = make_report(*DOM)
    response = client.post(f"/meldungen/{report.number}/unterstuetzen/")
    assert response.status_code == 302
    client.post(f"/meldungen/{report.number}/unterstuetzen/")  # the same browser again
    report.refresh_from_db()
    assert report.supporters == 1
    page = client.get(response["Location"]).content.decode()
    assert "Danke für Ihre Unterstützung" in page and "einer weiteren Person" in page


def test_a_report_without_supporters_does_not_count_zero_people(client, make_report):
    report = make_report(*DOM)
    page = client.get(f"/meldungen/{report.number}/").content.decode()
    assert "Unterstützt von" not in page and "0 weiteren" not in page


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"lat": 50.7374, "lon": 7.0982}, "außerhalb von Köln"),  # Bonn
        ({"lat": 48.85, "lon": 2.35}, "außerhalb des Gebiets, das dieses Portal bedient"),  # Paris
        ({"address": "Nirgendwostraße 99x"}, "kennen wir nicht"),
        ({}, "Bitte den Ort angeben"),
        ({"address": "Venloer Straße", "email": ""}, "Dieses Feld ist zwingend"),
        ({"address": "Venloer Straße", "category": "strasse"}, "Auswahl"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_filed(
    client, koeln, overrides, field_message
):
    response = client.post("/melden/", _form(**overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert field_message in page
    assert 'class="error-summary" role="alert"' in page, "one summary with links to the fields"
    assert not Report.objects.exists()


def test_a_broken_photo_is_refused_with_a_message(client, koeln):
    bad = SimpleUploadedFile("x.jpg", b"not a jpeg", "image/jpeg")
    response = client.post("/melden/", {**_form(address="Venloer Straße"), "photos": [bad]})
    assert response.status_code == 400
    assert "kein lesbares Bild" in response.content.decode() or "Bild" in response.content.decode()
    assert not Report.objects.exists()


def test_the_public_list_filters_by_category_status_district_and_date(client, make_report):
    dom = make_report(*DOM, code="schlagloch")
    ehrenfeld = make_report(*EHRENFELD, code="baum")
    report_status_change(report=ehrenfeld, status=Status.CLOSED)

    def numbers(query: str) -> set[str]:
        page = client.get(f"/meldungen/?{query}").content.decode()
        return {n for n in (dom.number, ehrenfeld.number) if f"/meldungen/{n}/" in page}

    assert numbers("") == {dom.number, ehrenfeld.number}
    assert numbers("category=strasse") == {dom.number}
    assert numbers("category=baum") == {ehrenfeld.number}
    assert numbers("status=closed") == {ehrenfeld.number}
    assert numbers("status=open_all") == {dom.number}
    assert numbers("district=05315000-4") == {ehrenfeld.number}
    assert numbers("date_from=2000-01-01&date_to=2000-12-31") == set()
    today = timezone.localdate(dom.created_at).isoformat()
    assert numbers(f"date_from={today}&date_to={today}") == {dom.number, ehrenfeld.number}


def test_more_than_three_photos_are_refused(client, koeln):
    photos = [SimpleUploadedFile(f"{i}.jpg", jpeg_with_gps(*DOM), "image/jpeg") for i in range(4)]
    response = client.post("/melden/", {**_form(address="Venloer Straße"), "photos": photos})
    assert response.status_code == 400
    assert "Höchstens 3 Fotos" in response.content.decode()
    assert not Report.objects.exists()


def test_without_javascript_another_address_match_can_be_chosen(client, koeln):
    response = client.post("/melden/", _form(address="Aachener", action="check"))
    # "Aachener" alone is not sure: the citizen is asked, with the candidates to pick from.
    assert response.status_code == 400
    page = response.content.decode()
    assert "nicht eindeutig" in page
    picks = re.findall(r'name="address_pick" value="([^"]+)"', page)
    assert picks, "other matches are offered as buttons"
    chosen = picks[0].replace("&#x27;", "'").replace("&amp;", "&")
    label = chosen.split("|", 1)[1]
    response = client.post("/melden/", {**_form(address="Aachener"), "address_pick": chosen})
    assert response.status_code == 200
    assert f"Ort: {label}" in response.content.decode()
    response = client.post(
        "/melden/",
        _form(
            address=label,
            lat=chosen.split(",")[0],
            lon=chosen.split(",")[1].split("|")[0],
            duplicates_seen="True",
        ),
    )
    assert response.status_code == 302
    assert Report.objects.get().address


def test_the_report_page_writes_coordinates_with_a_decimal_point(client, make_report):
    # German number formatting would turn 50.9413 into "50,9413" and break the map.
    report = make_report(*DOM)
    page = client.get(f"/meldungen/{report.number}/").content.decode()
    assert 'data-lat="50.9413" data-lon="6.9581"' in page


def test_checking_the_place_needs_only_place_and_category(client, make_report):
    existing = make_report(*DOM)
    response = client.post(
        "/melden/", _form(address="Roncalliplatz", description="", email="", action="check")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ort: Roncalliplatz, Köln" in page and existing.number in page
    assert "zwingend erforderlich" not in page, "no complaints about fields not filled in yet"
    assert Report.objects.count() == 1


def test_a_report_filed_in_english_is_answered_in_english(client, koeln):
    client.post("/melden/", _form(address="Venloer Straße", phone="+49 170 1234567"),
                HTTP_ACCEPT_LANGUAGE="en")
    report = Report.objects.get()
    assert report.reporter.language == "en"
    outbox_process_once()
    (confirm,) = mail.outbox
    assert confirm.subject == f"Please confirm your report {report.number}"
    assert "as soon as you confirm it here" in confirm.body
    link = re.search(r"http://\S+/melden/bestaetigen/\S+/", confirm.body).group(0)
    client.post(urlsplit(link).path)  # confirmed from a German browser: still the filing language
    report_status_change(report=report, status=Status.IN_PROGRESS, note="")
    outbox_process_once()
    subjects = {m.subject for m in mail.outbox}
    assert f"Your report {report.number} has been received" in subjects
    assert f"Report {report.number}: In progress" in subjects
    assert f"Neue Meldung {report.number}: Straße > Schlagloch" in subjects, "the office: German"
