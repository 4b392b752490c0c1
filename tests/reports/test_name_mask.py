"""Names typed into a description are never published: the reporter's own name wherever it
stands, and a name that signs the text. The examples are shaped like real Sag's uns texts
(signatures after "Danke im voraus", "mfG", on a last line of a letter), with invented names;
the real texts are measured in bench/reports_name_mask.py, never copied here."""

import pytest
from django.contrib.auth.models import User

from reports.models import ModerationEvent, Report
from reports.moderation import NAME_MASK, text_mask
from reports.services import report_moderate

from .conftest import DOM, EHRENFELD

pytestmark = pytest.mark.django_db

OWN = "Greta Quandelmeier"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Guten Tag, vor Nr. 27 ist ein tiefes Schlagloch.\r\nDanke im voraus \r\nBerta Quast ",
         "Guten Tag, vor Nr. 27 ist ein tiefes Schlagloch.\r\nDanke im voraus \r\n{} "),
        ("Bitte zu pflastern. Danke + mfG, Olaf Brinkhaus", "Bitte zu pflastern. Danke + mfG, {}"),
        ("Sehr geehrte Damen und Herren,\r\nLaterne 2 ist defekt.\r\n\r\nHenning Tillmanns ",
         "Sehr geehrte Damen und Herren,\r\nLaterne 2 ist defekt.\r\n\r\n{} "),
        ("Bitte um Abholung. Vielen Dank im Voraus. MfG Gero Wanninger",
         "Bitte um Abholung. Vielen Dank im Voraus. MfG {}"),
        ("Mehr Bilder auf Anfrage. Mit freundlichen Grüßen Dr. Ilse M. Vandenberg",
         "Mehr Bilder auf Anfrage. Mit freundlichen Grüßen {}"),
        ("Bank kaputt.\nViele Grüße\nIhre Familie Ostkamp", "Bank kaputt.\nViele Grüße\nIhre {}"),
        ("Platte lose. Bei Fragen gerne anrufen 0151 23456789  Ruth Kallweit",
         "Platte lose. Bei Fragen gerne anrufen [Telefonnummer entfernt]  {}"),
        ("Loch. MfG Rainer Obst\nTel. 0151 23456789",
         "Loch. MfG {}\nTel. [Telefonnummer entfernt]"),
        ("Mein Name ist Edda Lührsen, ich wohne gegenüber.",
         "Mein Name ist {}, ich wohne gegenüber."),
        ("Hallo, ich, Edda Lührsen, wohne gegenüber.", "Hallo, ich, {}, wohne gegenüber."),
        ("Pothole at the corner. Kind regards, Tom Ashdown",
         "Pothole at the corner. Kind regards, {}"),
        ("Gehweg uneben. LG Jonte", "Gehweg uneben. LG {}"),
        ("Loch. Mit freundlichen Grüßen Ihr Anton Brökelmann",
         "Loch. Mit freundlichen Grüßen Ihr {}"),
        ("Hallo,\nLaterne flackert.\nK. Brökelmann", "Hallo,\nLaterne flackert.\n{}"),
    ],
)
def test_a_signed_name_is_masked(text, expected):
    """Only the name goes: what the citizen reported stays as written."""
    masked = text_mask(text)
    assert masked.text == expected.format(NAME_MASK) and masked.kinds[-1] == "name"


@pytest.mark.parametrize(
    "text",
    [
        "Hallo Stadt Köln,   Camper seit gestern ohne Kennzeichen.   Lg",
        "Der Anhänger steht seit Wochen hier. Vielen Dank Stadt Köln fürs Kümmern.",
        "Sperrmüll am Container. Danke, Stadt Köln",
        "Bitte Schrotträder abholen. Freundlichen Gruß aus Ehrenfeld",
        "Liebes Team von der AWB, Müll am Weg. Tschüss und viele Grüße",
        "Schrott liegt dort seit Wochen. Danke, Venloer Str.",
        "Müll am Hohenzollernring. Danke Aachener Straße",
        "Ohne Kennzeichen, platte Reifen\r\nFiat Panda ",
        "Sehr geehrte Damen und Herren, Loch im Gehweg.\nMit freundlichen Grüßen in Vertretung "
        "der Anwohner  Eine ehemalige Mitarbeiterin der Stadt Köln",
        "Bitte entfernen. Danke für Ihre Hilfe",
        "Bitte entfernen. Danke Ihnen!",
        "Müll überall. Viele Grüße, Die Anwohner",
        "Laut Urteil VG Köln",
        "Bitte leeren... Bitte leeren. Danke.",
        "Wilder Müll\r\nRheinkilometer 684,4",
        "Ampel an der Ecke Franzstraße/Gürtel defekt.",
        "Müll an der Haltestelle. Danke\nKöln-Sülz",
        "Hallo,\nMüll am Spielplatz\nMit Grüßen",
        "Hallo,\nGlas auf dem Radweg.\n\nAkute Verletzungsgefahr",
        "Hallo, Müll am Weg.\n\nSchöne Woche",
        "Sperrmüll. Danke, Schönes Wochenende",
        "Hallo, Laterne aus.\nBitte Prüfen",
        "Sehr geehrte Damen und Herren,\nSchlagloch.\n\nFahrtrichtung Innenstadt",
    ],
)
def test_words_after_a_closing_that_are_no_name_stay(text):
    assert text_mask(text).text == text


def test_the_city_quarters_are_no_signature(make_report):
    """"Grüße, Ehrenfeld" is a place: the service passes the city's area names."""
    assert text_mask("Müll am Weg. Viele Grüße, Ehrenfeld").kinds == ("name",)
    report = make_report(*EHRENFELD, description="Müll am Weg. Viele Grüße, Ehrenfeld")
    assert report.description == "Müll am Weg. Viele Grüße, Ehrenfeld"
    assert report.moderation == "" and not report.description_original


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rückfragen gern an Quandelmeier.", "Rückfragen gern an [Name entfernt]."),
        ("quandelmeier, greta hat es gesehen", "[Name entfernt] hat es gesehen"),
        ("Gemeldet von Greta Quandelmeier", "Gemeldet von [Name entfernt]"),
        ("Gruß, GRETA", "Gruß, [Name entfernt]"),
    ],
)
def test_the_reporters_own_name_is_masked_wherever_it_stands(text, expected):
    masked = text_mask(text, own_name=OWN)
    assert masked.text == expected and masked.kinds == ("name",)


@pytest.mark.parametrize(
    ("own_name", "text"),
    [
        ("Bo von Quandel", "Bo fährt von der Brücke"),  # parts under 3 letters, particles
        ("Ida Quandel", "Schild an der Emil-Quandel-Straße"),  # a street named after someone
        ("Ida Quandel", "Quandelmeier und Quandels stehen hier"),  # whole words only
        ("Bürgerverein Nordpark", "Der Verein kümmert sich"),  # an organisation's words
    ],
)
def test_parts_of_the_own_name_that_are_no_name_stay(own_name, text):
    assert text_mask(text, own_name=own_name).text == text


@pytest.fixture
def moderator(db):
    return User.objects.create_user("redaktion", "r@example.org", "pw-long-enough-1", is_staff=True)


def _public_texts(client, number: str) -> list[str]:
    pages = [
        f"/meldungen/{number}/",
        f"/api/reports/{number}/",
        "/api/reports/geojson/",
        "/meldungen/karte.geojson",
        f"/open311/v2/requests/{number}.json",
        "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=app:reports"
        "&OUTPUTFORMAT=geojson",
    ]
    bodies = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        bodies.append(body.decode())
    return bodies


def _assert_masked_for_public_original_for_staff(client, moderator, report, written):
    bodies = _public_texts(client, report.number)
    for body in bodies:
        assert report.number in body
        assert "Quandelmeier" not in body and "Greta" not in body
    # Every output that carries the text carries it masked (the page, REST and Open311 do).
    assert all("[Name entfernt]" in body for body in bodies if "Lichtzeichen" in body)
    assert all("[Name entfernt]" in body for body in bodies[:2] + bodies[4:5])
    report.refresh_from_db()
    assert report.moderation == "pending" and report.description_original == written
    assert ModerationEvent.objects.get(report=report).reason == "Im Text: Name"
    client.force_login(moderator)
    page = client.get(f"/moderation/{report.number}/").content.decode()
    assert "Quandelmeier, Greta" in page, "staff read what was written"


def test_the_own_name_is_masked_through_the_web_form(client, koeln, moderator):
    written = "Lichtzeichen dunkel. Quandelmeier, Greta (wohne gegenüber)"
    response = client.post(
        "/melden/",
        {
            "category": "ampel-defekt", "lat": EHRENFELD[1], "lon": EHRENFELD[0],
            "address": "", "description": written, "name": OWN,
            "email": "greta@example.org", "phone": "", "action": "submit",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.is_public
    assert report.description == "Lichtzeichen dunkel. [Name entfernt] (wohne gegenüber)"
    _assert_masked_for_public_original_for_staff(client, moderator, report, written)


def test_the_own_name_is_masked_through_open311(client, koeln, moderator):
    written = "Lichtzeichen aus. Quandelmeier, Greta"
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": "demo-open311-key", "service_code": "ampel-defekt",
            "lat": DOM[1], "long": DOM[0], "description": written,
            "email": "greta@example.org", "first_name": "Greta", "last_name": "Quandelmeier",
        },
    )
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.description == "Lichtzeichen aus. [Name entfernt]"
    _assert_masked_for_public_original_for_staff(client, moderator, report, written)


def test_the_own_name_is_masked_through_the_rest_api(client, koeln, moderator):
    written = "Lichtzeichen aus, gesehen von G. Quandelmeier"
    response = client.post(
        "/api/reports/",
        {
            "category": "ampel-defekt", "lat": DOM[1], "lon": DOM[0], "description": written,
            "email": "greta@example.org", "name": OWN,
        },
        headers={"X-Api-Key": "demo-open311-key"},
    )
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert report.description == "Lichtzeichen aus, gesehen von G. [Name entfernt]"
    assert "Quandelmeier" not in client.get(f"/api/reports/{report.number}/").content.decode()
    assert report.description_original == written and report.moderation == "pending"


def test_a_name_staff_type_back_is_masked_again(make_report, moderator):
    report = make_report(description="Ampel aus.", name=OWN)
    report_moderate(
        report=report, reason="ergänzt", actor=moderator,
        description="Ampel aus, sagt Greta Quandelmeier.",
    )
    report.refresh_from_db()
    assert report.description == "Ampel aus, sagt [Name entfernt]."


def test_the_audit_reason_is_in_the_sites_language(make_report, settings):
    settings.LANGUAGE_CODE = "en"
    report = make_report(description="Ampel aus. Gruß, Lutz Eckbrecht, lutz@example.org")
    event = ModerationEvent.objects.get(report=report)
    assert event.reason == "In the text: email address, Name"
    assert report.description == "Ampel aus. Gruß, [Name entfernt], [E-Mail-Adresse entfernt]"
