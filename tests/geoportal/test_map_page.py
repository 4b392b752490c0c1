"""The city map in a real browser: districts drawn, search usable by keyboard."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_map_shows_districts_and_quarters(page, live_server):
    page.goto(live_server.url + "/")
    expect(page.locator(".leaflet-container")).to_be_visible()
    # 9 district outlines + 86 quarter outlines as SVG paths in Leaflet's overlay pane.
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(95)
    expect(page.get_by_text("Stadtbezirke")).to_be_visible()


def test_search_by_keyboard_alone_finds_a_street(page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_label("Adresse, Straße oder Stadtteil suchen").fill("venloer str")
    page.keyboard.press("Enter")
    first = page.locator("#search-results button").first
    expect(first).to_have_text("Venloer Straße, Köln")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#place")).to_contain_text("Ehrenfeld")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)


def test_phone_viewport_stacks_search_above_the_map(phone_page, live_server):
    phone_page.goto(live_server.url + "/")
    search = phone_page.locator(".map-panel").bounding_box()
    map_box = phone_page.locator("#city-map").bounding_box()
    assert search["y"] + search["height"] <= map_box["y"] + 1
    assert map_box["width"] <= 390


def test_the_city_is_back_after_a_live_server_test(django_db_blocker):
    from geoportal.models import Area, Street

    with django_db_blocker.unblock():
        assert Area.objects.count() == 96
        assert Street.objects.count() == 5516
