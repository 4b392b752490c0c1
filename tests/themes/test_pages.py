"""The citizen pages in Debian's Chromium: with an address, with GPS, without JavaScript;
axe-core on the filled pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.a11y import assert_accessible

from .conftest import _demo

pytestmark = pytest.mark.browser

DOM = {"latitude": 50.9413, "longitude": 6.9581}


@pytest.fixture
def live_layers(transactional_db, fixtures_dir):
    for name in ("umweltzone", "kitas"):
        _demo(name, fixtures_dir)


def test_zone_page_by_address_and_by_gps(browser, live_server, live_layers):
    context = browser.new_context(locale="de-DE", geolocation=DOM, permissions=["geolocation"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/zonen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("In welcher Zone bin ich?")
    page.get_by_label("Adresse").fill("Hohe Straße 52")
    page.get_by_role("button", name="Prüfen").click()
    answer = page.locator("#zones-answer")
    expect(answer).to_contain_text("Sie sind in der Umweltzone Köln.")
    expect(answer).to_contain_text("Einfahrt nur mit grüner Plakette")
    expect(page.locator("#themes-map")).to_have_attribute("data-ready", "1")
    expect(page.locator(".leaflet-overlay-pane path").first).to_be_attached()
    assert_accessible(page)
    page.get_by_role("button", name="Meinen Standort verwenden").click()
    expect(page).to_have_url(re.compile(r"lat=50\.9413"))
    expect(page.locator("#zones-answer h2")).to_have_text("Ihr Standort")
    expect(page.locator("#zones-answer")).to_contain_text("Umweltzone Köln")
    context.close()


def test_pages_work_without_javascript(browser, live_server, live_layers):
    context = browser.new_context(locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/zonen/")
    page.get_by_label("Adresse").fill("Hohe Straße 52")
    page.get_by_role("button", name="Prüfen").click()
    expect(page.locator("#zones-answer")).to_contain_text("Sie sind in der Umweltzone Köln.")
    page.goto(live_server.url + "/in-der-naehe/kitas/")
    page.get_by_label("Adresse").fill("Hohe Straße 52")
    page.get_by_label("Umkreis").select_option("1000")
    page.get_by_role("button", name="Prüfen").click()
    items = page.locator(".near-list li")
    expect(items.first).to_contain_text("Minute")
    context.close()


def test_kita_finder_lists_nearest_first_with_map(browser, live_server, live_layers):
    context = browser.new_context(locale="de-DE", geolocation=DOM, permissions=["geolocation"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/in-der-naehe/kitas/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kitas in der Nähe")
    expect(page.locator(".attribution")).to_contain_text("OpenStreetMap")
    page.get_by_role("button", name="Meinen Standort verwenden").click()
    items = page.locator(".near-list li")
    expect(items.first).to_be_visible()
    distances = [
        int(x) for x in page.locator(".near-list li").evaluate_all(
            "els => els.map(e => e.dataset.distance)")
    ]
    assert distances == sorted(distances) and distances[-1] <= 1000
    expect(page.locator(".leaflet-marker-pane .leaflet-marker-icon")).to_have_count(1)
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(len(distances) + 1)
    assert_accessible(page)
    context.close()
