"""Phone first: every public page and the crews' pages at 390x844, 768x1024 and 1280x800 in
Debian's Chromium: no horizontal overflow, no console error, no request to another origin (the
default base map is our own), axe-core clean. Screenshots land in var/test-artifacts/layout/ for
review. One browser, one page per viewport, reused for every address."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.a11y import assert_accessible
from tests.crews.conftest import category, koeln, lonlat, make_report, staff  # noqa: F401
from tests.test_accessibility import PUBLIC_PAGES

pytestmark = pytest.mark.browser

VIEWPORTS = [(390, 844), (768, 1024), (1280, 800)]
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "layout"


def _shot_name(path: str) -> str:
    return path.strip("/").replace("/", "_") or "home"


@pytest.mark.parametrize(("width", "height"), VIEWPORTS, ids=lambda v: str(v))
def test_every_page_fits_loads_nothing_foreign_and_is_accessible(
    browser,
    live_server,
    staff,  # noqa: F811
    make_report,  # noqa: F811
    width,
    height,
):
    report = make_report(description="Schlagloch vor dem Dom.")
    crew = Client()
    crew.force_login(staff["crew_a"])
    public = [*PUBLIC_PAGES, f"/meldungen/{report.number}/"]
    crew_pages = ["/einsatz/", f"/einsatz/meldung/{report.pk}/"]

    context = browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=width < 500,
        has_touch=width < 1000,
        locale="de-DE",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    foreign, errors = [], []
    page.on(
        "request",
        lambda r: (
            foreign.append(r.url)
            if not r.url.startswith((live_server.url, "data:", "blob:"))
            else None
        ),
    )
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    folder = ARTIFACTS / f"{width}x{height}"
    folder.mkdir(parents=True, exist_ok=True)
    problems = []
    for path in [*public, *crew_pages]:
        if path == crew_pages[0]:
            host = live_server.url.split("//")[1].split(":")[0]
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": crew.cookies[settings.SESSION_COOKIE_NAME].value,
                        "domain": host,
                        "path": "/",
                    }
                ]
            )
        errors.clear()
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)  # waits for the network to settle, then axe-core
        page.screenshot(path=str(folder / f"{_shot_name(path)}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth") - width
        if overflow > 0:
            problems.append(f"{path}: {overflow} px wider than the screen")
        if errors:
            problems.append(f"{path}: console {errors[:2]}")
    context.close()
    assert not foreign, f"requests to other origins: {foreign[:5]}"
    assert not problems, "\n".join(problems)


def test_the_phone_header_is_one_row_and_the_menu_opens_without_javascript(browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=False, locale="de-DE"
    )
    page = context.new_page()
    page.goto(live_server.url + "/status/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 64, "brand, language link and menu button share one row"
    statistics = page.get_by_role("link", name="Statistik", exact=True)
    expect(statistics).to_be_hidden()
    menu = page.locator(".site-menu > summary")
    menu.click()
    expect(statistics).to_be_visible()
    assert page.locator(".site-menu").evaluate("d => d.open")
    # The open list lies over the page below the header, every link a 44 px target.
    heights = page.eval_on_selector_all(
        ".site-menu nav a", "links => links.map(a => a.getBoundingClientRect().height)"
    )
    assert len(heights) == 11 and min(heights) >= 44
    statistics.click()
    assert page.url.endswith("/statistik/")
    context.close()


def test_the_desktop_header_shows_the_whole_menu_without_a_button(page, live_server):
    page.goto(live_server.url + "/status/")
    expect(page.locator(".site-menu > summary")).to_be_hidden()
    expect(page.get_by_role("link", name="Statistik", exact=True)).to_be_visible()


def test_the_language_is_a_link_that_comes_back_to_the_same_page(page, live_server):
    page.goto(live_server.url + "/status/")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith("/status/")
    page.get_by_role("link", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")


@pytest.mark.django_db
def test_the_language_link_refuses_other_sites_and_unknown_languages(client):
    response = client.get("/sprache/en/?next=https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] in ("/", "http://testserver/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get("/sprache/xx/").status_code == 404


def test_a_crew_tablet_offline_still_draws_the_base_map_it_saw(
    browser,
    live_server,
    staff,  # noqa: F811
    make_report,  # noqa: F811
):
    make_report(description="Schlagloch vor dem Dom.")
    crew = Client()
    crew.force_login(staff["crew_a"])
    context = browser.new_context(viewport={"width": 768, "height": 1024}, locale="de-DE")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": crew.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(live_server.url + "/einsatz/")
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now the worker controls the page and stores what it fetches
    page.wait_for_function("!!navigator.serviceWorker.controller")
    expect(page.locator("#crew-map .leaflet-tile-container canvas").first).to_be_attached()
    page.wait_for_load_state("networkidle")

    tiles = []
    page.on(
        "response",
        lambda r: tiles.append((r.status, r.from_service_worker)) if "/basemap/" in r.url else None,
    )
    context.set_offline(True)
    page.reload()
    expect(page.locator("#crew-map .leaflet-tile-container canvas").first).to_be_attached()
    page.wait_for_timeout(1500)
    context.close()
    assert tiles, "the map asked for its base-map tiles"
    assert all(status == 200 and from_worker for status, from_worker in tiles), tiles


def test_every_public_table_scrolls_inside_a_labelled_region():
    """A new table without its region widens phone pages; the browser test only sees the pages
    it opens with the data it has, this check sees every template."""
    root = Path(settings.BASE_DIR)
    staff_only = {"moderation_queue.html"}
    bare = []
    for template in root.glob("*/templates/**/*.html"):
        if template.name in staff_only or "admin" in template.parts:
            continue
        lines = template.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            before = lines[number - 1] if number else ""
            if "<table" in line and "table-scroll" not in before + line:
                bare.append(f"{template.relative_to(root)}:{number + 1}")
    assert not bare, f'wrap in <div class="table-scroll" role="region" …>: {bare}'
