"""Moderation as FixMyStreet does it: contact data in the text is masked before publication,
staff hide, edit or redact with a reason and an audit trail, the reporter is told by email."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from geoportal.ogc.sql import tile_containing
from reports.models import ModerationEvent, OutboxMessage, Report
from reports.moderation import text_mask
from reports.services import report_moderate, report_photos_clean

from .conftest import DOM, jpeg_with_gps

pytestmark = pytest.mark.django_db


def _body(client, url: str) -> str:
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()

WFS = "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=app:reports&OUTPUTFORMAT=geojson"


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Rückfragen an max@example.org", ("email",)),
        ("max (at) web.de weiß mehr", ("email",)),
        ("Tel. 0151 23456789", ("phone",)),
        ("ruft an: +49 221 12345678", ("phone",)),
        ("Büro 0221/12 34 56", ("phone",)),
        ("Spende an DE89 3704 0044 0532 0130 00", ("iban",)),
    ],
)
def test_the_filter_masks_contact_data(text, kinds):
    masked = text_mask(text)
    assert masked.kinds == kinds and "entfernt]" in masked.text


@pytest.mark.parametrize(
    "text",
    [
        "Schlagloch vor Hausnummer 112, ca. 30 cm tief",
        "seit 01.12.2026 um 14:30, 50667 Köln",
        "wie Meldung 2026-00012, Laterne 4711",
        "DE12 ist keine IBAN, DE89 3704 0044 0532 0130 01 auch nicht (Prüfsumme)",
        # Shapes from real Sag's uns texts that libphonenumber takes for numbers.
        "Platten hoch, ca. 20m links der Tür Musterstr. 3  50765 Köln.",
        "Vermüllung usw. *2025-04-08 12:31:46",
        "gesehen am 08.04.2025 12:31:46",
    ],
)
def test_the_filter_leaves_ordinary_text_alone(text):
    assert text_mask(text).text == text


@pytest.fixture
def moderator(db):
    return User.objects.create_user("redaktion", "r@example.org", "pw-long-enough-1", is_staff=True)


@pytest.fixture
def masked_report(make_report):
    photo = report_photos_clean(uploads=[jpeg_with_gps(*DOM)])
    return make_report(
        *DOM,
        description="Ampel flackert, Rückfragen an max@example.org oder 0151 23456789",
        email="melderin@example.org",
        photos=photo,
    )


def test_finding_3_contact_data_in_the_text_is_never_published(client, masked_report):
    """Finding 3: "Rückfragen an max@… oder 0151 …" went out as written."""
    number = masked_report.number
    urls = [
        f"/meldungen/{number}/",
        "/meldungen/export.csv",
        f"/api/reports/{number}/",
        "/api/reports/",
        f"/api/reports/duplicates/?lat={DOM[1]}&lon={DOM[0]}&category=schlagloch",
        "/open311/v2/requests.json",
        f"/open311/v2/requests/{number}.xml",
    ]
    for url in urls:
        body = _body(client, url)
        assert number in body or "duplicates" in url, url
        assert "max@example.org" not in body and "23456789" not in body, url
        if "export" not in url:  # the CSV has no description
            assert "[E-Mail-Adresse entfernt]" in body, url
    report = Report.objects.get(pk=masked_report.pk)
    assert report.moderation == "pending"
    assert "max@example.org" in report.description_original
    event = ModerationEvent.objects.get(report=report)
    assert event.action == "masked" and "E-Mail-Adresse, Telefonnummer" in event.reason
    office_mail = OutboxMessage.objects.get(report=report, purpose="office_new")
    assert "max@example.org" in office_mail.body, "the office reads what was written"


def test_the_queue_and_the_original_are_for_staff_only(client, masked_report, moderator):
    assert client.get("/moderation/").status_code == 302
    assert client.get(f"/moderation/{masked_report.number}/").status_code == 302
    client.force_login(moderator)
    queue = client.get("/moderation/").content.decode()
    assert masked_report.number in queue and "max@example.org" not in queue
    page = client.get(f"/moderation/{masked_report.number}/").content.decode()
    assert "max@example.org" in page and "Ursprünglicher Text" in page


def test_staff_edit_the_text_with_a_reason_and_the_reporter_is_told(
    client, masked_report, moderator
):
    client.force_login(moderator)
    url = f"/moderation/{masked_report.number}/"
    missing = client.post(url, {"description": "Ampel flackert.", "hidden": "0", "reason": ""})
    assert missing.status_code == 400 and "Grund" in missing.content.decode()
    done = client.post(
        url,
        {"description": "Ampel flackert. Mail: a@b.de", "hidden": "0", "reason": "Kontaktdaten"},
    )
    assert done.status_code == 302
    report = Report.objects.get(pk=masked_report.pk)
    assert report.description == "Ampel flackert. Mail: [E-Mail-Adresse entfernt]"
    assert "max@example.org" in report.description_original, "the first original stays"
    assert report.moderation == "done"
    event = report.moderation_events.get(action="text")
    assert event.actor == moderator and event.reason == "Kontaktdaten"
    mail = OutboxMessage.objects.get(report=report, purpose="reporter_moderated")
    assert mail.recipient == "melderin@example.org"
    assert "Text bearbeitet" in mail.body and "Grund: Kontaktdaten" in mail.body
    assert (
        "Ampel flackert. Mail: [E-Mail"
        in client.get(f"/meldungen/{report.number}/").content.decode()
    )
    queue = client.get("/moderation/").content.decode()
    assert report.number not in queue.split("Zu prüfen")[1].split("Zuletzt")[0]


def test_a_hidden_report_leaves_every_public_output(client, masked_report, moderator):
    number = masked_report.number
    public = [
        "/meldungen/",
        "/api/reports/",
        "/open311/v2/requests.json",
        "/meldungen/karte.geojson",
        "/api/reports/geojson/",
        "/geojson/reports.geojson",
        "/ogcapi/collections/reports/items?f=json",
        WFS,
    ]
    for url in public:
        assert number in _body(client, url), f"positive control: {url}"
    tile = "/tiles/reports/{}/{}/{}.mvt".format(*tile_containing(*DOM, zoom=16))
    assert len(client.get(tile).content) > 0
    client.force_login(moderator)
    response = client.post(
        f"/moderation/{number}/", {"hidden": "1", "reason": "Beleidigung im Text"}
    )
    assert response.status_code == 302
    client.logout()
    for url in public:
        assert number not in _body(client, url), url
    assert client.get(tile).content == b""
    assert client.get(f"/meldungen/{number}/").status_code == 404
    assert client.get(f"/open311/v2/requests/{number}.json").status_code == 404
    mail = OutboxMessage.objects.get(purpose="reporter_moderated")
    assert "nicht mehr öffentlich" in mail.body


def test_staff_remove_a_photo(client, masked_report, moderator):
    photo = masked_report.photos.get()
    public_url = f"/meldungen/{masked_report.number}/fotos/{photo.pk}.jpg"
    assert client.get(public_url).status_code == 200
    assert (
        public_url
        in client.get(f"/open311/v2/requests/{masked_report.number}.json").content.decode()
    )
    client.force_login(moderator)
    client.post(
        f"/moderation/{masked_report.number}/",
        {"hidden": "0", "hide_photo": str(photo.pk), "reason": "Gesicht erkennbar"},
    )
    staff_photo = client.get(f"/moderation/{masked_report.number}/fotos/{photo.pk}.jpg")
    assert staff_photo.status_code == 200 and staff_photo["Cache-Control"] == "private, no-store"
    client.logout()
    assert client.get(public_url).status_code == 404
    body = client.get(f"/open311/v2/requests/{masked_report.number}.json").json()
    assert body[0]["media_url"] == ""
    assert "fotos" not in client.get(f"/meldungen/{masked_report.number}/").content.decode()
    event = ModerationEvent.objects.get(action="photo_hide")
    assert event.photo == photo and event.reason == "Gesicht erkennbar"


def test_api_upload_with_contact_data_is_masked_too(client, koeln):
    response = client.post(
        "/api/reports/",
        {
            "category": "ampel-defekt",
            "lat": DOM[1],
            "lon": DOM[0],
            "description": "Ampel aus, Rückruf 0151 23456789",
            "email": "x@example.org",
            "photos": [SimpleUploadedFile("p.jpg", jpeg_with_gps(*DOM))],
        },
        HTTP_X_API_KEY="demo-open311-key",
    )
    assert response.status_code == 201, response.content
    assert "23456789" not in response.content.decode()
    assert Report.objects.get().description == "Ampel aus, Rückruf [Telefonnummer entfernt]"


def test_the_reporter_hears_of_moderation_in_their_language(masked_report, moderator):
    reporter = masked_report.reporter
    reporter.language = "en"
    reporter.save(update_fields=["language"])
    report_moderate(report=masked_report, reason="contact data", actor=moderator, hidden=True)
    mail = OutboxMessage.objects.get(purpose="reporter_moderated")
    assert mail.subject == f"Your report {masked_report.number} was edited"
    assert "Report hidden" in mail.body and "Reason: contact data" in mail.body
    assert "no longer publicly visible" in mail.body
    assert not any(word in mail.body for word in ("Meldung", "Grund", "Guten Tag"))
