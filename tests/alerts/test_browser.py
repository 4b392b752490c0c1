"""The subscription form's map in a real browser."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_address_typed_after_a_tap_on_the_map_is_the_place_meant(page, live_server):
    """The tapped centre stayed and won on the server, labelled with the address typed after."""
    page.goto(f"{live_server.url}/benachrichtigen/")
    page.wait_for_selector("#alerts-map.leaflet-container")
    page.locator("#alerts-map").click()
    assert page.input_value("[name=lat]") and page.input_value("[name=lon]")
    page.fill("#id_address", "Venloer Straße 200")
    assert page.input_value("[name=lat]") == "" and page.input_value("[name=lon]") == ""
