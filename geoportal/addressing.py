"""House numbers along street segments: where a number lies, and which number lies where.

Köln has no address points, only segments with a from/to house number per side, as many
cities publish them (the "from" number at the line's start: 97.5 % of 17,104 pairs of touching
segments of one street continue their numbers that way across the shared node). Houses of one
side stand on equal plots between the two corner set-backs (`side_plots`): the k-th of n numbers
at the set-back plus (k + 0.5) plot widths. A plot is never wider than `_PLOT_MAX_M`; where a
side holds few numbers on a long segment the plots stand together at the end where the street's
numbers continue. The point goes `conf.GEOPORTAL_HOUSE_OFFSET_M` off the centre line to its side.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry, Point

from . import conf
from .models import StreetSegment
from .replicas import read_cursor
from .text import parse_house_number

LEFT, RIGHT = "left", "right"


@dataclass(frozen=True)
class SideRange:
    side: str
    first: int  # the number at the segment's start
    last: int  # the number at its end

    @property
    def step(self) -> int:
        return 2 if (self.first - self.last) % 2 == 0 else 1

    @property
    def count(self) -> int:
        return abs(self.last - self.first) // self.step + 1

    def holds(self, number: int) -> bool:
        low, high = sorted((self.first, self.last))
        return low <= number <= high and (self.step == 1 or (number - self.first) % 2 == 0)

    def gap(self, number: int) -> int:
        """How far the number lies outside the range (0 inside); other parity never matches."""
        if self.step == 2 and (number - self.first) % 2:
            return 10**6
        low, high = sorted((self.first, self.last))
        return max(low - number, number - high, 0)

    def compatible(self, number: int) -> bool:
        """Whether the number could continue this side (its parity, or any on a mixed side)."""
        return self.step == 1 or (number - self.first) % 2 == 0


# Where one side's houses stand along its segment. A segment runs from crossing centre to
# crossing centre: half the cross street and half the corner house lie between a crossing and
# the corner house's address point, so the plots begin this far in from either end ...
_CORNER_SETBACK_M = 20.0
# ... but on a short segment at most this share of its length at each end.
_SETBACK_SHARE = 0.25
# One number's frontage at most: a side holding 80-82 on a 1 km segment does not spread its two
# houses 500 m apart (real plots are a few metres to a school's few dozen wide). Chosen on the
# tuning half of the real-address bench (public buildings: big plots) and constructed seed 1.
_PLOT_MAX_M = 60.0
# Segments of one street meet where their ends lie this close.
_NODE_M = 1.0


@dataclass(frozen=True)
class Plots:
    """The plots of one side along its segment: the first number's plot begins `start_m` from
    the segment's start, each is `width_m` wide."""

    side: SideRange
    length_m: float
    start_m: float
    width_m: float

    def fraction(self, number: float) -> float:
        """Share of the segment's length from its start to the number's plot centre."""
        if self.length_m <= 0:
            return 0.5
        index = abs(number - self.side.first) / self.side.step
        metres = self.start_m + (index + 0.5) * self.width_m
        return min(max(metres / self.length_m, 0.0), 1.0)

    def number_at(self, fraction: float) -> int:
        """The number whose plot holds this spot; before the first or past the last plot, the
        first or last number."""
        metres = fraction * self.length_m - self.start_m
        index = int(metres // self.width_m) if self.width_m > 0 else 0
        index = min(max(index, 0), self.side.count - 1)
        direction = 1 if self.side.last >= self.side.first else -1
        return self.side.first + direction * self.side.step * index


def side_plots(
    *,
    segment: StreetSegment,
    side: SideRange,
    street_segments: Sequence[StreetSegment] | None = None,
) -> Plots:
    """The plots of `side` on `segment` (see `Plots`). `street_segments`: the segments of the
    segment's street, where the caller has them; else they are read when needed (only for a
    side whose plots would be wider than `_PLOT_MAX_M`)."""
    length = segment.geom.length
    setback = min(_CORNER_SETBACK_M, length * _SETBACK_SHARE)
    usable = length - 2 * setback
    width = usable / side.count
    start = setback
    if width > _PLOT_MAX_M:
        width = _PLOT_MAX_M
        spare = usable - side.count * width
        if street_segments is None:
            street_segments = list(StreetSegment.objects.filter(street_id=segment.street_id))
        end = _continuing_end(segment=segment, side=side, street_segments=street_segments)
        # At the start, at the end, or (no neighbour tells) in the middle of the usable length.
        start = setback + {_START: 0.0, _END: spare}.get(end, spare / 2)
    return Plots(side=side, length_m=length, start_m=start, width_m=width)


_START, _END = "start", "end"


def _continuing_end(
    *, segment: StreetSegment, side: SideRange, street_segments: Sequence[StreetSegment]
) -> str | None:
    """The end of the segment where the street's numbers continue the side's range most
    closely: the neighbouring segment (same street, touching that end) holds a number of the
    side's parity nearest to the range's number at that end. None where both ends are alike."""
    line = segment.geom
    gaps = {}
    for end, vertex, number in (
        (_START, Point(line.coords[0], srid=line.srid), side.first),
        (_END, Point(line.coords[-1], srid=line.srid), side.last),
    ):
        numbers = [
            n
            for other in street_segments
            if other.pk != segment.pk and _touches(other.geom, vertex)
            for r in side_ranges(other)
            for n in (r.first, r.last)
            if side.compatible(n) or r.step == 1
        ]
        gaps[end] = min((abs(n - number) for n in numbers), default=None)
    start, end = gaps[_START], gaps[_END]
    if start is not None and (end is None or start < end):
        return _START
    if end is not None and (start is None or end < start):
        return _END
    return None


def _touches(line, vertex: Point) -> bool:
    return any(
        Point(coords, srid=line.srid).distance(vertex) <= _NODE_M
        for coords in (line.coords[0], line.coords[-1])
    )


def side_ranges(segment: StreetSegment) -> list[SideRange]:
    ranges = []
    for side, first, last in (
        (LEFT, segment.left_from, segment.left_to),
        (RIGHT, segment.right_from, segment.right_to),
    ):
        a, b = parse_house_number(first), parse_house_number(last)
        if a or b:
            a, b = a or b, b or a
            ranges.append(SideRange(side=side, first=a[0], last=b[0]))
    return ranges


def point_beside(*, segment_id: int, fraction: float, side: str) -> Point:
    """The point at `fraction` of the segment, moved off the centre line to `side`."""
    # Direction from two points just before and after; ST_Translate in metres (storage CRS).
    sql = """
        WITH s AS (SELECT geom FROM geoportal_streetsegment WHERE id = %(id)s),
        a AS (SELECT ST_LineInterpolatePoint(geom, %(t)s) AS p,
                     ST_Azimuth(ST_LineInterpolatePoint(geom, GREATEST(%(t)s - 0.01, 0)),
                                ST_LineInterpolatePoint(geom, LEAST(%(t)s + 0.01, 1))) AS az
              FROM s)
        SELECT ST_AsEWKB(ST_Translate(p, %(sign)s * %(d)s * -cos(az), %(sign)s * %(d)s * sin(az)))
        FROM a
    """
    with read_cursor(timeout_ms=5000) as cursor:
        cursor.execute(
            sql,
            {
                "id": segment_id,
                "t": fraction,
                "sign": 1 if side == LEFT else -1,
                "d": conf.GEOPORTAL_HOUSE_OFFSET_M,
            },
        )
        return GEOSGeometry(memoryview(bytes(cursor.fetchone()[0])))


@dataclass(frozen=True)
class NearestSegment:
    segment: StreetSegment
    fraction: float  # where the point's foot lies along the segment, 0..1
    side: str | None  # side of the centre line the point lies on (None: on the line)
    distance_m: float
    foot: Point
    # How much worse the best segment of another street fits, in metres, before the main-road
    # allowance (None: no other street within reach; negative: the allowance decided). Small
    # at corners and between the backs of two streets.
    margin_m: float | None = None


# How the segment for a pin is chosen (reverse geocoding). The nearest centre line alone picks
# the cross street for corner houses: a pin beside the last house of one street often lies
# nearer the other street's line. So the few segments nearest by the index are weighed:
_CANDIDATES = 8  # segments the KNN walk hands over; more never changed a choice in the bench
# A segment whose pin side has no house numbers (a park, a railway) counts as this many metres
# further away: the pin more likely belongs to houses across the crossing.
_NO_HOUSES_M = 25.0
# Metres the pin's foot lies beyond the side's first or last plot centre (towards a crossing,
# past where the register puts any house) count like metres off the line, up to this many.
# The plots are side_plots' (set-backs, width cap), so the score and the placement agree;
# 3, 10 and 20 m were worse on the real-address tuning half.
_PAST_RANGE_CAP_M = 5.0
# A main road is wider than a side street, so its centre line lies further from its façades:
# at a corner the house on the main road stands nearer the side street's line and was given to
# the side street (Sparkasse branches, fuel stations, charging points at corners of Aachener,
# Neusser, Venloer Straße). The register has no widths; a street numbered to 200 or beyond is a
# long main road, and its segments count this many metres nearer. Chosen on the tuning halves
# of the four real-address sets (bench/geoportal_real_addresses.py): street right 79.4 % ->
# 82.4 %; 100-300 and 10-15 m did about as well. Constructed linear pins (equal offsets on
# both streets, seed 1) lose 0.5 points, which real corners do not bear out.
_MAIN_ROAD_FROM_NUMBER = 200
_MAIN_ROAD_M = 10.0


def segment_nearest(*, point: Point, max_distance_m: float) -> NearestSegment | None:
    """The segment a pin belongs to, where along it and on which side.

    Of the segments within `max_distance_m` (nearest first by the index), the one with the
    lowest score wins: the distance to its centre line, plus `_NO_HOUSES_M` when the pin's side
    has no house numbers, plus how far the pin's foot lies beyond the side's first or last plot
    centre (capped at `_PAST_RANGE_CAP_M`), minus `_MAIN_ROAD_M` on a main road. The plots are
    `side_plots`' set-backs and width cap; where the cap leaves spare length, the end the
    street's numbers continue at is not looked up here (it needs the neighbouring segments: a
    query per candidate), so a foot counts as beyond only outside the span between the two
    set-backs.
    """
    # KNN ordering (<->) walks the GiST index for the candidates; side from the turn between
    # line and foot-to-point (left: positive); the score in SQL, so one round trip decides.
    sql = """
        WITH near AS MATERIALIZED (
            SELECT id, street_id, geom, left_min, left_max, right_min, right_max,
                   ST_Length(geom) AS len,
                   ST_LineLocatePoint(geom, %(p)s) AS t, ST_Distance(geom, %(p)s) AS d,
                   ST_ClosestPoint(geom, %(p)s) AS foot
            FROM geoportal_streetsegment
            WHERE street_id IS NOT NULL AND ST_DWithin(geom, %(p)s, %(r)s)
            ORDER BY geom <-> %(p)s LIMIT %(k)s
        ), sided AS MATERIALIZED (
            SELECT *, (SELECT max(GREATEST(x.left_max, x.right_max))
                       FROM geoportal_streetsegment x
                       WHERE x.street_id = near.street_id) AS street_max,
                      CASE WHEN d < 0.01 THEN NULL
                           WHEN sin(ST_Azimuth(foot, %(p)s) - ST_Azimuth(
                               ST_LineInterpolatePoint(geom, GREATEST(t - 0.001, 0)),
                               ST_LineInterpolatePoint(geom, LEAST(t + 0.001, 1)))) < 0
                           THEN 'left' ELSE 'right' END AS side
            FROM near
        ), ranged AS (
            -- The pin's side's numbers (on the line: whichever side has some, left first).
            SELECT *, CASE WHEN side = 'right' OR (side IS NULL AND left_min IS NULL)
                           THEN right_min ELSE left_min END AS lo,
                      CASE WHEN side = 'right' OR (side IS NULL AND left_min IS NULL)
                           THEN right_max ELSE left_max END AS hi
            FROM sided
        ), counted AS (
            -- The side's count of numbers (every second one when both ends have one parity)
            -- and the corner set-back, as in side_plots.
            SELECT *, (hi - lo) / CASE WHEN (hi - lo) %% 2 = 0 THEN 2 ELSE 1 END + 1 AS n,
                      LEAST(%(setback)s, len * %(setback_share)s) AS setback
            FROM ranged
        ), plotted AS (
            -- From either end to the first/last plot centre: the set-back plus half a plot
            -- (capped like side_plots; a capped side's houses may stand anywhere between the
            -- set-backs, so only a foot outside that whole span counts as beyond them).
            SELECT *, setback + LEAST((len - 2 * setback) / n, %(plot_max)s) / 2 AS edge
            FROM counted
        ), fitted AS (
            SELECT *, d + CASE WHEN lo IS NULL THEN %(no_houses)s
                               ELSE LEAST(%(cap)s, GREATEST(0, edge - t * len,
                                                            t * len - (len - edge)))
                          END AS fit
            FROM plotted
        ), scored AS (
            -- The main road's allowance decides, but does not make a corner less of a guess:
            -- the margin compares the fit alone.
            SELECT *, fit - CASE WHEN street_max >= %(main_from)s THEN %(main_m)s ELSE 0 END
                          AS score
            FROM fitted
        )
        SELECT id, t, d, ST_AsEWKB(foot), side,
               (SELECT min(other.fit) FROM scored other
                WHERE other.street_id <> best.street_id) - fit
        FROM scored best
        ORDER BY score, d, id
        LIMIT 1
    """
    params = {
        "p": point.ewkb, "r": max_distance_m, "k": _CANDIDATES,
        "no_houses": _NO_HOUSES_M, "cap": _PAST_RANGE_CAP_M,
        "setback": _CORNER_SETBACK_M, "setback_share": _SETBACK_SHARE, "plot_max": _PLOT_MAX_M,
        "main_from": _MAIN_ROAD_FROM_NUMBER, "main_m": _MAIN_ROAD_M,
    }
    with read_cursor(timeout_ms=5000) as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    pk, fraction, distance, foot, side, margin = row
    segment = StreetSegment.objects.select_related("street", "street__municipality").get(pk=pk)
    foot = GEOSGeometry(memoryview(bytes(foot)))
    return NearestSegment(segment, fraction, side, distance, foot, margin)
