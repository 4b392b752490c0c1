"""One language per page: no German left in the English rendering of a public or crew page, no
English in the German one. The visible text (and the attributes people read: labels, titles,
alternative texts, placeholders) is checked against marker words after the city's own names
are taken out: street, district and category names, offices, and what reporters wrote are data,
not interface text. The filing flow is also checked in Chromium, with the scripts' strings."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client

from councilmap.models import AgendaItem, Organization, Paper
from geoportal.models import Area
from reports.models import Category, Office, Report
from tests.crews.conftest import staff  # noqa: F401
from tests.reports.conftest import category, koeln, lonlat, make_report  # noqa: F401
from themes.models import DatasetLayer

# Words of German interface text that are not names. Checked as whole words, case-sensitive.
GERMAN = {
    "Bitte", "bitte", "nicht", "keine", "Keine", "kein", "Kein", "werden", "wird", "Ihre",
    "Ihr", "Ihnen", "Sie", "zurück", "weiter", "Suchen", "suchen", "anzeigen", "Anzeigen",
    "melden", "Meldung", "Meldungen", "Karte", "Datum", "Kategorie", "Beschreibung", "Seite",
    "oder", "und", "mit", "für", "ist", "sind", "hier", "Hier", "gibt", "noch", "alle", "Alle",
    "der", "die", "das", "dem", "den", "des", "ein", "eine", "einer", "auf", "aus", "nach",
    "zum", "zur", "bei", "über", "Ort", "Stadtteil", "Stadtteile", "Stadtbezirk",
    "Stadtbezirke", "Amt", "Zuständig", "Gemeldet", "Verlauf", "Unterstützt", "Danke", "Vielen",
    "Anmelden", "Abmelden", "Passwort", "Benutzername", "Arbeitsliste", "Übersicht", "Offen",
    "Offene", "Erledigt", "Abgelehnt", "Bearbeitung", "gefunden", "Nichts", "Standort",
    "verwenden", "wählen"
}
# Words of English interface text that German has no use for.
ENGLISH = {
    "the", "and", "Please", "please", "Search", "search", "report", "reports", "Report",
    "Reports", "not", "with", "your", "Your", "here", "Here", "Nothing", "nothing", "found",
    "Page", "back", "next", "Map", "Location", "Description", "Category", "Send", "Log", "of",
    "to", "is", "are", "you", "You"
}
UMLAUTS = re.compile(r"[äöüßÄÖÜ]")
# Names in the interface text itself: the search hints' example streets, brands and formats.
NAMES = ["Hauptstraße", "Köln", "OpenStreetMap", "Open311"]


class VisibleText(HTMLParser):
    """The text a person reads or hears: text outside scripts and styles, plus the labelling
    attributes. Elements marked translate="no" are names and left out."""

    SKIP = {"script", "style", "template", "noscript"}
    ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.SKIP or attrs.get("translate") == "no":
            self.skipping.append(tag)
        if not self.skipping:
            self.parts += [v for k, v in attrs.items() if k in self.ATTRIBUTES and v]
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def city_names() -> list[str]:
    """Every name and text the pages show from the data, longest first (so "Amt für Straßen
    und Verkehr" goes before "Straßen")."""
    names = set(NAMES) | {settings.GEOPORTAL_NAME}
    names |= set(Area.objects.values_list("name", flat=True))
    names |= set(Category.objects.values_list("name", flat=True))
    names |= set(Office.objects.values_list("name", flat=True))
    for report in Report.objects.all():
        names |= {report.address, report.description, report.status_notes}
    names |= set(Organization.objects.values_list("name", flat=True))
    names |= set(Paper.objects.values_list("name", flat=True))
    names |= set(Paper.objects.values_list("paper_type", flat=True))
    # The council's own result words ("Beschlossen") are data from its information system.
    names |= set(AgendaItem.objects.values_list("result", flat=True))
    # Datasets imported as Themenkarten speak in their publisher's words.
    for layer in DatasetLayer.objects.all():
        names |= {layer.title, layer.description, layer.legend, layer.attribution}
    return sorted((n for n in names if n), key=len, reverse=True)


def leftovers(html: str, markers: set[str], names: list[str], umlauts: bool) -> list[str]:
    return marker_words(visible_text(html), markers, names, umlauts)


def marker_words(text: str, markers: set[str], names: list[str], umlauts: bool) -> list[str]:
    """The marker words in `text` once the names are taken out; with `umlauts`, also every
    line that still has one."""
    for name in names:
        text = text.replace(name, " ")
    found = [w for w in re.findall(r"[\wäöüßÄÖÜ]+", text) if w in markers]
    if umlauts:
        found += [line for line in text.splitlines() if UMLAUTS.search(line)]
    return found


PUBLIC_PAGES = [
    "/",
    "/melden/",
    "/meldungen/",
    "/rat/",
    "/fnp/",
    "/zonen/",
    "/in-der-naehe/",
    "/opendata/",
    "/opendata/districts/",
    "/statistik/",
    "/status/",
    "/benachrichtigen/",
]


@pytest.fixture
def pages(make_report, staff):  # noqa: F811
    """The pages to check, with a published report, one waiting for confirmation and a crew."""
    report = make_report(description="Ein tiefes Loch in der Fahrbahn.")
    waiting = make_report(publish=False, email="neu@example.org")
    public = PUBLIC_PAGES + [
        f"/meldungen/{report.number}/",
        f"/melden/danke/{waiting.token}/",
        f"/melden/bestaetigen/{waiting.reporter.confirm_token}/",
    ]
    crew = [
        "/einsatz/",
        f"/einsatz/meldung/{report.pk}/",
        f"/einsatz/amt/{staff['office_a'].pk}/",
    ]
    return {"public": public, "crew": crew, "lead": staff["lead_a"]}


def rendered(path: str, language: str, user=None) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user:
        client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "markers", "umlauts"),
    [("en", GERMAN, True), ("de", ENGLISH, False)],
    ids=["no German in English", "no English in German"],
)
def test_each_page_speaks_one_language(pages, language, markers, umlauts):
    names = city_names()
    found = {}
    for path in pages["public"] + ["/einsatz/anmelden/"]:
        found[path] = leftovers(rendered(path, language), markers, names, umlauts)
    for path in pages["crew"]:
        found[path] = leftovers(rendered(path, language, pages["lead"]), markers, names, umlauts)
    left = {path: words for path, words in found.items() if words}
    assert left == {}, "\n".join(f"{path}: {words}" for path, words in left.items())


def test_the_check_finds_german_in_an_english_page():
    html = "<main><h1>Report</h1><button aria-label='Suchen'>Search</button><p>Köln</p></main>"
    assert leftovers(html, GERMAN, ["Köln"], umlauts=True) == ["Suchen"]
    assert leftovers("<p>Größe</p>", GERMAN, [], umlauts=True) == ["Größe"]
    assert leftovers("<p>Search the map</p>", ENGLISH, [], umlauts=False) == ["Search", "the"]


# Staff pages, error pages and the errors services raise: in the caller's language too.


@pytest.fixture
def moderator(django_user_model):
    return django_user_model.objects.create_user(
        "moderation", "moderation@example.org", "pw-long-enough-1", is_staff=True
    )


def speak(language: str, user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user:
        client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "markers", "umlauts"),
    [("en", GERMAN, True), ("de", ENGLISH, False)],
    ids=["no German in English", "no English in German"],
)
def test_moderation_pages_speak_one_language(make_report, moderator, language, markers, umlauts):  # noqa: F811
    report = make_report(description="Rufen Sie mich an: 0221 123456.")
    reason = "Telefonnummer entfernt"
    moderated = speak("de", moderator).post(
        f"/moderation/{report.number}/", {"reason": reason, "hidden": "1"}
    )
    assert moderated.status_code == 302
    # What the reporter wrote before the filter masked it is data too (shown to staff only).
    originals = Report.objects.exclude(description_original="")
    names = city_names() + [reason, *originals.values_list("description_original", flat=True)]
    names.sort(key=len, reverse=True)
    for path in ["/moderation/", f"/moderation/{report.number}/"]:
        words = leftovers(rendered(path, language, moderator), markers, names, umlauts)
        assert words == [], f"{path}: {words}"


@pytest.mark.django_db
def test_a_refused_moderation_is_explained_in_the_page_language(make_report, moderator):  # noqa: F811
    report = make_report()
    english = speak("en", moderator).post(f"/moderation/{report.number}/", {"reason": " "})
    assert english.status_code == 400
    assert "Please give a reason" in english.content.decode()
    german = speak("de", moderator).post(f"/moderation/{report.number}/", {"reason": " "})
    assert "Bitte einen Grund angeben" in german.content.decode()
    saved = speak("en", moderator).post(
        f"/moderation/{report.number}/", {"reason": "checked", "hidden": "1"}, follow=True
    )
    assert f"Report {report.number} saved" in saved.content.decode()


@pytest.mark.django_db
def test_a_refused_crew_change_is_explained_in_english(make_report, staff):  # noqa: F811
    report = make_report()
    client = speak("en", staff["crew_a"])
    url = f"/einsatz/api/meldungen/{report.pk}/aenderung/"
    body = {"key": "7c4b3a8e-1111-4c1e-9a63-000000000001", "version": 1, "action": "transition"}
    refused = client.post(
        url,
        {**body, "stage": "duplicate", "duplicate_of": report.number},
        content_type="application/json",
    )
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error == "A report is not a duplicate of itself.", error
    broken = client.post(url, b"[1]", content_type="application/json")
    assert broken.json()["error"] == "A JSON object was expected."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "markers", "umlauts", "expected"),
    [
        ("en", GERMAN, True, "Too many failed logins. Please try again in 60 seconds."),
        ("de", ENGLISH, False, "Zu viele fehlgeschlagene Anmeldungen. Bitte in 60 Sekunden"),
    ],
    ids=["English", "German"],
)
def test_the_crews_login_throttle_speaks_the_callers_language(
    staff,  # noqa: F811
    settings,
    language,
    markers,
    umlauts,
    expected,
):
    settings.TRUST_LOGIN_BASE_DELAY = 60
    client = speak(language)
    form = {"username": "crew_a", "password": "falsch"}
    statuses = [client.post("/einsatz/anmelden/", form).status_code for _ in range(4)]
    assert statuses[-1] == 429
    page = client.post("/einsatz/anmelden/", form).content.decode()
    assert expected in page
    assert leftovers(page, markers, city_names(), umlauts) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "markers", "umlauts", "expected"),
    [
        ("en", GERMAN, True, "Too many requests. Please try again in"),
        ("de", ENGLISH, False, "Zu viele Anfragen. Bitte in"),
    ],
    ids=["English", "German"],
)
def test_the_rate_limit_page_speaks_the_callers_language(
    koeln,  # noqa: F811
    settings,
    language,
    markers,
    umlauts,
    expected,
):
    settings.TRUST_RATE_LIMITS = {**settings.TRUST_RATE_LIMITS, "report-ip": (1, 3600)}
    form = {
        "category": "schlagloch",
        "lat": 50.9515,
        "lon": 6.9175,
        "description": "Tiefes Schlagloch mitten auf der Fahrbahn.",
        "email": "buerger@example.org",
        "action": "submit",
    }
    client = speak(language)
    assert client.post("/melden/", form).status_code == 302
    refused = client.post("/melden/", {**form, "email": "zwei@example.org"})
    assert refused.status_code == 429
    page = refused.content.decode()
    assert expected in page
    assert f'lang="{language}"' in page
    assert leftovers(page, markers, city_names(), umlauts) == []


@pytest.mark.django_db
def test_the_server_error_page_follows_the_language(client, settings):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("en"):
        english = render_to_string("500.html")
    assert 'lang="en"' in english and "Something went wrong" in english
    assert leftovers(english, GERMAN, [], umlauts=True) == []
    with translation.override("de"):
        german = render_to_string("500.html")
    assert 'lang="de"' in german and leftovers(german, ENGLISH, [], umlauts=False) == []


@pytest.mark.django_db
def test_a_refused_photo_is_explained_in_english(koeln):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = {
        "category": "schlagloch",
        "lat": 50.9515,
        "lon": 6.9175,
        "description": "Tiefes Schlagloch mitten auf der Fahrbahn.",
        "email": "buerger@example.org",
        "action": "submit",
    }
    for language, expected in [
        ("en", "The file is not a readable image (allowed: JPEG, PNG, HEIC)."),
        ("de", "Die Datei ist kein lesbares Bild (erlaubt: JPEG, PNG, HEIC)."),
    ]:
        bad = SimpleUploadedFile("x.jpg", b"not a jpeg", "image/jpeg")
        response = speak(language).post("/melden/", {**form, "photos": [bad]})
        assert response.status_code == 400
        assert expected in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "english", "german"),
    [
        ("/opendata/nonexistent.csv", "There is no dataset", "keinen Datensatz"),
        ("/opendata/districts.xlsx", "Unknown format", "Unbekanntes Format"),
        ("/statistik/nonexistent.csv", "There is no statistic", "keine Statistik"),
    ],
)
def test_download_errors_speak_the_callers_language(url, english, german):
    assert english in speak("en").get(url).json()["detail"]
    assert german in speak("de").get(url).json()["detail"]


@pytest.mark.django_db
def test_rest_query_errors_speak_the_callers_language(koeln):  # noqa: F811
    url = "/api/reports/?bbox=1,2,3"
    assert "Use west,south,east,north" in speak("en").get(url).content.decode()
    assert "Bitte west,süd,ost,nord" in speak("de").get(url).content.decode()
    plan = "/api/landuse/plan.geojson?bbox=7,50,6,51"  # the land-use API's bbox is the same field
    assert "Use west,south,east,north with west<east" in speak("en").get(plan).content.decode()
    assert "mit west<ost und süd<nord" in speak("de").get(plan).content.decode()
    near = "/api/reports/duplicates/?category=gibt-es-nicht&lat=50.94&lon=6.96"
    assert "Unknown category" in speak("en").get(near).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "markers", "umlauts", "not_found", "forbidden"),
    [
        ("en", GERMAN, True, "Page not found", "No access"),
        ("de", ENGLISH, False, "Seite nicht gefunden", "Kein Zugriff"),
    ],
    ids=["English", "German"],
)
def test_not_found_and_forbidden_pages_speak_the_page_language(
    django_user_model, language, markers, umlauts, not_found, forbidden
):
    # Django's built-in pages say "Not Found" and "403 Forbidden" in English only.
    missing = speak(language).get("/gibt-es-nicht/")
    assert missing.status_code == 404
    page = missing.content.decode()
    assert not_found in page and f'lang="{language}"' in page
    assert leftovers(page, markers, city_names(), umlauts) == []
    nobody = django_user_model.objects.create_user("ohne-amt", "o@example.org", "pw-long-1234")
    refused = speak(language, nobody).get("/einsatz/")
    assert refused.status_code == 403
    page = refused.content.decode()
    assert forbidden in page
    assert leftovers(page, markers, city_names(), umlauts) == []
