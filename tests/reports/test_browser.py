"""A phone files a report through the map and finds it on the public map and list."""

import re
import time
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from reports.outbox import outbox_process_once
from tests.reports.conftest import DOM

# The live server needs committed rows, so the test is transactional and Django flushes the
# tables of `available_apps` afterwards. Leaving `geoportal` out keeps the Köln core that the
# session loaded once; its templates and static files are then found through DIRS instead.
AVAILABLE_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "leaflet",
    "reports",
]


def wait_until(page, expression: str, timeout: float = 15.0) -> None:
    """Poll a JS expression through page.evaluate: wait_for_function evaluates strings with
    eval(), which the site's Content-Security-Policy (no 'unsafe-eval') rightly blocks."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        page.wait_for_timeout(100)


pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=AVAILABLE_APPS),
]


@pytest.fixture(autouse=True)
def _geoportal_files_without_the_app(settings):
    geoportal = settings.BASE_DIR / "geoportal"
    # Publishing a report renders the alerts' message templates (alerts.messages), whose app
    # is left out of available_apps too.
    alerts = settings.BASE_DIR / "alerts"
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [geoportal / "templates", alerts / "templates"]}
    ]
    settings.STATICFILES_DIRS = [geoportal / "static"]


def test_a_phone_files_a_report_by_map_and_sees_it_on_the_public_map(
    phone_page, live_server, make_report
):
    page = phone_page
    existing = make_report(6.9601, 50.9401, code="schlagloch", description="Altes Loch am Dom")
    mail.outbox.clear()

    page.goto(f"{live_server.url}/melden/")
    page.select_option("#id_category", "schlagloch")
    page.wait_for_selector("#report-map.leaflet-container")
    page.locator("#report-map").click()  # the map opens on the city centre: drop a pin there
    wait_until(page, "document.querySelector('#id_lat').value !== ''")
    page.wait_for_selector("#place:has-text('Ort:')")
    page.wait_for_selector(f"#duplicates >> text={existing.number}")  # "already reported?"
    page.fill("#id_description", "Neues Schlagloch, etwa 30 cm breit.")
    page.fill("#id_email", "handy@example.org")
    page.click("#submit-report")

    page.wait_for_selector("#report-number")
    number = page.inner_text("#report-number")
    assert re.fullmatch(r"\d{4}-\d{5}", number)

    outbox_process_once()
    link = next(m for m in mail.outbox if m.to == ["handy@example.org"])
    page.goto(live_server.url + urlsplit(re.search(r"http\S+/bestaetigen/\S+/", link.body)[0]).path)
    page.click("#confirm-report")
    page.wait_for_selector(f"h1:has-text('{number} bestätigt')")

    page.goto(f"{live_server.url}/meldungen/")
    page.wait_for_selector(f"table.report-list >> text={number}")
    wait_until(page, "Number(document.querySelector('#reports-map').dataset.features || 0) >= 2")
    assert page.locator("#reports-map .report-marker").count() >= 2
    page.click(f"table.report-list >> text={number}")
    page.wait_for_selector("text=Neues Schlagloch, etwa 30 cm breit.")
    assert "handy@example.org" not in page.content()


def _click_map_at(page, lat: float, lon: float) -> None:
    """Click the report map where a WGS84 point lies on screen, as a user would."""
    page.evaluate("([lat, lon]) => window.reportMap.setView([lat, lon], 15, {animate: false})",
                  [lat, lon])
    x, y = page.evaluate(
        "([lat, lon]) => { const p = window.reportMap.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }", [lat, lon])
    box = page.locator("#report-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_a_pin_outside_the_city_is_flagged_when_placed(page, live_server, koeln):
    page.goto(f"{live_server.url}/melden/")
    page.select_option("#id_category", "schlagloch")
    page.wait_for_selector("#report-map.leaflet-container")
    _click_map_at(page, 50.7374, 7.0982)  # Bonn, Poppelsdorfer Allee
    place = page.locator("#place")
    expect(place).to_contain_text("Dieser Ort liegt außerhalb von Köln")
    expect(place).to_have_class(re.compile(r"\berror\b"))
    page.wait_for_load_state("networkidle")  # every answer about the pin is in
    assert "ohne Adresse" not in place.inner_text() and "Ort:" not in place.inner_text()
    assert page.inner_text("#duplicates").strip() == ""  # no "Keine offene Meldung … 250 m"
    # Back inside the city, the page reads the place and looks for duplicates as before.
    _click_map_at(page, 50.9413, 6.9581)
    expect(place).to_contain_text("Ort:")
    expect(page.locator("#duplicates")).to_contain_text("Keine offene Meldung")
    expect(place).not_to_have_class(re.compile(r"\berror\b"))


def test_a_keyboard_user_reports_through_the_address_search_alone(page, live_server, koeln):
    from reports.models import Report

    page.goto(f"{live_server.url}/melden/")
    page.keyboard.press("Tab")  # the skip link comes first
    page.keyboard.press("Enter")
    page.locator("#id_address").focus()
    page.keyboard.type("Venloer Straße")
    page.keyboard.press("Enter")  # searches instead of submitting the form
    first = page.locator("#address-results button").first
    first.wait_for()
    assert page.evaluate("document.activeElement.textContent") == "Venloer Straße, Köln"
    page.keyboard.press("Enter")
    wait_until(page, "document.querySelector('#id_lat').value !== ''")
    page.locator("#id_category").focus()
    page.keyboard.type("Laterne")  # a native select jumps to the typed option
    page.locator("#id_description").focus()
    page.keyboard.type("Laterne brennt tagsüber.")
    page.locator("#id_email").focus()
    page.keyboard.type("tastatur@example.org")
    page.locator("#submit-report").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#report-number")
    report = Report.objects.get(number=page.inner_text("#report-number"))
    assert report.category.code == "laterne-defekt"
    assert report.address.startswith("Venloer Straße")


def test_report_pages_with_their_data_are_accessible(page, live_server, make_report):
    from tests.a11y import assert_accessible

    report = make_report(code="schlagloch")
    for path in ("/meldungen/", f"/meldungen/{report.number}/", "/melden/"):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)


def test_report_markers_show_their_category_icon_in_the_status_colour(
    page, live_server, make_report
):
    from tests.a11y import assert_accessible

    pothole = make_report(code="schlagloch")
    lamp = make_report(6.9400, 50.9380, code="laterne-defekt")
    page.goto(live_server.url + "/meldungen/")
    expect(page.locator("#reports-map .report-marker")).to_have_count(2)
    road = page.locator(".report-marker-strasse")
    light = page.locator(".report-marker-beleuchtung")
    expect(road).to_have_count(1)
    expect(light).to_have_count(1)
    expect(road).to_have_attribute("title", re.compile(f"{pothole.number} · Schlagloch"))
    expect(light).to_have_attribute("title", re.compile(f"{lamp.number} · Laterne defekt"))
    # Open reports are red: the status still reads at a glance, now with what it is about.
    assert road.locator("circle").get_attribute("fill") == "#b00020"
    glyphs = {road.locator("path").get_attribute("d"), light.locator("path").get_attribute("d")}
    assert len(glyphs) == 2
    light.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text(lamp.number)
    assert_accessible(page)


def test_the_city_map_shows_reports_when_switched_on(page, live_server, make_report):
    make_report(code="schlagloch")
    page.goto(live_server.url + "/")
    city_map = page.locator("#city-map")
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(95)  # districts, quarters
    assert city_map.get_attribute("data-reports") is None  # nothing fetched while off
    page.get_by_label("Mängelmeldungen").check()
    expect(city_map).to_have_attribute("data-reports", "1")
    expect(page.locator(".cluster-count")).to_have_text("1")  # zoomed out: counted on a grid
    # Zoomed in, the report is the same category marker as on the report map.
    page.evaluate("([lat, lon]) => window.geoportalMap.setView([lat, lon], 16, {animate: false})",
                  [DOM[1], DOM[0]])
    expect(page.locator("#city-map .report-marker-strasse")).to_have_count(1)
    page.locator("#city-map .report-marker-strasse").click()
    # The status in the page's language, not the GeoJSON's code ("open").
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Offen")
    expect(page.locator(".leaflet-popup-content")).not_to_contain_text("open")


def test_a_phone_files_a_report_in_english_without_meeting_a_german_word(
    browser, live_server, make_report
):
    from tests.test_language import GERMAN, city_names, marker_words

    existing = make_report(6.9601, 50.9401, code="schlagloch", description="Altes Loch am Dom")
    names = city_names()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()

    def german_left() -> list[str]:
        # What the scripts wrote counts too: the place line, "already reported?", search results.
        return marker_words(page.inner_text("body"), GERMAN, names, umlauts=True)

    page.goto(f"{live_server.url}/melden/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.select_option("#id_category", "schlagloch")
    page.wait_for_selector("#report-map.leaflet-container")
    page.locator("#report-map").click()
    page.wait_for_selector("#place:has-text('Location:')")
    page.wait_for_selector(f"#duplicates >> text={existing.number}")
    page.wait_for_selector("#duplicates:has-text('Already reported?')")
    page.fill("#id_address", "Venloer Straße 2")
    page.locator("#id_address").press("Enter")
    page.locator("#address-results button").first.wait_for()
    assert german_left() == []
    page.fill("#id_address", "zzzqqq")
    page.locator("#id_address").press("Enter")
    page.wait_for_selector("#address-results:has-text('Nothing found.')")
    assert page.locator("#address-results button").count() == 0
    page.locator("#report-map").click()
    page.wait_for_selector("#place:has-text('Location:')")
    page.fill("#id_description", "A new pothole, about 30 cm wide.")
    page.fill("#id_email", "english@example.org")
    page.click("#submit-report")
    page.wait_for_selector("#report-number")
    assert page.locator("h1").inner_text() == "Thank you for your report"
    assert german_left() == []
    context.close()
