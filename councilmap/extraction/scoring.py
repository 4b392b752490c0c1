"""Confidence of each candidate from its context: house number, article, cues, other cities."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from councilmap.text import (
    CONJUNCTIONS,
    INDEFINITE,
    house_number_at,
    is_locative,
)

from .candidates import (
    _Candidate,
    _Token,
)
from .gazetteer import (
    Gazetteer,
)
from .words import (
    _AREA_CUES,
    _BEFORE_CITY,
    _BESIDE_STREET_AFTER,
    _BESIDE_STREET_BEFORE,
    _COMPASS_PART_AFTER,
    _DISTRICT_CUES,
    _ELSEWHERE_AFTER,
    _NOT_THE_AREA_AFTER,
    _OTHER_CITIES,
    _OTHER_CITY_ADJECTIVES,
    _SEPARATOR_AFTER,
    _STREET_CUES,
)

# ------------------------------------------------------------------------- confidence

_OPEN_BRACKET = re.compile(r"\s*\(\s*")
_PLACE_LINE_GAP = re.compile(r"\s*[,(]\s*|\s+")


@dataclass(frozen=True)
class _Context:
    text: str
    toks: Sequence[_Token]
    gaz: Gazetteer
    foreign_elsewhere: bool  # another city is named and Köln is not

    def keys_before(self, index: int, count: int) -> list[str]:
        return [tok.key for tok in self.toks[max(0, index - count) : index]]

    def token_after(self, offset: int) -> int:
        return next((i for i, tok in enumerate(self.toks) if tok.start >= offset), len(self.toks))

    def at_sentence_start(self, offset: int) -> bool:
        before = self.text[:offset].rstrip()
        return not before or before[-1] in ":;.!?–—|" or before.endswith(" -")

    def heads_the_title(self, cand: _Candidate) -> bool:
        """"Am Hof: Neugestaltung", "Hohe Straße – Sachstand": a name standing on its own."""
        return bool(_SEPARATOR_AFTER.match(self.text, cand.span_end))

    def area_follows(self, cand: _Candidate) -> bool:
        after = self.token_after(cand.span_end)
        words = self.toks[after : after + 3]
        return bool(words) and words[0].key == "in" and any(
            (entry := self.gaz.index.get(tok.key)) is not None and entry.kind == "area"
            for tok in words[1:]
        ) or self.city_quarter_after(cand)

    def city_quarter_after(self, cand: _Candidate) -> bool:
        """"Bahnhofstraße, Köln-Porz", "Bahnhofstraße (Köln-Porz)": the city glued to a quarter,
        after a comma, in brackets or a space, is an address's place line, as "in Köln-Porz"
        is; the comma left a name that is also a word ("Bahnhofstraße") unplaced. The city
        must be written: a bare area after a comma may be the next item of a list."""
        after = self.token_after(cand.span_end)
        if after + 1 >= len(self.toks) or not _PLACE_LINE_GAP.fullmatch(
            self.text, cand.span_end, self.toks[after].start
        ):
            return False
        city = self.toks[after]
        if city.key not in self.gaz.home_city or self.text[city.end : city.end + 1] != "-":
            return False
        key = ""
        for tok in self.toks[after + 1 : after + 4]:
            key += tok.key
            entry = self.gaz.index.get(key)
            if entry is not None and entry.kind == "area":
                return True
            if key not in self.gaz.prefixes:
                return False
        return False

    def area_in_brackets_after(self, cand: _Candidate) -> bool:
        """"Radweg Holzweg (Dünnwald)": a quarter in brackets says the name is a place there."""
        after = self.token_after(cand.span_end)
        if after >= len(self.toks) or not _OPEN_BRACKET.fullmatch(
            self.text, cand.span_end, self.toks[after].start
        ):
            return False
        entry = self.gaz.index.get(self.toks[after].key)
        return (
            entry is not None and entry.kind == "area"
            and self.text[self.toks[after].end : self.toks[after].end + 1] == ")"
        )

    def quarter_after_hyphen(self, cand: _Candidate) -> bool:
        """"Porz-Westhoven", "Rodenkirchen-Sürth": a Stadtbezirk glued to a quarter only says
        where the quarter lies; the quarter is the place, not the whole district."""
        after = self.token_after(cand.end)
        if after >= len(self.toks) or self.text[cand.end : self.toks[after].start] != "-":
            return False
        entry = self.gaz.index.get(self.toks[after].key)
        return (entry is not None and entry.kind == "area" and "quarter" in entry.area_kinds
                and entry.name != cand.entry.name)

    def inside_compound(self, cand: _Candidate) -> bool:
        """"Jakob-Zündorf-Preis": a name glued by a hyphen to a word that is no place."""
        if cand.first == 0 or self.text[self.toks[cand.first - 1].end : cand.start] != "-":
            return False
        before = self.toks[cand.first - 1].key
        return before not in self.gaz.home_city and before not in self.gaz.areas

    def foreign_city_near(self, cand: _Candidate) -> bool:
        after = self.token_after(cand.span_end)
        while after < len(self.toks) and self.toks[after].key in _BEFORE_CITY:
            after += 1
        if after < len(self.toks) and (
            self.is_other_city(self.toks[after].key)
            or _ELSEWHERE_AFTER.match(self.text, self.toks[after].end)
        ):
            return True
        before = self.toks[cand.first - 1].key if cand.first > 0 else ""
        return self.is_other_city(before, adjective=True)

    def is_other_city(self, key: str, *, adjective: bool = False) -> bool:
        if key in self.gaz.home_city:
            return False
        return key in _OTHER_CITIES or (adjective and key in _OTHER_CITY_ADJECTIVES)


def _street_confidence(ctx: _Context, cand: _Candidate) -> float:
    guard = cand.entry.guard
    numbered = cand.house_number is not None
    before = ctx.keys_before(cand.first, 2)
    # "Bahnhofstraße/Jean-Kübbeler-Straße", "zwischen Weißer Leinpfad und Industriestraße":
    # a street written against another street is a street, even if its name is also a word.
    cued = bool(before) and before[-1] in _STREET_CUES or bool(
        _BESIDE_STREET_BEFORE.search(ctx.text, 0, cand.start)
        or _BESIDE_STREET_AFTER.match(ctx.text, cand.span_end)
        or ctx.area_in_brackets_after(cand)
    )
    if guard == "strong":
        return 0.9 if numbered or cued else 0.0
    if guard == "common":
        if numbered:
            return 0.9
        if before and before[-1] in INDEFINITE:
            return 0.0
        return 0.7 if cued or is_locative(before) or ctx.area_follows(cand) else 0.35
    if guard in {"prepositional", "adjective"} and not numbered and not cued:
        # At the start of a title every word is capitalised, so the capital is no evidence.
        if not ctx.at_sentence_start(cand.start):
            return 0.85
        # "Arbeitstitel: An der Mühle in Köln-Porz-Langel": a quarter after it makes it a place.
        return 0.75 if ctx.heads_the_title(cand) or ctx.area_follows(cand) else 0.35
    return 0.95 if numbered else 0.9


def _area_confidence(ctx: _Context, cand: _Candidate, cued_ends: set[int]) -> float:
    if _NOT_THE_AREA_AFTER.match(ctx.text, cand.end):
        return 0.0
    if "district" in cand.entry.area_kinds and ctx.quarter_after_hyphen(cand):
        return 0.0
    before = ctx.keys_before(cand.first, 1)
    gap = ctx.text[ctx.toks[cand.first - 1].end : cand.start] if cand.first else ""
    cued = bool(before) and (before[-1] in _AREA_CUES or before[-1] in ctx.gaz.home_city)
    if gap.strip() == "-" and before[-1] in ctx.gaz.areas:
        cued = True  # "Porz-Zündorf"
    if gap.strip() == "(" and ctx.text[cand.end : cand.end + 1] == ")":
        cued = True  # "Radweg Kupfergasse (Urbach)": a place in brackets qualifies a name
    if _COMPASS_PART_AFTER.match(ctx.text, cand.end):
        cued = True  # "Verpachtungsmoratorium Kalk-Süd": the quarter's southern part
    if ("," in gap and cand.first - 1 in cued_ends) or (
        before and before[-1] in CONJUNCTIONS and cand.first - 2 in cued_ends
    ):
        cued = True  # "in Deutz, Kalk und Mülheim"
    if cued:
        cued_ends.add(cand.last)
    if cand.entry.guard == "ambiguous":
        return 0.85 if cued else 0.0
    return 0.9 if cued else 0.7


def _area_kind(ctx: _Context, cand: _Candidate) -> str | None:
    kinds = cand.entry.area_kinds
    if "district" in kinds and _DISTRICT_CUES.intersection(ctx.keys_before(cand.first, 3)):
        return "district"
    return "quarter" if "quarter" in kinds else (kinds[0] if kinds else None)


def _attach_house_number(text: str, cand: _Candidate) -> None:
    if cand.entry.key[-1:].isdigit():  # "BAB 4 12" is a motorway and a number
        return
    found = house_number_at(text, cand.end)
    if found is not None:
        cand.house_number, cand.number_end = found


def _score(ctx: _Context, candidates: list[_Candidate]) -> None:
    cued_ends: set[int] = set()
    for cand in sorted(candidates, key=lambda c: c.start):
        if cand.entry.kind == "street":
            _attach_house_number(ctx.text, cand)
            cand.confidence = _street_confidence(ctx, cand) - (0.05 if cand.elliptic else 0.0)
        elif cand.adjective:
            # An adjective of the quarter is cue enough; it stays below a cued name ("in Sülz").
            cand.confidence = 0.75
            cand.area_kind = "quarter" if "quarter" in cand.entry.area_kinds else None
        else:
            cand.confidence = _area_confidence(ctx, cand, cued_ends)
            cand.area_kind = _area_kind(ctx, cand)
        if ctx.inside_compound(cand) or ctx.foreign_city_near(cand):
            cand.confidence = 0.0
        elif ctx.foreign_elsewhere:
            cand.confidence *= 0.7


def _foreign_elsewhere(
    toks: Sequence[_Token], candidates: Sequence[_Candidate], home: frozenset[str]
) -> bool:
    # Tokens inside candidates do not count: "Bonner" in "Bonner Straße" names no other city.
    inside = {i for cand in candidates for i in range(cand.first, cand.last + 1)}
    keys = {tok.key for i, tok in enumerate(toks) if i not in inside}
    return bool(keys & (_OTHER_CITIES | _OTHER_CITY_ADJECTIVES)) and not keys & home
