"""The report form and house numbers (#13): a typed address with a number is filed at the
interpolated point under the citizen's address, with or without JavaScript; an address in
another city or postcode, or a weak match, is never filed."""

import re

import pytest
from django.contrib.gis.geos import MultiPoint

from geoportal import selectors
from geoportal.models import Street
from reports.models import Report

from .test_citizen_flow import _form

pytestmark = pytest.mark.django_db


def _placed(number: int):
    venloer = Street.objects.get(label="Venloer Straße, Köln")
    return selectors.address_locate(street=venloer, number=number)


@pytest.mark.parametrize("number", [200, 198])
def test_a_typed_house_number_is_filed_at_its_interpolated_point(client, koeln, number):
    response = client.post("/melden/", _form(address=f"Venloer Straße {number}"))
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.geom.distance(_placed(number).point) < 0.5
    assert report.address == f"Venloer Straße {number}, 50823 Köln"


@pytest.mark.parametrize("number", [200, 198])
def test_without_javascript_the_checked_place_keeps_its_number(client, koeln, number):
    checked = client.post("/melden/", _form(address=f"Venloer Straße {number}", action="check"))
    page = checked.content.decode()
    assert f"Ort: Venloer Straße {number}, 50823 Köln" in page
    lat = re.search(r'name="lat" value="([^"]+)"', page)[1]
    lon = re.search(r'name="lon" value="([^"]+)"', page)[1]
    address = re.search(r'name="address" value="([^"]+)"', page)[1]
    response = client.post(
        "/melden/", _form(address=address, lat=lat, lon=lon, duplicates_seen="True")
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.geom.distance(_placed(number).point) < 0.5
    assert report.address == f"Venloer Straße {number}, 50823 Köln"


@pytest.mark.parametrize("action", ["submit", "check"])
def test_a_house_number_range_is_filed_under_the_range(client, koeln, action):
    """"Venloer Straße 200-202" was filed as "…200": one building on both numbers, placed
    between them, with or without JavaScript's check step."""
    between = MultiPoint(_placed(200).point, _placed(202).point).centroid
    response = client.post("/melden/", _form(address="Venloer Straße 200-202", action=action))
    if action == "check":
        page = response.content.decode()
        assert "Ort: Venloer Straße 200–202, 50823 Köln" in page
        fields = {
            name: re.search(rf'name="{name}" value="([^"]+)"', page)[1]
            for name in ("lat", "lon", "address")
        }
        response = client.post("/melden/", _form(**fields, duplicates_seen="True"))
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.address == "Venloer Straße 200–202, 50823 Köln"
    assert report.geom.distance(between) < 0.5


def test_the_report_page_shows_the_named_house(client, koeln):
    client.post("/melden/", _form(address="Venloer Straße 198"))
    report = Report.objects.get()
    from reports.services import report_confirm

    report_confirm(token=report.reporter.confirm_token)
    page = client.get(f"/meldungen/{report.number}/").content.decode()
    assert "Venloer Straße 198, 50823 Köln" in page


def test_a_label_sent_with_other_coordinates_is_not_taken(client, koeln):
    """A moved pin keeps the typed label in the field; an edited label is the sender's text.
    Neither becomes the public address: the point's own address does."""
    placed = _placed(200).point.transform(4326, clone=True)
    elsewhere = _placed(292).point.transform(4326, clone=True)
    for address, where in [
        ("Venloer Straße 200, 50823 Köln", elsewhere),
        ("Venloer Straße 200, 50823 Köln – Tel. 0170 1234567", placed),
    ]:
        response = client.post(
            "/melden/",
            _form(address=address, lat=f"{where.y:.6f}", lon=f"{where.x:.6f}",
                  duplicates_seen="True"),
        )
        assert response.status_code == 302
        report = Report.objects.latest("pk")
        assert report.address != address
        assert re.fullmatch(r"Venloer Straße \d+, 50823 Köln", report.address)
    assert Report.objects.latest("pk").address == "Venloer Straße 200, 50823 Köln"


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("Poppelsdorfer Allee 1, Bonn", "„Bonn“ liegt nicht im Gebiet"),
        ("53115 Bonn", "Postleitzahl 53115 liegt nicht im Gebiet"),
        ("Poppelsdorfer Allee 1, 53115 Bonn", "Postleitzahl 53115 liegt nicht im Gebiet"),
        ("Venloer Straße 200, 50823 Bonn", "Die Postleitzahl 50823 gehört zu Köln, nicht zu Bonn."),
    ],
)
def test_without_javascript_another_city_is_refused_with_its_reason(client, koeln, address,
                                                                     message):
    for action in ("submit", "check"):
        response = client.post("/melden/", _form(address=address, action=action))
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not Report.objects.exists()


def test_without_javascript_a_weak_match_is_offered_never_filed(client, koeln):
    response = client.post("/melden/", _form(address="Poppelsdorfer Allee 1"))
    assert response.status_code == 400
    page = response.content.decode()
    # One weak match is not "ambiguous", and nothing was taken that "other matches" could follow.
    assert "„Poppelsdorfer Allee 1“ haben wir nicht sicher gefunden. Meinten Sie" in page
    assert "nicht eindeutig" not in page and "Andere Treffer" not in page
    assert "Meinten Sie:" in page
    picks = re.findall(r'name="address_pick" value="[^"|]+\|([^"]+)"', page)
    assert "Giesdorfer Allee 1, 50997 Köln" in picks, "the citizen sees the candidate"
    assert not Report.objects.exists()


def test_without_javascript_a_shared_name_asks_which_quarter(client, koeln):
    response = client.post("/melden/", _form(address="Hauptstraße"))
    assert response.status_code == 400
    picks = re.findall(r'name="address_pick" value="[^"|]+\|([^"]+)"', response.content.decode())
    assert {"Hauptstraße, Köln-Rodenkirchen", "Hauptstraße, Köln-Widdersdorf",
            "Hauptstraße, Köln-Zündorf"} <= set(picks)
    assert not Report.objects.exists()


def test_without_javascript_a_postcode_chooses_the_quarter(client, koeln):
    response = client.post("/melden/", _form(address="Hauptstraße 5, 51143 Köln"))
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.address == "Hauptstraße 5, 51143 Köln-Zündorf"
    assert report.quarter.name == "Zündorf"


def test_without_javascript_a_postcode_holding_none_of_them_asks_and_says_why(client, koeln):
    response = client.post("/melden/", _form(address="Hauptstraße 5, 50667 Köln"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "„Hauptstraße“ liegt nicht im Postleitzahlgebiet 50667." in page
    picks = re.findall(r'name="address_pick" value="[^"|]+\|([^"]+)"', page)
    assert "Hauptstraße 5, 51143 Köln-Zündorf" in picks
    assert not Report.objects.exists()


def test_a_report_on_a_suffixed_street_shows_its_quarter_not_the_suffix(client, make_report):
    weiden = Street.objects.get(source_name="Schillerstr. We")
    point = weiden.geom[0].interpolate_normalized(0.5).transform(4326, clone=True)
    report = make_report(point.x, point.y)
    assert report.address.startswith("Schillerstraße") and "Köln-Weiden" in report.address
    page = client.get(f"/meldungen/{report.number}/").content.decode()
    assert report.address in page
    assert "Schillerstraße We" not in page and "Schillerstr. We" not in page


def test_without_javascript_the_weak_match_is_explained_in_english(client, koeln):
    response = client.post(
        "/melden/", _form(address="Poppelsdorfer Allee 1"), HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert "We are not sure we found “Poppelsdorfer Allee 1”" in page
    assert "Did you mean:" in page
    assert not Report.objects.exists()


def _hidden(page: str) -> dict:
    """The hidden fields a browser without JavaScript sends back with the next step."""
    return {name: value.replace("&amp;", "&") for name, value in re.findall(
        r'<input type="hidden" name="(lat|lon|point_address|duplicates_seen)" value="([^"]*)"',
        page)}


def test_without_javascript_an_address_typed_over_a_chosen_place_is_the_one_filed(client, koeln):
    """A candidate chosen, then another address typed: the hidden lat/lon of the first place
    stayed, and the report was filed there under its address, the typed one ignored."""
    page = client.post("/melden/", _form(address="Hauptstraße 5")).content.decode()
    pick = next(v for v in re.findall(r'name="address_pick" value="([^"]+)"', page)
                if v.endswith("|Hauptstraße 5, 51143 Köln-Zündorf"))
    page = client.post("/melden/", {**_form(address="Hauptstraße 5", action="check"),
                                    "address_pick": pick}).content.decode()
    hidden = _hidden(page)
    assert hidden["lat"] and hidden["point_address"] == "Hauptstraße 5, 51143 Köln-Zündorf"

    response = client.post("/melden/", {**_form(address="Venloer Straße 200"), **hidden})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.address == "Venloer Straße 200, 50823 Köln"
    assert report.quarter.name == "Ehrenfeld"


def test_without_javascript_a_checked_address_sent_unchanged_keeps_its_point(client, koeln):
    page = client.post("/melden/", _form(address="Venloer Str. 200", action="check"))
    hidden = _hidden(page.content.decode())
    assert hidden["point_address"] == "Venloer Straße 200, 50823 Köln"
    response = client.post("/melden/", {
        **_form(address="Venloer Straße 200, 50823 Köln"), **hidden})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.address == "Venloer Straße 200, 50823 Köln"
    assert (round(report.geom.transform(4326, clone=True).y, 6)) == float(hidden["lat"])
