"""House numbers in both directions: where a number is (address point or interpolated),
and what is at a point (reverse geocoding)."""

from dataclasses import dataclass

from django.contrib.gis.db.models.functions import Distance, GeomOutputGeoFunc
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db.models import Case, When

from .. import conf
from ..addressing import LEFT, point_beside, segment_nearest, side_plots, side_ranges
from ..models import Address, Area, AreaKind, Street, StreetSegment
from .areas import area_covering
from .postcodes import postcode_code_at


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


def street_label_at(*, street: Street, point: Point) -> str:
    """"Aachener Straße, Köln-Neustadt/Süd": a place on a street whose name the city has more
    than once (a house, a crossing, the nearest point to a pin) names the quarter it stands in
    where that is not the street's. The register gives the whole street one quarter (the 8.7 km
    Aachener Straße from the Ring to the city limit is Müngersdorf's), 6 km off at the Ring."""
    label = street.label or street.name
    city = street.municipality.name if street.municipality_id else ""
    if city and street.quarter_id and label.startswith(f"{street.name}, {city}-"):
        near_own = Area.objects.filter(
            pk=street.quarter_id, geom__dwithin=(point, D(m=_HOUSE_IN_QUARTER_M))
        ).exists()
        quarter = None if near_own else area_covering(point=point, kind=AreaKind.QUARTER)
        if quarter is not None:
            label = f"{street.name}, {city}-{quarter.name}"
    return label


def _house_label(street: Street, house: str, point: Point) -> str:
    return _with_number(street_label_at(street=street, point=point), house)


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
        # The quarter where the pin meets the street: a pin in Lindenthal 240 m from the
        # Aachener Straße read "Aachener Straße, Köln-Müngersdorf", 3 km off (#13 tryout).
        label=street_label_at(street=street, point=street.closest),
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


