"""Compiles the three sources into labelled.json: split, parsed labels, and truth geometry.

Truth geometry comes from the city's open data in the scratch schema `evalsrc` (README.md), so
the evaluation does not depend on how the project imports streets. The split is by a hash of the
title: a third goes to the FROZEN test part, which no rule may be tuned on.

    python tests/councilmap/data/eval/compile.py postgres://…/geoportal_i13b [--fresh]

Truths already in labelled.json are kept for unchanged labels; --fresh recomputes them all.

`readings.tsv` holds a blind second reading of the real titles and, where the two readings
differ, a third reader's decision (README, "Second reading"). Each real title gets them as
`readings: {"second": {status, places}, "adjudicated": {status, places}}`; the bench scores
against them with `--labels second|adjudicated`. The first reading stays the title's own label.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
sys.path.insert(0, str(ROOT))

from geoportal.text import expand_abbreviations, split_locality_suffix  # noqa: E402

KARLSRUHE = ROOT / "fixtures" / "oparl" / "karlsruhe"

# Register rows (with their quarter) whose display name is %(name)s, in %(quarter)s if given.
_ROWS = """
WITH rows AS (
    SELECT s.name, ST_Union(s.geom) AS geom FROM evalsrc.koeln_strassen s
    WHERE s.name = ANY(%(raws)s) GROUP BY s.name
)
SELECT ST_Union(geom) FROM rows WHERE %(quarter)s::text IS NULL OR EXISTS (
    SELECT 1 FROM evalsrc.koeln_stadtteile t
    WHERE t.stt_name = %(quarter)s AND ST_Intersects(t.geom, rows.geom))
"""
_TEXT = "SELECT ST_AsText(ST_SnapToGrid(ST_SimplifyPreserveTopology(%s::geometry, 3), 1))"


def display(raw: str) -> str:
    return expand_abbreviations(split_locality_suffix(raw.split(",")[0])[0])


def split_of(title: str, stratum: str = "") -> str:
    # Titles written to fill the tuning part (tuning_only.tsv) never enter the frozen test part:
    # they are not real, and the test part's figures must stay about real-shaped, unseen data.
    if stratum == "tuning_only":
        return "tuning"
    return "test" if int(hashlib.sha256(title.encode()).hexdigest(), 16) % 3 == 0 else "tuning"


def parse_expected(text: str) -> tuple[str, list[dict]]:
    if text in {"none", "ambiguous"}:
        return text, []
    places = []
    for part in text.split(" ; "):
        kind, _, rest = part.partition(":")
        rest, _, quarter = rest.partition("@")
        place: dict = {"kind": kind, "quarter": quarter or None}
        if kind in {"street", "area"}:
            place["name"] = rest
        elif kind == "address":
            name, _, number = rest.rpartition(" ")
            place.update(name=name, house_number=number)
        else:  # crossing A / B, stretch A / B / C
            names = rest.split(" / ")
            place.update(name=names[0], cross_streets=names[1:])
        places.append(place)
    return "place", places


class Truth:
    def __init__(self, conn, raw_names: list[str]):
        self.conn = conn
        self.raws: dict[str, list[str]] = {}
        for raw in raw_names:
            self.raws.setdefault(display(raw), []).append(raw)
        self.segment_names: dict[str, list[str]] = {}
        for (raw,) in conn.execute("SELECT DISTINCT strasse FROM evalsrc.koeln_strassenabschnitte"):
            if raw:
                self.segment_names.setdefault(display(raw), []).append(raw)

    def street(self, name: str, quarter: str | None):
        row = self.conn.execute(_ROWS, {"raws": self.raws.get(name, []), "quarter": quarter})
        return row.fetchone()[0]

    def wkt(self, geom) -> str | None:
        return None if geom is None else self.conn.execute(_TEXT, [geom]).fetchone()[0]

    def of(self, place: dict) -> str | None:
        kind, quarter = place["kind"], place["quarter"]
        if kind == "area":
            return None  # the evaluation takes the area polygon from the area table
        main = self.street(place["name"], quarter)
        if main is None:
            return None
        if kind == "street":
            return self.wkt(main)
        if kind == "address":
            return self.wkt(self.address(place, quarter))
        cross = [self.street(n, None) for n in place["cross_streets"]]
        if any(c is None for c in cross):
            return None
        points = [
            self.conn.execute(
                "SELECT ST_ClosestPoint(%s::geometry, %s::geometry),"
                " ST_Distance(%s::geometry, %s::geometry)", [main, c, main, c]
            ).fetchone()
            for c in cross
        ]
        if any(dist > 30 for _p, dist in points):
            return None  # the named streets do not meet: no truth, counted in the README
        if kind == "crossing":
            return self.wkt(points[0][0])
        # Stretch: the main street inside a band around the chord between its two meeting points.
        return self.wkt(self.conn.execute(
            "SELECT ST_Intersection(%s::geometry,"
            " ST_Buffer(ST_MakeLine(%s::geometry, %s::geometry), 60))",
            [main, points[0][0], points[1][0]],
        ).fetchone()[0])

    def address(self, place: dict, quarter: str | None):
        digits = "".join(ch for ch in place["house_number"] if ch.isdigit())
        return self.conn.execute(
            """
            SELECT ST_Union(a.geom) FROM evalsrc.koeln_strassenabschnitte a
            WHERE a.strasse = ANY(%(streets)s) AND (
                (a.hsnr_v_r ~ '^[0-9]+' AND substring(a.hsnr_v_r from '^[0-9]+')::int <= %(n)s
                 AND substring(a.hsnr_b_r from '^[0-9]+')::int >= %(n)s
                 AND substring(a.hsnr_v_r from '^[0-9]+')::int %% 2 = %(n)s %% 2)
             OR (a.hsnr_v_l ~ '^[0-9]+' AND substring(a.hsnr_v_l from '^[0-9]+')::int <= %(n)s
                 AND substring(a.hsnr_b_l from '^[0-9]+')::int >= %(n)s
                 AND substring(a.hsnr_v_l from '^[0-9]+')::int %% 2 = %(n)s %% 2))
              AND (%(quarter)s::text IS NULL OR EXISTS (
                SELECT 1 FROM evalsrc.koeln_stadtteile t WHERE t.stt_name = %(quarter)s
                AND ST_Intersects(t.geom, a.geom)))
            """,
            {"streets": self.segment_names.get(place["name"], []), "n": int(digits),
             "quarter": quarter},
        ).fetchone()[0] if digits else None


# Titles labelled before batch markers existed (sessions 4 and 5).
OLD_BATCH = "s4-s5"


def read_tsv(path: Path, stratum: str) -> list[dict]:
    # A "# batch: NAME" line gives the titles after it that batch, so a new batch can be measured
    # alone: none of it was tuned on when it was added, so its figures are a fresh held-out check.
    items, batch = [], OLD_BATCH
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# batch:"):
            batch = line.partition(":")[2].strip()
            continue
        if not line.strip() or line.startswith("#"):
            continue
        title, committee, expected, source = line.split("\t")
        status, places = parse_expected(expected)
        items.append({"title": title, "committee": committee, "status": status,
                      "places": places, "source": source, "stratum": stratum,
                      "batch": batch})
    return items


READINGS = ("second", "adjudicated")


def read_readings(path: Path) -> dict[str, dict[str, str]]:
    """title -> {"second": expected, "adjudicated": expected} (columns: title, second, its note,
    adjudicated, the third reader's reason; an empty adjudicated cell: the readings agreed)."""
    if not path.exists():
        return {}
    readings = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        title, second, _note, adjudicated, _reason = line.split("\t")
        if not second:
            # A title landed before its blind second reading (session 7's fresh batches): not
            # read yet, so it gets no `readings` and the bench scores it on its first label.
            continue
        readings[title] = {"second": second, "adjudicated": adjudicated or second}
    return readings


def karlsruhe() -> list[dict]:
    items = []
    for path in sorted(KARLSRUHE.glob("paper_*.json")):
        name = json.loads(path.read_text(encoding="utf-8")).get("name")
        if name:
            items.append({"title": name, "committee": "Gemeinderat (Karlsruhe)", "status": "none",
                          "places": [], "source": f"fixtures/oparl/karlsruhe/{path.name}",
                          "stratum": "karlsruhe", "batch": OLD_BATCH})
    return items


def _key(item: dict, place: dict, reading: str = "first") -> str:
    label = {k: v for k, v in place.items() if k != "truth_wkt"}
    key = [item["title"], item["stratum"], label] + ([reading] if reading != "first" else [])
    return json.dumps(key, ensure_ascii=False, sort_keys=True)


def main(dsn: str, fresh: bool = False) -> None:
    # A place already compiled with the same label keeps its truth: where two streets meet twice
    # (Kalscheurer Weg / Kendenicher Straße), which meeting point a crossing takes depends on the
    # register's load order, and a rebuilt evalsrc must not move old truths under the new batch.
    kept = {}
    if not fresh and (HERE / "labelled.json").exists():
        for old in json.loads((HERE / "labelled.json").read_text(encoding="utf-8")):
            for place in old["places"]:
                kept[_key(old, place)] = place.get("truth_wkt")
            for reading, other in old.get("readings", {}).items():
                for place in other["places"]:
                    kept[_key(old, place, reading)] = place.get("truth_wkt")
    items = (read_tsv(HERE / "real_koeln.tsv", "real")
             + read_tsv(HERE / "constructed.tsv", "constructed") + karlsruhe()
             + read_tsv(HERE / "tuning_only.tsv", "tuning_only"))
    readings = read_readings(HERE / "readings.tsv")
    with psycopg.connect(dsn) as conn:
        raws = [r[0] for r in conn.execute("SELECT DISTINCT name FROM evalsrc.koeln_strassen")]
        truth = Truth(conn, raws)
        for number, item in enumerate(items, 1):
            item["id"] = number
            item["split"] = split_of(item["title"], item["stratum"])
            for place in item["places"]:
                key = _key(item, place)
                place["truth_wkt"] = kept[key] if key in kept else truth.of(place)
            if item["stratum"] == "real" and item["title"] in readings:
                item["readings"] = {}
                for reading in READINGS:
                    status, places = parse_expected(readings[item["title"]][reading])
                    for place in places:
                        key = _key(item, place, reading)
                        place["truth_wkt"] = kept[key] if key in kept else truth.of(place)
                    item["readings"][reading] = {"status": status, "places": places}
    (HERE / "labelled.json").write_text(
        "[\n" + ",\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n]\n",
        encoding="utf-8",
    )
    missing = [(i["id"], p["kind"], p.get("name")) for i in items for p in i["places"]
               if p["kind"] != "area" and p["truth_wkt"] is None]
    by_split = {s: sum(i["split"] == s for i in items) for s in ("tuning", "test")}
    batches = {}
    for i in items:
        batches.setdefault(i["batch"], {"tuning": 0, "test": 0})[i["split"]] += 1
    print(f"{len(items)} titles {by_split}; by batch {batches};"
          f" places without truth geometry: {missing}")


if __name__ == "__main__":
    main(sys.argv[1], fresh="--fresh" in sys.argv[2:])
