"""Candidate search: tokens, spans of tokens looked up in the gazetteer, elliptic names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from councilmap.text import (
    CONJUNCTIONS,
    GENITIVE_ARTICLES,
    TOKEN_PATTERN,
    genitive_keys,
    house_number_at,
    token_key,
)

from .gazetteer import (
    Gazetteer,
    GazetteerEntry,
)
from .words import (
    _JOINABLE_GAP,
    _MAX_NAME_TOKENS,
    _PLACE_NOUNS,
    _QUARTER_ADJECTIVE_SUFFIX,
    _STOP_WORDS,
)

# ---------------------------------------------------------------------- candidate search


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    start: int
    end: int
    key: str
    lower: str


def _tokenize(text: str) -> list[_Token]:
    return [
        _Token(m.group(), m.start(), m.end(), token_key(m.group()), m.group().lower())
        for m in TOKEN_PATTERN.finditer(text)
    ]


@dataclass
class _Candidate:
    first: int  # token indices, inclusive
    last: int
    entry: GazetteerEntry
    start: int
    end: int
    elliptic: bool = False
    house_number: str | None = None
    number_end: int | None = None
    confidence: float = 0.0
    area_kind: str | None = None
    adjective: bool = False  # "Sülzer Wochenmarkt": the quarter named by its adjective

    @property
    def span_end(self) -> int:
        return self.end if self.number_end is None else self.number_end


def _candidate(text: str, toks: Sequence[_Token], first: int, last: int,
               entry: GazetteerEntry) -> _Candidate:
    end = toks[last].end
    # Keep the dot of "Str." / "Pl." in the matched text; a full stop after a name stays out.
    if toks[last].lower.endswith(("str", "pl")) and text[end : end + 1] == ".":
        end += 1
    return _Candidate(first, last, entry, toks[first].start, end)


def _find_candidates(text: str, toks: Sequence[_Token], gaz: Gazetteer) -> list[_Candidate]:
    found: list[_Candidate] = []
    for first, token in enumerate(toks):
        if not token.text[0].isupper():  # names start with a capital, "am Hof" is no street
            continue
        # "des Rudolfplatzes", "des Alten Marktes"; feminine names never follow "des".
        genitive = first > 0 and toks[first - 1].key in GENITIVE_ARTICLES
        key = ""
        for last in range(first, min(len(toks), first + _MAX_NAME_TOKENS)):
            gap_start = toks[last - 1].end if last > first else 0
            if last > first and not _JOINABLE_GAP.fullmatch(text, gap_start, toks[last].start):
                break
            for variant in genitive_keys(toks[last].text) if genitive else ():
                entry = gaz.index.get(key + variant)
                if entry is not None and entry.kind == "street":
                    found.append(_candidate(text, toks, first, last, entry))
            key += toks[last].key
            entry = gaz.index.get(key)
            if entry is not None:
                found.append(_candidate(text, toks, first, last, entry))
            if key not in gaz.prefixes:
                break
    found.extend(_elliptic_candidates(text, toks, gaz, found))
    found.extend(_stop_name_candidates(text, toks, gaz))
    found.extend(_quarter_adjective_candidates(text, toks, gaz, found))
    found.extend(_bare_prepositional_candidates(text, toks, gaz, found))
    return found


# The openings of prepositional street names ("Am Heidstamm", "An der Mühle", "Zum Hedelsberg"),
# as the keys of their words run together.
_NAME_OPENINGS = ("am", "an", "ander", "anden", "aufdem", "aufder", "im", "inder", "zum", "zur")


def _bare_prepositional_candidates(text: str, toks: Sequence[_Token], gaz: Gazetteer,
                                   found: Sequence[_Candidate]) -> list[_Candidate]:
    """"Baumfällung am Grundstück Heidstamm 81": the street "Am Heidstamm" written without its
    preposition. Only at a house number, which says the word is an address, and only where one
    prepositional street of that word exists and the word is no name of its own."""
    covered = {i for cand in found for i in range(cand.first, cand.last + 1)}
    extra: list[_Candidate] = []
    for i, tok in enumerate(toks):
        if (i in covered or not tok.text[0].isupper() or tok.key in gaz.index
                or house_number_at(text, tok.end) is None):
            continue
        hits = {entry.key: entry for opening in _NAME_OPENINGS
                if (entry := gaz.index.get(opening + tok.key)) is not None
                and entry.kind == "street"}
        if len(hits) != 1:
            continue
        entry = next(iter(hits.values()))
        # A word other street names end in is a noun ("Hof 12", "Mühle 3": Gereonshof,
        # Bachmühle …), not the name of the one street.
        if any(key.endswith(tok.key) and key != entry.key for key in gaz.streets):
            continue
        extra.append(_Candidate(i, i, entry, tok.start, tok.end))
    return extra


def _quarter_adjective_candidates(text: str, toks: Sequence[_Token], gaz: Gazetteer,
                                  found: Sequence[_Candidate]) -> list[_Candidate]:
    """"Sülzer Wochenmarkt", "Ehrenfelder Bahnbögen", "Nippeser Innenstadt", "Worringer Bahnhof":
    the quarter, and
    the noun it qualifies is no place of its own ("Innenstadt" here is not the district).
    Where a street begins with the adjective ("Kalker Hauptstraße", "Deutzer Freiheit") the
    street is meant and no candidate is made."""
    suffix = _QUARTER_ADJECTIVE_SUFFIX
    street_starts = {c.first for c in found if c.entry.kind == "street"}
    extra: list[_Candidate] = []
    for i, tok in enumerate(toks):
        if (not tok.text[0].isupper() or not tok.lower.endswith(suffix)
                or len(tok.text) <= len(suffix) + 2 or i in street_starts):
            continue
        stem = tok.text[: -len(suffix)]
        # Quarters in -en drop it: "Worringer Bahnhof" is in Worringen, "Fühlinger" Fühlingen.
        entry = gaz.index.get(token_key(stem)) or gaz.index.get(token_key(stem + "en"))
        nxt = i + 1
        if entry is None or entry.kind != "area" or (entry.guard == "ambiguous" and not (
                nxt < len(toks) and toks[nxt].key in _PLACE_NOUNS)):
            continue
        last = i
        if (nxt < len(toks) and toks[nxt].text[0].isupper() and nxt not in street_starts
                and text[tok.end : toks[nxt].start] == " "):
            last = nxt
        extra.append(_Candidate(i, last, entry, tok.start, toks[last].end, adjective=True))
    return extra


def _stop_name_candidates(text: str, toks: Sequence[_Token], gaz: Gazetteer) -> list[_Candidate]:
    """KVB stops are named "<quarter> <street>" for the quarter's own street: the stop "Brück
    Mauspfad" lies on the Brücker Mauspfad. Only right after a stop word, where the quarter
    name cannot be read as the place itself."""
    extra: list[_Candidate] = []
    for first in range(1, len(toks) - 1):
        area = gaz.index.get(toks[first].key)
        if toks[first - 1].key not in _STOP_WORDS or area is None or area.kind != "area":
            continue
        key = token_key(toks[first].text + "er")
        for last in range(first + 1, min(len(toks), first + _MAX_NAME_TOKENS)):
            if not _JOINABLE_GAP.fullmatch(text, toks[last - 1].end, toks[last].start):
                break
            key += toks[last].key
            entry = gaz.index.get(key)
            if entry is not None and entry.kind == "street":
                extra.append(_candidate(text, toks, first, last, entry))
            if key not in gaz.prefixes:
                break
    return extra


def _elliptic_candidates(text: str, toks: Sequence[_Token], gaz: Gazetteer,
                         found: Sequence[_Candidate]) -> list[_Candidate]:
    """The first halves of "Aachener und Dürener Straße", "Brabanter, Lütticher und Genter
    Straße", "Venloer- und Subbelrather Straße"."""
    extra: list[_Candidate] = []
    for cand in found:
        if cand.entry.kind != "street" or cand.last == cand.first:
            continue
        rest = "".join(tok.key for tok in toks[cand.first + 1 : cand.last + 1])
        head = cand.first
        while head >= 1:
            if "," in text[toks[head - 1].end : toks[head].start]:
                adjective = head - 1
            elif head >= 2 and toks[head - 1].key in CONJUNCTIONS:
                adjective = head - 2
            else:
                break
            entry = gaz.index.get(toks[adjective].key + rest)
            if not toks[adjective].text[0].isupper() or entry is None or entry.kind != "street":
                break
            extra.append(_Candidate(adjective, adjective, entry, toks[adjective].start,
                                    toks[adjective].end, elliptic=True))
            head = adjective
    return extra
