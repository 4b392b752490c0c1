"""Chromium without JavaScript on a city that has its outline but no street register yet: the
report form says addresses cannot be looked up and files the report by a photo's position."""

import pytest

from .conftest import EHRENFELD, jpeg_with_gps
from .test_browser import (  # noqa: F401 (the autouse fixture applies where it is imported)
    AVAILABLE_APPS,
    _geoportal_files_without_the_app,
)
from .test_without_streets import NOT_YET, _outline_only

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=AVAILABLE_APPS),
]


def test_without_javascript_the_form_asks_for_what_works_and_files_by_photo(
    browser, live_server, koeln, tmp_path
):
    from reports.models import Report

    _outline_only()  # committed; the session's city is put back after this test
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/melden/")
    page.select_option("#id_category", "schlagloch")
    page.fill("#id_address", "Venloer Straße 200")
    page.fill("#id_description", "Tiefes Schlagloch vor der Einfahrt.")
    page.fill("#id_email", "ohne-js@example.org")
    page.click("#submit-report")
    error = page.inner_text("#address-error")
    assert NOT_YET in error and "Foto mit GPS-Position" in error
    assert not Report.objects.exists()

    photo = tmp_path / "IMG_0001.jpg"
    photo.write_bytes(jpeg_with_gps(*EHRENFELD))
    page.set_input_files("input[type=file]", str(photo))
    page.fill("#id_email", "ohne-js@example.org")
    page.click("#submit-report")
    page.wait_for_selector("#report-number")
    report = Report.objects.get(number=page.inner_text("#report-number"))
    assert report.district.name == "Ehrenfeld" and report.address == ""
    context.close()
