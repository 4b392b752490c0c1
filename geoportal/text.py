"""German street-name normalisation shared by import, search and text geocoding.

One key per spelling family, so "Venloer Str.", "Venloer Straße", "venloer strasse" and
"Venloer-Straße" all meet, and so do "Mülheimer", "Muelheimer" and "Mulheimer".
"""

import re
import unicodedata

_STREET_WORD = re.compile(r"(stra(ss|ß)e|str\.?)(?=$|[\s\-.,;:)])", re.IGNORECASE)
_ABBREVIATED_STREET = re.compile(r"(?<=\w)str\.(?=$|[\s,;:)])|\bStr\.(?=$|[\s,;:)])")
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "é": "e", "è": "e"})
_DIGRAPHS = re.compile(r"(?<=[a-z])(ae|oe|ue)|^(ae|oe|ue)")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def expand_abbreviations(name: str) -> str:
    """Display form: "Görresstr." -> "Görresstraße", "Venloer Str." -> "Venloer Straße"."""
    name = " ".join(name.split())
    return _ABBREVIATED_STREET.sub(lambda m: "Straße" if m.group(0)[0] == "S" else "straße", name)


def fold(text: str) -> str:
    """Lower case, umlauts and their ae/oe/ue spellings to the plain vowel, accents dropped."""
    text = text.lower().translate(_FOLD)
    text = _DIGRAPHS.sub(lambda m: (m.group(1) or m.group(2))[0], text)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def normalize_street(name: str) -> str:
    """Search key: folded, 'Straße'/'Strasse'/'Str.' as 'str', no spaces, hyphens or dots."""
    name = _STREET_WORD.sub("str", name)
    return _NOT_ALNUM.sub("", fold(name))
