"""Text geocoding against the city core: extractor matches -> Street/Area/Address geometry.

The extractor (`councilmap.extraction`) is Django-free; this module builds its gazetteer from
the `Street` and `Area` rows and turns each match into geometry by precision: an address point,
a street line, the stretch of a street between two cross streets, or an area polygon.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.gis.geos import GEOSGeometry
from django.contrib.gis.measure import D
from django.db import connection

from geoportal.models import Address, Area, AreaKind, Street
from geoportal.text import normalize_street

from .extraction import Gazetteer, PlaceMatch, extract_places

MIN_CONFIDENCE = 0.5
AMBIGUOUS_FACTOR = 0.6  # same-named streets in several localities, none named in the text
CROSS_STREET_TOLERANCE_M = 60  # a cross street farther than this does not meet the street
ADDRESS_NEAR_STREET_M = 150
TEXT_LIMIT = 20_000  # characters of file text read per paper


@dataclass
class Place:
    precision: str  # address | street | street_section | area
    name: str
    matched_text: str
    confidence: float
    geom: GEOSGeometry
    street_id: int | None = None
    area_id: int | None = None


@dataclass
class CityGazetteer:
    gazetteer: Gazetteer
    street_ids: dict[str, list[int]]  # Street.name -> ids
    areas: dict[tuple[str, str], int]  # (kind, name_key) -> id
    version: tuple = field(default=())
    # Geometry by street ids / area id: rebuilt with the gazetteer when the tables change.
    geometries: dict = field(default_factory=dict)


_cache: dict[str, CityGazetteer] = {}


def _version() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM geoportal_street),"
            " (SELECT max(id) FROM geoportal_street),"
            " (SELECT count(*) FROM geoportal_area), (SELECT max(id) FROM geoportal_area)"
        )
        return tuple(cursor.fetchone())


def city_gazetteer() -> CityGazetteer:
    """Built once per process and rebuilt when the street or area tables change."""
    version = _version()
    cached = _cache.get("city")
    if cached is not None and cached.version == version:
        return cached
    street_ids: dict[str, list[int]] = {}
    for pk, name in Street.objects.values_list("pk", "name"):
        street_ids.setdefault(name, []).append(pk)
    area_rows = list(
        Area.objects.filter(kind__in=[AreaKind.DISTRICT, AreaKind.QUARTER]).values_list(
            "pk", "kind", "name", "name_key"
        )
    )
    gazetteer = Gazetteer.build(
        street_names=street_ids, area_names=[(kind, name) for _pk, kind, name, _k in area_rows]
    )
    built = CityGazetteer(
        gazetteer=gazetteer,
        street_ids=street_ids,
        areas={(kind, key): pk for pk, kind, _name, key in area_rows},
        version=version,
    )
    _cache["city"] = built
    return built


def text_places(text: str, *, city: CityGazetteer | None = None) -> list[Place]:
    """Places named in `text`, each with geometry; matches without geometry are dropped."""
    city = city or city_gazetteer()
    matches = extract_places(text, city.gazetteer, min_confidence=MIN_CONFIDENCE)
    areas = [m for m in matches if m.kind == "area"]
    places: list[Place] = []
    for match in matches:
        place = _area_place(match, city) if match.kind == "area" else _street_place(
            match, city, [a for a in areas if a is not match]
        )
        if place is not None:
            places.append(place)
    return places


def paper_text_places(*, name: str, text: str, city: CityGazetteer | None = None) -> list[Place]:
    """Places from a paper's title and, after it, its files' text; one place per name."""
    best: dict[tuple[str, str], Place] = {}
    for part in (name, text[:TEXT_LIMIT]):
        for place in text_places(part, city=city) if part else []:
            key = (place.precision, place.name)
            if key not in best or place.confidence > best[key].confidence:
                best[key] = place
    return list(best.values())


# --------------------------------------------------------------------------- areas


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
        area = Area.objects.only("geom", "name").get(pk=pk)
        city.geometries[key] = (area.name, area.geom)
    name, geom = city.geometries[key]
    return Place("area", name, match.matched_text, match.confidence, geom.clone(), area_id=pk)


# --------------------------------------------------------------------------- streets


def _ids_for(city: CityGazetteer, names) -> list[int]:
    return sorted({pk for name in names for pk in city.street_ids.get(name, ())})


def _ids_for_display(city: CityGazetteer, name: str) -> list[int]:
    entry = city.gazetteer.streets.get(normalize_street(name))
    return _ids_for(city, entry.raw_names) if entry else []


def _street_place(match: PlaceMatch, city: CityGazetteer, areas: list[PlaceMatch]) -> Place | None:
    ids = _ids_for(city, match.gazetteer_names) or _ids_for_display(city, match.name)
    if not ids:
        return None
    confidence = match.confidence
    if len({name for name in match.gazetteer_names if city.street_ids.get(name)}) > 1:
        ids, confidence = _choose_locality(ids, areas, city, confidence)
    if match.kind == "address" and match.house_number:
        point = _address_point(ids, match.name, match.house_number)
        if point is not None:
            return Place("address", f"{match.name} {match.house_number}", match.matched_text,
                         confidence, point, street_id=ids[0])
    if match.kind == "street_section" and len(match.cross_streets) == 2:
        section = _section(ids, [_ids_for_display(city, n) for n in match.cross_streets])
        if section is not None:
            label = f"{match.name} zwischen {match.cross_streets[0]} und {match.cross_streets[1]}"
            return Place("street_section", label, match.matched_text, confidence, section,
                         street_id=ids[0])
    key = ("street", tuple(ids))
    if key not in city.geometries:
        city.geometries[key] = _street_union(ids)
    geom = city.geometries[key].clone()
    return Place("street", match.name, match.matched_text, confidence, geom, street_id=ids[0])


def _choose_locality(ids, areas, city, confidence) -> tuple[list[int], float]:
    """Same name in several localities ("Berliner Str. We" / "Berliner Str."): keep the ones in
    an area the text names; if none is named, keep all and lower the confidence."""
    area_ids = [found[0] for a in areas if (found := _area_id(city, a.name, a.area_kind))]
    if area_ids:
        inside = list(
            Street.objects.filter(pk__in=ids)
            .filter(geom__intersects=_area_union(area_ids))
            .values_list("pk", flat=True)
        )
        if inside:
            return sorted(inside), confidence
    return ids, round(confidence * AMBIGUOUS_FACTOR, 3)


def _area_union(area_ids: list[int]) -> GEOSGeometry:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_AsEWKB(ST_Union(geom)) FROM geoportal_area WHERE id = ANY(%s)",
                       [area_ids])
        return GEOSGeometry(memoryview(bytes(cursor.fetchone()[0])))


def _street_union(ids: list[int]) -> GEOSGeometry:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_AsEWKB(ST_Multi(ST_Union(geom))) FROM geoportal_street WHERE id = ANY(%s)",
            [ids],
        )
        return GEOSGeometry(memoryview(bytes(cursor.fetchone()[0])))


def _address_point(ids: list[int], name: str, house_number: str) -> GEOSGeometry | None:
    """The address point, found by street key and number near the matched street (address
    registers do not always link their rows to a street)."""
    digits = "".join(ch for ch in house_number if ch.isdigit())
    suffix = house_number[len(digits):].strip().lower()
    if not digits:
        return None
    candidates = list(
        Address.objects.filter(street_key=normalize_street(name), house_number=int(digits))
        .filter(geom__dwithin=(_street_union(ids), D(m=ADDRESS_NEAR_STREET_M)))
        .order_by("house_number_suffix", "id")
        .only("geom", "house_number_suffix")
    )
    chosen = next((a for a in candidates if a.house_number_suffix.lower() == suffix), None)
    chosen = chosen or next(iter(candidates), None)
    return chosen.geom if chosen else None


# The part of the street between its meeting points with two cross streets. The merged street
# may fall apart into several lines (dual carriageways, gaps): the piece nearest to both cross
# streets is cut. ST_LineSubstring needs the fractions in order, hence LEAST/GREATEST.
_SECTION_SQL = """
WITH parts AS (
    SELECT (ST_Dump(ST_LineMerge(ST_Union(geom)))).geom AS g
    FROM geoportal_street WHERE id = ANY(%(main)s)
), a AS (SELECT ST_Union(geom) AS g FROM geoportal_street WHERE id = ANY(%(a)s)),
   b AS (SELECT ST_Union(geom) AS g FROM geoportal_street WHERE id = ANY(%(b)s)),
best AS (
    SELECT parts.g AS line, ST_Distance(parts.g, a.g) AS da, ST_Distance(parts.g, b.g) AS db,
           ST_LineLocatePoint(parts.g, ST_ClosestPoint(parts.g, a.g)) AS fa,
           ST_LineLocatePoint(parts.g, ST_ClosestPoint(parts.g, b.g)) AS fb
    FROM parts, a, b
    ORDER BY ST_Distance(parts.g, a.g) + ST_Distance(parts.g, b.g), ST_Length(parts.g) DESC
    LIMIT 1
)
SELECT ST_AsEWKB(ST_Multi(ST_LineSubstring(line, LEAST(fa, fb), GREATEST(fa, fb)))), da, db, fa, fb
FROM best
"""


def _section(ids: list[int], cross: list[list[int]]) -> GEOSGeometry | None:
    if not all(cross):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_SECTION_SQL, {"main": ids, "a": cross[0], "b": cross[1]})
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return None
    ewkb, da, db, fa, fb = row
    if da > CROSS_STREET_TOLERANCE_M or db > CROSS_STREET_TOLERANCE_M or abs(fa - fb) < 1e-6:
        return None
    return GEOSGeometry(memoryview(bytes(ewkb)))
