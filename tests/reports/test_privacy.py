"""No public output carries the reporter's name, email or phone: seed distinctive values and
scan every public page, API response, map layer, export and Open311 answer."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from geoportal.ogc.sql import tile_containing
from reports.models import Status
from reports.services import report_status_change

from .conftest import DOM, EHRENFELD, jpeg_with_gps

pytestmark = pytest.mark.django_db

NAME = "Zacharias Quellenbrunn"
EMAIL = "zq.geheim-7731@example.org"
PHONE = "+49 170 9998887"
NEEDLES = [NAME, "Quellenbrunn", EMAIL, "zq.geheim", "9998887", "170 999", "Zacharias"]
# Contact data typed into the description (finding 3 of #15): masked in every public output.
TEXT_EMAIL, TEXT_PHONE = "rueckruf.ql@example.org", "0151 23456789"
TEXT_IBAN = "DE89 3704 0044 0532 0130 00"
DESCRIPTION = f"Ampel flackert, Rückfragen an {TEXT_EMAIL} oder {TEXT_PHONE}, IBAN {TEXT_IBAN}"
NEEDLES += [TEXT_EMAIL, "rueckruf.ql", TEXT_PHONE, "23456789", TEXT_IBAN, "0532 0130"]
# The reporter signs the text too (as in Köln's own Mängelmelder): the name is masked as well.
SIGNED = f"{DESCRIPTION}. Danke im Voraus, {NAME}"


WFS = "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=app:reports"
WFS_OUTPUTS = (WFS, WFS + "&OUTPUTFORMAT=geojson", WFS + "&OUTPUTFORMAT=csv")


def _scan(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode("utf-8", "replace")
    for needle in NEEDLES:
        assert needle not in body, f"{needle!r} leaked in {url}"
    return body


def test_no_public_output_carries_personal_data(client, make_report, settings):
    settings.DEBUG = False
    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps(*EHRENFELD), "image/jpeg")
    from reports.services import report_photos_clean

    report = make_report(
        *DOM,
        code="schlagloch",
        description=SIGNED,
        name=NAME,
        email=EMAIL,
        phone=PHONE,
        photos=report_photos_clean(uploads=[photo.read()]),
    )
    report_status_change(report=report, status=Status.IN_PROGRESS, note="Wird geprüft")
    # Also a report filed through Open311 with first/last name.
    open311 = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": "demo-open311-key",
            "service_code": "ampel-defekt",
            "lat": EHRENFELD[1],
            "long": EHRENFELD[0],
            "description": f"Ampel aus. {SIGNED}",
            "email": EMAIL,
            "first_name": "Zacharias",
            "last_name": "Quellenbrunn",
            "phone": PHONE,
        },
    )
    assert open311.status_code == 201
    assert not any(n in open311.content.decode() for n in NEEDLES)
    number = report.number
    photo_id = report.photos.get().pk
    urls = [
        "/meldungen/",
        "/meldungen/?category=strasse",
        f"/meldungen/{number}/",
        "/meldungen/karte.geojson",
        "/meldungen/export.csv",
        "/api/reports/",
        f"/api/reports/{number}/",
        "/api/reports/geojson/",
        "/api/reports/categories/",
        f"/api/reports/duplicates/?lat={DOM[1]}&lon={DOM[0]}&category=schlagloch",
        "/api/reports/outbox-health/",
        "/api/schema/",
        "/open311/v2/discovery.json",
        "/open311/v2/services.json",
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{number}.json",
        f"/open311/v2/requests/{number}.xml",
        f"/open311/v2/tokens/{report.token}.json",
        f"/meldungen/{number}/fotos/{photo_id}.jpg",
        reverse("map"),
        "/status/",
        "/status.json",
        # The GIS outputs of the reports layer (geoportal.ogc): WFS, OGC API, GeoJSON, tiles.
        *WFS_OUTPUTS,
        "/ogcapi/collections/reports/items?f=json",
        "/ogcapi/collections/reports/items?f=html",
        "/geojson/reports.geojson",
        "/tiles/reports/{}/{}/{}.mvt".format(*tile_containing(*DOM, zoom=16)),
    ]
    bodies = {url: _scan(client, url) for url in urls}
    assert number in bodies["/meldungen/"] and number in bodies["/open311/v2/requests.xml"]
    gis = (*WFS_OUTPUTS, "/ogcapi/collections/reports/items?f=json", "/geojson/reports.geojson")
    for url in gis:
        assert number in bodies[url], f"the report is missing from {url}: the scan proves nothing"
    assert "Wird geprüft" in bodies[f"/meldungen/{number}/"]
    # Positive control: the masked text is what is published, the original exists for staff.
    for url in (f"/meldungen/{number}/", f"/api/reports/{number}/", "/open311/v2/requests.xml"):
        assert "Ampel flackert, Rückfragen an [E-Mail-Adresse entfernt]" in bodies[url], url
        assert "Danke im Voraus, [Name entfernt]" in bodies[url], url
    report.refresh_from_db()
    assert report.description_original == SIGNED


def test_contact_data_is_deleted_after_the_retention_period(make_report):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from reports.models import OutboxMessage, Report, Reporter
    from reports.outbox import outbox_process_once

    old = make_report(*DOM, email=EMAIL)
    recent = make_report(*EHRENFELD, email="recent@example.org")
    still_open = make_report(*EHRENFELD, code="baum", email="open@example.org")
    outbox_process_once()
    for report in (old, recent):
        report_status_change(report=report, status=Status.CLOSED)
    Report.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=100))
    Report.objects.filter(pk=still_open.pk).update(updated_at=timezone.now() - timedelta(days=100))
    out = io.StringIO()
    call_command("purge_reports_personal_data", "--days", "90", stdout=out)
    assert "1 reporter" in out.getvalue()
    assert set(Reporter.objects.values_list("email", flat=True)) == {
        "recent@example.org",
        "open@example.org",
    }
    assert not OutboxMessage.objects.filter(report=old, status="sent").exists()
    assert Report.objects.get(pk=old.pk).events.count() >= 3, "the public history stays"


def test_the_honeypot_refuses_bots(client, koeln):
    from reports.models import Report

    response = client.post(
        "/melden/",
        {
            "category": "schlagloch",
            "address": "Venloer Straße",
            "description": "Spam spam spam",
            "email": "bot@example.org",
            "website": "http://spam.example",
            "action": "submit",
        },
    )
    assert response.status_code == 400
    assert not Report.objects.exists()
