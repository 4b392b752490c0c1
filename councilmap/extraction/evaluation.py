"""Loading the regression data and scoring the extractor on labelled titles."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .gazetteer import (
    Gazetteer,
    PlaceMatch,
)
from .matching import (
    extract_places,
)

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
