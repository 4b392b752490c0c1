"""A tablet (768x1024) logs in, changes a status online, another offline, and both arrive once."""

import pytest

from crews.models import ChangeRecord
from reports.models import Report
from tests.reports.test_browser import AVAILABLE_APPS

from .conftest import NEUMARKT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=[*AVAILABLE_APPS, "crews"]),
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


@pytest.fixture
def tablet(browser, live_server):
    context = browser.new_context(
        viewport={"width": 768, "height": 1024}, has_touch=True, locale="de-DE"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield context, page
    context.close()


def test_a_tablet_changes_one_status_online_one_offline_and_both_apply_once(
    tablet, live_server, staff, make_report
):
    context, page = tablet
    first = make_report(description="Loch vor dem Dom.")
    second = make_report(*NEUMARKT, description="Loch am Neumarkt.")

    page.goto(f"{live_server.url}/einsatz/")
    page.wait_for_selector("h1:has-text('Anmelden')")
    page.fill("#id_username", "crew_a")
    page.fill("#id_password", "pw-long-enough-1")
    page.click("button:has-text('Anmelden')")
    page.wait_for_selector("h1:has-text('Arbeitsliste')")
    assert page.locator(".queue-item").count() == 2
    page.wait_for_selector("#crew-map.leaflet-container")
    # Category glyph markers as on the public map (a pothole is a road report).
    assert page.locator("#crew-map .report-marker-strasse").count() == 2
    assert page.locator("#crew-map").bounding_box()["height"] >= 300
    zoom = page.locator("#crew-map .leaflet-control-zoom-in").bounding_box()
    assert zoom["height"] >= 44 and zoom["width"] >= 44
    # Touch targets: every button and queue entry is at least 44 px high.
    heights = page.eval_on_selector_all(
        ".btn, .queue-item, select", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44

    page.click(f".queue-item:has-text('{first.number}')")
    page.wait_for_selector(f"h1:has-text('{first.number}')")
    page.check("input[name=stage][value=in_progress]")
    page.fill("#public_note", "Trupp ist unterwegs.")
    page.click("button:has-text('Status speichern')")
    page.wait_for_selector("text=Gespeichert.")
    assert page.inner_text("#current-stage") == "In Arbeit"

    page.goto(f"{live_server.url}/einsatz/meldung/{second.pk}/")
    page.wait_for_selector(f"h1:has-text('{second.number}')")
    context.set_offline(True)
    page.check("input[name=stage][value=acknowledged]")
    page.click("button:has-text('Status speichern')")
    page.wait_for_selector("text=Offline gespeichert")
    page.wait_for_selector("#net-state:has-text('1 Änderung wartet')")
    assert second.events.filter(kind="status").count() == 0

    context.set_offline(False)
    page.wait_for_selector(f"#sync-log >> text=Meldung {second.number}: übertragen")
    page.wait_for_selector("#net-state:has-text('Online')")
    assert "warten" not in page.inner_text("#net-state")

    # A reload replays nothing more: the queue in IndexedDB is empty.
    page.reload()
    page.wait_for_selector(f"h1:has-text('{second.number}')")
    assert page.inner_text("#current-stage") == "Zur Kenntnis genommen"
    first, second = Report.objects.get(pk=first.pk), Report.objects.get(pk=second.pk)
    assert first.status == "in_progress" and second.status == "open"
    assert list(first.events.filter(kind="status").values_list("status", flat=True)) == [
        "in_progress"
    ]
    assert list(second.events.filter(kind="status").values_list("note", flat=True)) == [
        "Wir haben Ihre Meldung gesehen und kümmern uns darum."
    ]
    assert ChangeRecord.objects.count() == 2

    # Landscape (1024x768): list and map side by side, targets still large.
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{live_server.url}/einsatz/?order=age&stage=acknowledged&stage=in_progress")
    map_box = page.locator("#crew-map").bounding_box()
    list_box = page.locator("#queue").bounding_box()
    assert list_box["x"] >= map_box["x"] + map_box["width"] - 1
    heights = page.eval_on_selector_all(
        ".btn, .queue-item", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert min(heights) >= 44


def test_an_opened_report_reloads_offline_and_a_fix_photo_taken_offline_arrives(
    tablet, live_server, staff, make_report, tmp_path
):
    import io

    from PIL import Image

    context, page = tablet
    report = make_report(description="Laterne aus.")
    photo = tmp_path / "fix.jpg"
    exif = Image.Exif()
    exif[0x010F] = "GeheimKamera"
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), "green").save(buffer, "JPEG", exif=exif)
    photo.write_bytes(buffer.getvalue())

    page.goto(f"{live_server.url}/einsatz/anmelden/")
    page.fill("#id_username", "crew_a")
    page.fill("#id_password", "pw-long-enough-1")
    page.click("button:has-text('Anmelden')")
    page.wait_for_selector("h1:has-text('Arbeitsliste')")
    # Once the service worker is active it controls the pages loaded after, and caches them.
    page.wait_for_function(
        "async () => { const r = await navigator.serviceWorker.getRegistration(); "
        "return !!(r && r.active); }"
    )
    page.reload()
    page.wait_for_function("!!navigator.serviceWorker.controller")
    page.goto(f"{live_server.url}/einsatz/meldung/{report.pk}/")
    page.wait_for_selector(f"h1:has-text('{report.number}')")
    page.wait_for_function("async () => !!(await caches.match(location.href))")

    context.set_offline(True)
    page.reload()  # served from the cache
    page.wait_for_selector(f"h1:has-text('{report.number}')")
    page.check("input[name=stage][value=acknowledged]")
    page.click("button:has-text('Status speichern')")
    page.wait_for_selector("text=Offline gespeichert")
    # Reloaded from the cache again: the page shows version 1, the queued change makes it 2.
    page.reload()
    page.wait_for_selector("#current-stage:has-text('wartet auf Netz')")
    assert page.input_value("form[data-offline] input[name=version] >> nth=0") == "2"
    page.check("input[name=stage][value=fixed]")
    page.set_input_files("#photo", str(photo))
    page.click("button:has-text('Status speichern')")
    page.wait_for_selector("text=Offline gespeichert")
    assert not report.photos.exists()

    context.set_offline(False)
    page.wait_for_selector(f"#sync-log >> text=Meldung {report.number}: übertragen (Behoben)")
    assert page.locator("#sync-log .error").count() == 0
    # The page no longer says the change waits for the network once it has been applied.
    assert page.text_content("#current-stage") == "Behoben"
    report = Report.objects.get(pk=report.pk)
    assert report.status == "closed"
    assert list(report.events.filter(kind="status").values_list("status", flat=True)) == [
        "open",
        "closed",
    ]
    stored = report.photos.get().image.read()
    assert stored[:2] == b"\xff\xd8" and b"GeheimKamera" not in stored


def _login(page, live_server):
    page.goto(f"{live_server.url}/einsatz/anmelden/")
    page.fill("#id_username", "crew_a")
    page.fill("#id_password", "pw-long-enough-1")
    page.click("button:has-text('Anmelden')")
    page.wait_for_selector("h1:has-text('Arbeitsliste')")


def test_changes_queued_offline_wait_through_a_new_login(tablet, live_server, staff, make_report):
    context, page = tablet
    report = make_report()
    _login(page, live_server)
    page.goto(f"{live_server.url}/einsatz/meldung/{report.pk}/")
    context.set_offline(True)
    page.check("input[name=stage][value=acknowledged]")
    page.click("button:has-text('Status speichern')")
    page.wait_for_selector("text=Offline gespeichert")
    context.clear_cookies()  # the session ends while offline
    context.set_offline(False)
    page.wait_for_selector("#sync-log >> text=Bitte neu anmelden")
    assert report.events.filter(kind="status").count() == 0
    _login(page, live_server)  # the queue page replays what waited, with the new CSRF token
    page.wait_for_selector(f"#sync-log >> text=Meldung {report.number}: übertragen")
    assert report.events.filter(kind="status").count() == 1


def test_staff_pages_are_accessible(tablet, live_server, staff, make_report):
    from tests.a11y import assert_accessible

    _, page = tablet
    report = make_report(description="Loch vor dem Dom.")
    page.goto(f"{live_server.url}/einsatz/anmelden/")
    page.fill("#id_username", "lead_a")
    page.fill("#id_password", "pw-long-enough-1")
    page.click("button:has-text('Anmelden')")
    page.wait_for_selector("h1:has-text('Arbeitsliste')")
    assert_accessible(page)
    for path in (f"/einsatz/meldung/{report.pk}/", f"/einsatz/amt/{staff['office_a'].pk}/"):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)


def test_forwarding_on_the_tablet_ends_on_the_list_not_on_a_404(
    tablet, live_server, staff, make_report
):
    _, page = tablet
    report = make_report(description="Baumwurzel hebt den Gehweg.")
    _login(page, live_server)
    page.goto(f"{live_server.url}/einsatz/meldung/{report.pk}/")
    page.select_option("#office", str(staff["office_b"].pk))
    page.fill("#reason", "Grünflächenamt zuständig.")
    page.click("button:has-text('Weiterleiten')")
    page.wait_for_selector("h1:has-text('Arbeitsliste')")
    assert "weitergeleitet=1" in page.url
    assert page.locator("text=ist weitergeleitet").is_visible()
    assert Report.objects.get(pk=report.pk).office == staff["office_b"]
