"""How far two readers agree on the real titles (README, "Second reading").

Compares the first reading (the label in `real_koeln.tsv`) with the blind second reading in
`readings.tsv`, as compiled into `labelled.json`, per split:

- status (place / none / ambiguous): share agreeing and Cohen's kappa;
- the whole label (every place with its kind, quarter, number and cross streets): share equal;
- streets, counted as the bench counts them (a crossing's streets, a stretch's and an address's
  street; the quarter where given): the second reading's streets that the first has too, and
  the first's that the second has too. Two readers' street "precision" against each other is
  what a placer can hope for at best, measured against one of them.

    python tests/councilmap/data/eval/agreement.py [--against adjudicated] [--list]

`--list` prints each disagreement (title, both labels); use it only for adjudication, which is
done by a reader who does not run the placer.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from shapely import wkt as shapely_wkt

HERE = Path(__file__).resolve().parent
STREET_TOL_M = 100  # as the bench: a street within 100 m of the labelled quarter's row


def _place_key(place: dict) -> tuple:
    return (place["kind"], place.get("name"), place.get("quarter") or "",
            place.get("house_number") or "", tuple(place.get("cross_streets") or ()))


def label_key(reading: dict) -> tuple:
    return reading["status"], tuple(sorted(_place_key(p) for p in reading["places"]))


def streets(reading: dict) -> dict[str, str | None]:
    """name -> the truth of the street meant (None: the name's every row), as the bench counts."""
    found: dict[str, str | None] = {}
    for p in reading["places"]:
        if p["kind"] == "area":
            continue
        tagged = p["kind"] == "street" and p.get("quarter")
        found[p["name"]] = p.get("truth_wkt") if tagged else None
        if p["kind"] == "crossing":
            found.update((n, None) for n in p["cross_streets"])
    return found


def same_street(a: str | None, b: str | None) -> bool:
    """Two readings of one name mean the same street unless both name a quarter's row and the
    rows lie apart: "Langgasse" and "Langgasse@Junkersdorf" are one street when the register
    has one Langgasse; a row tagged by either of two quarters it runs through is one row."""
    if a is None or b is None:
        return True
    first, second = shapely_wkt.loads(a), shapely_wkt.loads(b)
    return first.buffer(STREET_TOL_M).covers(second) or second.buffer(STREET_TOL_M).covers(first)


def kappa(pairs: list[tuple[str, str]]) -> float:
    n = len(pairs)
    if not n:
        return 1.0
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def compare(items: list[dict], other: str) -> dict:
    pairs, equal, both, only_first, only_second = [], 0, 0, 0, 0
    for item in items:
        first = {"status": item["status"], "places": item["places"]}
        second = item["readings"][other]
        pairs.append((first["status"], second["status"]))
        equal += label_key(first) == label_key(second)
        a, b = streets(first), streets(second)
        common = sum(1 for name in a.keys() & b.keys() if same_street(a[name], b[name]))
        both += common
        only_first += len(a) - common
        only_second += len(b) - common
    return {
        "n": len(items), "status": sum(a == b for a, b in pairs) / max(len(pairs), 1),
        "kappa": kappa(pairs), "label": equal / max(len(items), 1),
        "streets_both": both, "streets_first_only": only_first,
        "streets_second_only": only_second,
        "second_in_first": both / max(both + only_second, 1),
        "first_in_second": both / max(both + only_first, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", default="second", choices=["second", "adjudicated"])
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    items = [i for i in json.loads((HERE / "labelled.json").read_text(encoding="utf-8"))
             if i.get("readings")]
    for split in ("tuning", "test", "all"):
        part = [i for i in items if split == "all" or i["split"] == split]
        r = compare(part, args.against)
        print(f"{split:<7} n={r['n']:>3}  status agree {r['status']:.3f} (kappa {r['kappa']:.3f})"
              f"  whole label agree {r['label']:.3f}  streets: both {r['streets_both']},"
              f" first only {r['streets_first_only']}, {args.against} only"
              f" {r['streets_second_only']} ({args.against}'s streets in first"
              f" {r['second_in_first']:.3f}, first's in {args.against} {r['first_in_second']:.3f})")
    if args.list:
        for item in items:
            first = {"status": item["status"], "places": item["places"]}
            if label_key(first) != label_key(item["readings"][args.against]):
                print(f"[{item['id']}] {item['title']!r}: {label_key(first)} | "
                      f"{label_key(item['readings'][args.against])}")


if __name__ == "__main__":
    main()
