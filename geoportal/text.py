"""German normalisation of street and area names, shared by import, search and text geocoding.

Two forms are produced:

* a *matching key* (``normalize_street``): lowercase, no umlauts, no separators, street-type
  suffixes shortened, so that "Venloer Str.", "Venloer-Straße" and "venloerstrasse" collide;
* a *display form* (``expand_abbreviations``): the gazetteer's abbreviations written out.

The key is built token by token (``token_key``) so that the extractor can key running text
incrementally and get exactly the key the gazetteer built for the whole name.
"""

from __future__ import annotations

import re
from functools import lru_cache

_FOLD_TABLE = str.maketrans(
    {"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "é": "e", "è": "e", "à": "a", "ç": "c"}
)
# "ae"/"oe"/"ue" are the ASCII spellings of umlauts ("Muelheimer"). Folding them everywhere,
# on both sides, can merge unrelated spellings ("neue" -> "neu"), which only matters if two
# gazetteer names collide, and they do not.
_UMLAUT_DIGRAPH = re.compile(r"([aou])e")

# (ending, replacement) applied to the last characters of each token; longest first.
_SUFFIX_RULES: tuple[tuple[str, str], ...] = (
    ("strasse", "str"),
    ("platz", "pl"),
)
_WHOLE_TOKEN_ALIASES = {"sankt": "st"}

TOKEN_PATTERN = re.compile(r"[^\W_]+")

_LOCALITY_SUFFIX = re.compile(r"^(?P<base>.*\S) (?P<code>[A-ZÄÖÜ][a-zäöüß])$")
_COMPOUND_STR = re.compile(r"(?<=[a-zäöüß])str\.?(?=$|[\s\-/,;)])")
_SEPARATE_STR = re.compile(r"\b(S|s)tr\.?(?=$|[\s\-/,;)])")
_PLATZ_ABBREV = re.compile(r"(?<=\w[\s-])Pl\.(?=$|[\s,;)])")


# ------------------------------------------------------------------------- matching keys


def fold(text: str) -> str:
    """Lowercase and transliterate umlauts (both "ü" and "ue" become "u").

    Digraphs go first, so that "Ströer" and its transcription "Stroeer" both give "stroer".
    """
    return _UMLAUT_DIGRAPH.sub(r"\1", text.lower()).translate(_FOLD_TABLE)


@lru_cache(maxsize=65536)
def token_key(token: str) -> str:
    """Matching key of one word token (letters/digits only, no separators)."""
    key = fold(token)
    alias = _WHOLE_TOKEN_ALIASES.get(key)
    if alias:
        return alias
    for ending, replacement in _SUFFIX_RULES:
        if key.endswith(ending):
            return key[: -len(ending)] + replacement
    return key


def tokens(text: str) -> list[str]:
    """Word tokens of a name: separators (space, hyphen, dot, slash ...) are dropped."""
    return TOKEN_PATTERN.findall(text)


def normalize_street(name: str) -> str:
    """Matching key of a street, square or area name.

    >>> normalize_street("Venloer Str.") == normalize_street("Venloer-Straße")
    True
    >>> normalize_street("Mülheimer Str") == normalize_street("Muelheimer Strasse")
    True
    """
    return "".join(token_key(token) for token in tokens(name))


# -------------------------------------------------------------------------- display form


def expand_abbreviations(name: str) -> str:
    """Display form: "Görresstr." -> "Görresstraße", "Brüsseler Pl." -> "Brüsseler Platz".

    "Pl." is only expanded after another word: on its own it is too short to be sure.
    "St." stays as it is, because it can mean "Sankt" as well as "Straße".
    """
    expanded = _COMPOUND_STR.sub("straße", name)
    expanded = _SEPARATE_STR.sub(lambda match: match.group(1) + "traße", expanded)
    return _PLATZ_ABBREV.sub("Platz", expanded)


def split_locality_suffix(name: str) -> tuple[str, str | None]:
    """Split a two-letter locality code off a gazetteer name.

    Köln's street register tells apart streets of the same name in different localities by a
    trailing code: "Berliner Str. We" (Weiden), "Amselstr. Po" (Porz).
    """
    match = _LOCALITY_SUFFIX.match(name.strip())
    if match is None:
        return name.strip(), None
    return match.group("base"), match.group("code")


_QUARTER_IN_PARENS = re.compile(r"^(?P<base>.*\S)\s*\((?P<place>[^()]+)\)\s*$")


def split_quarter_suffix(name: str) -> tuple[str, str, str]:
    """(name, suffix code, place name) of a gazetteer name that tells equal names apart.

    Both of Köln's forms: a two-letter code ("Schillerstr. We" -> code "We") and the place in
    parentheses ("Hauptstr. (Rodenkirchen)" -> place "Rodenkirchen"). Parts not present are "".

    >>> split_quarter_suffix("Hauptstr. (Rodenkirchen)")
    ('Hauptstr.', '', 'Rodenkirchen')
    >>> split_quarter_suffix("Schillerstr. We")
    ('Schillerstr.', 'We', '')
    """
    name = " ".join(name.split())
    match = _QUARTER_IN_PARENS.match(name)
    if match:
        return match["base"], "", match["place"].strip()
    base, code = split_locality_suffix(name)
    return base, code or "", ""


_HOUSE_NUMBER = re.compile(r"^\s*0*(?P<number>\d{1,5})\s*(?P<suffix>[a-zA-Z]?)\s*$")


def parse_house_number(text: str | None) -> tuple[int, str] | None:
    """(number, suffix) of a house number as written in registers or by people.

    "0009a" -> (9, "a"), "200" -> (200, ""). Zero and anything else are not a house number.
    """
    match = _HOUSE_NUMBER.match(text or "")
    if match is None or int(match["number"]) == 0:
        return None
    return int(match["number"]), match["suffix"].lower()
