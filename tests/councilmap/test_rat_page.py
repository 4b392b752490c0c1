"""/rat/ in Debian's Chromium: the demo decisions on the map, filtered by committee."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import import_folder

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(live_server, fixtures_dir):
    # live_server tests commit; the session's teardown hook flushes and reloads the city.
    import_folder(fixtures_dir / "oparl" / "koeln-demo")


def test_decisions_on_the_map_and_filter_by_committee(page, live_server, demo):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/rat/")

    city_map = page.locator("#city-map")
    expect(city_map).to_have_attribute("data-features", "42")
    # Points as circle markers and lines/areas as paths, on top of the 9 district outlines;
    # "Sanierung der Mülheimer Stadthalle" is placed in Mülheim by the quarter's adjective.
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(9 + 42)
    expect(page.locator("#rat-list li")).to_have_count(33)

    page.get_by_label("Gremium").select_option(label="[Demo] Bezirksvertretung Ehrenfeld")
    expect(city_map).to_have_attribute("data-features", "6")
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(9 + 6)
    items = page.locator("#rat-list li")
    expect(items).to_have_count(5)
    for text in items.all_inner_texts():
        assert "Bezirksvertretung Ehrenfeld" in text
    expect(page.locator("#rat-count")).to_have_text("5 Vorlagen")
    assert "committee=" in page.url

    page.locator(".leaflet-overlay-pane path.leaflet-interactive").nth(9).click(force=True)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Bezirksvertretung Ehrenfeld")
    ris = popup.get_by_role("link", name="im Ratsinformationssystem")
    assert ris.get_attribute("href").startswith("https://ris.example.org/koeln-demo/vorlagen/")
    popup.locator("a").first.click()
    expect(page.locator("h1")).to_contain_text("[Demo]")
    expect(page.get_by_text("Beratungen und Beschlüsse")).to_be_visible()
    expect(page.locator("#paper-map")).to_have_attribute("data-features", re.compile("^[1-9]"))
    assert errors == []  # no script error on either page (tiles are offline here: not counted)


def test_rat_pages_with_their_data_are_accessible(page, live_server, demo):
    from councilmap.models import Paper
    from tests.a11y import assert_accessible

    page.goto(live_server.url + "/rat/")
    assert_accessible(page)
    paper = Paper.objects.filter(deleted=False, locations__isnull=False).distinct().first()
    response = page.goto(f"{live_server.url}/rat/vorlagen/{paper.pk}/")
    assert response.status == 200
    assert_accessible(page)


def test_the_city_map_shows_council_places_when_switched_on(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.get_by_label("Ratsbeschlüsse").check()
    expect(page.locator("#city-map")).to_have_attribute("data-council", "42")
