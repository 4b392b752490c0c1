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

from .evaluation import (  # noqa: F401
    STREET_KINDS,
    Scores,
    evaluate,
    load_labelled,
    names_by_level,
    read_area_names,
    read_street_names,
)
from .gazetteer import Gazetteer, GazetteerEntry, PlaceMatch  # noqa: F401
from .matching import extract_places  # noqa: F401
from .words import DEFAULT_MIN_CONFIDENCE  # noqa: F401

__all__ = [
    "DEFAULT_MIN_CONFIDENCE",
    "Gazetteer",
    "GazetteerEntry",
    "PlaceMatch",
    "extract_places",
    "read_street_names",
    "read_area_names",
    "load_labelled",
    "STREET_KINDS",
    "names_by_level",
    "Scores",
    "evaluate",
]
