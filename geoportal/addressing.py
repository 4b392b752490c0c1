"""House numbers along street segments: where a number lies, and which number lies where.

Köln has no address points, only segments with a from/to house number per side, as many
cities publish them. Houses of one side are spread over the segment like equal plots: the
k-th of n numbers sits at (k + 0.5) / n of the length, so the first and last are not put on
the crossings. The point goes `conf.GEOPORTAL_HOUSE_OFFSET_M` off the centre line to its side.
"""

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

    def fraction(self, number: float) -> float:
        """Share of the segment's length from its start to the number's plot centre."""
        index = abs(number - self.first) / self.step
        return min(max((index + 0.5) / self.count, 0.0), 1.0)

    def number_at(self, fraction: float) -> int:
        index = min(int(fraction * self.count), self.count - 1)
        direction = 1 if self.last >= self.first else -1
        return self.first + direction * self.step * index


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
    # How much worse the best segment of another street scored, in metres (None: no other
    # street within reach). Small at corners and between the backs of two streets.
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
_PAST_RANGE_CAP_M = 5.0


def segment_nearest(*, point: Point, max_distance_m: float) -> NearestSegment | None:
    """The segment a pin belongs to, where along it and on which side.

    Of the segments within `max_distance_m` (nearest first by the index), the one with the
    lowest score wins: the distance to its centre line, plus `_NO_HOUSES_M` when the pin's side
    has no house numbers, plus how far the pin's foot lies beyond the side's first or last plot
    centre (capped at `_PAST_RANGE_CAP_M`). Plots as in `SideRange.fraction`: n numbers share the
    length equally, the first centre half a plot from the start.
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
            SELECT *, CASE WHEN d < 0.01 THEN NULL
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
        ), plotted AS (
            -- Half a plot: the side's length over its count of numbers (every second number
            -- when both ends have one parity), halved.
            SELECT *, len / ((hi - lo) / CASE WHEN (hi - lo) %% 2 = 0 THEN 2 ELSE 1 END + 1) / 2
                      AS half_plot
            FROM ranged
        ), scored AS (
            SELECT *, d + CASE WHEN lo IS NULL THEN %(no_houses)s
                               ELSE LEAST(%(cap)s, GREATEST(0, half_plot - t * len,
                                                            t * len - (len - half_plot)))
                          END AS score
            FROM plotted
        )
        SELECT id, t, d, ST_AsEWKB(foot), side,
               (SELECT min(other.score) FROM scored other
                WHERE other.street_id <> best.street_id) - score
        FROM scored best
        ORDER BY score, d, id
        LIMIT 1
    """
    params = {
        "p": point.ewkb, "r": max_distance_m, "k": _CANDIDATES,
        "no_houses": _NO_HOUSES_M, "cap": _PAST_RANGE_CAP_M,
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
