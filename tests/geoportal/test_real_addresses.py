"""Geocoding against real Köln building positions: the city's polling stations with their
addresses and coordinates (fixtures/koeln/koeln_wahllokale_adressen.csv, CC BY Stadt Köln).

Coarse floors only, well under what `bench/geoportal_real_addresses.py` measures, so that a
regression in the segment choice or the interpolation is caught; the figures themselves are
the bench's.
"""

import csv
import re
import statistics

import pytest
from django.contrib.gis.geos import Point

from geoportal import selectors
from geoportal.models import Street
from geoportal.text import normalize_street

pytestmark = pytest.mark.django_db

_ADDRESS = re.compile(r"^(?P<street>.*?\D)\s*(?P<number>\d+)")


@pytest.fixture(scope="module")
def buildings(fixtures_dir):
    with (fixtures_dir / "koeln/koeln_wahllokale_adressen.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _building(row: dict) -> Point:
    return Point(float(row["lon"]), float(row["lat"]), srid=4326).transform(25832, clone=True)


def _keyed(buildings: list[dict]) -> list[tuple[dict, Street, Point]]:
    """Rows with the city's street key whose street carries the written name (not a corner
    building filed under its other street)."""
    streets = {
        s.code: s
        for s in Street.objects.filter(
            source="koeln-strassen", code__in=[r["street_code"] for r in buildings]
        )
    }
    out = []
    for row in buildings:
        street = streets.get(row["street_code"])
        name = _ADDRESS.match(row["address"])["street"]
        if street is not None and street.name_key == normalize_street(name):
            out.append((row, street, _building(row)))
    return out


def test_reverse_geocoding_at_real_buildings_names_their_street(buildings):
    cases = _keyed(buildings)
    assert len(cases) >= 230
    near = [(street, at) for _, street, at in cases if street.geom.distance(at) < 40]
    right = sum(
        selectors.geocode_reverse(point=at).street_id == street.pk for _, street, at in cases
    )
    right_near = sum(
        selectors.geocode_reverse(point=at).street_id == street.pk for street, at in near
    )
    # Bench: 78 % of all, 96 % of the buildings within 40 m of their street's line (schools set
    # far back from the street are nearer another street; the other bench's pins are 5-20 m).
    assert right / len(cases) >= 0.70
    assert right_near / len(near) >= 0.90


def test_searched_real_addresses_land_near_the_building_along_the_street(buildings):
    cases = _keyed(buildings)[::4]
    along = []
    for row, street, at in cases:
        hits = selectors.geocode_search(query=f"{row['address']}, {row['postcode']} Köln").hits
        hit = next((h for h in hits if h.street_id == street.pk), None)
        assert hit is not None, row["address"]
        assert hit.precision == "interpolated", row["address"]
        placed = Point(hit.lon, hit.lat, srid=4326).transform(25832, clone=True)
        line = min(street.geom, key=lambda part: part.distance(at))
        along.append(abs(line.project(at) - line.project(placed)))
    # Bench: 25.8 m median along the street over all 255.
    assert statistics.median(along) <= 40


# Street-front positions, no street key (the expected street is the register street of the
# written name nearest the position): Köln's public defibrillators, most in Sparkasse branches, at
# the OpenStreetMap node mapped at the building; public charging points (Ladesäulenregister), in
# the parking lane in front of their address. Floors per set: (reverse street right of all, of
# the positions within 20 m of the line; forward median distance, share within 30 m).
STREET_FRONT = {
    # Bench (both halves): 74.5 %, 90.5 %; 15.8 m, 71.7 % of 106.
    "koeln_defis_adressen.csv": (0.65, 0.80, 30, 0.55),
    # Bench (both halves): 79.0 %, 89.7 %; 36.4 m, 42.8 % of 173 (an address given to a
    # charging point is the nearest house's, often loosely).
    "koeln_ladesaeulen_adressen.csv": (0.70, 0.80, 50, 0.30),
}


def _street_front(fixtures_dir, name: str) -> list[tuple[dict, Street, Point]]:
    with (fixtures_dir / "koeln" / name).open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = []
    for row in rows:
        at = _building(row)
        key = normalize_street(_ADDRESS.match(row["address"])["street"])
        near = [s for s in Street.objects.filter(name_key=key) if s.geom.distance(at) <= 300]
        street = min(near, key=lambda s: s.geom.distance(at), default=None)
        if street is not None:
            out.append((row, street, at))
    return out


@pytest.mark.parametrize("name", STREET_FRONT)
def test_reverse_geocoding_at_street_front_positions_names_their_street(fixtures_dir, name):
    cases = _street_front(fixtures_dir, name)
    assert len(cases) >= 100
    named = [
        (selectors.geocode_reverse(point=at).street_id == street.pk, street.geom.distance(at))
        for _, street, at in cases
    ]
    near = [right for right, off_line in named if off_line < 20]
    floor_all, floor_near, _, _ = STREET_FRONT[name]
    assert sum(right for right, _ in named) / len(named) >= floor_all
    assert sum(near) / len(near) >= floor_near


@pytest.mark.parametrize("name", STREET_FRONT)
def test_searched_street_front_addresses_land_near_their_position(fixtures_dir, name):
    cases = _street_front(fixtures_dir, name)[::2]
    distances = []
    for row, street, at in cases:
        postcode = f"{row['postcode']} " if row["postcode"] else ""
        hits = selectors.geocode_search(query=f"{row['address']}, {postcode}Köln").hits
        hit = next((h for h in hits if h.street_id == street.pk), None)
        if hit is not None and hit.precision == "interpolated":
            placed = Point(hit.lon, hit.lat, srid=4326).transform(25832, clone=True)
            distances.append(placed.distance(at))
    _, _, median_max, within_min = STREET_FRONT[name]
    assert len(distances) >= 0.95 * len(cases)
    assert statistics.median(distances) <= median_max
    assert sum(d <= 30 for d in distances) / len(distances) >= within_min


# Citizens' pins from Köln's Mängelmelder "Sag's uns" (Open311), each with the address the city's
# own system gave it: "Schillerstr. 1, 50858 Köln - Weiden", from 2023 "50823 Köln - Ehrenfeld,
# Subbelrather Str. 167", or a street alone, "Europaring, Köln". The expected street is the
# register street of that name, the one in the city's quarter where the name is in several.
_SAGSUNS_STREET = re.compile(
    r"^(?:\d{5} Köln(?: - (?P<quarter_before>[^,]+))?, )?(?P<street>.*?\D)\s*(?:\d+\s*[a-zA-Z]?)?"
    r"(?:, \d{5} Köln(?: - (?P<quarter_after>.+))?| \((?P<quarter_parens>[^()]+)\), Köln|, Köln)?$"
)


def _sagsuns(fixtures_dir) -> list[tuple[Point, Street, str]]:
    with (fixtures_dir / "koeln/koeln_sagsuns_pins.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = []
    for row in rows:
        match = _SAGSUNS_STREET.match(" ".join(row["address"].split()))
        quarter = next((q for q in match.group(
            "quarter_before", "quarter_after", "quarter_parens") if q), "")
        at = Point(float(row["long"]), float(row["lat"]), srid=4326).transform(25832, clone=True)
        named = list(Street.objects.filter(name_key=normalize_street(match["street"]))
                     .select_related("quarter"))
        in_quarter = [s for s in named if s.quarter and s.quarter.name == quarter]
        named = in_quarter if len(named) > 1 and in_quarter else named
        street = min(named, key=lambda s: s.geom.distance(at), default=None)
        if street is not None and street.geom.distance(at) <= 300:
            out.append((at, street, quarter))
    return out


def test_reverse_geocoding_at_citizens_pins_names_the_citys_street_and_quarter(fixtures_dir):
    cases = _sagsuns(fixtures_dir)
    assert len(cases) >= 190
    street_right, near, quarter_right, with_quarter = 0, [], 0, 0
    for at, street, quarter in cases:
        result = selectors.geocode_reverse(point=at)
        right = result is not None and result.street_id == street.pk
        street_right += right
        if street.geom.distance(at) < 20:
            near.append(right)
        if quarter and result is not None:
            with_quarter += 1
            ours = selectors.area_covering(point=result.point, kind="quarter")
            quarter_right += ours is not None and ours.name == quarter
    # Bench (both halves, 199 pins): street right 74.4 %, 84.1 % of the pins within 20 m of the
    # city's street; quarter right 96.4 %.
    assert street_right / len(cases) >= 0.65
    assert sum(near) / len(near) >= 0.75
    assert quarter_right / with_quarter >= 0.90
