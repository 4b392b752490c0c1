"""House numbers along street segments: where a number lies, and which number lies where.

Köln has no address points, only segments with a from/to house number per side, as many
cities publish them. Houses of one side are spread over the segment like equal plots: the
k-th of n numbers sits at (k + 0.5) / n of the length, so the first and last are not put on
the crossings. The point goes `conf.GEOPORTAL_HOUSE_OFFSET_M` off the centre line to its side.
"""

from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import connection

from . import conf
from .models import StreetSegment
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
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 5000")
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


def segment_nearest(*, point: Point, max_distance_m: float) -> NearestSegment | None:
    """The segment nearest to the point (index-ordered), where along it and on which side."""
    # KNN ordering (<->) walks the GiST index; side from the turn between line and foot-to-point.
    sql = """
        SELECT id, t, d, ST_AsEWKB(foot),
               CASE WHEN d < 0.01 THEN NULL
                    WHEN sin(ST_Azimuth(foot, %(p)s) - ST_Azimuth(
                        ST_LineInterpolatePoint(geom, GREATEST(t - 0.001, 0)),
                        ST_LineInterpolatePoint(geom, LEAST(t + 0.001, 1)))) < 0 THEN 'left'
                    ELSE 'right' END
        FROM (
            SELECT id, geom, ST_LineLocatePoint(geom, %(p)s) AS t, ST_Distance(geom, %(p)s) AS d,
                   ST_ClosestPoint(geom, %(p)s) AS foot
            FROM geoportal_streetsegment
            WHERE street_id IS NOT NULL AND ST_DWithin(geom, %(p)s, %(r)s)
            ORDER BY geom <-> %(p)s LIMIT 1
        ) nearest
    """
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 5000")
        cursor.execute(sql, {"p": point.ewkb, "r": max_distance_m})
        row = cursor.fetchone()
    if row is None:
        return None
    pk, fraction, distance, foot, side = row
    segment = StreetSegment.objects.select_related("street", "street__municipality").get(pk=pk)
    foot = GEOSGeometry(memoryview(bytes(foot)))
    return NearestSegment(segment, fraction, side, distance, foot)
