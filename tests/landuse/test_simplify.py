"""The plan map's simplification is half a screen pixel where the map is shown: it took Köln's
latitude (51°) everywhere, 9 % too coarse in Flensburg and too fine in Garmisch."""

import math

import pytest

from landuse.selectors import simplify_tolerance


def half_pixel(latitude: float, zoom: int) -> float:
    return 156_543.03 * math.cos(math.radians(latitude)) / 2**zoom / 2


def test_the_map_shown_sets_the_latitude():
    assert simplify_tolerance(12, latitude=54.78) == pytest.approx(half_pixel(54.78, 12))
    assert simplify_tolerance(12, latitude=47.49) == pytest.approx(half_pixel(47.49, 12))


def test_without_a_map_the_portals_centre_does(settings):
    settings.GEOPORTAL_MAP_CENTER = (54.78, 9.43)  # Flensburg's brand
    assert simplify_tolerance(12) == pytest.approx(half_pixel(54.78, 12))


def test_no_zoom_keeps_the_fixed_default():
    assert simplify_tolerance(None, latitude=54.78) == 2.0
