"""Evaluation of council-paper placement on the labelled set (tests/councilmap/data/eval/).

Against the dev database with the demo city loaded (`make demo`). For the tuning part and,
separately, the FROZEN test part it prints:

- street level: precision/recall of the streets a paper is placed on. A street counts only if
  its name is right AND, where the label names a quarter (the name exists in several), the
  placed geometry lies within 100 m of that quarter's street: a union across quarters is wrong.
- point level: per paper, the most precise placed geometry (address/crossing/stretch, else the
  street, else the area) must lie within 75 m of the labelled truth (100 m of an area).
  A paper placed that should not be (none / ambiguous) is a false positive; a placeable paper
  not placed (or sent to review) is a false negative.
- the share of papers sent to review, and how many of the labelled-ambiguous ones went there.

    python bench/councilmap_placement.py [--split test|tuning|all] [--stratum real|…]
        [--batch s6-a1|s6|…] [--labels first|second|adjudicated] [-v]

`--batch` keeps the titles of one label batch (`# batch:` lines in real_koeln.tsv; a prefix
such as "s6" takes all of a session's batches). A batch added after the last rule change was
never tuned on: its figures, both parts together, are a fresh held-out measurement.
`--split all` also prints the figures per batch.

`--labels` scores the real titles against their blind second reading or against the third
reader's decision where the two readings differ (`readings.tsv`, eval README "Second reading");
the other strata keep their labels. The default is the first reading, the one every figure
before session 7 was measured on.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402,F401
from django.contrib.gis.geos import GEOSGeometry  # noqa: E402

from councilmap import geocoding  # noqa: E402
from geoportal.models import Area  # noqa: E402
from geoportal.text import normalize_street  # noqa: E402

LABELS = Path(__file__).resolve().parents[1] / "tests/councilmap/data/eval/labelled.json"
SRID = 25832  # the labelled truth is written in the storage CRS
STREET_TOL_M = 100
POINT_TOL_M = 75
AREA_TOL_M = 100
RANK = {"address": 0, "point": 0, "street_section": 1, "street": 2, "area": 3}
LABEL_RANK = {"address": 0, "crossing": 0, "stretch": 1, "street": 2, "area": 3}


def placement(item: dict):
    """(status, places) from the system: status "placed" | "review" | "none"."""
    place = getattr(geocoding, "paper_placement", None)
    if place is None:  # before issue #13: no committee, no review list
        places = geocoding.paper_text_places(name=item["title"], text="")
        return ("placed" if places else "none"), places
    result = place(name=item["title"], text="", committee=item["committee"])
    return result.status, result.places


def _truth(place: dict) -> GEOSGeometry | None:
    if place["kind"] == "area":
        areas = Area.objects.filter(name_key=normalize_street(place["name"]))
        geoms = [a.geom for a in areas]
        if not geoms:
            return None
        union = geoms[0]
        for geom in geoms[1:]:
            union = union.union(geom)
        return union.buffer(AREA_TOL_M)
    if not place.get("truth_wkt"):
        return None
    return GEOSGeometry(place["truth_wkt"], srid=SRID).buffer(POINT_TOL_M)


def _street_names(place) -> list[str]:
    if place.precision == "area":
        return []
    return list(getattr(place, "street_names", ())) or [place.name.split(" zwischen ")[0]]


def score(items: list[dict], verbose: bool = False) -> Counter:
    c: Counter = Counter()
    for item in items:
        status, places = placement(item)
        c["titles"] += 1
        c[f"status_{status}"] += 1
        if item["status"] == "ambiguous" and status == "review":
            c["ambiguous_to_review"] += 1
        c[f"label_{item['status']}"] += 1
        # ---- street level
        expected: dict[str, dict] = {}
        for p in item["places"]:
            if p["kind"] == "crossing":
                for n in [p["name"], *p["cross_streets"]]:
                    expected[n] = {**p, "name": n}
            elif p["kind"] != "area":
                expected[p["name"]] = p
        got = [(n, pl) for pl in (places if status == "placed" else []) for n in _street_names(pl)]
        matched = set()
        for name, pl in got:
            want = expected.get(name)
            ok = want is not None and name not in matched
            if ok and want.get("quarter") and want.get("truth_wkt") and want["kind"] == "street":
                ok = GEOSGeometry(want["truth_wkt"], srid=SRID).buffer(STREET_TOL_M).covers(pl.geom)
            c["street_tp" if ok else "street_fp"] += 1
            if ok:
                matched.add(name)
            elif verbose:
                print(f"  [{item['id']}] street FP {name!r}: {item['title']!r}")
        c["street_fn"] += len(set(expected) - matched)
        missed = sorted(set(expected) - matched)
        if verbose and missed:
            print(f"  [{item['id']}] street FN {missed}: {item['title']!r}")
        # ---- point level
        shown = sorted(places, key=lambda p: RANK.get(p.precision, 9)) if status == "placed" else []
        best = [p for p in shown if RANK.get(p.precision, 9) == RANK.get(shown[0].precision, 9)] \
            if shown else []
        outcome = "-"
        if item["status"] != "place":
            if best:
                c["point_fp"] += 1
                outcome = "FP(should not place)"
        else:
            want = sorted(item["places"], key=lambda p: LABEL_RANK[p["kind"]])
            truths = [t for t in (_truth(p) for p in want
                                  if LABEL_RANK[p["kind"]] == LABEL_RANK[want[0]["kind"]]) if t]
            if not truths:
                c["point_no_truth"] += 1
            elif not best:
                c["point_fn"] += 1
                outcome = "FN(review)" if status == "review" else "FN(not placed)"
            else:
                geom = best[0].geom
                for p in best[1:]:
                    geom = geom.union(p.geom)
                # A paper on two streets or two quarters is placed on both: the union of what
                # is shown must lie within the union of the truths, not inside one of them.
                allowed = truths[0]
                for t in truths[1:]:
                    allowed = allowed.union(t)
                if allowed.covers(geom):
                    c["point_tp"] += 1
                    outcome = "ok"
                else:
                    c["point_fp"] += 1
                    c["point_fn"] += 1
                    outcome = "FP+FN(wrong place)"
        if verbose and outcome not in {"ok", "-"}:
            names = [f"{p.precision}:{p.name}" for p in shown]
            print(f"  [{item['id']}] {outcome}: {item['title']!r} ({item['committee']}) "
                  f"-> {status} {names} | expected {item['status']} "
                  f"{[(p['kind'], p.get('name'), p.get('quarter')) for p in item['places']]}")
    return c


def relabelled(item: dict, reading: str) -> dict:
    """The item with another reading's label, where it has one (real titles only)."""
    other = item.get("readings", {}).get(reading)
    return {**item, **other} if other else item


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def report(label: str, c: Counter) -> None:
    sp = _ratio(c["street_tp"], c["street_tp"] + c["street_fp"])
    sr = _ratio(c["street_tp"], c["street_tp"] + c["street_fn"])
    pp = _ratio(c["point_tp"], c["point_tp"] + c["point_fp"])
    pr = _ratio(c["point_tp"], c["point_tp"] + c["point_fn"])
    print(f"{label:<26} n={c['titles']:>3}  street P={sp:.3f} R={sr:.3f} "
          f"(tp {c['street_tp']} fp {c['street_fp']} fn {c['street_fn']})  "
          f"point P={pp:.3f} R={pr:.3f} (tp {c['point_tp']} fp {c['point_fp']} "
          f"fn {c['point_fn']})  review {c['status_review']}/{c['titles']}"
          f"={_ratio(c['status_review'], c['titles']):.1%} "
          f"(ambiguous→review {c['ambiguous_to_review']}/{c['label_ambiguous']})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="both", choices=["tuning", "test", "both", "all"])
    parser.add_argument("--stratum", default="")
    parser.add_argument("--batch", default="", help="a batch name or its prefix (s6, s6-a)")
    parser.add_argument("--labels", default="first", choices=["first", "second", "adjudicated"])
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    items = [relabelled(i, args.labels) for i in json.loads(LABELS.read_text(encoding="utf-8"))]
    if args.stratum:
        items = [i for i in items if i["stratum"] == args.stratum]
    if args.batch:
        items = [i for i in items if i.get("batch", "").startswith(args.batch)]
    splits = ["tuning", "test"] if args.split == "both" else [args.split]
    for split in splits:
        part = items if split == "all" else [i for i in items if i["split"] == split]
        # Failures are listed for the tuning part only: the test part is looked at as figures.
        report(f"{split} (all strata)", score(part, verbose=args.verbose and split == "tuning"))
        for stratum in ("real", "constructed", "karlsruhe", "tuning_only"):
            sub = [i for i in part if i["stratum"] == stratum]
            if sub and not args.stratum:
                report(f"  {split}/{stratum}", score(sub))
    if args.split == "all":
        for batch in sorted({i.get("batch", "") for i in items}):
            sub = [i for i in items if i.get("batch", "") == batch]
            report(f"batch {batch}", score(sub))
            for stratum in ("real", "constructed", "karlsruhe", "tuning_only"):
                strat = [i for i in sub if i["stratum"] == stratum]
                if strat and len(strat) < len(sub) and not args.stratum:
                    report(f"  batch {batch}/{stratum}", score(strat))


if __name__ == "__main__":
    main()
