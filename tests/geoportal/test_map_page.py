"""The city map in a real browser: districts drawn, search usable by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.a11y import assert_accessible

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


def _share_of_map(page, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    map_box = page.locator("#city-map").bounding_box()
    return box["width"] * box["height"] / (map_box["width"] * map_box["height"])


def test_on_a_phone_the_layer_list_is_a_button_that_opens_by_keyboard(phone_page, live_server):
    page = phone_page
    page.goto(live_server.url + "/")
    toggle = page.get_by_role("button", name="Kartenebenen")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("checkbox", name="Stadtbezirke")).to_be_hidden()
    assert _share_of_map(page, ".leaflet-control-layers") < 0.25
    assert_accessible(page)

    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-control-layers")).to_have_class(re.compile("expanded"))
    # Leaflet hides the button while the list is open (so no role lookup for it here).
    expect(page.locator(".leaflet-control-layers-toggle")).to_have_attribute(
        "aria-expanded", "true"
    )
    first = page.locator(".leaflet-control-layers-selector").first
    expect(first).to_be_focused()
    quarters = page.get_by_role("checkbox", name="Stadtteile")
    quarters.focus()
    page.keyboard.press("Space")  # the quarters' outlines off, from the keyboard
    expect(quarters).not_to_be_checked()
    checkbox = page.get_by_role("checkbox", name="Stadtbezirke")
    expect(checkbox).to_be_visible()
    expect(page.get_by_role("button", name="Schließen")).to_be_visible()
    assert_accessible(page)

    page.keyboard.press("Escape")  # folds again and gives the focus back to the button
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert _share_of_map(page, ".leaflet-control-layers") < 0.25

    # Opened by a tap, it folds when the map is tapped: it never covers the centre for good.
    toggle.tap()
    expect(checkbox).to_be_visible()
    map_box = page.locator("#city-map").bounding_box()
    page.mouse.click(map_box["x"] + map_box["width"] / 2, map_box["y"] + map_box["height"] / 2)
    expect(checkbox).to_be_hidden()


def test_on_a_desktop_the_layer_list_stays_open(page, live_server):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("checkbox", name="Stadtbezirke")).to_be_visible()
    expect(page.locator(".layers-close")).to_have_count(0)


def test_the_city_is_back_after_a_live_server_test(django_db_blocker):
    from geoportal.models import Area, Street

    with django_db_blocker.unblock():
        assert Area.objects.count() == 96
        assert Street.objects.count() == 5516


@pytest.mark.parametrize(("locale", "question"), [
    ("de-DE", "Meinten Sie:"), ("en-GB", "Did you mean:"),
])
def test_the_live_search_asks_about_a_weak_match(browser, live_server, settings, locale,
                                                 question):
    """The forms without JavaScript ask "Meinten Sie:" for a weak single match ("Poppelsdorfer
    Allee 1", in Bonn, finds only "Giesdorfer Allee 1, Köln"); the suggestions offered it as
    if it were the place. They ask by the threshold the API sends, not a copy of it."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/")
    box, results = page.locator("#search-q"), page.locator("#search-results")
    box.fill("Poppelsdorfer Allee 1")  # typed, not sent: the live suggestions
    expect(results.locator("button").first).to_have_text("Giesdorfer Allee 1, 50997 Köln")
    expect(results.locator(".note")).to_have_text(question)
    box.fill("Venloer Straße 200")
    expect(results.locator("button").first).to_have_text("Venloer Straße 200, 50823 Köln")
    expect(results.locator(".note")).to_have_count(0)
    settings.GEOPORTAL_SEARCH_ACCEPT_CONFIDENCE = 0.4
    box.fill("Poppelsdorfer Allee 1")
    expect(results.locator("button").first).to_have_text("Giesdorfer Allee 1, 50997 Köln")
    expect(results.locator(".note")).to_have_count(0)
    context.close()
