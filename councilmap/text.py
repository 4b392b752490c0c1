"""German council wording around place names: inflections, prepositions, house numbers, cities.

The name keys themselves come from `geoportal.text`, so text geocoding and the gazetteer search
agree on what counts as the same name.
"""

from __future__ import annotations

import re

from geoportal.text import (  # noqa: F401  (re-exported for the extractor)
    TOKEN_PATTERN,
    expand_abbreviations,
    fold,
    normalize_street,
    split_locality_suffix,
    token_key,
    tokens,
)

# ---------------------------------------------------------------------------- inflection


# First words of names that take adjective endings: "Hohe Straße" -> "an der Hohen Straße".
_ADJECTIVE_STEMS = frozenset({
    "alt", "neu", "hoh", "breit", "groß", "klein", "lang", "kurz", "grün", "rot", "schwarz",
    "weiß", "inner", "äußer", "ober", "unter", "mittler", "eisern", "still", "krumm", "schmal",
    "tief", "heilig",
})
_ADJECTIVE_ENDINGS = ("er", "es", "en", "em", "e")


def adjective_stem(word: str) -> str | None:
    """Stem of an inflected adjective opening a name ("Hohe" -> "hoh", "Clevischer" -> ...)."""
    lowered = word.lower()
    for ending in _ADJECTIVE_ENDINGS:
        stem = lowered[: -len(ending)]
        if lowered.endswith(ending) and (stem in _ADJECTIVE_STEMS or stem.endswith("isch")):
            return stem
    return None


def inflected_keys(name: str) -> list[str]:
    """Keys of a name with its opening adjective in every case: "Alter Markt" -> "alten markt"."""
    words = tokens(name)
    stem = adjective_stem(words[0]) if len(words) > 1 else None
    if stem is None:
        return []
    rest = "".join(token_key(word) for word in words[1:])
    return [token_key(stem + ending) + rest for ending in _ADJECTIVE_ENDINGS]


def genitive_keys(word: str) -> list[str]:
    """Keys of ``word`` without a genitive ending: "Rudolfplatzes" -> "rudolfpl"."""
    lowered = word.lower()
    keys = []
    if lowered.endswith("es") and len(lowered) > 4:
        keys.append(token_key(word[:-2]))
    if lowered.endswith("s") and len(lowered) > 3:
        keys.append(token_key(word[:-1]))
    return keys


# -------------------------------------------------------------------------- word classes


def _keyset(*words: str) -> frozenset[str]:
    return frozenset(token_key(word) for word in words)


# Word classes, as token keys. Words that open a street name ("Am Hof", "Zum Milchmädchen").
PREPOSITIONS = _keyset(
    "am", "an", "auf", "aufm", "im", "in", "zum", "zur", "zu", "unter", "hinter", "vor",
    "vorm", "bei", "beim", "über", "neben", "op", "zwischen",
)
# Before a noun that is a concept rather than a name: "eine Schulstraße", "Neue Seidenstraße".
INDEFINITE = _keyset(
    "ein", "eine", "einer", "einem", "einen", "eines", "keine", "keiner", "neue", "neuen",
    "jede", "jeder", "weitere", "weiteren", "mehr", "unsere", "unserer", "erste", "zweite",
)
CONJUNCTIONS = _keyset("und", "oder", "sowie", "bzw")
GENITIVE_ARTICLES = _keyset("des", "eines")
_ARTICLES = _keyset("der", "die", "dem", "den")
_LOCATIVE_PREPOSITIONS = _keyset(
    "in", "an", "auf", "entlang", "über", "von", "aus", "bis", "zu", "nach", "für", "vor",
)
_CONTRACTED_LOCATIVES = _keyset("am", "im", "zum", "zur", "beim", "vom")


def is_locative(keys: list[str]) -> bool:
    """Do the (one or two) token keys before a name place it: "in der", "an der", "am"?"""
    if keys and keys[-1] in _CONTRACTED_LOCATIVES:
        return True
    return len(keys) == 2 and keys[1] in _ARTICLES and keys[0] in _LOCATIVE_PREPOSITIONS


# ------------------------------------------------------------------------- house numbers


_NUMBER = r"\d{1,4}(?:\s?[a-zA-Z](?![^\W\d_]))?"
_HOUSE_NUMBER = re.compile(
    # "Aachener Straße in Höhe Hausnummer 400", "Neusser Straße Höhe Nr. 450", "Bonner Straße
    # vor Hausnummer 271": the number after "Höhe", "vor", "gegenüber" is where on the street
    # the paper is, as much as "Nr. 450" alone.
    r"\s*(?:(?:(?:in\s+)?Höhe|vor|gegenüber)\s+(?:(?:der|von)\s+)?(?=(?:Nr|Haus)))?"
    rf"(?:Nr\.?\s*|Hausnummer\s+|Haus-?[Nn]r\.?\s*)?(?P<number>{_NUMBER}(?:\s?(?:[-–/]|\sbis\s)\s?{_NUMBER})?)"
    r"(?![^\W_]|[.,]\d|\.\s*[^\W\d_])"  # not "12.000", "2. Bauabschnitt", "13er"
)
_NOT_A_HOUSE_NUMBER = re.compile(
    r"\s*(?:%|€|Euro\b|EUR\b|Mio\b|Millionen\b|m\b|km\b|qm\b|m²|Meter\b|Jahre|Monate"
    r"|Bäume|Stellplätze|Parkplätze|Wohnungen|Plätze|Prozent)"
)


def house_number_at(text: str, pos: int) -> tuple[str, int] | None:
    """House number ("241", "12a", "12-14", "Nr. 5") right after ``pos``, and where it ends.

    Years, ordinals, decimals and quantities are no house numbers: "Venloer Straße 2025",
    "2. Bauabschnitt", "12.000 Fahrzeuge", "30 km".
    """
    match = _HOUSE_NUMBER.match(text, pos)
    if match is None or _NOT_A_HOUSE_NUMBER.match(text, match.end()):
        return None
    number = match.group("number")
    if 1900 <= int(re.match(r"\d+", number).group()) <= 2100:
        return None
    return number, match.end()


# -------------------------------------------------------------------------- other cities


# Cities a council paper may name besides its own: their streets are not the home city's.
CITIES = (
    "Aachen", "Augsburg", "Berlin", "Bielefeld", "Bochum", "Bonn", "Bremen", "Brühl",
    "Dormagen", "Dortmund", "Dresden", "Duisburg", "Düsseldorf", "Erftstadt", "Erfurt", "Essen",
    "Frankfurt", "Frechen", "Freiburg", "Gelsenkirchen", "Gladbach", "Hagen", "Hamburg", "Hamm",
    "Hannover", "Heidelberg", "Hürth", "Karlsruhe", "Kassel", "Kerpen", "Kiel", "Koblenz", "Köln",
    "Krefeld", "Leipzig", "Leverkusen", "Lübeck", "Magdeburg", "Mainz", "Mannheim",
    "Mönchengladbach", "München", "Münster", "Neuss", "Nürnberg", "Oberhausen", "Offenbach",
    "Potsdam", "Pulheim", "Regensburg", "Remscheid", "Rösrath", "Siegburg", "Solingen",
    "Stuttgart", "Troisdorf", "Trier", "Wesseling", "Wiesbaden", "Wuppertal", "Wien", "Paris",
    "Amsterdam", "Brüssel", "London", "Kopenhagen", "Zürich", "Bergheim", "Tübingen", "Ulm",
)
_IRREGULAR_CITY_ADJECTIVES = {
    "München": "Münchner", "Dresden": "Dresdner", "Bremen": "Bremer", "Hannover": "Hannoveraner",
}


def city_adjective(city: str) -> str:
    """ "Karlsruhe" -> "Karlsruher", "Düsseldorf" -> "Düsseldorfer", "München" -> "Münchner"."""
    if city in _IRREGULAR_CITY_ADJECTIVES:
        return _IRREGULAR_CITY_ADJECTIVES[city]
    return city + ("r" if city.endswith("e") else "er")
