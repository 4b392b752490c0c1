"""Text geocoding against the city core: extractor matches -> places, resolved as a clerk would.

The extractor (`councilmap.extraction`) is Django-free; this module builds its gazetteer from
the `Street` and `Area` rows and turns each match into geometry by precision: an address point,
a crossing point, the stretch of a street between two cross streets, a street line, or an area.

A street name the city has in several quarters (each a `Street` row of its own) is never one
place made of all of them. It is resolved by context, in a clerk's order: an area named in the
same text, then the committee (a Bezirksvertretung's paper lies in its Stadtbezirk). A name
still ambiguous is NOT placed: it becomes a review item with its candidates, for staff to choose.

Spatial facts come from `geoportal.selectors`; this module queries no geoportal table itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.gis.geos import GEOSGeometry

from geoportal import selectors as geo
from geoportal.kinds import AreaKind
from geoportal.text import normalize_street

from .extraction import Gazetteer, PlaceMatch, extract_places

MIN_CONFIDENCE = 0.5
TEXT_WEIGHT = 0.8  # a place found only in a file's text counts less than one in the title
CROSS_STREET_TOLERANCE_M = 60  # a cross street farther than this does not meet the street
CROSSING_TOLERANCE_M = 30
# Streets named together in one title ("zwischen Am Hof und Laurenzplatz") lie near each other:
# a namesake is taken only if it is the one namesake this close to the other streets.
NAMED_TOGETHER_M = 300
ADDRESS_NEAR_STREET_M = 150
TEXT_LIMIT = 20_000  # characters of file text read per paper

# "Venloer Straße/Grevenbroicher Straße", "Einmündung Kolibriweg in die Goldammerweg",
# "Kreuzung Lindauer Straße und Meersburger Straße", "Ecke A / B",
# "Neusser Straße in Höhe der Einmündung Wilhelmstraße", "Venloer Straße Ecke Piusstraße".
# "Ehrenfeldgürtel/nordöstlich Venloer Straße": a compass word after the slash names the side
# of the crossing, which is still where the two streets meet.
_SIDE = r"(?:(?:nord|süd)(?:öst|west)lich|nördlich|südlich|östlich|westlich)\s+"
_CROSSING_GAP = re.compile(
    rf"\s*/\s*(?:{_SIDE})?|\s+(?:in\s+die|in\s+den|in\s+das)\s+"
    r"|\s+(?:(?:in\s+)?Höhe\s+(?:der\s+)?)?(?:Einmündung|Ecke|Kreuzung)\s+"
    r"(?:(?:der|zur|mit\s+der)\s+)?",
    re.IGNORECASE,
)
_SLASH_LIST_GAP = re.compile(r"\s*/\s*[^/\s][^/]{0,40}?\s*/\s*")
_CROSSING_AND = re.compile(r"\s+(?:und|&)\s+", re.IGNORECASE)
_CROSSING_CUE = re.compile(r"(?:Kreuzung\w*|Einmündung\w*|Ecke|Knoten\w*)\s+$", re.IGNORECASE)
_COMMITTEE_DISTRICT = re.compile(r"Bezirksvertretung\s*\d*\s*\(?\s*(?P<name>[^()\d][^()]*?)\s*\)?$")


@dataclass
class Place:
    precision: str  # address | point (a crossing) | street_section | street | area
    name: str
    matched_text: str
    confidence: float
    geom: GEOSGeometry
    street_id: int | None = None
    area_id: int | None = None
    street_names: tuple[str, ...] = ()  # the streets it stands for: one, or two at a crossing


@dataclass(frozen=True)
class Candidate:
    label: str  # "Hauptstraße, Köln-Rodenkirchen"
    street_ids: tuple[int, ...]


@dataclass
class Review:
    """A name the text gives that stands for several places: staff choose."""

    name: str
    matched_text: str
    candidates: list[Candidate]


@dataclass
class Placement:
    status: str  # "placed" | "review" | "none"
    places: list[Place]
    reviews: list[Review]


@dataclass
class CityGazetteer:
    gazetteer: Gazetteer
    street_ids: dict[str, list[int]]  # Street.name -> ids
    areas: dict[tuple[str, str], int]  # (kind, name_key) -> id
    version: tuple = field(default=())
    # Geometry by street ids / area id: rebuilt with the gazetteer when the tables change.
    geometries: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)  # street id -> label naming its quarter
    home_city: str = ""  # the municipality served: its papers' own city, not another one


_cache: dict[str, CityGazetteer] = {}


def _version() -> tuple:
    return geo.gazetteer_version()


def city_gazetteer() -> CityGazetteer:
    """Built once per process and rebuilt when the street or area tables change."""
    version = _version()
    cached = _cache.get("city")
    if cached is not None and cached.version == version:
        return cached
    street_ids: dict[str, list[int]] = {}
    for pk, name in geo.street_names():
        street_ids.setdefault(name, []).append(pk)
    area_rows = geo.area_names(kinds=[AreaKind.DISTRICT, AreaKind.QUARTER])
    home_city = geo.home_municipality_name()
    gazetteer = Gazetteer.build(
        street_names=street_ids,
        area_names=[(kind, name) for _pk, kind, name, _k in area_rows],
        home_city=home_city,
    )
    built = CityGazetteer(
        gazetteer=gazetteer,
        street_ids=street_ids,
        areas={(kind, key): pk for pk, kind, _name, key in area_rows},
        version=version,
        home_city=home_city,
    )
    _cache["city"] = built
    return built


def committee_districts(names: list[str], *, city: CityGazetteer) -> list[int]:
    """District ids of the Bezirksvertretungen among the committees: their papers lie there."""
    found = []
    for name in names:
        match = _COMMITTEE_DISTRICT.search(name.strip())
        if match:
            pk = city.areas.get((AreaKind.DISTRICT, normalize_street(match["name"])))
            if pk is not None:
                found.append(pk)
    return found


def text_places(
    text: str, *, city: CityGazetteer | None = None, districts: list[int] | None = None
) -> list[Place]:
    """Places named in `text`, each with geometry; ambiguous names are left out."""
    return _text_placement(text, city=city or city_gazetteer(), districts=districts or [])[0]


def paper_placement(
    *, name: str, text: str = "", committee: str | list[str] = "",
    city: CityGazetteer | None = None,
) -> Placement:
    """Places from a paper's title and, with lower weight, its files' text; one place per
    name. Names that stay ambiguous go to review instead of the map."""
    city = city or city_gazetteer()
    committees = [committee] if isinstance(committee, str) else list(committee)
    districts = committee_districts([c for c in committees if c], city=city)
    best: dict[tuple[str, str], Place] = {}
    reviews: dict[str, Review] = {}
    for part, weight in ((name, 1.0), (text[:TEXT_LIMIT], TEXT_WEIGHT)):
        if not part:
            continue
        places, part_reviews = _text_placement(part, city=city, districts=districts)
        for place in places:
            place.confidence = round(place.confidence * weight, 3)
            key = (place.precision, place.name)
            if key not in best or place.confidence > best[key].confidence:
                best[key] = place
        for review in part_reviews:
            reviews.setdefault(review.name, review)
    placed_names = {n for p in best.values() for n in p.street_names}
    open_reviews = [r for n, r in reviews.items() if n not in placed_names]
    places = _most_precise_per_street(list(best.values()))
    status = "placed" if places else ("review" if open_reviews else "none")
    return Placement(status=status, places=places, reviews=open_reviews)


_PRECISE = frozenset({"address", "point", "street_section"})


def _most_precise_per_street(places: list[Place]) -> list[Place]:
    """"Venloer Straße 12: Umbau; hier: Sperrung der Venloer Straße": the paper is at number 12.
    A street the text also names at a number, a crossing or a stretch is shown there only, not
    as the whole line besides."""
    precise = {n for p in places if p.precision in _PRECISE for n in p.street_names}
    return [p for p in places
            if not (p.precision == "street" and set(p.street_names) & precise)]


def paper_text_places(*, name: str, text: str, city: CityGazetteer | None = None) -> list[Place]:
    return paper_placement(name=name, text=text, city=city).places


def _text_placement(
    text: str, *, city: CityGazetteer, districts: list[int]
) -> tuple[list[Place], list[Review]]:
    matches = extract_places(text, city.gazetteer, min_confidence=MIN_CONFIDENCE)
    areas = [m for m in matches if m.kind == "area"]
    area_ids = [found[0] for a in areas if (found := _area_id(city, a.name, a.area_kind))]
    around = _districts_around_quarters(city, text, areas)
    places: list[Place | None] = []
    reviews: list[Review] = []
    for i, match in enumerate(matches):
        if match.kind == "area":
            # "im Stadtbezirk 2, Köln-Rodenkirchen … in Köln-Raderberg": the Stadtbezirk only
            # says where the quarter named after it lies; the quarter is the place.
            places.append(None if match.start in around else _area_place(match, city))
            continue
        # Streets named with it: the cross streets of a stretch, the other half of a crossing.
        partners = list(match.cross_streets)
        for j in (i - 1, i + 1):
            if 0 <= j < len(matches) and matches[j].kind != "area":
                first, second = sorted((match, matches[j]), key=lambda m: m.start)
                if _written_as_crossing(text, first, second):
                    partners.append(matches[j].name)
        # "Knotenpunkt Frankfurter Straße/KVB-Stadtbahnlinie/Rösrather Straße": one item
        # that is no street between the slashes of a junction list does not part its streets.
        for j in (i - 1, i + 1):
            if 0 <= j < len(matches) and matches[j].kind != "area":
                first, second = sorted((match, matches[j]), key=lambda m: m.start)
                if _SLASH_LIST_GAP.fullmatch(text, first.end, second.start):
                    partners.append(matches[j].name)
        if _common_name_elsewhere(match, city, area_ids):
            places.append(None)
            continue
        together = [m.name for m in matches if m.kind != "area" and m.name != match.name]
        resolved = _resolve_street(match, city, area_ids, districts, partners, together)
        if isinstance(resolved, Review):
            reviews.append(resolved)
            places.append(None)
        else:
            places.append(_street_place(match, city, resolved, area_ids, districts))
    return _merge_crossings(text, matches, places, city), reviews


# --------------------------------------------------------------------------- areas


_LISTED_WITH = re.compile(r"\s*(?:und|sowie|oder)\b", re.IGNORECASE)


def _districts_around_quarters(
    city: CityGazetteer, text: str, areas: list[PlaceMatch]
) -> set[int]:
    """Where a Stadtbezirk, named as one, is followed by one of its quarters: the start of
    the Stadtbezirk's match. Listed together ("Stadtbezirk Porz und Porz-Zündorf") both stay."""
    found = {a.start: _area_id(city, a.name, a.area_kind) for a in areas}
    quarters = [f[0] for f in found.values() if f and f[1] == AreaKind.QUARTER]
    if not quarters:
        return set()
    parents = geo.area_parent_ids(area_ids=quarters)
    starts = set()
    for district in areas:
        pk = found[district.start]
        if district.area_kind != AreaKind.DISTRICT or pk is None or pk[1] != AreaKind.DISTRICT:
            continue
        for quarter in areas:
            q = found[quarter.start]
            if (quarter.start > district.end and q and parents.get(q[0]) == pk[0]
                    and not _LISTED_WITH.match(text, district.end)):
                starts.add(district.start)
    return starts


def _area_id(city: CityGazetteer, name: str, kind: str | None) -> tuple[int, str] | None:
    key = normalize_street(name)
    # Without a cue the wider unit wins ("Ehrenfeld" is a district and a quarter): a district
    # polygon claims less precision than we have, never more.
    for candidate in [kind] if kind else [AreaKind.DISTRICT, AreaKind.QUARTER]:
        if (pk := city.areas.get((candidate, key))) is not None:
            return pk, candidate
    for candidate in (AreaKind.DISTRICT, AreaKind.QUARTER):
        if (pk := city.areas.get((candidate, key))) is not None:
            return pk, candidate
    return None


def _area_place(match: PlaceMatch, city: CityGazetteer) -> Place | None:
    found = _area_id(city, match.name, match.area_kind)
    if found is None:
        return None
    pk, _kind = found
    key = ("area", pk)
    if key not in city.geometries:
        city.geometries[key] = geo.area_name_and_geom(area_id=pk)
    name, geom = city.geometries[key]
    return Place("area", name, match.matched_text, match.confidence, geom.clone(), area_id=pk)


# --------------------------------------------------------------------------- streets


def _ids_for(city: CityGazetteer, names) -> list[int]:
    return sorted({pk for name in names for pk in city.street_ids.get(name, ())})


def _ids_for_display(city: CityGazetteer, name: str) -> list[int]:
    entry = city.gazetteer.streets.get(normalize_street(name))
    return _ids_for(city, entry.raw_names) if entry else []


def _label(city: CityGazetteer, pk: int, name: str) -> str:
    """The gazetteer's label that tells equal names apart, else name and quarter."""
    if pk not in city.labels:
        label = geo.street_label(street_id=pk)
        if not label:
            quarter = geo.street_quarter(street_ids=[pk])
            label = name
            if quarter:
                town = f"{city.home_city}-" if city.home_city else ""
                label = f"{name}, {town}{quarter.name}"
        city.labels[pk] = label
    return city.labels[pk]


def _quarter_at(pk: int, point: GEOSGeometry) -> str:
    """"Köln-Höhenhaus" for Berliner Straße 330: the quarter a house or crossing of a name the
    city has more than once stands in, where that is not the one the register files the whole
    street under (Dünnwald's Berliner Straße runs 6 km, through Höhenhaus and Mülheim)."""
    return geo.street_label_at(street=geo.street_get(street_id=pk), point=point).partition(", ")[2]


def _resolve_street(
    match: PlaceMatch, city: CityGazetteer, area_ids: list[int], districts: list[int],
    partners: list[str] = (), together: list[str] = (),
) -> list[int] | Review:
    """The street rows the match stands for: one street, never several of one name."""
    ids = _ids_for(city, match.gazetteer_names) or _ids_for_display(city, match.name)
    if len(ids) <= 1 or _one_quarter(ids):
        return ids
    candidates = ids
    # A clerk's order: the streets named with it (only one Luxemburger Straße meets the
    # Sülzgürtel), an area named beside it, then the committee's district.
    for partner in partners:
        near_ids = _ids_for_display(city, partner)
        if len(candidates) > 1 and near_ids:
            near = geo.street_ids_near(street_ids=candidates, near_ids=near_ids,
                                       metres=CROSS_STREET_TOLERANCE_M)
            candidates = near or candidates
    for context in (area_ids, districts):
        if len(candidates) > 1 and context:
            inside = geo.street_ids_in_areas(street_ids=candidates, area_ids=context)
            candidates = inside or candidates
    if len(candidates) > 1 and match.house_number:
        # "Neusser Straße 450": only one street of that name has a house 450.
        candidates = _holding_number(candidates, match.house_number) or candidates
    if len(candidates) > 1 and together:
        # The other streets of the title, each one street of its own name, point to the one
        # namesake near them; if none or several are near, staff choose.
        unique = [pk for name in together if len(ids := _ids_for_display(city, name)) == 1
                  for pk in ids]
        near = geo.street_ids_near(street_ids=candidates, near_ids=unique,
                                   metres=NAMED_TOGETHER_M) if unique else []
        candidates = near if len(near) == 1 else candidates
    if len(candidates) == 1:
        return candidates
    return Review(
        name=match.name,
        matched_text=match.matched_text,
        candidates=[Candidate(_label(city, pk, match.name), (pk,)) for pk in candidates],
    )


def _one_quarter(ids: list[int]) -> bool:
    """Rows of one name that all lie in one quarter are parts of one street, not namesakes:
    the register keeps the side paths of the Kalscheurer Weg ("Kalscheurer Weg,Weg R" … "Weg Z",
    all in Zollstock) as rows of their own. Namesakes are told apart by their quarters."""
    quarters = geo.street_quarter_ids(street_ids=ids)
    return len(quarters) == 1 and None not in quarters


def _common_name_elsewhere(match: PlaceMatch, city: CityGazetteer, area_ids: list[int]) -> bool:
    """"Gestaltung des Bahnhofsvorplatzes in Porz": a name that is also a common noun counts
    as a street only with a cue, often the area after it. When no street of that name runs
    through the areas the text names, the noun is meant (Porz's station forecourt), not the
    register's Bahnhofsvorplatz in the Altstadt: no place, and nothing to review."""
    entry = city.gazetteer.streets.get(normalize_street(match.name))
    if entry is None or entry.guard != "common" or match.house_number or not area_ids:
        return False
    ids = _ids_for(city, match.gazetteer_names) or _ids_for_display(city, match.name)
    return bool(ids) and not geo.street_ids_in_areas(street_ids=ids, area_ids=area_ids)


def _resolved_cross(city: CityGazetteer, name: str, near: list[int], area_ids, districts):
    ids = _ids_for_display(city, name)
    if len(ids) > 1:  # the cross street of that name which meets the main street
        for context in (area_ids, districts):
            if len(ids) > 1 and context:
                ids = geo.street_ids_in_areas(street_ids=ids, area_ids=context) or ids
    return ids if len(ids) == 1 else []


def _street_place(
    match: PlaceMatch, city: CityGazetteer, ids: list[int], area_ids, districts
) -> Place | None:
    if not ids:
        return None
    confidence = match.confidence
    names = (match.name,)
    # A name the city has in several quarters is shown with the quarter it was resolved to
    # ("Lindenstraße, Köln-Neustadt/Süd"), as a staff choice from the review list is.
    place = ""
    if len(_ids_for_display(city, match.name)) > len(ids):
        place = ", " + _label(city, ids[0], match.name).partition(", ")[2]
    if match.kind == "address" and match.house_number:
        point = _address_point(ids, match.name, match.house_number)
        if point is not None:
            if place:
                place = ", " + _quarter_at(ids[0], point)
            return Place("address", f"{match.name} {match.house_number}{place}",
                         match.matched_text, confidence, point, street_id=ids[0],
                         street_names=names)
    if match.kind == "street_section" and len(match.cross_streets) == 2:
        cross = [_resolved_cross(city, n, ids, area_ids, districts) for n in match.cross_streets]
        section = geo.street_stretch(
            street_ids=ids, from_ids=cross[0], to_ids=cross[1],
            tolerance_m=CROSS_STREET_TOLERANCE_M,
        )
        if section is not None:
            label = f"{match.name} zwischen {match.cross_streets[0]} und {match.cross_streets[1]}"
            return Place("street_section", label, match.matched_text, confidence, section,
                         street_id=ids[0], street_names=names)
    geom = _street_geom(city, ids)
    if geom is None:
        return None
    return Place("street", match.name + place, match.matched_text, confidence, geom,
                 street_id=ids[0], street_names=names)


def _street_geom(city: CityGazetteer, ids: list[int]) -> GEOSGeometry | None:
    key = ("street", tuple(ids))
    if key not in city.geometries:
        city.geometries[key] = geo.street_union(street_ids=ids)
    geom = city.geometries[key]
    return None if geom is None else geom.clone()


def _merge_crossings(
    text: str, matches: list[PlaceMatch], places: list[Place | None], city: CityGazetteer
) -> list[Place]:
    """Two placed streets written as a crossing ("A/B", "Einmündung B in die A") that meet
    become one point where they meet; streets that do not meet stay two lines."""
    out: list[Place] = []
    skip = False
    for i, place in enumerate(places):
        if skip:
            skip = False
            continue
        nxt = places[i + 1] if i + 1 < len(places) else None
        if (
            place is not None and nxt is not None and place.precision == "street"
            and nxt.precision == "street" and _written_as_crossing(text, matches[i], matches[i + 1])
        ):
            point = geo.street_crossing(
                street_ids=[place.street_id], cross_ids=[nxt.street_id],
                tolerance_m=CROSSING_TOLERANCE_M,
            )
            if point is not None:
                names = (place.street_names[0], nxt.street_names[0])
                where = next((_quarter_at(p.street_id, point) for p in (place, nxt)
                              if ", " in p.name), "")
                out.append(Place(
                    "point", " / ".join(names) + (f", {where}" if where else ""),
                    text[matches[i].start : matches[i + 1].end],
                    min(place.confidence, nxt.confidence), point, street_id=place.street_id,
                    street_names=names,
                ))
                skip = True
                continue
        if place is not None:
            out.append(place)
    return out


def _written_as_crossing(text: str, first: PlaceMatch, second: PlaceMatch) -> bool:
    gap = text[first.end : second.start]
    if _CROSSING_GAP.fullmatch(gap):
        return True
    return bool(_CROSSING_AND.fullmatch(gap) and _CROSSING_CUE.search(text[: first.start]))


_FIRST_NUMBER = re.compile(r"\s*(?P<digits>\d+)\s?(?P<suffix>[a-zA-Z]?)(?![a-zA-Z])")


def _holding_number(ids: list[int], house_number: str) -> list[int]:
    """The streets among `ids` whose register (address points or segment ranges) has the
    house number; the others cannot be meant."""
    first = _FIRST_NUMBER.match(house_number)
    if not first:
        return []
    holding = []
    for pk in ids:
        found = geo.address_locate(street=geo.street_get(street_id=pk),
                                   number=int(first["digits"]), suffix=first["suffix"].lower())
        if found is not None and found.in_range:
            holding.append(pk)
    return holding


def _address_point(ids: list[int], name: str, house_number: str) -> GEOSGeometry | None:
    """The address point, else the number interpolated on the street's segments (geoportal's
    `address_locate`, where present); a number beyond the register's ranges is not guessed."""
    # A range ("23-29", "12 bis 14") stands at its first number; joining all its digits
    # made "23-29" the number 2329, beyond every range, and the paper fell back to the street.
    first = _FIRST_NUMBER.match(house_number)
    digits, suffix = (first["digits"], first["suffix"].lower()) if first else ("", "")
    street = geo.street_union(street_ids=ids)
    if not digits or street is None:
        return None
    candidates = geo.address_points_near(
        street_key=normalize_street(name), number=int(digits), geom=street,
        metres=ADDRESS_NEAR_STREET_M,
    )
    chosen = next((point for point, sfx in candidates if sfx.lower() == suffix), None)
    chosen = chosen or next((point for point, _sfx in candidates), None)
    if chosen is not None:
        return chosen
    locate = getattr(geo, "address_locate", None)
    if locate is not None and len(ids) == 1:
        found = locate(street=geo.street_get(street_id=ids[0]), number=int(digits), suffix=suffix)
        if found is not None and found.in_range:
            return found.point
    return None
