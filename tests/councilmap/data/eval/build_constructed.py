"""Writes constructed.tsv: council titles built around REAL Köln streets, labelled by construction.

Run once, before any placement rule was changed, against the city's own open data loaded into a
scratch schema (`evalsrc`, see README.md). The labels come from the data (which street row, which
quarter, which node), not from the extractor, so they cannot flatter it. Seeded: re-running gives
the same file. Kept for transparency; the evaluation never runs it.

    python tests/councilmap/data/eval/build_constructed.py postgres://…/geoportal_i13b
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT))

from geoportal.text import expand_abbreviations, split_locality_suffix  # noqa: E402

SEED = 13_2026
OUT = Path(__file__).with_name("constructed.tsv")
DISTRICTS = {
    "1": "Innenstadt", "2": "Rodenkirchen", "3": "Lindenthal", "4": "Ehrenfeld", "5": "Nippes",
    "6": "Chorweiler", "7": "Porz", "8": "Kalk", "9": "Mülheim",
}
CITYWIDE = (
    "Rat", "Verkehrsausschuss", "Stadtentwicklungsausschuss", "Ausschuss Klima, Umwelt und Grün",
)

# Shapes of real Köln titles (see real_koeln.tsv): the street is the only thing that varies.
STREET_TEMPLATES = (
    "Fällung eines Baumes an der {s}",
    "Antrag der SPD-Fraktion, betr.: {s}",
    "Antrag der CDU-Fraktion betr.: Parksituation in der {s}",
    "Vorplanung Umgestaltung {s}",
    "Verbesserung der Verkehrssituation an der KVB-Haltestelle {s}",
    "Bürgereingabe gem. § 24 GO, betr.: Sanierung der Gehwege {s}",
    "Anfrage der Fraktion Bündnis 90/Die Grünen zur Beleuchtung der {s}",
    "Tempo 30 in der {s}",
    "Spielplatz an der {s}: Erneuerung der Spielgeräte",
    "Reinigung {s} nach dem Wochenmarkt",
)
QUARTER_TEMPLATES = (
    "Vorplanung Umgestaltung {s} in Köln-{q}",
    "Verbesserung der Verkehrssicherheit in der {s} in Köln-{q}",
    "Antrag der FDP-Fraktion betr.: Radweg {s} ({q})",
    "Sanierung der Fahrbahn {s} in {q}",
)
CROSSING_TEMPLATES = (
    "Mehr Verkehrssicherheit an der Kreuzung {a}/{b}",
    "Eingabe zum Kreuzungsbereich {a}/{b}",
    "Fußgängerampel an der Einmündung {b} in die {a}",
    "Zebrastreifen {a} / {b}",
)
STRETCH_TEMPLATES = (
    "Tempo 30 in der {a} zwischen {b} und {c}",
    "Einführung Tempo 30 km/h {a} zwischen {b} und {c}",
    "Sanierung der {a} im Abschnitt zwischen {b} und {c}",
    "Radfahrstreifen auf der {a} von {b} bis {c}",
)
ADDRESS_TEMPLATES = (
    "Bürgereingabe gem. § 24 GO, betr.: Kita {s} {n}",
    "Neubau einer Flüchtlingsunterkunft {s} {n}",
    "Bauvoranfrage {s} {n}",
    "Generalsanierung des Schulgebäudes {s} {n}",
)

# Each street row of the register with its base name and the quarter holding most of it.
STREETS_SQL = """
SELECT s.name, t.stt_name, t.stt_nr
FROM (SELECT name, ST_Union(geom) AS geom FROM evalsrc.koeln_strassen GROUP BY name) s
CROSS JOIN LATERAL (
    SELECT stt_name, stt_nr FROM evalsrc.koeln_stadtteile t
    WHERE ST_Intersects(t.geom, s.geom)
    ORDER BY ST_Length(ST_Intersection(t.geom, s.geom)) DESC LIMIT 1) t
"""
# Street nodes where exactly two register names meet, with the node's quarter.
NODES_SQL = """
SELECT n.ogc_fid, array_agg(DISTINCT s.name ORDER BY s.name), t.stt_name, t.stt_nr
FROM evalsrc.koeln_strassenknoten n
JOIN evalsrc.koeln_strassen s ON ST_DWithin(s.geom, n.geom, 2)
JOIN evalsrc.koeln_stadtteile t ON ST_Intersects(t.geom, n.geom)
WHERE n.typ ILIKE 'Kreuzung%%' OR n.typ ILIKE 'Einm%%'
GROUP BY n.ogc_fid, t.stt_name, t.stt_nr
HAVING count(DISTINCT s.name) = 2
"""
# Segments with a numbered right side, their street and quarter.
SEGMENTS_SQL = """
SELECT a.strasse, a.hsnr_v_r, a.hsnr_b_r, t.stt_name, t.stt_nr
FROM evalsrc.koeln_strassenabschnitte a
JOIN evalsrc.koeln_stadtteile t
  ON ST_Intersects(t.geom, ST_LineInterpolatePoint(ST_GeometryN(a.geom, 1), 0.5))
WHERE a.hsnr_v_r ~ '^[0-9]+$' AND a.hsnr_b_r ~ '^[0-9]+$'
  AND a.hsnr_b_r::int - a.hsnr_v_r::int >= 4
"""


def display(raw: str) -> str:
    return expand_abbreviations(split_locality_suffix(raw.split(",")[0])[0])


def bv(stt_nr: str) -> str:
    return f"Bezirksvertretung {stt_nr[0]} ({DISTRICTS[stt_nr[0]]})"


def main(dsn: str) -> None:
    rng = random.Random(SEED)
    with psycopg.connect(dsn) as conn:
        streets = conn.execute(STREETS_SQL).fetchall()
        nodes = conn.execute(NODES_SQL).fetchall()
        segments = conn.execute(SEGMENTS_SQL).fetchall()
    by_base: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for raw, quarter, nr in streets:
        by_base[display(raw)].append((raw, quarter, nr))
    unique = sorted(b for b, rows in by_base.items() if len(rows) == 1)
    ambiguous = sorted(b for b, rows in by_base.items() if len({r[1] for r in rows}) > 1)
    rows: list[tuple[str, str, str]] = []

    for base in rng.sample(unique, 70):
        quarter = by_base[base][0][1]
        if rng.random() < 0.3:
            title = rng.choice(QUARTER_TEMPLATES).format(s=base, q=quarter)
        else:
            title = rng.choice(STREET_TEMPLATES).format(s=base)
        rows.append((title, bv(by_base[base][0][2]), f"street:{base}"))

    # Same name in several quarters: the committee alone decides when the name is unique in its
    # district; a quarter in the title decides; neither -> a clerk could not place it.
    pool = ambiguous[:]
    rng.shuffle(pool)
    by_committee = by_quarter = unresolved = 0
    for base in pool:
        variants = by_base[base]
        raw, quarter, nr = rng.choice(variants)
        same_district = [v for v in variants if v[2][0] == nr[0]]
        if by_committee < 40 and len(same_district) == 1:
            title = rng.choice(STREET_TEMPLATES).format(s=base)
            rows.append((title, bv(nr), f"street:{base}@{quarter}"))
            by_committee += 1
        elif by_quarter < 30:
            title = rng.choice(QUARTER_TEMPLATES).format(s=base, q=quarter)
            rows.append((title, rng.choice(CITYWIDE), f"street:{base}@{quarter}"))
            by_quarter += 1
        elif unresolved < 30:
            title = rng.choice(STREET_TEMPLATES).format(s=base)
            rows.append((title, rng.choice(CITYWIDE), "ambiguous"))
            unresolved += 1

    def located(raw: str, quarter: str) -> str:
        base = display(raw)
        return f"{base}@{quarter}" if base in ambiguous else base

    for _fid, (a_raw, b_raw), quarter, nr in rng.sample(nodes, 35):
        a, b = display(a_raw), display(b_raw)
        if a == b:
            continue
        title = rng.choice(CROSSING_TEMPLATES).format(a=a, b=b)
        label = f"crossing:{a} / {b}" + (f"@{quarter}" if {a, b} & set(ambiguous) else "")
        rows.append((title, bv(nr), label))

    # Stretches: a street with two nodes where two different other streets meet it.
    meets: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for _fid, names, quarter, nr in nodes:
        for main in names:
            meets[(main, quarter, nr)].update(n for n in names if n != main)
    candidates = sorted((k, sorted(v)) for k, v in meets.items() if len(v) >= 2)
    for (main, quarter, nr), others in rng.sample(candidates, 25):
        b, c = rng.sample(others, 2)
        a, b, c = display(main), display(b), display(c)
        if len({a, b, c}) < 3:
            continue
        title = rng.choice(STRETCH_TEMPLATES).format(a=a, b=b, c=c)
        label = f"stretch:{a} / {b} / {c}" + (f"@{quarter}" if a in ambiguous else "")
        rows.append((title, bv(nr), label))

    for street, low, high, quarter, nr in rng.sample(segments, 40):
        lo, hi = int(low), int(high)
        number = rng.randrange(lo + (lo % 2 != 1), hi + 1, 2) if lo % 2 == hi % 2 else lo
        name = display(street)
        title = rng.choice(ADDRESS_TEMPLATES).format(s=name, n=number)
        label = f"address:{name} {number}" + (f"@{quarter}" if name in ambiguous else "")
        rows.append((title, bv(nr), label))

    header = (
        "# Constructed titles around real Köln streets, labelled by construction from the"
        f" city's open data\n# (build_constructed.py, seed {SEED}). Same columns as"
        " real_koeln.tsv; source = 'constructed'.\n"
    )
    OUT.write_text(
        header + "".join(f"{t}\t{c}\t{e}\tconstructed\n" for t, c, e in rows), encoding="utf-8"
    )
    print(f"{len(rows)} titles -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
