"""Reads of the city core: which areas cover a point, streets, house numbers, reverse
geocoding, search, map layers.

Other apps ask these functions; they do not build spatial queries on geoportal's models.
A "street" is one `Street` row: all segments under one city street key, in one quarter. The
same name in another quarter is another street; no function here unions them into one place.
"""

import re
from dataclasses import dataclass, replace

from django.contrib.gis.db.models.functions import (
    Distance,
    Envelope,
    GeomOutputGeoFunc,
    Intersection,
    PointOnSurface,
    Transform,
)
from django.contrib.gis.geos import GEOSGeometry, LineString, MultiLineString, Point
from django.contrib.gis.measure import D
from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from . import conf
from .addressing import LEFT, point_beside, segment_nearest, side_plots, side_ranges
from .geo import WEB_SRID, transformed
from .models import (
    AREA_LEVELS,
    Address,
    Area,
    AreaKind,
    PostcodeArea,
    Street,
    StreetNode,
    StreetSegment,
)
from .replicas import read_cursor
from .text import normalize_street, split_quarter_suffix

ADDRESS_RADIUS_M = 150
STREET_RADIUS_M = 500


def areas_covering(*, point: Point) -> list[Area]:
    """One area per kind that covers the point, widest first.

    A point on the boundary shared by two areas of one kind is covered by both; the one with
    the lowest code wins, so the answer never depends on row order.
    """
    areas = Area.objects.covering(point).defer("geom").order_by("kind", "code").distinct("kind")
    return sorted(areas, key=lambda area: area.level)


def area_covering(*, point: Point, kind: str) -> Area | None:
    return Area.objects.covering(point).defer("geom").filter(kind=kind).order_by("code").first()


def district_of(*, geom) -> Area | None:
    """The district a place lies in: the one covering a point on it (PostGIS
    ST_PointOnSurface). One answer per place, also for a street along a district boundary."""
    if geom is None or geom.empty:
        return None
    return area_covering(point=geom.point_on_surface, kind=AreaKind.DISTRICT)


def area_ids_intersecting(*, geom: GEOSGeometry) -> list[int]:
    """Ids of the areas (any kind) a geometry touches; read via the subdivided parts' index."""
    from .models import AreaPart

    return list(
        AreaPart.objects.filter(geom__intersects=geom).values_list("area_id", flat=True).distinct()
    )


def area_relation(*, kind: str) -> tuple[str, list]:
    """The areas of one kind as SQL (columns code, name, geom) with its parameters, for another
    app's statement to join in the database: aggregating over areas in Python would read every
    polygon, and the table name stays geoportal's own."""
    query = Area.objects.filter(kind=kind).values("code", "name", "geom").query
    sql, params = query.sql_with_params()
    return sql, list(params)


def area_list(*, kind: str | None = None) -> QuerySet[Area]:
    areas = Area.objects.defer("geom").select_related("parent")
    return areas.filter(kind=kind) if kind else areas


# ------------------------------------------------------------------------------- streets


def street_list_by_name(*, name: str, municipality: Area | None = None) -> list[Street]:
    """Every street of that name (compared by normalised key, so "Hauptstr." finds
    "Hauptstraße"), one row per quarter, each with its `label`; never a union of them.

    Several rows mean the name alone does not say which street is meant.
    """
    key = normalize_street(name)
    if not key:
        return []
    streets = Street.objects.filter(name_key=key).select_related("quarter", "municipality")
    if municipality is not None:
        streets = streets.filter(municipality=municipality)
    return list(streets.order_by("label", "id"))


def street_list_near(*, geom: GEOSGeometry, metres: float) -> QuerySet[Street]:
    """Streets within `metres` of a point, line or area (storage CRS), nearest first."""
    return (
        Street.objects.filter(geom__dwithin=(geom, D(m=metres)))
        .annotate(distance=Distance("geom", geom))
        .select_related("quarter", "municipality")
        .order_by("distance", "id")
    )


def street_crossings(*, street: Street, other: Street, tolerance_m: float = 3.0) -> list[Point]:
    """Where two streets meet: the city's street nodes on both, else the points where the
    lines intersect. Empty when they do not meet; two or more when they meet twice."""
    nodes = list(
        StreetNode.objects.filter(geom__dwithin=(street.geom, D(m=tolerance_m)))
        .filter(geom__dwithin=(other.geom, D(m=tolerance_m)))
        .order_by("code")
        .values_list("geom", flat=True)
    )
    if nodes:
        return nodes
    meet = (
        Street.objects.filter(pk=street.pk)
        .annotate(meet=Intersection("geom", other.geom))
        .values_list("meet", flat=True)
        .first()
    )
    if meet is None or meet.empty:
        return []
    parts = [meet] if meet.geom_type == "Point" else list(meet)
    return [part if part.geom_type == "Point" else part.point_on_surface for part in parts]


def street_stretch_between(*, street: Street, first: Street, second: Street) -> LineString | None:
    """The part of `street` between where it meets `first` and `second` ("zwischen A und B").

    None when the street does not meet both, or meets them on pieces that do not join.
    Where it meets one of them twice, the shortest stretch wins.
    """
    starts = street_crossings(street=street, other=first)
    ends = street_crossings(street=street, other=second)
    best = None
    for start in starts:
        for end in ends:
            stretch = _line_between(street=street, start=start, end=end)
            if stretch is not None and (best is None or stretch.length < best.length):
                best = stretch
    return best


def _line_between(*, street: Street, start: Point, end: Point) -> LineString | None:
    # ST_LineSubstring needs one line: the merged piece of the street that holds both points.
    sql = """
        SELECT ST_AsEWKB(ST_LineSubstring(g, LEAST(a, b), GREATEST(a, b))) FROM (
            SELECT part.geom AS g, ST_LineLocatePoint(part.geom, %(s)s) AS a,
                   ST_LineLocatePoint(part.geom, %(e)s) AS b
            FROM geoportal_street st, ST_Dump(ST_LineMerge(st.geom)) AS part
            WHERE st.id = %(id)s AND ST_DWithin(part.geom, %(s)s, 5)
              AND ST_DWithin(part.geom, %(e)s, 5)
        ) located WHERE a <> b ORDER BY abs(a - b) * ST_Length(g) LIMIT 1
    """
    with read_cursor(timeout_ms=5000) as cursor:
        cursor.execute(sql, {"id": street.pk, "s": start.ewkb, "e": end.ewkb})
        row = cursor.fetchone()
    return GEOSGeometry(memoryview(bytes(row[0]))) if row else None


# ------------------------------------------------------------------------- house numbers


class Precision:
    ADDRESS = "address"  # an official address point
    INTERPOLATED = "interpolated"  # from a segment's house-number range
    STREET = "street"  # somewhere on the street
    AREA = "area"  # an area (district, quarter)


@dataclass(frozen=True)
class AddressPoint:
    """A house number placed on a street: at an address point, or interpolated."""

    street: Street
    house_number: str  # "200", "9a"
    point: Point  # storage CRS
    precision: str  # Precision.ADDRESS or Precision.INTERPOLATED
    in_range: bool  # False: the number lies beyond the register's ranges, placed at the nearest
    side: str = ""  # "left"/"right" of the segment's direction, for interpolated points

    @property
    def label(self) -> str:
        """"Venloer Straße 200, Köln"; for a name the city has more than once, the quarter the
        house stands in (one query)."""
        return _house_label(self.street, self.house_number, self.point)


def _with_number(label: str, house: str) -> str:
    name, _, place = label.partition(", ")
    return f"{name} {house}, {place}" if place else f"{name} {house}"


# A house this near its street's register quarter keeps that quarter in its label: an
# interpolated house at a quarter border may fall just across it (Trierer Straße 8 at the
# Barbarossaplatz is Neustadt/Süd's, placed a few metres into Altstadt/Süd).
_HOUSE_IN_QUARTER_M = 250


def _house_label(street: Street, house: str, point: Point) -> str:
    """"Aachener Straße 1, Köln-Neustadt/Süd": a house on a street whose name the city has more
    than once names the quarter it stands in where that is not the street's. The register
    gives the whole street one quarter (the 8.7 km Aachener Straße from the Ring to the city
    limit is Müngersdorf's), 6 km off for a house at the Ring."""
    label = street.label or street.name
    city = street.municipality.name if street.municipality_id else ""
    if city and street.quarter_id and label.startswith(f"{street.name}, {city}-"):
        near_own = Area.objects.filter(
            pk=street.quarter_id, geom__dwithin=(point, D(m=_HOUSE_IN_QUARTER_M))
        ).exists()
        quarter = None if near_own else area_covering(point=point, kind=AreaKind.QUARTER)
        if quarter is not None:
            label = f"{street.name}, {city}-{quarter.name}"
    return _with_number(label, house)


def _with_postcode(label: str, postcode: str) -> str:
    """"Venloer Straße 200, Köln" -> "Venloer Straße 200, 50823 Köln", as on a letter."""
    if not postcode:
        return label
    line, _, place = label.partition(", ")
    return f"{line}, {postcode} {place}" if place else f"{line}, {postcode}"


def address_locate(*, street: Street, number: int, suffix: str = "") -> AddressPoint | None:
    """Where house `number` (+ `suffix`, "9a") of `street` is: the address point where the city
    has one, else interpolated on the segment whose range on the number's side holds it.

    A number beyond every range goes to the nearest range end of its parity, with
    `in_range=False`. None when the street has no numbers at all.
    """
    house = f"{number}{suffix.lower()}"
    address = (
        Address.objects.filter(street=street, house_number=number)
        .order_by(Case(When(house_number_suffix=suffix.lower(), then=0), default=1), "id")
        .first()
    )
    if address is not None:
        return AddressPoint(street, house, address.geom, Precision.ADDRESS, in_range=True)
    candidates = []
    segments = list(StreetSegment.objects.filter(street=street))
    for segment in segments:
        for side in side_ranges(segment):
            candidates.append((side.gap(number), segment.code, segment, side))
    if not candidates:
        return None
    gap, _, segment, side = min(candidates, key=lambda c: (c[0], c[1]))
    if gap >= 10**6:
        return None
    # "9a" lies just after 9: a quarter of a plot further along.
    target = number + (0.25 * side.step if suffix else 0)
    if gap:
        target = side.first if abs(number - side.first) < abs(number - side.last) else side.last
    plots = side_plots(segment=segment, side=side, street_segments=segments)
    point = point_beside(segment_id=segment.pk, fraction=plots.fraction(target), side=side.side)
    return AddressPoint(
        street, house, point, Precision.INTERPOLATED, in_range=gap == 0, side=side.side
    )


@dataclass(frozen=True)
class ReverseResult:
    kind: str  # the precision: "address", "interpolated" or "street"
    label: str
    street: str
    house_number: str
    postcode: str
    city: str
    distance_m: float
    point: Point  # the address point, the interpolated house or the nearest point on the street
    confidence: float = 1.0
    street_id: int | None = None

    @property
    def precision(self) -> str:
        return self.kind


ADDRESS_RADIUS_M = 150
STREET_RADIUS_M = 500
# Beyond this from the centre line, a pin is not "at" a house number. Schools, churches and
# other big plots stand their address points well back from the street (real Köln buildings:
# median 38 m, p90 89 m from their street's line); the confidence falls with the distance.
# 60 -> 100 m chosen on the real-address bench's tuning half (number within ±4: 70 -> 76 of 122).
_HOUSE_RADIUS_M = 100
# An interpolated house this near a postcode area counts as in it (placed beside the line by
# GEOPORTAL_HOUSE_OFFSET_M, it may fall just across a border drawn on the street): the offset
# plus this margin.
_HOUSE_IN_POSTCODE_MARGIN_M = 2.0
# Another street's segment scoring within this many metres of the chosen one makes the house
# number a guess between two streets (bench, plot-centre pins: 56 of the 87 wrong streets are
# within it, 68 of the 913 right ones).
_CORNER_MARGIN_M = 5.0


class _ClosestPoint(GeomOutputGeoFunc):
    function = "ST_ClosestPoint"
    geom_param_pos = (0, 1)


def geocode_reverse(
    *,
    point: Point,
    address_radius_m: float = ADDRESS_RADIUS_M,
    street_radius_m: float = STREET_RADIUS_M,
) -> ReverseResult | None:
    """What is at this point: the nearest address point within `address_radius_m`; else the
    street segment the pin belongs to (`addressing.segment_nearest`: the nearest, weighed
    against sides without numbers and pins beyond a side's houses) and the house number at
    that spot on the pin's side (interpolated, "Venloer Straße 292"); else the nearest street
    line."""
    address = (
        Address.objects.near(point, address_radius_m)
        .annotate(distance=Distance("geom", point))
        .order_by("distance", "id")
        .first()
    )
    if address is not None:
        return ReverseResult(
            kind=Precision.ADDRESS,
            label=address.label,
            street=address.street_name,
            house_number=address.house,
            postcode=address.postcode,
            city=address.city,
            distance_m=round(address.distance.m, 1),
            point=address.geom,
            confidence=round(max(0.5, 1 - address.distance.m / (2 * address_radius_m)), 2),
            street_id=address.street_id,
        )
    nearest = segment_nearest(point=point, max_distance_m=_HOUSE_RADIUS_M)
    if nearest is not None:
        result = _reverse_interpolated(nearest)
        if result is not None:
            return result
    street = (
        Street.objects.near(point, street_radius_m)
        .annotate(distance=Distance("geom", point), closest=_ClosestPoint("geom", point))
        .select_related("municipality")
        .order_by("distance", "id")
        .first()
    )
    if street is None:
        return None
    city = street.municipality.name if street.municipality else ""
    return ReverseResult(
        kind=Precision.STREET,
        label=street.label or street.name,
        street=street.name,
        house_number="",
        postcode=postcode_code_at(point=street.closest),
        city=city,
        distance_m=round(street.distance.m, 1),
        point=street.closest,
        confidence=round(max(0.2, 0.6 - street.distance.m / (2 * street_radius_m)), 2),
        street_id=street.pk,
    )


def _reverse_interpolated(nearest) -> ReverseResult | None:
    ranges = side_ranges(nearest.segment)
    if not ranges:
        return None
    # The pin's side first; a side without houses gives way to the other one.
    own = [r for r in ranges if r.side == (nearest.side or LEFT)]
    side = (own or ranges)[0]
    plots = side_plots(segment=nearest.segment, side=side)
    number = plots.number_at(nearest.fraction)
    street = nearest.segment.street
    point = point_beside(
        segment_id=nearest.segment.pk, fraction=plots.fraction(number), side=side.side
    )
    city = street.municipality.name if street.municipality else ""
    beyond_houses_m = max(0.0, nearest.distance_m - conf.GEOPORTAL_HOUSE_OFFSET_M)
    confidence = 0.85 if own else 0.6
    if nearest.margin_m is not None and nearest.margin_m < _CORNER_MARGIN_M:
        # Another street fits the pin about as well (a corner house): a guess between two.
        confidence *= 0.7
    postcode = postcode_code_at(point=point)
    return ReverseResult(
        kind=Precision.INTERPOLATED,
        label=_with_postcode(_house_label(street, str(number), point), postcode),
        street=street.name,
        house_number=str(number),
        postcode=postcode,
        city=city,
        distance_m=round(nearest.distance_m, 1),
        point=point,
        # Less sure the farther the pin stands back from where the houses are placed.
        confidence=round(confidence * max(0.5, 1 - beyond_houses_m / 100), 2),
        street_id=street.pk,
    )


# --------------------------------------------------------------------------------- search


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "address", "street" or an area kind
    label: str
    lon: float
    lat: float
    bbox: tuple[float, float, float, float] | None  # WGS84 west, south, east, north
    confidence: float = 1.0  # 0..1: how sure the hit is what the query meant
    precision: str = Precision.STREET  # address / interpolated / street / area
    street_id: int | None = None
    postcode: str = ""  # of a house number, where known; a street spans several


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    reason: str = ""  # why there is no hit (or no sure one), in words for the user
    outside: bool = False  # the query names a postcode or place this portal does not serve


_POSTCODE = re.compile(r"\b(?P<postcode>\d{5})\b")
_POSTCODE_PLACE = re.compile(r"^\d{5}(?:\s+\D+)?$")
# Up to five digits: "Venloer Straße 12345" is a house number the register lacks, said so,
# unless the group is a known postcode (`_five_digits_resolved`).
# "Nr." before the number is not part of the street's name ("Venloer Straße Nr. 200").
_NUMBER_WORDS = r"\b(?:nr|hausnr|hausnummer)\.?"
_STREET_NUMBER = re.compile(
    rf"^(?P<street>.*?\D)\s*(?:{_NUMBER_WORDS}\s*)?(?P<number>\d{{1,5}})\s*"
    r"(?P<suffix>[a-zA-Z])?(?:\s*[-/]\s*\d+\w?)?\s*$",
    re.IGNORECASE,
)
# A five-digit group ending the street line, the only number in it: "Hauptstraße 51143".
_LAST_FIVE_DIGITS = re.compile(r"^(?P<street>\D*\D)\s+(?P<code>\d{5})$")
_NUMBER_WORD = re.compile(rf"{_NUMBER_WORDS}$", re.IGNORECASE)


@dataclass(frozen=True)
class _Query:
    street: str
    number: int | None
    suffix: str
    postcode: str
    place: str  # a city, district or quarter named after the street
    # The five digits of `number` where they may also be a postcode ("Hauptstraße 51143").
    maybe_postcode: str = ""


def _parse(query: str) -> _Query:
    """Split "Venloer Str. 200a, 50825 Köln-Ehrenfeld" into its parts."""
    parts = [p.strip() for p in query.split(",") if p.strip()]
    if len(parts) > 1 and _POSTCODE_PLACE.match(parts[0]):
        # "50859 Köln, Schillerstraße 5": the place written first, as on some letters.
        parts = [*parts[1:], parts[0]]
    head, rest = (parts[0], parts[1:]) if parts else ("", [])
    postcode = ""
    place = ""
    for part in rest:
        match = _POSTCODE.search(part)
        if match:
            postcode = match["postcode"]
            part = _POSTCODE.sub(" ", part)
        part = " ".join(part.split())
        if part and not place:
            place = part
    match = _POSTCODE.search(head)
    last = _LAST_FIVE_DIGITS.match(head)
    if last and not postcode and normalize_street(last["street"]):
        if _NUMBER_WORD.search(last["street"].strip()):
            match = None  # "Venloer Straße Nr. 12345": said to be the house number
        else:
            # Where a house number stands, with no other number for the house and neither a
            # comma nor a city after it: a house number or a postcode, as the data decides.
            street, code = last["street"].strip(), last["code"]
            return _Query(street, int(code), "", postcode, place, maybe_postcode=code)
    if match and not postcode:
        # "50825 Köln Venloer Str" or "Venloer Str 200 50825 Köln": cut the postcode out.
        postcode = match["postcode"]
        before, after = head[: match.start()].strip(), head[match.end() :].strip()
        head = before or after
        if before and after and not place:
            place = after
    number = suffix = None
    match = _STREET_NUMBER.match(head)
    if match and normalize_street(match["street"]):
        head, number, suffix = match["street"].strip(), int(match["number"]), match["suffix"]
    return _Query(head, number, (suffix or "").lower(), postcode, place)


_NUMBER_THEN_WORDS = re.compile(
    r"^(?P<street>.*?\D)\s*(?P<number>\d{1,4})\s*(?P<suffix>[a-zA-Z])?\s+(?P<place>[^\d,]+)$"
)


def _trailing_place(parsed: _Query) -> _Query:
    """"Venloer Straße 200 Köln-Ehrenfeld", "Hauptstraße 5 Zündorf": written without a comma,
    the words after the house number are the place, where they name one this portal serves
    (found nothing, or the street without its number). Other words stay part of the text."""
    if parsed.number is not None or parsed.place:
        return parsed
    match = _NUMBER_THEN_WORDS.match(parsed.street)
    if not match or not normalize_street(match["street"]):
        return parsed
    place = match["place"].strip()
    if _place_area(place) is None and not _is_served_city(place):
        return parsed
    return replace(
        parsed, street=match["street"].strip(), number=int(match["number"]),
        suffix=(match["suffix"] or "").lower(), place=place,
    )


def _leading_place(parsed: _Query) -> _Query:
    """"50825 Köln Venloer Str", as on an envelope's last line run into the first: the city (or
    district, quarter) before the street is the place, not part of the street's name. Only a
    word that is exactly a place's name, and not where the whole text is a street's name
    ("Chorweiler Zubringer")."""
    if parsed.place:
        return parsed
    first, _, rest = parsed.street.partition(" ")
    if not normalize_street(rest):
        return parsed
    if not (normalize_street(first) in _place_names() or _is_served_city(first)):
        return parsed
    if Street.objects.filter(name_key=normalize_street(parsed.street)).exists():
        return parsed
    return replace(parsed, street=rest.strip(), place=first)


def _number_in_name(parsed: _Query) -> _Query:
    """"BAB 555", "L 84": the number is part of a road's name, not a house number (read as one,
    "L 84" became a weak "Leostraße 84" and "BAB 555" one of all motorways)."""
    if parsed.number is None:
        return parsed
    whole = f"{parsed.street} {parsed.maybe_postcode or parsed.number}{parsed.suffix}"
    if Street.objects.filter(name_key=normalize_street(whole)).exists():
        return replace(parsed, street=whole, number=None, suffix="", maybe_postcode="")
    return parsed


def _five_digits_resolved(parsed: _Query) -> _Query:
    """"Hauptstraße 51143": a known postcode ("the Hauptstraße in 51143", Zündorf's) rather than
    a house number no street has (Köln's register numbers end at 1435); "Venloer Straße 12345"
    names no known postcode, so it is the house number, and the answer says the register does
    not hold it instead of calling 12345 a postcode outside the city."""
    code = parsed.maybe_postcode
    if code and _postcode_known(code):
        return replace(parsed, number=None, suffix="", postcode=code, maybe_postcode="")
    return parsed


def geocode_search(*, query: str, limit: int = 10) -> SearchResult:
    """Search addresses, house numbers, streets and areas, each hit with a confidence (0..1)
    and a precision; the street-name part must be at least
    `conf.GEOPORTAL_SEARCH_MIN_SIMILARITY` similar to be a hit.

    A postcode or place in the query is respected: outside the service area there is no hit,
    and `reason` says why. A place that is a district or quarter narrows the streets to it
    ("Hauptstraße, Zündorf"). A name in several quarters gives one hit per quarter; a postcode
    with a known area keeps those of them in (or near) it ("Hauptstraße, 51143 Köln": Porz's).
    Where none of them is, all stay and `reason` says the street is not in that postcode.
    """
    parsed = _leading_place(
        _trailing_place(_five_digits_resolved(_number_in_name(_parse(" ".join(query.split())))))
    )
    reason = _outside_reason(parsed)
    if reason:
        return SearchResult(hits=[], reason=reason, outside=True)
    postcode = postcode_area_get(code=parsed.postcode)
    if postcode is not None and _names_only_the_city(parsed, postcode):
        # "50823 Köln" or "50823": the postcode's own area, not the whole city.
        return SearchResult(hits=[_postcode_hit(postcode)])
    parsed, suffix_quarter = _register_spelling(parsed)
    area = suffix_quarter or _place_area(parsed.place)
    key = normalize_street(parsed.street)
    if not key:
        return SearchResult(hits=[], reason=_("Bitte einen Straßennamen oder Ort eingeben."))
    area, not_there = _street_in_place(key, area) if suffix_quarter is None else (area, "")
    if parsed.number is not None:
        hits, reason = _number_hits(parsed, key=key, area=area, postcode=postcode, limit=limit)
        hits = [hit for hit in hits if hit.confidence >= conf.GEOPORTAL_SEARCH_MIN_SIMILARITY]
        if hits:
            return SearchResult(hits=hits[:limit], reason=reason or not_there)
    hits, reason = _street_hits(key=key, area=area, postcode=postcode, limit=limit)
    reason = reason or not_there
    if area is None or not hits:
        hits += _area_hits(key=key, limit=limit)
    hits.sort(key=lambda hit: (-hit.confidence, hit.kind != "street", hit.label))
    hits = [hit for hit in hits if hit.confidence >= conf.GEOPORTAL_SEARCH_MIN_SIMILARITY]
    if not hits:
        return SearchResult(
            hits=[], reason=_("Keine Straße und kein Ort ähnelt „%(q)s“.") % {"q": query.strip()}
        )
    if hits[0].kind != "street":
        # "50859 Weiden" names the quarter; that "Weidenweg" lies elsewhere is no doubt about it.
        reason = ""
    elif parsed.number is not None and not reason:
        # "Straße des 17. Juni 5": the register has no numbers for it (383 Köln streets), and
        # the number was dropped without a word; a form took the street as the place.
        reason = _(
            "Die Hausnummer %(number)s von „%(street)s“ steht nicht im Straßenverzeichnis; der "
            "Treffer ist die Straße."
        ) % {
            "number": f"{parsed.number}{parsed.suffix}",
            "street": hits[0].label.partition(", ")[0],
        }
    return SearchResult(hits=hits[:limit], reason=reason)


def _names_only_the_city(parsed: _Query, postcode: PostcodeArea) -> bool:
    """Whether a query with a postcode says nothing more than its city: "50823", "50823 Köln",
    "Köln 50823", or a letter's last line, "50823 Köln-Ehrenfeld" (the postcode is the finer
    of the two there). A quarter alone ("50859 Weiden") or a street is searched."""
    if parsed.number is not None:
        return False
    city = {normalize_street(postcode.place)} if postcode.place else set()

    def is_city(text: str) -> bool:
        key = normalize_street(text)
        area = _place_area(key)
        return key in city or (area is not None and area.kind == AreaKind.MUNICIPALITY)

    for text in filter(None, (parsed.street, parsed.place)):
        town, dash, part = text.partition("-")
        named = dash and normalize_street(part) in _place_names()  # not "Kalk-Mülheimer"
        if not (is_city(text) or (named and is_city(town))):
            return False
    return True


def _postcode_hit(postcode: PostcodeArea) -> SearchHit:
    located = _located(PostcodeArea.objects.filter(pk=postcode.pk).defer("geom")).get()
    label = f"{postcode.code} {postcode.place}".strip()
    return _hit("postcode", label, located, precision=Precision.AREA, postcode=postcode.code)


# A street this near a named district or quarter counts as in it, as with a postcode area: a
# long street is filed under one quarter only (Venloer Straße under Ehrenfeld, also where it
# runs through Bickendorf).
_STREET_IN_PLACE_M = 250


def _street_in_place(key: str, area: Area | None) -> tuple[Area | None, str]:
    """The place to look in, and why not: a street of exactly that name that is not in the
    district or quarter named ("Venloer Straße 200, Köln-Porz") was dropped for a weak other
    name there ("Osloer Straße, Köln-Porz"); now the streets of the name stay, everywhere, and
    the reason says it is not in that place, so a form asks instead of taking one."""
    if area is None or area.kind == AreaKind.MUNICIPALITY:
        return area, ""
    named = Street.objects.filter(name_key=key)
    name = named.values_list("name", flat=True).first()
    if name is None or _streets_in(named, area).exists():
        return area, ""
    if named.filter(geom__dwithin=(area.geom, D(m=_STREET_IN_PLACE_M))).exists():
        return None, ""  # filed under a neighbouring quarter, it runs through this one
    return None, _("„%(street)s“ liegt nicht in %(place)s.") % {"street": name, "place": area.name}


def _register_spelling(parsed: _Query) -> tuple[_Query, Area | None]:
    """The city register's own way to tell equal names apart, copied from its data: "Hauptstr.
    (Rodenkirchen)" names a place, "Schillerstr. We" a quarter code of a street of that name
    (the quarter it stands for). Without a street that carries the code, the text stays as typed."""
    if parsed.place:
        return parsed, None
    base, code, place = split_quarter_suffix(parsed.street)
    if place:
        return replace(parsed, street=base, place=place), None
    if code:
        street = (
            Street.objects.filter(name_key=normalize_street(base), suffix=code)
            .exclude(quarter=None).select_related("quarter").first()
        )
        if street is not None:
            return replace(parsed, street=base), street.quarter
    return parsed, None


def gazetteer_search(*, query: str, limit: int = 10) -> list[SearchHit]:
    """The hits of `geocode_search`, best first (for callers that need no reason)."""
    return geocode_search(query=query, limit=limit).hits


def search_hit_is_sure(*, result: SearchResult) -> bool:
    """Whether a form may take the first hit without asking: confident enough, and no other
    hit as good (the same name in two quarters is a question, not an answer), and no doubt in
    `reason` (a street that is not in the postcode typed with it)."""
    hits = result.hits
    if not hits or result.reason or hits[0].confidence < conf.GEOPORTAL_SEARCH_ACCEPT_CONFIDENCE:
        return False
    return len(hits) == 1 or hits[1].confidence < hits[0].confidence - 0.05


@dataclass(frozen=True)
class AddressAnswer:
    """What a typed address means to a form: the one place, or why not and what else fits."""

    hit: SearchHit | None  # the place meant, only when sure
    candidates: list[SearchHit]  # best first; the citizen picks one when `hit` is None
    problem: str = ""  # for the citizen: why nothing was taken
    code: str = ""  # outside | address_unknown | address_unsure


def geocode_address(*, query: str, alternatives: int = 5) -> AddressAnswer:
    """The place a form may take for a typed address, or candidates and a clear problem: a weak
    match, a name in several quarters or a place outside the service area is never taken
    silently ("Poppelsdorfer Allee 1, Bonn" is not "Giesdorfer Allee, Köln")."""
    result = geocode_search(query=query, limit=1 + alternatives)
    if result.outside:
        return AddressAnswer(hit=None, candidates=[], problem=result.reason, code="outside")
    if not result.hits:
        return AddressAnswer(
            hit=None, candidates=[], code="address_unknown",
            problem=_("Diese Adresse kennen wir nicht. Bitte anders schreiben."),
        )
    if not search_hit_is_sure(result=result):
        hits = result.hits
        several = len(hits) > 1 and hits[1].confidence >= hits[0].confidence - 0.05
        if result.reason:
            problem = result.reason
        elif several:
            problem = _(
                "„%(address)s“ ist nicht eindeutig. Bitte wählen Sie einen der Treffer, "
                "schreiben Sie die Adresse genauer oder setzen Sie den Punkt auf der Karte."
            ) % {"address": query}
        else:
            # One weak match is not a choice between equals: "Poppelsdorfer Allee 1" (in Bonn)
            # found only "Giesdorfer Allee 1" and was called ambiguous.
            problem = _(
                "„%(address)s“ haben wir nicht sicher gefunden. Meinten Sie einen dieser "
                "Treffer? Sonst schreiben Sie die Adresse genauer oder setzen Sie den Punkt "
                "auf der Karte."
            ) % {"address": query}
        return AddressAnswer(hit=None, candidates=hits, code="address_unsure", problem=problem)
    return AddressAnswer(hit=result.hits[0], candidates=result.hits)


def _postcode_known(postcode: str) -> bool:
    """A postcode this portal has data for: an area of it or an address point with it (not
    merely a number in a served range: 50700 is in Köln's range but no postcode)."""
    return (
        PostcodeArea.objects.filter(code=postcode).exists()
        or Address.objects.filter(postcode=postcode).exists()
    )


def _postcode_served(postcode: str) -> bool:
    if any(first <= postcode <= last for first, last in conf.GEOPORTAL_POSTCODE_RANGES):
        return True
    return _postcode_known(postcode)


# ----------------------------------------------------------------------------- postcodes


def postcode_area_get(*, code: str) -> PostcodeArea | None:
    """The postcode area of that code, if loaded (Köln's of 1999; Essen has none)."""
    if not code:
        return None
    return PostcodeArea.objects.filter(code=code).first()


def postcode_at(*, point: Point) -> PostcodeArea | None:
    """The postcode area holding the point; on a shared border the lower code."""
    return PostcodeArea.objects.covering(point).defer("geom").order_by("code").first()


def postcode_code_at(*, point: Point) -> str:
    area = postcode_at(point=point)
    return area.code if area is not None else ""


def _postcode_reason(street_name: str, postcode: PostcodeArea) -> str:
    return _("„%(street)s“ liegt nicht im Postleitzahlgebiet %(postcode)s.") % {
        "street": street_name, "postcode": postcode.code,
    }


def _in_postcode(streets: list[Street], postcode: PostcodeArea | None) -> tuple[list[Street], str]:
    """The matched streets narrowed to those in or near the postcode area, and why not.

    Only when the best name match itself is among them: a typo-near name in the postcode must
    not replace the street the citizen wrote. Otherwise every match stays, with a reason, so
    a form asks instead of picking one silently.
    """
    if postcode is None or not streets:
        return streets, ""
    near = set(
        Street.objects.filter(
            pk__in=[s.pk for s in streets],
            geom__dwithin=(postcode.geom, D(m=conf.GEOPORTAL_POSTCODE_TOLERANCE_M)),
        ).values_list("pk", flat=True)
    )
    kept = [s for s in streets if s.pk in near]
    best = min(s.rank for s in streets)
    if kept and min(s.rank for s in kept) == best:
        return kept, ""
    return streets, _postcode_reason(streets[0].name, postcode)


def _place_names() -> dict[str, Area]:
    return {
        area.name_key: area
        for area in Area.objects.defer("geom").order_by("-kind", "code")
    }


def _outside_reason(parsed: _Query) -> str:
    if parsed.postcode and not _postcode_served(parsed.postcode):
        return _(
            "Die Postleitzahl %(postcode)s liegt nicht im Gebiet, das dieses Portal bedient."
        ) % {"postcode": parsed.postcode}
    if parsed.place and _place_area(parsed.place) is None and not _is_served_city(parsed.place):
        return _("„%(place)s“ liegt nicht im Gebiet, das dieses Portal bedient.") % {
            "place": parsed.place
        }
    return ""


def _is_served_city(place: str) -> bool:
    # The city of imported address points counts as served ("Essen"), as do area names.
    return Address.objects.filter(city__iexact=place).exists()


def _place_area(place: str) -> Area | None:
    """The area a place names: "Köln", "Ehrenfeld", "Köln-Weiden" (the narrowest part)."""
    if not place:
        return None
    names = _place_names()
    for candidate in [place, *reversed(re.split(r"\s*-\s*|\s+", place))]:
        area = names.get(normalize_street(candidate))
        if area is not None:
            return area
    return None


def _streets_in(qs: QuerySet, area: Area | None) -> QuerySet:
    if area is None or area.kind == AreaKind.MUNICIPALITY:
        return qs.filter(municipality=area) if area is not None else qs
    if area.kind == AreaKind.QUARTER:
        return qs.filter(quarter=area)
    return qs.filter(quarter__parent=area)


def _street_matches(*, key: str, area: Area | None, limit: int) -> list[Street]:
    floor = conf.GEOPORTAL_SEARCH_MIN_SIMILARITY
    streets = _streets_in(Street.objects.select_related("municipality"), area).annotate(
        similarity=TrigramSimilarity("name_key", key),
        rank=Case(
            When(name_key=key, then=Value(0)),
            When(name_key__startswith=key, then=Value(1)),
            When(name_key__contains=key, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ),
    )
    streets = streets.filter(
        Q(name_key__startswith=key) | Q(name_key__contains=key) | Q(similarity__gte=floor)
    )
    if len(key) >= 3:
        # The trigram index narrows the scan; the floor above decides what is a hit.
        streets = streets.filter(
            Q(name_key__startswith=key)
            | Q(name_key__contains=key)
            | Q(name_key__trigram_similar=key)
        )
    return list(streets.defer("geom").order_by("rank", "-similarity", "label")[:limit])


def _street_confidence(street: Street, key: str) -> float:
    if street.rank == 0:
        return 1.0
    if street.rank == 1:
        # A prefix: sure in proportion to how much of the name was typed.
        return round(0.5 + 0.4 * len(key) / len(street.name_key), 2)
    return round(min(street.similarity, 0.75), 2)


def _street_hits(
    *, key: str, area: Area | None, postcode: PostcodeArea | None, limit: int
) -> tuple[list[SearchHit], str]:
    streets, reason = _in_postcode(_street_matches(key=key, area=area, limit=limit), postcode)
    located = {
        s.pk: s
        for s in _located(Street.objects.filter(pk__in=[s.pk for s in streets]).only("id"))
    }
    hits = [
        _hit(
            "street", s.label or s.name, located[s.pk],
            confidence=_street_confidence(s, key), precision=Precision.STREET, street_id=s.pk,
        )
        for s in streets
    ]
    return hits, reason


def _number_hits(
    parsed: _Query, *, key: str, area: Area | None, postcode: PostcodeArea | None, limit: int
) -> tuple[list[SearchHit], str]:
    hits = []
    # Address points first (a city that has them): exact street key and number.
    addresses = _ranked(Address.objects.filter(house_number=parsed.number), key, "street_key")
    if parsed.suffix:
        addresses = addresses.filter(house_number_suffix__iexact=parsed.suffix)
    if parsed.postcode:
        addresses = addresses.filter(postcode=parsed.postcode)
    floor = conf.GEOPORTAL_SEARCH_MIN_SIMILARITY
    for a in addresses.annotate(center=Transform("geom", 4326)).order_by(
        "rank", "-similarity", "house_number_suffix"
    )[:limit]:
        if a.rank > 1 and a.similarity < floor:
            continue
        a.box = None
        confidence = 1.0 if a.street_key == key else round(min(a.similarity, 0.75), 2)
        hits.append(
            _hit("address", a.label, a, confidence=confidence, precision=Precision.ADDRESS,
                 street_id=a.street_id, postcode=a.postcode)
        )
    if hits:
        return hits, ""
    streets, reason = _in_postcode(_street_matches(key=key, area=area, limit=limit), postcode)
    inside = {}  # street id: whether the placed house lies in the postcode area
    in_range = {}  # street id: whether the register's ranges hold the number
    for street in streets:
        placed = address_locate(street=street, number=parsed.number, suffix=parsed.suffix)
        if placed is None:
            continue
        in_range[street.pk] = placed.in_range
        off_postcode = postcode.geom.distance(placed.point) if postcode is not None else None
        if off_postcode is not None:
            inside[street.pk] = off_postcode <= (
                conf.GEOPORTAL_HOUSE_OFFSET_M + _HOUSE_IN_POSTCODE_MARGIN_M
            )
        center = transformed(placed.point, WEB_SRID)
        confidence = _street_confidence(street, key) * (0.95 if placed.in_range else 0.6)
        # The postcode typed, where it was taken for this street and the house lies near it:
        # the 1999 border and the interpolation may put the house just outside (real Köln
        # addresses: up to 223 m), and the citizen knows their postcode better. A house far
        # from it (a long street, another number) gets the postcode of its own place.
        typed = (
            postcode is not None and not reason
            and off_postcode <= conf.GEOPORTAL_POSTCODE_TOLERANCE_M
        )
        code = postcode.code if typed else postcode_code_at(point=placed.point)
        hits.append(
            SearchHit(
                kind="address", label=_with_postcode(placed.label, code), lon=round(center.x, 6),
                lat=round(center.y, 6), bbox=None, confidence=round(confidence, 2),
                precision=placed.precision, street_id=street.pk, postcode=code,
            )
        )
    # Two streets of the best-matching name touch the postcode area, but only one's house lies
    # in it: that one. Only among namesakes: a typo-near name's house inside the area must not
    # push out the street written, whose house may stand just across a 1999 border.
    namesakes = {s.pk: inside[s.pk] for s in streets
                 if s.pk in inside and s.name_key == streets[0].name_key}
    if not reason and any(namesakes.values()) and not all(namesakes.values()):
        hits = [hit for hit in hits if namesakes.get(hit.street_id, True)]
    named = [in_range[s.pk] for s in streets
             if s.pk in in_range and s.name_key == streets[0].name_key]
    if not reason and named and not any(named):
        # "Venloer Straße 2000": shown at the street's last number, under the number typed; a
        # form offers it, and the citizen should know the register does not hold that house.
        reason = _(
            "Die Hausnummer %(number)s von „%(street)s“ steht nicht im Straßenverzeichnis; der "
            "Treffer liegt bei der nächsten bekannten Hausnummer."
        ) % {"number": f"{parsed.number}{parsed.suffix}", "street": streets[0].name}
    hits.sort(key=lambda hit: -hit.confidence)
    return hits, reason


def _ranked(qs: QuerySet, key: str, field: str) -> QuerySet:
    return (
        qs.annotate(
            similarity=TrigramSimilarity(field, key),
            rank=Case(
                When(**{f"{field}__startswith": key}, then=Value(0)),
                When(**{f"{field}__contains": key}, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .filter(
            Q(**{f"{field}__startswith": key})
            | Q(**{f"{field}__contains": key})
            | Q(**{f"{field}__trigram_similar": key})
        )
        .order_by("rank", "-similarity")
    )


def _located(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        center=Transform(PointOnSurface("geom"), 4326), box=Transform(Envelope("geom"), 4326)
    )


def _hit(kind: str, label: str, obj, **extra) -> SearchHit:
    box = obj.box.extent if obj.box is not None else None
    return SearchHit(
        kind=kind,
        label=label,
        lon=round(obj.center.x, 6),
        lat=round(obj.center.y, 6),
        bbox=tuple(round(v, 6) for v in box) if box else None,
        **extra,
    )


def _area_hits(*, key: str, limit: int) -> list[SearchHit]:
    areas = _located(_ranked(Area.objects.defer("geom"), key, "name_key"))[:limit]
    hits = []
    for a in areas:
        if a.rank == 2 and a.similarity < conf.GEOPORTAL_SEARCH_MIN_SIMILARITY:
            continue
        exact = a.name_key == key
        confidence = 1.0 if exact else round(
            0.5 + 0.4 * len(key) / len(a.name_key) if a.rank == 0 else min(a.similarity, 0.75), 2
        )
        # An area named exactly wins over a street that merely starts with the name.
        hits.append(
            _hit(a.kind, f"{a.name} ({a.get_kind_display()})", a, confidence=confidence,
                 precision=Precision.AREA)
        )
    return hits


def areas_geojson(*, kind: str, simplify_m: float = 2.0) -> bytes:
    """A FeatureCollection of one kind of area in WGS84, built by PostgreSQL in one statement."""
    if kind not in AREA_LEVELS:
        raise ValueError(f"Unknown area kind {kind!r}; use one of {', '.join(AreaKind.values)}.")
    sql = """
        SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(
            json_build_object(
                'type', 'Feature', 'id', a.id,
                'properties', json_build_object('name', a.name, 'code', a.code, 'kind', a.kind,
                                                'parent', p.name),
                'geometry', ST_AsGeoJSON(
                    ST_Multi(ST_Transform(ST_SimplifyPreserveTopology(a.geom, %s), 4326)), 6)::json
            ) ORDER BY a.code), '[]'::json))::text
        FROM geoportal_area a LEFT JOIN geoportal_area p ON p.id = a.parent_id
        WHERE a.kind = %s
    """
    with read_cursor(timeout_ms=10_000) as cursor:
        cursor.execute(sql, [simplify_m, kind])
        return cursor.fetchone()[0].encode()


def incident_list_public(*, recent_days: int = 14) -> QuerySet:
    """Open incidents and those resolved in the last `recent_days` days, newest first."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import Incident

    since = timezone.now() - timedelta(days=recent_days)
    return Incident.objects.filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=since))


# ---------------------------------------------------------------- street geometry for other apps
# Council placement (councilmap) asks these instead of querying geoportal's tables itself.


def street_union(*, street_ids: list[int]) -> GEOSGeometry | None:
    """The lines of the given street rows as one MultiLineString (storage CRS)."""
    geoms = list(Street.objects.filter(pk__in=street_ids).values_list("geom", flat=True))
    if not geoms:
        return None
    union = geoms[0]
    for geom in geoms[1:]:
        union = union.union(geom)
    return union if union.geom_type == "MultiLineString" else MultiLineString(
        *[g for g in (union if union.geom_type == "GeometryCollection" else [union])
          if g.geom_type == "LineString"], srid=union.srid)


def street_ids_in_areas(*, street_ids: list[int], area_ids: list[int]) -> list[int]:
    """Those of the street rows that run through any of the areas."""
    areas = Area.objects.filter(pk__in=area_ids)
    q = Q()
    for area in areas.only("geom"):
        q |= Q(geom__intersects=area.geom)
    if not q:
        return []
    return sorted(Street.objects.filter(pk__in=street_ids).filter(q).values_list("pk", flat=True))


def street_ids_near(*, street_ids: list[int], near_ids: list[int], metres: float) -> list[int]:
    """Those of the street rows that come within `metres` of any of the `near_ids` streets."""
    near = street_union(street_ids=near_ids)
    if near is None:
        return []
    return sorted(
        Street.objects.filter(pk__in=street_ids, geom__dwithin=(near, D(m=metres)))
        .values_list("pk", flat=True)
    )


def street_quarter(*, street_ids: list[int]) -> Area | None:
    """The quarter holding a point on the street (the middle of its longest part)."""
    geom = street_union(street_ids=street_ids)
    if geom is None:
        return None
    longest = max(geom, key=lambda line: line.length)
    point = longest.interpolate_normalized(0.5)
    return area_covering(point=point, kind=AreaKind.QUARTER)


def street_crossing(
    *, street_ids: list[int], cross_ids: list[int], tolerance_m: float = 30
) -> Point | None:
    """Where two streets meet: the point on the first nearest to the second, if they come
    within `tolerance_m` of each other (the city's lines need not share a vertex)."""
    a = street_union(street_ids=street_ids)
    b = street_union(street_ids=cross_ids)
    if a is None or b is None or a.distance(b) > tolerance_m:
        return None
    # GEOS in Django has no nearest-points call.
    with read_cursor(timeout_ms=5000) as cursor:
        cursor.execute("SELECT ST_AsEWKB(ST_ClosestPoint(%s::geometry, %s::geometry))",
                       [a.ewkb, b.ewkb])
        return GEOSGeometry(memoryview(bytes(cursor.fetchone()[0])))


# The part of the street between its meeting points with two cross streets. The merged street
# may fall apart into several lines (dual carriageways, gaps): the piece nearest to both cross
# streets is cut. ST_LineSubstring needs the fractions in order, hence LEAST/GREATEST.
_STRETCH_SQL = """
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


def street_stretch(
    *, street_ids: list[int], from_ids: list[int], to_ids: list[int], tolerance_m: float = 60
) -> GEOSGeometry | None:
    """The stretch of a street between two cross streets; None if either does not meet it."""
    if not (street_ids and from_ids and to_ids):
        return None
    with read_cursor(timeout_ms=5000) as cursor:
        cursor.execute(_STRETCH_SQL, {"main": street_ids, "a": from_ids, "b": to_ids})
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return None
    ewkb, da, db, fa, fb = row
    if da > tolerance_m or db > tolerance_m or abs(fa - fb) < 1e-6:
        return None
    return GEOSGeometry(memoryview(bytes(ewkb)))


# ------------------------------------------------------------------ the council geocoder's index


def gazetteer_version() -> tuple:
    """Changes whenever streets or areas are added or removed: a cache key for name indexes
    built over them (the council geocoder's)."""
    streets = Street.objects.aggregate(n=Count("pk"), last=Max("pk"))
    areas = Area.objects.aggregate(n=Count("pk"), last=Max("pk"))
    return (streets["n"], streets["last"], areas["n"], areas["last"])


def home_municipality_name() -> str:
    """The name of the municipality the portal serves ("Köln", "Heidelberg"): the one most
    streets are filed under, else the only municipality area; "" where neither tells."""
    top = (
        Street.objects.filter(municipality__isnull=False)
        .values("municipality__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "municipality__name")
        .first()
    )
    if top is not None:
        return top["municipality__name"]
    names = list(Area.objects.filter(kind=AreaKind.MUNICIPALITY).values_list("name", flat=True)[:2])
    return names[0] if len(names) == 1 else ""


def street_names() -> list[tuple[int, str]]:
    """(id, name) of every street row; one name may stand for several quarters' streets."""
    return list(Street.objects.values_list("pk", "name"))


def area_names(*, kinds: list[str]) -> list[tuple[int, str, str, str]]:
    """(id, kind, name, normalised name) of the areas of those kinds."""
    return list(Area.objects.filter(kind__in=kinds).values_list("pk", "kind", "name", "name_key"))


def area_parent_ids(*, area_ids: list[int]) -> dict[int, int]:
    """The area that holds each of the given ones (a quarter's Stadtbezirk), by id."""
    return dict(
        Area.objects.filter(pk__in=area_ids, parent__isnull=False)
        .values_list("pk", "parent_id")
    )


def street_quarter_ids(*, street_ids: list[int]) -> set[int | None]:
    """The quarters the register files these streets under (None for a street without one)."""
    return set(Street.objects.filter(pk__in=street_ids).values_list("quarter_id", flat=True))


def area_name_and_geom(*, area_id: int) -> tuple[str, GEOSGeometry]:
    area = Area.objects.only("geom", "name").get(pk=area_id)
    return area.name, area.geom


def street_label(*, street_id: int) -> str | None:
    """The gazetteer's label that tells equal names apart ("…, Köln-Ehrenfeld"), if set."""
    return Street.objects.filter(pk=street_id).values_list("label", flat=True).first()


def street_get(*, street_id: int) -> Street:
    return Street.objects.get(pk=street_id)


def address_points_near(
    *, street_key: str, number: int, geom: GEOSGeometry, metres: float
) -> list[tuple[GEOSGeometry, str]]:
    """(point, suffix) of the register's addresses with that street key and number within
    `metres` of `geom`, by suffix; the index on the points answers the distance."""
    rows = (
        Address.objects.filter(street_key=street_key, house_number=number)
        .filter(geom__dwithin=(geom, D(m=metres)))
        .order_by("house_number_suffix", "id")
        .only("geom", "house_number_suffix")
    )
    return [(a.geom, a.house_number_suffix) for a in rows]
