"""Benchmark of DB-backed geocoding of council papers (Open.RIS.Map), against the dev database
with the demo loaded (`make bench` loads it).

Prints the share of the Köln demo papers placed (by source and precision), and the time to
geocode 10,000 titles end to end: extraction plus the PostGIS geometry look-up per match
(street union, street section, area polygon), with the gazetteer built from the Street and
Area tables once (its build time is printed separately).

    python bench/councilmap_geocode.py
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402,F401
from councilmap_extraction import SEED, synthetic_titles  # noqa: E402

from councilmap.geocoding import _cache, city_gazetteer, text_places  # noqa: E402
from councilmap.models import Paper, PaperLocation  # noqa: E402

TITLES = 10_000
DEMO_AGS = "05315000"


def demo_share() -> None:
    papers = Paper.objects.filter(body__municipality_code=DEMO_AGS, deleted=False)
    total = papers.count()
    placed = papers.filter(locations__isnull=False).distinct().count()
    if not total:
        print("demo papers: none loaded (run `make demo`)")
        return
    print(f"demo papers placed: {placed}/{total} = {placed / total:.0%}")
    places = PaperLocation.objects.filter(paper__in=papers)
    by = Counter(places.values_list("source", "precision"))
    print("  places by source/precision: " + ", ".join(
        f"{s}/{p} {n}" for (s, p), n in sorted(by.items())))


def timed_titles() -> None:
    _cache.clear()  # cold: gazetteer and geometry cache start empty
    start = time.perf_counter()
    city = city_gazetteer()
    built = time.perf_counter() - start
    print(f"gazetteer from {len(city.street_ids)} street names and {len(city.areas)} areas: "
          f"{built:.2f} s")
    titles = [t["title"] for t in synthetic_titles(city.gazetteer, TITLES, SEED)]
    kinds: Counter = Counter()
    placed = 0
    start = time.perf_counter()
    for title in titles:
        found = text_places(title, city=city)
        placed += bool(found)
        kinds.update(p.precision for p in found)
    elapsed = time.perf_counter() - start
    print(f"{TITLES} titles geocoded end to end in {elapsed:.1f} s "
          f"({elapsed / TITLES * 1000:.2f} ms a title); placed {placed / TITLES:.0%} "
          f"(a third are negatives by construction)")
    print("  places by precision: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    start = time.perf_counter()
    for title in titles:
        text_places(title, city=city)
    warm = time.perf_counter() - start
    per_title = warm / TITLES * 1000
    print(f"  again with every geometry cached: {warm:.1f} s ({per_title:.2f} ms a title)")


if __name__ == "__main__":
    demo_share()
    timed_titles()
