"""Reverse and forward geocoding against REAL Köln building positions.

The other reverse-geocoding bench (`geoportal_reverse_geocode.py`) builds its pins from the
segment register itself, because Köln publishes no address points the project could load. This
one tests against positions the city placed independently of the register's ranges: the
polling stations (Wahllokale) of 2013 and 2014, each with its address and the city's
coordinate for that address (the 2014 file carries the city's address key, AD_NUMMER, whose
first five digits are the street's key in the register). 323 distinct addresses, mostly
schools and public buildings, spread over all nine districts; they are a real but not a
random sample of Köln's houses (big plots, address points often set back from the street).

Source: offenedaten-koeln.de, "Wahllokale" (2013 and 2014-05-13 files), via the KoelnAPI/data
collection (data/geo-base/wahllokale/_source); CC BY, Stadt Köln. Derived fixture:
`fixtures/koeln/koeln_wahllokale_adressen.csv` (address, postcode, street key where the file
gives one, WGS84 lon/lat from the files' EPSG:3857 coordinates, year of the file).

For each address:

* reverse: `geocode_reverse` at the building's position. Expected: the address's street (by
  the city's street key; for 2013-only rows, the register street of that name nearest the
  building) and its house number within ±4 with the same parity ("10-26": within 6..30).
* forward: `geocode_search("<address>, <postcode> Köln")`; the first hit's distance to the
  building: median, p90, share within 30 m, over the hits that are interpolated house numbers
  on the right street (the others are counted apart). Also the part of that distance along
  the street (both points projected on the street line): the interpolation's own error, apart
  from how far the building stands back from the street, which no interpolation can know.
* namesakes: the addresses on a street whose name the register has in several quarters; how
  many the search places on the right street *and sure* (a form takes the hit without asking)
  thanks to the postcode in the query, how many it asks about, how many it gets wrong.

Both are also split by how far the building stands from its street's centre line (the
constructed pins of the other bench stand 5-20 m off it).

The addresses are split in two halves by a hash of the address (sha256, even: TUNING, odd:
TEST), fixed before any change was tried. Changes to the interpolation are chosen looking at
the tuning half only: the bench lists that half's misses one by one and gives only totals for
the frozen test half, whose figures are the ones to quote. (Until 2026-12-01 16:00 UTC nothing
of the geocoder was chosen on either half.)

Two more sets of real positions, of ordinary street-front buildings (`--set`), split by the
same sha256 rule before anything was run on them, run once and never used to choose anything:

* `defis`: Köln's public defibrillators (AED) as collected by the KoelnAPI/data project
  (data/health/aed/aed.csv, 2014-2016; addresses from defiköln and the city's AED list,
  positions the OpenStreetMap nodes the collectors mapped at each building): 106 addresses with
  a house number and a position, 81 of them Sparkasse branches. Derived fixture
  `fixtures/koeln/koeln_defis_adressen.csv` (public domain as collected; positions © OpenStreetMap
  contributors, ODbL). Most rows have no postcode: the query is then "<address>, Köln".
* `tankstellen`: Köln's fuel stations as reported to the Markttransparenzstelle für
  Kraftstoffe (MTS-K) and published by Tankerkönig: the stations file of 2024-08-08
  (stations/2024/08/2024-08-08-stations.csv in the public mirror github.com/mpldr/tankpreise_data,
  sha256 096095bd…2f45; columns street, house_number, post_code, city, latitude, longitude).
  The collection's licence is CC BY-NC-SA 4.0, so nothing of it is committed: the bench reads
  the file from a path (`--set tankstellen PATH`) and picks the rows whose city is Köln, one
  per address: 113, of which 7 name a street the register spells otherwise.

* `ladesaeulen`: public charging points of the Bundesnetzagentur's Ladesäulenregister (CC BY
  4.0), from an extract of Köln's rows (292 rows, commissioned up to 2022) in the public
  repository github.com/imke-schwenke/Bachelor_Seminar (Ladesaeulenregister.csv, July 2022):
  189 addresses with a house number (five "0" left out), 235 of the rows RheinEnergie's
  kerbside points. The position is the operator's report of the charging point, mostly in a
  parking lane in front of the address, so the nearest to a citizen's pin of all the sets.
  Derived fixture `fixtures/koeln/koeln_ladesaeulen_adressen.csv`.

For these three no source gives the city's street key: the expected street is the register
street of the written name nearest the building (as for the 2013 Wahllokale rows); names the
register spells otherwise ("Berg. Gladbacher Str.") or whose position lies more than 300 m from
any street of that name (a wrong coordinate in the source) are listed and left out, not guessed.

Where else was looked (2026-12-01) for street-front Köln positions: the full Ladesäulenregister
(only as xlsx, in OpenChargingCommunity/WWCP_BNetzA, not read), the
KoelnAPI/data OSM POI extracts (names only, no addresses), Köln's address points (KoelnAPI/data
geo-base/adressen: the .shp/.dbf are over the tool's 4 MiB limit, absent from the snapshot).

A fifth set, `sagsuns`, holds citizens' pins, not buildings: 199 requests to Köln's Mängelmelder
"Sag's uns" (Open311, 2016 and 2023 dumps, `fixtures/koeln/koeln_sagsuns_pins.csv`), each with
the address the city's own system gave the pin. That address is the reference: a real pin and
the answer of a geocoder that has the city's address points. Expected street: the register
street of the city's name, in the quarter the city names where the name is in several quarters,
else the nearest of that name; none (listed, left out) where the register has no such name or it
lies more than 300 m from the pin. Measured: reverse street right, house number within ±4 of the
city's (same parity; the rows with a number), and quarter right (the quarter our answer's point
lies in vs the city's), by the pin's distance from that street. No forward search: the address
is derived from the pin, not a position of its own. Split by sha256 of the request id (even:
tuning), fixed 2026-12-01 before anything ran on it; `--tuning-only` measures the tuning half
alone, so tuning never needs to run the frozen half.

Run: `python bench/geoportal_real_addresses.py [--set wahllokale|defis|tankstellen|ladesaeulen|
sagsuns] [--tuning-only] [path]`.
"""

import argparse
import csv
import hashlib
import re
import statistics
import time
from pathlib import Path

import _django  # noqa: F401
from django.contrib.gis.geos import Point

from geoportal.models import AreaKind, Street
from geoportal.selectors import (
    Precision,
    area_covering,
    geocode_reverse,
    geocode_search,
    postcode_code_at,
    search_hit_is_sure,
)
from geoportal.text import expand_abbreviations, normalize_street

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures/koeln"
SETS = {  # set name -> its default input (None: the licence keeps it out of the repository)
    "wahllokale": FIXTURES / "koeln_wahllokale_adressen.csv",
    "defis": FIXTURES / "koeln_defis_adressen.csv",
    "tankstellen": None,
    "ladesaeulen": FIXTURES / "koeln_ladesaeulen_adressen.csv",
    "sagsuns": FIXTURES / "koeln_sagsuns_pins.csv",
}
_ADDRESS = re.compile(
    r"^(?P<street>.*?\D)\s*(?P<number>\d+)\s*(?P<suffix>[a-zA-Z])?(?:\s*-\s*(?P<to>\d+))?\s*$"
)
NEAR_M = 300  # a 2013-only row's street of that name must pass this near its building
TUNING, TEST = "tuning", "test"
BANDS = ((0, 20), (20, 40), (40, 60), (60, 10**6))  # building to its street's line, metres


# The house number as the fuel stations' files write it ("427-", "521B/ Lü", "140/S", " 388-392"):
# its leading number, a letter that stands alone, a range's end.
_NUMBER = re.compile(r"^\s*(\d+)\s*([a-zA-Z](?![a-zA-Z]))?(?:\s*-\s*(\d+))?")
_NUMBER_AT_END = re.compile(r"^(?P<street>.*?\D)\s*(?P<number>\d+\s*[a-zA-Z]?(?:\s*-\s*\d*)?)\s*$")


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def fuel_station_rows(path: Path) -> list[dict]:
    """Köln's stations from a Tankerkönig stations file, one row per address, in file order.

    Some stations write the number into the street column ("ROESRATHER STR. 89"); motorway
    stations without a number ("A59 Schloss Roettgen Ost") are left out. The spelling is kept
    as written (capitals, "Strasse"): that is what the search is asked.
    """
    out, seen = [], set()
    for row in rows(path):
        if not re.search(r"k(ö|oe)ln", row["city"], re.IGNORECASE):
            continue
        street, number = row["street"].strip(), row["house_number"].strip()
        if not number:
            match = _NUMBER_AT_END.match(street)
            if match is None:
                continue
            street, number = match["street"].strip(), match["number"]
        match = _NUMBER.match(number)
        if match is None:
            continue
        number = match[1] + (match[2] or "") + (f"-{match[3]}" if match[3] else "")
        key = (normalize_street(street), number.lower())
        if key in seen:  # the file lists some stations twice, under two brands or spellings
            continue
        seen.add(key)
        out.append(
            {
                "address": f"{street} {number}",
                "postcode": row["post_code"].strip(),
                "street_code": "",
                "lon": row["longitude"],
                "lat": row["latitude"],
            }
        )
    return out


def query(row: dict) -> str:
    """What a citizen types: the address, its postcode where the source gives one, the city."""
    postcode = f"{row['postcode']} " if row["postcode"] else ""
    return f"{row['address']}, {postcode}Köln"


def expected_street(row: dict, name: str, at: Point) -> Street | None:
    key = normalize_street(name)
    if row.get("street_code"):
        street = Street.objects.filter(source="koeln-strassen", code=row["street_code"]).first()
        # The key names the street the city files the address under; where that is another
        # street than the one written (a corner building), the written one is what a pin and
        # a search are measured against.
        if street is not None and street.name_key == key:
            return street
    # 2013 rows have no street key: the register street of that name nearest the building
    # (names repeat across quarters; the nearest one is the one the address is on).
    candidates = [s for s in Street.objects.filter(name_key=key) if s.geom.distance(at) <= NEAR_M]
    return min(candidates, key=lambda s: s.geom.distance(at), default=None)


def number_close(got: str, low: int, high: int) -> bool:
    if not got.isdigit():
        return False
    n = int(got)
    return low - 4 <= n <= high + 4 and (n - low) % 2 == 0


def along(street: Street, a: Point, b: Point) -> float:
    """How far apart a and b lie along the part of the street nearest to a."""
    parts = list(street.geom) if street.geom.geom_type == "MultiLineString" else [street.geom]
    part = min(parts, key=lambda line: line.distance(a))
    return abs(part.project(a) - part.project(b))


def band(metres: float) -> str:
    low, high = next((lo, hi) for lo, hi in BANDS if lo <= metres < hi)
    return f"{low}-{high} m" if high < 10**6 else f">= {low} m"


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def half(address: str) -> str:
    """TUNING or TEST, fixed by the address's hash: the split does not depend on any result."""
    return TUNING if int(hashlib.sha256(address.encode()).hexdigest(), 16) % 2 == 0 else TEST


def timed_reverse(at: Point, times: list[float]):
    """The reverse answer at a position and how it reads; its time is added to `times`."""
    started = time.perf_counter()
    result = geocode_reverse(point=at)
    times.append(time.perf_counter() - started)
    return result, f"{result.label} ({result.precision})" if result is not None else "nothing"


def measure(cases: list) -> dict:
    by_band = {band(lo): [0, 0, 0] for lo, _ in BANDS}  # cases, street right, number close
    forward = []  # (distance, along the street, address, band)
    forward_other = {"asked": 0, "wrong street": 0, "street only": 0, "no hit": 0}
    namesakes = {"addresses": 0, "right and sure": 0, "asked": 0, "wrong and sure": 0}
    times = []
    misses = []  # (address, what went wrong), shown for the tuning half only
    # The address's own postcode: the postcode area at the building, and the reverse answer's
    # postcode where its street is right (with a postcode, right).
    postcodes = {"at the building": [0, 0], "reverse answer": [0, 0]}
    for row, street, at, low, high, off_line in cases:
        counts = by_band[band(off_line)]
        counts[0] += 1
        result, got = timed_reverse(at, times)
        if row.get("postcode"):
            postcodes["at the building"][0] += 1
            postcodes["at the building"][1] += postcode_code_at(point=at) == row["postcode"]
        if result is not None and result.street_id == street.pk:
            counts[1] += 1
            if row.get("postcode"):
                postcodes["reverse answer"][0] += 1
                postcodes["reverse answer"][1] += result.postcode == row["postcode"]
            close = number_close(result.house_number, low, high)
            counts[2] += close
            if not close:
                misses.append((row["address"], f"reverse, {off_line:.0f} m off the line: {got}"))
        else:
            misses.append((row["address"], f"reverse street, {off_line:.0f} m off the line: {got}"))

        result = geocode_search(query=query(row))
        hits = result.hits
        if Street.objects.filter(name_key=street.name_key).exclude(pk=street.pk).exists():
            namesakes["addresses"] += 1
            sure = search_hit_is_sure(result=result)
            right = bool(hits) and hits[0].street_id == street.pk
            namesakes["right and sure" if sure and right else "wrong and sure" if sure
                      else "asked"] += 1
        if not hits:
            forward_other["no hit"] += 1
            misses.append((row["address"], "forward: no hit"))
            continue
        hit = hits[0]
        # Where the search still gives equal hits for a name in several quarters, the form
        # asks which one; the citizen picks the right one, so that one is measured, and
        # counted apart.
        tied = [h for h in hits if h.confidence == hit.confidence]
        if hit.street_id != street.pk and len(tied) > 1:
            hit = next((h for h in tied if h.street_id == street.pk), hit)
            forward_other["asked"] += hit.street_id == street.pk
        if hit.street_id != street.pk:
            forward_other["wrong street"] += 1
            misses.append((row["address"], f"forward: wrong street {hit.label}"))
        elif hit.precision != Precision.INTERPOLATED:
            forward_other["street only"] += 1
            misses.append((row["address"], f"forward: street only {hit.label}"))
        else:
            placed = Point(hit.lon, hit.lat, srid=4326).transform(25832, clone=True)
            distance, on_street = placed.distance(at), along(street, at, placed)
            forward.append((distance, on_street, row["address"], band(off_line)))
            if distance > 30:
                misses.append(
                    (row["address"], f"forward: {distance:.0f} m from the building, "
                     f"{on_street:.0f} m along the street, building {off_line:.0f} m off the line")
                )
    return {
        "n": len(cases), "by_band": by_band, "forward": forward, "other": forward_other,
        "times": times, "misses": misses, "off": [c[5] for c in cases],
        "namesakes": namesakes, "postcodes": postcodes,
    }


def report(name: str, m: dict, *, detail: bool) -> None:
    n, by_band, forward = m["n"], m["by_band"], m["forward"]
    right = sum(c[1] for c in by_band.values())
    close = sum(c[2] for c in by_band.values())
    print(f"== {name}: {n} addresses")
    print(
        f"  building to its street's centre line: median {statistics.median(m['off']):.1f} m, "
        f"p90 {quantile(m['off'], 0.9):.1f} m"
    )
    print("  reverse geocoding at the building position:")
    print(f"    street right {right / n:.1%} ({right}/{n}, target >= 90 %)")
    print(f"    house number within ±4, same parity {close / n:.1%} ({close}/{n})")
    for band_name, (count, good, near) in by_band.items():
        if count:
            print(
                f"      building {band_name} from the line: {count} addresses, street right "
                f"{good / count:.1%}, number within ±4 {near / count:.1%}"
            )
    print(
        f"    {statistics.median(m['times']) * 1000:.1f} ms median, "
        f"{quantile(m['times'], 0.95) * 1000:.1f} ms p95 per lookup"
    )
    print("  postcode right (the source's postcode): " + ", ".join(
        f"{k} {good / of:.1%} ({good}/{of})" for k, (of, good) in m["postcodes"].items() if of))
    other = dict(m["other"])
    print("  forward search '<address>, <postcode> Köln', first hit vs the building:")
    print(
        f"    interpolated on the right street: {len(forward)}/{n} (of them picked among equal "
        f"hits for one name in several quarters, as the form asks: {other.pop('asked')}"
        "); " + ", ".join(f"{k}: {v}" for k, v in other.items())
    )
    print(
        "    namesakes (a street name in several quarters; the postcode should choose): "
        + ", ".join(f"{k} {v}" for k, v in m["namesakes"].items())
    )
    if not forward:
        return
    for label, values in (
        ("distance", [f[0] for f in forward]),
        ("along the street", [f[1] for f in forward]),
    ):
        within = sum(v <= 30 for v in values)
        print(
            f"    {label}: median {statistics.median(values):.1f} m, "
            f"p90 {quantile(values, 0.9):.1f} m, within 30 m {within / len(values):.1%} "
            f"({within}/{len(values)})"
        )
    for band_name in by_band:
        values = [f[0] for f in forward if f[3] == band_name]
        if values:
            within = sum(v <= 30 for v in values)
            print(
                f"      building {band_name} from the line: {len(values)} hits, distance median "
                f"{statistics.median(values):.1f} m, within 30 m {within / len(values):.1%}"
            )
    if detail:
        print(f"  misses ({len(m['misses'])}):")
        for address, what in sorted(m["misses"]):
            print(f"    {address}: {what}")


def venloer(cases: list) -> None:
    """The issue's example street: each of its addresses in the set, where the search puts it.

    Named one by one in either half (the issue asks for this street by name); nothing is chosen
    on them.
    """
    key = normalize_street("Venloer Straße")
    for row, street, at, _, _, off_line in cases:
        if street.name_key != key:
            continue
        hits = geocode_search(query=query(row)).hits
        hit = hits[0] if hits else None
        if hit is None:
            what = "no hit"
        elif hit.street_id != street.pk:
            what = f"wrong street first: {hit.label}"
        elif hit.precision != Precision.INTERPOLATED:
            what = f"street only: {hit.label}"
        else:
            placed = Point(hit.lon, hit.lat, srid=4326).transform(25832, clone=True)
            what = (
                f"{hit.label}: {placed.distance(at):.0f} m from the position, "
                f"{along(street, at, placed):.0f} m along the street"
            )
        print(
            f"  Venloer Straße: '{query(row)}' ({half(row['address'])} half, position "
            f"{off_line:.0f} m off the line): {what}"
        )


# ---------------------------------------------------------------- Sag's uns: citizens' pins
#
# The city's address for a pin, in the three shapes its Open311 feed has used: "Schillerstr. 1,
# 50858 Köln - Weiden" (to 2023), "50823 Köln - Ehrenfeld, Subbelrather Str. 167" (from 2023,
# also without the quarter: "51143 Köln, Rosenhügel 114"), and a street alone where the pin is
# not at a house: "Europaring, Köln", "Geyergasse (Altstadt/Nord), Köln".
_NUMBER_PART = r"(?P<number>\d+)\s*(?P<suffix>[a-zA-Z])?"
_SAGSUNS_SHAPES = (
    re.compile(
        r"^(?P<street>.*?\D)\s*" + _NUMBER_PART
        + r"\s*,\s*(?P<postcode>\d{5})\s+Köln(?:\s*-\s*(?P<quarter>.+?))?\s*$"
    ),
    re.compile(
        r"^(?P<postcode>\d{5})\s+Köln(?:\s*-\s*(?P<quarter>[^,]+?))?\s*,\s*(?P<street>.*?\D)"
        r"(?:\s*" + _NUMBER_PART + r")?\s*$"
    ),
    re.compile(r"^(?P<street>[^,(]+?)\s*(?:\((?P<quarter>[^()]+)\))?\s*,\s*Köln\s*$"),
)


def sagsuns_address(text: str) -> dict | None:
    """The city's address split into street (abbreviations written out as the register spells
    them), house number ("9a": 9 and "a"; "0", which the feed gives for a pin between houses,
    counts as none), postcode and quarter; None for a shape not seen before."""
    for shape in _SAGSUNS_SHAPES:
        match = shape.match(" ".join(text.split()))
        if match is None:
            continue
        parts = match.groupdict()
        number = int(parts.get("number") or 0)
        return {
            "street": expand_abbreviations(parts["street"].strip()),
            "number": number or None,
            "suffix": (parts.get("suffix") or "").lower(),
            "postcode": parts.get("postcode") or "",
            "quarter": (parts.get("quarter") or "").strip(),
        }
    return None


def sagsuns_street(address: dict, at: Point) -> tuple[Street | None, str]:
    """The register street the city's address names, and why none where there is none.

    Where the name is in the register in several quarters, the one in the quarter the city
    names (that is what the quarter is for); where it names none of them, or one quarter only
    has the name, the nearest of that name. Never guessed beyond NEAR_M from the pin."""
    named = list(Street.objects.filter(name_key=normalize_street(address["street"]))
                 .select_related("quarter"))
    if not named:
        return None, "not in the register"
    quarter_key = normalize_street(address["quarter"])
    in_quarter = [s for s in named if s.quarter and normalize_street(s.quarter.name) == quarter_key]
    how = "one of that name"
    if len(named) > 1:
        how = "by the city's quarter" if in_quarter else "nearest of several"
        named = in_quarter or named
    street = min(named, key=lambda s: s.geom.distance(at))
    if street.geom.distance(at) > NEAR_M:
        return None, f"{street.geom.distance(at):.0f} m from the pin"
    return street, how


def sagsuns_cases(path: Path) -> tuple[dict, list]:
    cases, skipped, chosen = {TUNING: [], TEST: []}, [], {}
    for row in rows(path):
        address = sagsuns_address(row["address"])
        at = Point(float(row["long"]), float(row["lat"]), srid=4326).transform(25832, clone=True)
        street, why = sagsuns_street(address, at) if address else (None, "address not parsed")
        if street is None:
            skipped.append(f"{row['id']} {row['address']} ({why})")
            continue
        chosen[why] = chosen.get(why, 0) + 1
        # Split by the request id, fixed before anything ran on the set (2026-12-01).
        cases[half(row["id"])].append((row, address, street, at, street.geom.distance(at)))
    return cases, skipped, chosen


def measure_pins(cases: list) -> dict:
    # per band: pins, street right, pins with a number, number close, with a quarter, quarter right
    by_band = {band(lo): [0, 0, 0, 0, 0, 0] for lo, _ in BANDS}
    times, misses = [], []
    postcodes = [0, 0]  # right street and the city gives a postcode; ours the same
    for row, address, street, at, off_line in cases:
        counts = by_band[band(off_line)]
        counts[0] += 1
        result, got = timed_reverse(at, times)
        wrong = []
        if result is not None and result.street_id == street.pk:
            counts[1] += 1
            if address["postcode"]:
                postcodes[0] += 1
                postcodes[1] += result.postcode == address["postcode"]
        else:
            # How near the pin the answer's street runs: about as near as the city's street
            # is a corner; much nearer, a pin on another (often a main) road.
            other = Street.objects.filter(pk=result.street_id).first() if result else None
            far = f" {other.geom.distance(at):.0f} m from the pin" if other else ""
            wrong.append(f"street (answer's street{far}; expected {street.label or street.name})")
        if address["number"]:
            counts[2] += 1
            # "9a" and "9" are the same plot for ±4: the letter is left out on both sides.
            ours = re.match(r"\d+", result.house_number) if result is not None else None
            right = ours is not None and result.street_id == street.pk and number_close(
                ours[0], address["number"], address["number"])
            counts[3] += right
            if not right and not wrong:
                wrong.append("number")
        if address["quarter"] and result is not None:
            counts[4] += 1
            ours = area_covering(point=result.point, kind=AreaKind.QUARTER)
            same = ours is not None and normalize_street(ours.name) == normalize_street(
                address["quarter"])
            counts[5] += same
            if not same:
                wrong.append(f"quarter {ours.name if ours else '-'}")
        if wrong:
            misses.append((row["id"], f"{row['address']} (pin {off_line:.0f} m off the line): "
                           f"{got}; wrong: {', '.join(wrong)}"))
    return {"n": len(cases), "by_band": by_band, "times": times, "misses": misses,
            "off": [c[4] for c in cases], "postcodes": postcodes}


def report_pins(name: str, m: dict, *, detail: bool) -> None:
    n = m["n"]
    total = [sum(c[i] for c in m["by_band"].values()) for i in range(6)]
    print(f"== {name}: {n} pins")
    if not n:
        return
    print(f"  pin to the city's street's centre line: median {statistics.median(m['off']):.1f} m,"
          f" p90 {quantile(m['off'], 0.9):.1f} m")

    def share(good: int, of: int) -> str:
        return f"{good / of:.1%} ({good}/{of})" if of else "-"

    print(f"  reverse at the pin: street right {share(total[1], total[0])} (target >= 90 %); "
          f"house number within ±4, same parity {share(total[3], total[2])} of the pins the city "
          f"gives a number; quarter right {share(total[5], total[4])} of the pins it names one for")
    for band_name, counts in m["by_band"].items():
        if counts[0]:
            print(f"    pin {band_name} from the line: {counts[0]} pins, street right "
                  f"{share(counts[1], counts[0])}, number {share(counts[3], counts[2])}, "
                  f"quarter {share(counts[5], counts[4])}")
    print(f"    {statistics.median(m['times']) * 1000:.1f} ms median, "
          f"{quantile(m['times'], 0.95) * 1000:.1f} ms p95 per lookup")
    of, good = m["postcodes"]
    print(f"  postcode right where the street is right: {share(good, of)} (the postcode areas"
          " of 1999 at our house's point against the city's postcode)")
    if detail:
        print(f"  misses ({len(m['misses'])}):")
        for request, what in sorted(m["misses"]):
            print(f"    {request} {what}")


def main_sagsuns(path: Path, *, tuning_only: bool) -> None:
    cases, skipped, chosen = sagsuns_cases(path)
    print(f"Sag's uns pins with the city's address ({path.name}): "
          f"{sum(map(len, cases.values()))} pins, tuning {len(cases[TUNING])}, test "
          f"{len(cases[TEST])}; expected street: "
          + ", ".join(f"{how} {n}" for how, n in sorted(chosen.items()))
          + f"; left out ({len(skipped)}):")
    for line in skipped:
        print(f"  {line}")
    report_pins("TUNING half (sha256(request id) even)", measure_pins(cases[TUNING]), detail=True)
    if not tuning_only:
        # The frozen half: totals only, never row by row.
        report_pins("TEST half (frozen, totals only)", measure_pins(cases[TEST]), detail=False)


def main(set_name: str, path: Path) -> None:
    skipped = []
    cases = {TUNING: [], TEST: []}
    for row in fuel_station_rows(path) if set_name == "tankstellen" else rows(path):
        match = _ADDRESS.match(row["address"])
        at = Point(float(row["lon"]), float(row["lat"]), srid=4326).transform(25832, clone=True)
        street = expected_street(row, match["street"], at) if match else None
        if street is None:
            skipped.append(row["address"])
            continue
        low = int(match["number"])
        high = int(match["to"] or low)
        cases[half(row["address"])].append((row, street, at, low, high, street.geom.distance(at)))

    print(
        f"real Köln building positions, set {set_name}: {sum(map(len, cases.values()))} addresses "
        f"({path.name}); no register street of that name within {NEAR_M} m: "
        f"{', '.join(skipped) or '-'}"
    )
    tuning, test = measure(cases[TUNING]), measure(cases[TEST])
    # Only the tuning half's addresses are shown: the test half stays unseen, totals only.
    report("TUNING half (sha256(address) even)", tuning, detail=True)
    report("TEST half (frozen, totals only)", test, detail=False)
    both = {
        "n": tuning["n"] + test["n"],
        "by_band": {
            k: [a + b for a, b in zip(tuning["by_band"][k], test["by_band"][k], strict=True)]
            for k in tuning["by_band"]
        },
        "forward": tuning["forward"] + test["forward"],
        "other": {k: tuning["other"][k] + test["other"][k] for k in tuning["other"]},
        "times": tuning["times"] + test["times"], "misses": [], "off": tuning["off"] + test["off"],
        "namesakes": {k: tuning["namesakes"][k] + test["namesakes"][k]
                      for k in tuning["namesakes"]},
        "postcodes": {k: [a + b for a, b in zip(tuning["postcodes"][k], test["postcodes"][k],
                                                 strict=True)] for k in tuning["postcodes"]},
    }
    report("both halves", both, detail=False)
    venloer(cases[TUNING] + cases[TEST])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=SETS, default="wahllokale", dest="set_name")
    parser.add_argument("path", nargs="?", type=Path, help="the set's input (default: its fixture)")
    parser.add_argument(
        "--tuning-only", action="store_true",
        help="sagsuns: measure the tuning half only (the frozen test half is run once, to quote)",
    )
    args = parser.parse_args()
    source = args.path or SETS[args.set_name]
    if source is None:
        parser.error(f"--set {args.set_name} needs the path of its input file")
    if args.set_name == "sagsuns":
        main_sagsuns(source, tuning_only=args.tuning_only)
    else:
        main(args.set_name, source)
