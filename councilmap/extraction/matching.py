"""Selection (longest, most confident, no overlaps), output and street sections."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .candidates import (
    _Candidate,
    _find_candidates,
    _tokenize,
)
from .gazetteer import (
    Gazetteer,
    PlaceMatch,
)
from .scoring import (
    _Context,
    _foreign_elsewhere,
    _score,
)
from .words import (
    _SECTION_PATTERNS,
    DEFAULT_MIN_CONFIDENCE,
)

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
