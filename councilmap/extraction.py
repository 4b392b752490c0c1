"""Find street, address and area references in German council paper titles (Open.RIS.Map).

Matching is offline against a city gazetteer. Running text is cut into word tokens, each token
gets the key ``councilmap.text.token_key`` also gives gazetteer names, and spans of tokens are
looked up in one dict. A set of key prefixes ends a span as soon as no name can start with it,
so a title costs a few dict look-ups per token, whatever the size of the gazetteer.

Each candidate then gets a confidence from its context (house number, article, preposition,
cues such as "Stadtbezirk", other cities nearby); the longest non-overlapping candidates above
the threshold win, and "X zwischen Y und Z" / "X von Y bis Z" become street sections.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from councilmap.text import (
    CITIES,
    CONJUNCTIONS,
    GENITIVE_ARTICLES,
    INDEFINITE,
    PREPOSITIONS,
    TOKEN_PATTERN,
    adjective_stem,
    city_adjective,
    expand_abbreviations,
    genitive_keys,
    house_number_at,
    inflected_keys,
    is_locative,
    normalize_street,
    split_locality_suffix,
    token_key,
    tokens,
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
_AREA_CUES = _DISTRICT_CUES | _keys(
    "in", "im", "nach", "aus", "Stadtteil", "Stadtteils", "Veedel", "Ortsteil",
    "Bürgeramt", "Gesamtschule", "Grundschule", "Gymnasium", "Realschule", "Hauptschule",
    "Schulzentrum", "Feuerwache", "Polizeiwache", "Bahnhof", "Rathaus", "Hallenbad",
    "Schwimmbad", "Bürgerhaus", "Bürgerzentrum", "Jugendzentrum", "Stadtteilbibliothek",
    "Sportplatz", "Friedhof",
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


# --------------------------------------------------------------------------- data classes


@dataclass(frozen=True)
class GazetteerEntry:
    kind: str  # "street" | "area"
    name: str  # display form, abbreviations expanded
    key: str
    raw_names: tuple[str, ...]  # names exactly as in the source register
    area_kinds: tuple[str, ...] = ()
    guard: str = ""  # "", "strong", "common", "prepositional", "adjective", "ambiguous"


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """Immutable look-up structure; build it once with ``Gazetteer.build``."""

    streets: Mapping[str, GazetteerEntry]  # matching key -> street
    areas: Mapping[str, GazetteerEntry]  # matching key -> area
    index: Mapping[str, GazetteerEntry]  # every accepted key, inflected forms included
    prefixes: frozenset[str]
    home_city: frozenset[str]  # keys of the city's own name: "Köln", "Kölner", "Kölns"

    @classmethod
    def build(
        cls,
        *,
        street_names: Iterable[str],
        area_names: Iterable[tuple[str, str]],
        stop_streets: Iterable[str] = (),
        home_city: str = "Köln",
    ) -> Gazetteer:
        stop = {normalize_street(split_locality_suffix(name)[0]) for name in stop_streets}
        streets = _build_streets(street_names, stop)
        areas = _build_areas(area_names)
        index: dict[str, GazetteerEntry] = {}
        for entry in areas.values():
            for alias in _area_aliases(entry):
                guard = "ambiguous" if alias in _AMBIGUOUS_AREAS else entry.guard
                index.setdefault(alias, replace(entry, key=alias, guard=guard))
        index.update(areas)
        for entry in streets.values():
            for alias in inflected_keys(entry.name):
                index.setdefault(alias, entry)
        index.update(streets)
        prefixes = frozenset(key[:end] for key in index for end in range(1, len(key) + 1))
        return cls(
            streets=MappingProxyType(streets),
            areas=MappingProxyType(areas),
            index=MappingProxyType(index),
            prefixes=prefixes,
            home_city=_keys(home_city, city_adjective(home_city), home_city + "s"),
        )


@dataclass(frozen=True)
class PlaceMatch:
    kind: str  # "address" | "street" | "street_section" | "area"
    name: str  # gazetteer display name of the street or area
    house_number: str | None
    cross_streets: tuple[str, ...]
    area_kind: str | None
    matched_text: str
    start: int
    end: int
    confidence: float
    gazetteer_names: tuple[str, ...] = ()  # register names, to look the geometry up


# ------------------------------------------------------------------------ gazetteer build


def _base_street_name(raw: str) -> str:
    # "Kalscheurer Weg,Weg A" are numbered paths along a street: they are found as that street.
    base, _code = split_locality_suffix(raw.split(",")[0])
    return base


def _street_guard(name: str, key: str) -> str:
    words = tokens(name)
    if key in _STRONG_COMMON:
        return "strong"
    if key in _WEAK_COMMON:
        return "common"
    if len(words) > 1 and token_key(words[0]) in PREPOSITIONS:
        return "prepositional"
    if len(words) == 2 and adjective_stem(words[0]) is not None:
        return "adjective"
    return ""


def _build_streets(names: Iterable[str], stop: set[str]) -> dict[str, GazetteerEntry]:
    grouped: dict[str, list[str]] = {}
    bases: dict[str, str] = {}
    for raw in names:
        base = _base_street_name(raw)
        key = normalize_street(base)
        if not key or key in stop:
            continue
        grouped.setdefault(key, []).append(raw)
        if key not in bases or raw == base:  # display the plain name, not "Amselstr. Po"
            bases[key] = base
    return {
        key: GazetteerEntry(
            kind="street",
            name=expand_abbreviations(bases[key]),
            key=key,
            raw_names=tuple(sorted(raws, key=lambda raw, base=bases[key]: (raw != base, raw))),
            guard=_street_guard(bases[key], key),
        )
        for key, raws in grouped.items()
    }


def _build_areas(names: Iterable[tuple[str, str]]) -> dict[str, GazetteerEntry]:
    kinds: dict[str, list[str]] = {}
    display: dict[str, str] = {}
    for kind, name in names:
        key = normalize_street(name)
        kinds.setdefault(key, []).append(kind)
        display.setdefault(key, name.strip())
    return {
        key: GazetteerEntry(
            kind="area",
            name=display[key],
            key=key,
            raw_names=(display[key],),
            area_kinds=tuple(dict.fromkeys(kinds[key])),
            guard="ambiguous" if key in _AMBIGUOUS_AREAS else "",
        )
        for key in kinds
    }


def _area_aliases(entry: GazetteerEntry) -> list[str]:
    parts = [normalize_street(part) for part in entry.name.split("/")]
    return [part for part in parts if part not in _NO_PART_ALIAS] if len(parts) > 1 else []


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
    return found


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


# ------------------------------------------------------------------------- confidence


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
        )

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
        return 0.75 if ctx.heads_the_title(cand) else 0.35
    return 0.95 if numbered else 0.9


def _area_confidence(ctx: _Context, cand: _Candidate, cued_ends: set[int]) -> float:
    if _NOT_THE_AREA_AFTER.match(ctx.text, cand.end):
        return 0.0
    before = ctx.keys_before(cand.first, 1)
    gap = ctx.text[ctx.toks[cand.first - 1].end : cand.start] if cand.first else ""
    cued = bool(before) and (before[-1] in _AREA_CUES or before[-1] in ctx.gaz.home_city)
    if gap.strip() == "-" and before[-1] in ctx.gaz.areas:
        cued = True  # "Porz-Zündorf"
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


# ------------------------------------------------------------------ selection and output


def _select(candidates: list[_Candidate], threshold: float) -> list[_Candidate]:
    """Longest match wins (in tokens, then characters); on a tie the more confident one."""
    ranked = sorted(
        (c for c in candidates if c.confidence >= threshold),
        key=lambda c: (c.first - c.last, c.start - c.end, -c.confidence, c.start),
    )
    chosen: list[_Candidate] = []
    for cand in ranked:
        if all(cand.span_end <= c.start or cand.start >= c.span_end for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)


def _to_match(text: str, cand: _Candidate) -> PlaceMatch:
    street_kind = "address" if cand.house_number else "street"
    return PlaceMatch(
        kind="area" if cand.entry.kind == "area" else street_kind,
        name=cand.entry.name,
        house_number=cand.house_number,
        cross_streets=(),
        area_kind=cand.area_kind,
        matched_text=text[cand.start : cand.span_end],
        start=cand.start,
        end=cand.span_end,
        confidence=round(min(cand.confidence, 1.0), 2),
        gazetteer_names=cand.entry.raw_names,
    )


def _section_at(text: str, matches: Sequence[PlaceMatch], index: int) -> PlaceMatch | None:
    trio = matches[index : index + 3]
    if len(trio) < 3 or trio[0].kind != "street" or any(m.kind == "area" for m in trio[1:]):
        return None
    main, cross_a, cross_b = trio
    for opening, joining in _SECTION_PATTERNS:
        if opening.fullmatch(text, main.end, cross_a.start) and joining.fullmatch(
            text, cross_a.end, cross_b.start
        ):
            confidence = min(main.confidence, cross_a.confidence, cross_b.confidence) + 0.05
            return replace(
                main,
                kind="street_section",
                cross_streets=(cross_a.name, cross_b.name),
                matched_text=text[main.start : cross_b.end],
                end=cross_b.end,
                confidence=round(min(confidence, 1.0), 2),
            )
    return None


def _merge_sections(text: str, matches: list[PlaceMatch]) -> list[PlaceMatch]:
    merged: list[PlaceMatch] = []
    index = 0
    while index < len(matches):
        section = _section_at(text, matches, index)
        merged.append(section or matches[index])
        index += 3 if section else 1
    return merged


def extract_places(
    text: str, gazetteer: Gazetteer, *, min_confidence: float = DEFAULT_MIN_CONFIDENCE
) -> list[PlaceMatch]:
    """Place references in ``text``, in reading order, without overlaps."""
    toks = _tokenize(text)
    candidates = _find_candidates(text, toks, gazetteer)
    if not candidates:
        return []
    ctx = _Context(text, toks, gazetteer, _foreign_elsewhere(toks, candidates, gazetteer.home_city))
    _score(ctx, candidates)
    chosen = _select(candidates, min_confidence)
    return _merge_sections(text, [_to_match(text, cand) for cand in chosen])


# ----------------------------------------------------------------- loading and evaluation


def read_street_names(path: str | Path) -> list[str]:
    """One name a line; lines starting with "#" are comments (source, licence)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def read_area_names(path: str | Path) -> list[tuple[str, str]]:
    """``kind<TAB>name`` a line; lines starting with "#" are comments."""
    return [tuple(part.strip() for part in line.split("\t", 1)) for line in read_street_names(path)]


def load_labelled(path: str | Path) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


STREET_KINDS = frozenset({"street", "address", "street_section"})


def names_by_level(places: Iterable[Mapping | PlaceMatch]) -> tuple[set[str], set[str]]:
    """(street names, area names) of predicted matches or labelled dicts."""
    streets: set[str] = set()
    areas: set[str] = set()
    for place in places:
        kind, name = (place["kind"], place["name"]) if isinstance(place, Mapping) else (
            place.kind, place.name)
        (streets if kind in STREET_KINDS else areas).add(name)
    return streets, areas


@dataclass(frozen=True)
class Scores:
    precision: float  # street level
    recall: float
    area_precision: float
    area_recall: float
    placed_share: float  # titles with at least one predicted place
    counts: Mapping[str, int]


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def evaluate(labelled: Iterable[Mapping], gazetteer: Gazetteer) -> Scores:
    """Street level: a title's predicted street names (of streets, addresses and sections) are
    compared with its labelled ones as sets; areas are scored the same way, separately."""
    counts: Counter[str] = Counter()
    for item in labelled:
        predicted = extract_places(item["title"], gazetteer)
        pairs = zip(names_by_level(predicted), names_by_level(item["expected"]), strict=True)
        for level, (got, want) in zip(("street", "area"), pairs, strict=True):
            counts[f"{level}_tp"] += len(got & want)
            counts[f"{level}_fp"] += len(got - want)
            counts[f"{level}_fn"] += len(want - got)
        counts["placed"] += bool(predicted)
        counts["placed_expected"] += bool(item["expected"])
        counts["titles"] += 1
    return Scores(
        precision=_ratio(counts["street_tp"], counts["street_tp"] + counts["street_fp"]),
        recall=_ratio(counts["street_tp"], counts["street_tp"] + counts["street_fn"]),
        area_precision=_ratio(counts["area_tp"], counts["area_tp"] + counts["area_fp"]),
        area_recall=_ratio(counts["area_tp"], counts["area_tp"] + counts["area_fn"]),
        placed_share=_ratio(counts["placed"], counts["titles"]),
        counts=MappingProxyType(dict(counts)),
    )
