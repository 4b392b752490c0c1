"""With JavaScript: a house number typed into the report form's address search is filed at the
interpolated point under that address, also at a corner where the point's nearest street is
another one (#13)."""

import pytest

from .test_browser import (  # noqa: F401 (the autouse fixture applies where it is imported)
    AVAILABLE_APPS,
    _geoportal_files_without_the_app,
    wait_until,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=AVAILABLE_APPS),
]


def test_a_house_number_from_the_address_search_is_the_reports_address(page, live_server, koeln):
    from geoportal import selectors
    from geoportal.models import Street
    from reports.models import Report

    page.goto(f"{live_server.url}/melden/")
    page.select_option("#id_category", "schlagloch")
    page.fill("#id_address", "Venloer Straße 198")
    page.locator("#id_address").press("Enter")
    first = page.locator("#address-results button").first
    first.wait_for()
    assert first.inner_text() == "Venloer Straße 198, 50823 Köln"
    first.click()
    wait_until(page, "document.querySelector('#id_lat').value !== ''")
    page.wait_for_selector("#place:has-text('Ort: Venloer Straße 198, 50823 Köln')")
    page.fill("#id_description", "Gehwegplatte lose vor dem Haus.")
    page.fill("#id_email", "eckhaus@example.org")
    page.click("#submit-report")
    page.wait_for_selector("#report-number")
    report = Report.objects.get(number=page.inner_text("#report-number"))
    assert report.address == "Venloer Straße 198, 50823 Köln"
    venloer = Street.objects.get(label="Venloer Straße, Köln")
    placed = selectors.address_locate(street=venloer, number=198)
    assert report.geom.distance(placed.point) < 0.5


def test_the_address_search_says_why_a_bonn_address_finds_nothing(page, live_server, koeln):
    from reports.models import Report

    page.goto(f"{live_server.url}/melden/")
    page.select_option("#id_category", "schlagloch")
    page.fill("#id_address", "Poppelsdorfer Allee 1, Bonn")
    page.locator("#id_address").press("Enter")
    page.wait_for_selector("#address-results:has-text('„Bonn“ liegt nicht im Gebiet')")
    assert page.locator("#address-results button").count() == 0
    # Sent anyway, the form refuses it with the same reason and files nothing.
    page.fill("#id_description", "Tiefes Loch im Radweg.")
    page.fill("#id_email", "bonn@example.org")
    page.click("#submit-report")
    page.wait_for_selector("#error-summary")
    assert "„Bonn“ liegt nicht im Gebiet" in page.inner_text("#error-summary")
    assert not Report.objects.exists()


def test_the_address_search_says_the_street_is_not_in_the_postcode(page, live_server, koeln):
    """The candidates stay (the citizen picks one), with the reason above them."""
    page.goto(f"{live_server.url}/melden/")
    page.fill("#id_address", "Hauptstraße 5, 50667 Köln")
    page.locator("#id_address").press("Enter")
    page.wait_for_selector(
        "#address-results .note:has-text('„Hauptstraße“ liegt nicht im Postleitzahlgebiet 50667.')"
    )
    labels = page.locator("#address-results button").all_inner_texts()
    assert "Hauptstraße 5, 51143 Köln-Zündorf" in labels and len(labels) >= 3


def test_a_moved_pin_takes_the_address_field_with_it(page, live_server, koeln):
    """Found by search, then moved on the map: the field showed the searched house under the
    new pin's place line. It follows the pin; what the citizen typed themselves stays."""
    from reports.models import Report

    from .test_browser import _click_map_at

    page.goto(f"{live_server.url}/melden/")
    page.select_option("#id_category", "schlagloch")
    page.wait_for_selector("#report-map.leaflet-container")
    page.fill("#id_address", "Venloer Straße 198")
    page.locator("#id_address").press("Enter")
    page.locator("#address-results button").first.click()
    page.wait_for_selector("#place:has-text('Ort: Venloer Straße 198, 50823 Köln')")
    _click_map_at(page, 50.94483, 6.9286)  # across the Innere Kanalstraße, by number 151
    wait_until(page, "!document.querySelector('#place').textContent.includes('198')")
    page.wait_for_load_state("networkidle")
    shown = page.inner_text("#place").removeprefix("Ort: ").split(" (")[0]
    assert shown != "Venloer Straße 198, 50823 Köln"
    assert page.input_value("#id_address") == shown
    page.fill("#id_description", "Gehwegplatte lose.")
    page.fill("#id_email", "verschoben@example.org")
    page.click("#submit-report")
    page.wait_for_selector("#report-number")
    assert Report.objects.get(number=page.inner_text("#report-number")).address == shown

    # A pin outside the city takes the last pin's house out of the field; a district and
    # quarter of one name are named once.
    page.goto(f"{live_server.url}/melden/")
    page.wait_for_selector("#report-map.leaflet-container")
    _click_map_at(page, 50.946431, 6.925213)
    page.wait_for_selector("#place:has-text('(Ehrenfeld)')")
    assert page.input_value("#id_address").startswith("Venloer Straße ")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # the pin's zoom animation, which a new view would race
    _click_map_at(page, 50.7374, 7.0982)  # Bonn
    page.wait_for_selector("#place:has-text('außerhalb von Köln')")
    assert page.input_value("#id_address") == ""

    # Words of the citizen's own are not overwritten by a pin.
    page.goto(f"{live_server.url}/melden/")
    page.wait_for_selector("#report-map.leaflet-container")
    page.fill("#id_address", "vor dem Kiosk")
    _click_map_at(page, 50.94483, 6.9286)
    page.wait_for_selector("#place:has-text('Ort: Venloer Straße 1')")
    page.wait_for_load_state("networkidle")
    assert page.input_value("#id_address") == "vor dem Kiosk"


def test_an_area_picked_in_the_search_shows_the_area_and_sets_no_pin(page, live_server, koeln):
    """Its middle was filed under whatever house stands there; the citizen taps the spot."""
    from reports.models import Report

    page.goto(f"{live_server.url}/melden/")
    page.select_option("#id_category", "schlagloch")
    page.fill("#id_address", "Bickendorf")
    page.locator("#id_address").press("Enter")
    area = page.locator("#address-results button", has_text="Bickendorf (Stadtteil)")
    area.wait_for()
    area.click()
    page.wait_for_selector("#place:has-text('ist ein Gebiet')")
    assert page.input_value("#id_lat") == "" and page.input_value("#id_address") == ""
    assert page.locator(".leaflet-marker-icon").count() == 0
    page.fill("#id_description", "Loch irgendwo in Bickendorf.")
    page.fill("#id_email", "gebiet@example.org")
    page.click("#submit-report")
    page.wait_for_selector("#error-summary")
    assert not Report.objects.exists()


def test_the_address_search_asks_about_a_weak_match(page, live_server, koeln):
    """As the form without JavaScript does: a weak single match is a question, not the place."""
    page.goto(f"{live_server.url}/melden/")
    page.fill("#id_address", "Poppelsdorfer Allee 1")
    page.locator("#id_address").press("Enter")
    first = page.locator("#address-results button").first
    first.wait_for()
    assert first.inner_text() == "Giesdorfer Allee 1, 50997 Köln"
    assert page.locator("#address-results .note").all_inner_texts() == ["Meinten Sie:"]
    page.fill("#id_address", "Venloer Straße 198")
    page.locator("#id_address").press("Enter")
    page.locator("#address-results button", has_text="Venloer Straße 198").wait_for()
    assert page.locator("#address-results .note").count() == 0


def test_a_late_answer_for_an_earlier_pin_does_not_overwrite_the_pin_now(
    page, live_server, koeln
):
    """On a slow phone network a second tap's answers can overtake the first's: the first pin's
    house then stood in the place line and the address field under the second pin."""
    from .test_browser import _click_map_at

    held = []

    def hold_the_first(route):
        if not held:
            held.append(route)  # answered only after the second pin's answer is shown
        else:
            route.continue_()

    page.route("**/api/geocode/reverse*", hold_the_first)
    page.goto(f"{live_server.url}/melden/")
    page.select_option("#id_category", "schlagloch")
    page.wait_for_selector("#report-map.leaflet-container")
    _click_map_at(page, 50.946431, 6.925213)  # Venloer Straße 200, Ehrenfeld
    wait_until(page, "document.querySelector('#id_lat').value !== ''")
    page.wait_for_timeout(500)  # the pin's zoom animation, which a new view would race
    _click_map_at(page, 50.94483, 6.9286)  # across the Innere Kanalstraße, Neustadt/Nord
    page.wait_for_selector("#place:has-text('Ort: ')")  # the second pin's: the first's is held
    page.wait_for_timeout(500)
    shown = page.inner_text("#place")
    assert "Ehrenfeld" not in shown
    held[0].continue_()
    page.wait_for_timeout(1000)
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#place") == shown
    assert page.input_value("#id_address") == shown.removeprefix("Ort: ").split(" (")[0]


def test_a_pin_from_a_photo_says_so_after_the_place_line_is_written(page, live_server, koeln):
    """"– aus dem Foto" was appended as the pin was set, and the reverse answer arriving after
    it wrote the place line over it: the citizen never saw where the pin came from."""
    from .conftest import jpeg_with_gps

    page.goto(f"{live_server.url}/melden/")
    page.select_option("#id_category", "schlagloch")
    page.wait_for_selector("#report-map.leaflet-container")
    page.set_input_files("#id_photos", files=[{
        "name": "IMG_0001.jpg", "mimeType": "image/jpeg",
        "buffer": jpeg_with_gps(6.925213, 50.946431),
    }])
    page.wait_for_selector("#place:has-text('Venloer Straße')")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#place").endswith("(Ehrenfeld) – aus dem Foto")
