"""Where interpolated houses stand along a segment (`geoportal.addressing.side_plots`): set
back from the crossings, never on plots wider than `_PLOT_MAX_M`, and where a long segment
holds few numbers, together at the end where the street's numbers continue.

Constructed streets, far west of Köln (so no real segment is near), running due east: the
right side is south of the line.
"""

import pytest
from django.contrib.gis.geos import LineString, MultiLineString, Point

from geoportal import selectors
from geoportal.addressing import _CORNER_SETBACK_M, _PLOT_MAX_M, side_plots, side_ranges
from geoportal.models import Street, StreetSegment

pytestmark = pytest.mark.django_db

X0, Y0 = 250_000.0, 5_645_000.0  # EPSG:25832, about 100 km west of Köln


def _street(code: str, parts: list[tuple[float, float, str, str]]) -> Street:
    """A street of segments along y = Y0 from x0 to x1 (metres east of X0), each with a right
    side range."""
    lines = [LineString((X0 + a, Y0), (X0 + b, Y0), srid=25832) for a, b, _, _ in parts]
    street = Street.objects.create(
        name="Planstraße", name_key="planstrasse", code=code, source_name="Planstr.",
        geom=MultiLineString(*lines, srid=25832), source="test",
    )
    for i, ((_, _, first, last), line) in enumerate(zip(parts, lines, strict=True)):
        StreetSegment.objects.create(
            street=street, code=f"{code}{i:03d}", source_name="Planstr.", right_from=first,
            right_to=last, right_min=int(first), right_max=int(last), geom=line, source="test",
        )
    return street


# 2-10 on 100 m, then 12-14 on 1 km, then 30-40: 12 follows 10 across the first node.
CONTINUES_AT_START = [(0, 100, "2", "10"), (100, 1100, "12", "14"), (1100, 1200, "30", "40")]


def _metres_east(point: Point) -> float:
    return point.x - X0


def test_two_numbers_on_a_long_segment_stand_where_the_numbers_continue():
    street = _street("90001", CONTINUES_AT_START)
    twelve = selectors.address_locate(street=street, number=12)
    fourteen = selectors.address_locate(street=street, number=14)
    # Set back from the crossing, then plots at most _PLOT_MAX_M wide (equal plots over the
    # whole segment put 12 at 350 m and 14 at 850 m).
    assert _metres_east(twelve.point) == pytest.approx(100 + _CORNER_SETBACK_M + _PLOT_MAX_M / 2)
    assert _metres_east(fourteen.point) == pytest.approx(
        100 + _CORNER_SETBACK_M + 1.5 * _PLOT_MAX_M
    )
    assert twelve.point.y < Y0  # the right side of an eastward line


def test_the_plots_stand_at_the_far_end_when_the_numbers_continue_there():
    # 26 is followed by 28 across the far node; 2-4 before the near one is far off.
    parts = [(0, 100, "2", "4"), (100, 1100, "24", "26"), (1100, 1200, "28", "40")]
    street = _street("90002", parts)
    twentysix = selectors.address_locate(street=street, number=26)
    end = 1100 - _CORNER_SETBACK_M - _PLOT_MAX_M / 2
    assert _metres_east(twentysix.point) == pytest.approx(end)


def test_a_lone_number_without_neighbours_stands_in_the_middle():
    street = _street("90003", [(0, 600, "7", "7")])
    seven = selectors.address_locate(street=street, number=7)
    assert _metres_east(seven.point) == pytest.approx(300)


def test_the_first_house_is_set_back_from_the_crossing():
    street = _street("90004", [(0, 200, "1", "19")])
    segment = street.segments.get()
    plots = side_plots(segment=segment, side=side_ranges(segment)[0])
    # Ten plots of 16 m between the two 20 m set-backs: 1 at 28 m, not at 10 m.
    assert plots.fraction(1) * 200 == pytest.approx(_CORNER_SETBACK_M + 8)
    assert plots.fraction(19) * 200 == pytest.approx(200 - _CORNER_SETBACK_M - 8)
    # A short segment keeps three quarters of its length for its houses.
    short = _street("90005", [(0, 40, "2", "2")]).segments.get()
    assert side_plots(segment=short, side=side_ranges(short)[0]).start_m == pytest.approx(10)


def test_reverse_geocoding_reads_the_same_plots():
    street = _street("90006", CONTINUES_AT_START)
    at_twelve = Point(X0 + 100 + _CORNER_SETBACK_M + 20, Y0 - 15, srid=25832)
    far_along = Point(X0 + 800, Y0 - 15, srid=25832)
    assert selectors.geocode_reverse(point=at_twelve).label == "Planstraße 12"
    # Past the last plot: the last number, not a number the register does not have.
    result = selectors.geocode_reverse(point=far_along)
    assert (result.street_id, result.house_number) == (street.pk, "14")


def test_a_building_set_back_80_m_still_gets_its_house_number():
    # A school's address point far back from its street (real Köln buildings: p90 89 m).
    street = _street("90007", CONTINUES_AT_START)
    result = selectors.geocode_reverse(point=Point(X0 + 50, Y0 - 80, srid=25832))
    assert (result.street_id, result.precision) == (street.pk, "interpolated")
    assert result.house_number in {"4", "6", "8"}
    assert result.confidence <= 0.5  # far from the line: a guess, and it says so


def _segment(code: str, name: str, start: tuple, end: tuple, first: str, last: str) -> Street:
    line = LineString((X0 + start[0], Y0 + start[1]), (X0 + end[0], Y0 + end[1]), srid=25832)
    street = Street.objects.create(
        name=name, name_key=name.lower(), code=code, source_name=name,
        geom=MultiLineString(line, srid=25832), source="test",
    )
    StreetSegment.objects.create(
        street=street, code=f"{code}000", source_name=name, right_from=first, right_to=last,
        right_min=int(first), right_max=int(last), geom=line, source="test",
    )
    return street


def test_reverse_geocoding_weighs_segments_by_the_same_plots():
    # Planstraße ends at Querstraße, whose segment runs on past the junction. A pin 15 m
    # before the end of Planstraße stands in its corner set-back: its last house (19) stands
    # at 172 m (20 m set-back, then 16 m plots), so the pin's foot lies 13 m beyond it. The old
    # plain plots put 19 at 190 m and chose Planstraße, 3 m nearer; by the placement's plots
    # the pin belongs to Querstraße, whose houses stand beside it.
    plan = _segment("90010", "Planstraße", (0, 0), (200, 0), "1", "19")
    quer = _segment("90011", "Querstraße", (200, 100), (200, -100), "2", "20")
    segment = plan.segments.get()
    last = side_plots(segment=segment, side=side_ranges(segment)[0]).fraction(19) * 200
    assert last == pytest.approx(200 - _CORNER_SETBACK_M - 8)
    result = selectors.geocode_reverse(point=Point(X0 + 185, Y0 - 12, srid=25832))
    assert result.street_id == quer.pk
    assert result.confidence <= 0.6  # Planstraße scores within 5 m: a corner, lowered
