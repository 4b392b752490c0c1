"""The look-up structure: gazetteer entries built from the street and area registers, and
the `PlaceMatch` the extractor returns."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from councilmap.text import (
    PREPOSITIONS,
    adjective_stem,
    city_adjective,
    expand_abbreviations,
    inflected_keys,
    normalize_street,
    split_locality_suffix,
    token_key,
    tokens,
)

from .words import (
    _AMBIGUOUS_AREAS,
    _NO_PART_ALIAS,
    _STRONG_COMMON,
    _WEAK_COMMON,
    _keys,
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
        # "Vorgebirgsstraße" for the register's Vorgebirgstraße: the joining s of a compound is
        # written either way. Only where the other spelling names no street of its own and no
        # second street would share it.
        joints = Counter(alias for entry in streets.values() for alias in _joint_s_keys(entry))
        for entry in streets.values():
            for alias in _joint_s_keys(entry):
                if joints[alias] == 1 and alias not in streets:
                    index.setdefault(alias, entry)
        index.update(streets)
        prefixes = frozenset(key[:end] for key in index for end in range(1, len(key) + 1))
        return cls(
            streets=MappingProxyType(streets),
            areas=MappingProxyType(areas),
            index=MappingProxyType(index),
            prefixes=prefixes,
            home_city=_keys(home_city, city_adjective(home_city), home_city + "s")
            if home_city else frozenset(),
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


def _joint_s_keys(entry: GazetteerEntry) -> list[str]:
    """The key of a one-word "…straße" name with its joining s toggled."""
    words = tokens(entry.name)
    if len(words) != 1 or not entry.key.endswith("str") or len(entry.key) < 8:
        return []
    stem = entry.key[: -len("str")]
    if stem.endswith("s"):
        return [] if stem.endswith("ss") else [stem[:-1] + "str"]
    return [stem + "sstr"]


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
