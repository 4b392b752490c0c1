"""Word lists and patterns the extractor reads a title with: guards, cues, other cities."""

from __future__ import annotations

import re

from councilmap.text import (
    CITIES,
    city_adjective,
    normalize_street,
)

DEFAULT_MIN_CONFIDENCE = 0.5
_MAX_NAME_TOKENS = 8


def _keys(*names: str) -> frozenset[str]:
    return frozenset(normalize_street(name) for name in names)


# Street names far more often used as plain words or idioms ("auf dem Holzweg", "Freiheit der
# Kunst", "am Flughafen"): matched only with a house number or "Straße ..." in front.
_STRONG_COMMON = _keys(
    "Markt", "Freiheit", "Flughafen", "Flughafengelände", "Fliegerhorst", "Stadtautobahn",
    "Stadtwald", "Holzweg", "Mittelweg", "Kiesweg", "Steinweg", "Kirschgarten",
)
# Street names that are also nouns or concepts ("eine Schulstraße", "die Neue Seidenstraße",
# "Lindenstraße" on TV, a "Hauptstraße" anywhere): need a house number, a locative article
# ("in der ...") or an area right after.
_WEAK_COMMON = _keys(
    "Bahnhofstraße", "Hauptstraße", "Industriestraße", "Lindenstraße", "Querstraße",
    "Ringstraße", "Salzstraße", "Schulstraße", "Seidenstraße", "Sesamstraße", "Kirchweg",
    "Kirchplatz", "Lindenallee", "Bahnhofsvorplatz", "Rathausplatz", "Marktplatz", "Schulweg",
    "Kirchstraße", "Gartenstraße", "Parkstraße", "Uferstraße", "Dorfstraße", "Fahrradstraße",
    "Spielstraße", "Einbahnstraße", "Landstraße", "Bundesstraße", "Am Bahnhof",
)
# Area names that are also words, surnames or places elsewhere ("Kalk im Trinkwasser",
# "Ratsmitglied Weiß", "Wahn und Wirklichkeit", Stuttgart-Stammheim): need a cue.
_AMBIGUOUS_AREAS = _keys(
    "Weiß", "Kalk", "Wahn", "Weiden", "Lind", "Zollstock", "Vogelsang", "Blumenberg",
    "Marienburg", "Eil", "Brück", "Esch", "Rath", "Weiler", "Humboldt", "Urbach", "Elsdorf",
    "Pesch", "Riehl", "Poll", "Stammheim", "Seeberg",
)
# Halves of double names ("Altstadt/Nord") too vague to stand for the area alone.
_NO_PART_ALIAS = _keys("Altstadt", "Neustadt", "Nord", "Süd", "Ost", "West")
_DISTRICT_CUES = _keys(
    "Stadtbezirk", "Stadtbezirks", "Bezirk", "Bezirks", "Bezirksvertretung", "Bezirksrathaus",
    "Bezirksbürgermeister", "Bezirksbürgermeisterin",
)
# Words before an area name that make it a place: "in Kalk", "Bürgeramt Kalk", "Köln-Kalk".
# Words before a KVB stop's name ("Haltestelle Brück Mauspfad", "Haltestelle Kalk Kapelle").
_STOP_WORDS = _keys("Haltestelle", "Bushaltestelle", "Stadtbahnhaltestelle", "Endhaltestelle")
_AREA_CUES = _DISTRICT_CUES | _keys(
    "in", "im", "nach", "aus", "Stadtteil", "Stadtteils", "Veedel", "Ortsteil",
    "Bürgeramt", "Gesamtschule", "Grundschule", "Gymnasium", "Realschule", "Hauptschule",
    "Schulzentrum", "Feuerwache", "Polizeiwache", "Bahnhof", "Rathaus", "Hallenbad",
    "Schwimmbad", "Bürgerhaus", "Bürgerzentrum", "Jugendzentrum", "Stadtteilbibliothek",
    "Sportplatz", "Friedhof",
    # Facilities named after their quarter ("Grillhütte Poll", "Bezirkssportanlage Weidenpesch").
    "Grillhütte", "Spielplatz", "Bolzplatz", "Sportanlage", "Bezirkssportanlage", "Freibad",
    "Wochenmarkt", "Kita", "Kindergarten",
) | _STOP_WORDS
# A quarter's adjective ("Sülzer Wochenmarkt", "Nippeser Innenstadt") names a place there;
# not for quarters whose name is also a word ("Weißer" is white, "Kalker" a surname).
_QUARTER_ADJECTIVE_SUFFIX = "er"
# Nouns of the landscape that make an adjective of an area whose name is also a word a place:
# "am Poller Rheinufer", "Wahner Heide" ("Poller" alone is a bollard, "Weißer" a colour).
_PLACE_NOUNS = _keys(
    "Rheinufer", "Ufer", "Wiesen", "Rheinwiesen", "Heide", "Wald", "Feld", "Friedhof",
)
_STREET_CUES = _keys("Straße", "Adresse", "Anschrift", "Platz", "Weg")
_BESIDE_STREET_BEFORE = re.compile(r"(?:\S/\s*|\s/\s*|\bzwischen\s+|\bbis\s+)$")
_BESIDE_STREET_AFTER = re.compile(r"\s*/\s*\w|\s+zwischen\s")
_BEFORE_CITY = _keys("in", "im", "bei", "der", "Stadt")
# "Berliner Straße in Düsseldorf" is not Köln's.
_OTHER_CITIES = _keys(*CITIES)
_OTHER_CITY_ADJECTIVES = _keys(*(city_adjective(city) for city in CITIES))
# "Mülheim an der Ruhr", "Weiden in der Oberpfalz": namesakes of Köln quarters elsewhere.
_ELSEWHERE = r"\s*(?:an\s+der\s+Ruhr|in\s+der\s+Oberpfalz|\(Oberpfalz\))"
_ELSEWHERE_AFTER = re.compile(_ELSEWHERE)
_NOT_THE_AREA_AFTER = re.compile(rf"{_ELSEWHERE}|[-\s](?:AG|GmbH|SE)\b")  # also "Deutz AG"
# "Kalk-Süd", "Mülheim-Nord": a compass part glued to a name says the name is the quarter.
_COMPASS_PART_AFTER = re.compile(r"-(?:(?:Nord|Süd)(?:west|ost)?|Ost|West|Mitte)\b")
_JOINABLE_GAP = re.compile(r"\.?[\s\-‐/']*")
_SEPARATOR_AFTER = re.compile(r"\s*(?:[:–—(,;]|-\s|$)")
_ARTICLE = r"(?:(?:der|dem|den|die|das)\s+)?"
_LEAD = r"\s*[,:\-–]?\s*\(?\s*"
_STRETCH = r"(?:(?:im|in\s+dem|auf\s+dem|auf)\s+)?(?:Teil)?(?:Abschnitt|Bereich|Teilstück)\s+"
_SECTION_PATTERNS = tuple(
    (re.compile(opening, re.IGNORECASE), re.compile(joining, re.IGNORECASE))
    for opening, joining in (
        (rf"{_LEAD}(?:{_STRETCH})?zwischen\s+{_ARTICLE}", rf"\s+und\s+{_ARTICLE}"),
        (
            rf"{_LEAD}(?:(?:{_STRETCH})?(?:von|ab)\s+|{_STRETCH}){_ARTICLE}",
            r"\s+bis\s+(?:(?:zur|zum|zu|an\s+die|an\s+den|an\s+das)\s+)?",
        ),
    )
)
