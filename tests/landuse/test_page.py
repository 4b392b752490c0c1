"""The FNP page in Debian's Chromium: legend, a click on the map, an address from the search."""

import re

import pytest
from playwright.sync_api import expect

from tests.a11y import assert_accessible

pytestmark = pytest.mark.browser

AIRPORT = (50.866, 7.143)


def click_at(page, lat: float, lon: float) -> None:
    """Click the map where a WGS84 point lies on screen, as a user would."""
    x, y = page.evaluate(
        "([lat, lon]) => { const p = window.landuseMap.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }", [lat, lon])
    box = page.locator("#fnp-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_legend_click_and_address_search(page, live_server):
    page.goto(live_server.url + "/fnp/")
    legend = page.locator(".fnp-legend")
    expect(legend.get_by_text("Fläche für den Luftverkehr")).to_be_visible()
    expect(legend.locator("li")).to_have_count(19)
    expect(page.locator("#fnp-map")).to_have_attribute("data-features", re.compile(r"^[1-9]\d+"))
    expect(page.locator(".leaflet-overlay-pane path").first).to_be_attached()
    page.evaluate("([lat, lon]) => window.landuseMap.setView([lat, lon], 14, {animate: false})",
                  list(AIRPORT))
    click_at(page, *AIRPORT)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Fläche für den Luftverkehr")
    expect(popup).to_contain_text("Flächennutzungsplan Köln")
    expect(page.locator("#fnp-answer")).to_contain_text("Nr. 5.4 PlanZV")
    # The area in German notation, without the plan's internal feature id.
    area = re.compile(r"^Größe: [\d.]+(,\d)? ha$")
    expect(page.locator("#fnp-answer .hint").first).to_have_text(area)
    expect(page.locator("#fnp-stats table").first).to_be_visible()
    expect(page.locator("#fnp-stats")).to_contain_text("Porz")
    assert_accessible(page)  # with the plan, its legend, a popup and the statistics on the page
    # The same answer for an address chosen in the search box (one test: each live_server
    # test costs a flush and a reload of the city and the plan).
    page.get_by_label("Was ist hier geplant? Adresse suchen").fill("Berrenrather Str")
    page.keyboard.press("Enter")
    first = page.locator("#search-results button").first
    expect(first).to_contain_text("Berrenrather Straße")
    first.click()
    expect(page.locator("#fnp-answer .fnp-answer-item").first).to_contain_text(
        "Flächennutzungsplan Köln")
    # The click's popup may still be fading out while the address's opens: check the newest.
    expect(page.locator(".leaflet-popup-content").last).to_be_visible()
    # An area shows itself and asks for the spot: its middle's plan is not the area's plan
    # (outside tryout, #13).
    page.get_by_label("Was ist hier geplant? Adresse suchen").fill("Bickendorf")
    page.keyboard.press("Enter")
    page.locator("#search-results button", has_text="Bickendorf (Stadtteil)").click()
    expect(page.locator("#fnp-answer")).to_contain_text("Bickendorf (Stadtteil) ist ein Gebiet")
    expect(page.locator("#fnp-answer .fnp-answer-item")).to_have_count(0)
    expect(page.locator(".leaflet-marker-icon")).to_have_count(0)

