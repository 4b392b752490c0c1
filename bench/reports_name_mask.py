"""Names in report descriptions: how well `reports.moderation.text_mask` finds them in REAL
citizens' texts.

Köln's Mängelmelder "Sag's uns" publishes what citizens write, and some of it is signed
("Danke im voraus / <first name> <surname>"). Three public copies of such texts are read from
git snapshots when they are on this machine (nothing of them is in this repository, and this
script prints no text and no name, only counts and report ids):

* 2016: codeforcologne/sagsunskoeln, src/test/resources/sagsuns.json (50 requests)
* 2023: rOpenGov/r311, the package's cached Open311 answer (50 requests)
* 2025–26: Fatih0234/phase1-flag-the-event, data/supabase_test_200.csv (200 requests)

Labels: which descriptions contain a person's name, and where (a TSV: source, id, has_name,
span "start:end"), written by reading every description once before the detector existed.
The labels name real people's texts, so they are kept outside the repository too
(`--labels`, default /work/helpers/s8/names_labels.tsv); without them or the snapshots the
script says so and exits 0.

The detector was tuned on the 2016 and 2023 texts only (their misses and false hits are
listed by id); the 2025–26 texts are held out and given as totals.

Also the contact-data masks' hits per part (read by hand too: of the 300 texts, one holds a
phone number, none an email address or IBAN), and how often the reporter's OWN name (masked
wherever a part of it stands, whole word, any case) would blank a word of these texts, for 60
common German surnames and 20 first names as if each had been the reporter of every text:
surnames that are also words ("Weiß", "Koch") are the false hits to expect.
"""

import argparse
import csv
import io
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reports.moderation import NAME_MASK, text_mask  # noqa: E402

MIRROR = Path("/work/.mirror")
SOURCES = {
    "sagsuns2016": ("codeforcologne+sagsunskoeln", "HEAD:src/test/resources/sagsuns.json"),
    "r311_2023": (
        "rOpenGov+r311",
        "HEAD:man/figures/README/0/sags-uns-archiv.stadt-koeln.de/georeport/v2/"
        "requests.json-736bb5.json",
    ),
    "flag2025": ("Fatih0234+phase1-flag-the-event", "HEAD:data/supabase_test_200.csv"),
}
TUNING = {"sagsuns2016", "r311_2023"}

# Common German surnames and first names (frequency lists), none taken from the texts.
_SURNAMES = """Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer
Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann
Hartmann Lange Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann
König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel
Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz"""
_FIRST_NAMES = """Peter Michael Thomas Andreas Stefan Frank Klaus Jürgen Uwe Wolfgang Anna Maria
Ursula Monika Petra Sabine Claudia Andrea Julia Karin"""
SURNAMES, FIRST_NAMES = _SURNAMES.split(), _FIRST_NAMES.split()


def snapshot(repo: str, spec: str) -> str | None:
    git = MIRROR / repo / "repo"
    if not git.exists():
        return None
    done = subprocess.run(["git", "-C", str(git), "show", spec], capture_output=True)
    return done.stdout.decode() if done.returncode == 0 else None


def load() -> list[tuple[str, str, str]] | None:
    rows = []
    for source, (repo, spec) in SOURCES.items():
        raw = snapshot(repo, spec)
        if raw is None:
            print(f"skipped: no snapshot of {repo} here")
            return None
        if spec.endswith(".csv"):
            records = [(r["id"], r["description"]) for r in csv.DictReader(io.StringIO(raw))]
        else:
            records = [(r["service_request_id"], r.get("description")) for r in json.loads(raw)]
        seen = set()
        for ident, text in records:
            # r311's file has one id twice, with two texts.
            key = ident if ident not in seen else ident + "#2"
            seen.add(ident)
            rows.append((source, key, text or ""))
    return rows


def labels(path: Path) -> dict[tuple[str, str], tuple[int, int] | None] | None:
    if not path.exists():
        print(f"skipped: no labels at {path}")
        return None
    out = {}
    for row in csv.DictReader(path.open(), delimiter="\t"):
        span = None
        if row["has_name"] == "yes":
            start, end = row["span"].split(":")
            span = (int(start), int(end))
        out[(row["source"], row["id"])] = span
    return out


def places():
    """The city's quarter, district and municipality names from the dev database, as the
    service passes them; none when the database is not there."""
    try:
        import _django  # noqa: F401

        from geoportal.selectors import area_names

        kinds = ["quarter", "district", "municipality"]
        names = [name for _, _, name, _ in area_names(kinds=kinds)]
    except Exception as exc:  # the bench still measures without the place names
        print(f"(no place names: {type(exc).__name__})")
        return None
    return lambda: names


def made_up_texts() -> list[str]:
    """Citizen-style texts that the 2025-26 snapshot's authors wrote for their own evaluation
    (no signatures, no names): a check for false hits on text nobody here wrote."""
    repo = "Fatih0234+phase1-flag-the-event"
    texts = []
    raw = snapshot(repo, "HEAD:phase2/phase2-eval-set.jsonl")
    if raw:
        texts += [json.loads(line)["description"] for line in raw.splitlines() if line.strip()]
    raw = snapshot(repo, "HEAD:bike_related_gold_dataset_A_to_F.csv")
    if raw:
        texts += [r["description"] for r in csv.DictReader(io.StringIO(raw))]
    return texts


def covers(text: str, masked: str, span: tuple[int, int]) -> bool:
    """Whether the labelled name no longer stands in the masked text (the text around it is
    unchanged by a name mask, so the name's own words must be gone)."""
    name = text[span[0] : span[1]]
    return all(word not in masked for word in name.split() if len(word) >= 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=Path("/work/helpers/s8/names_labels.tsv"))
    args = parser.parse_args()
    rows = load()
    truth = labels(args.labels) if rows else None
    if rows is None or truth is None:
        return 0
    lookup = places()
    parts = {"tuning (2016 + 2023)": TUNING, "held out (2025-26)": set(SOURCES) - TUNING}
    started = time.perf_counter()
    results = {}
    for source, ident, text in rows:
        results[(source, ident)] = text_mask(text, places=lookup)
    per_text_us = (time.perf_counter() - started) / len(rows) * 1e6
    for title, sources in parts.items():
        keys = [(s, i) for s, i, _ in rows if s in sources]
        texts = {(s, i): t for s, i, t in rows}
        named = [k for k in keys if truth.get(k)]
        found = [k for k in named if covers(texts[k], results[k].text, truth[k])]
        missed = [k for k in named if k not in found]
        false = [k for k in keys if "name" in results[k].kinds and not truth.get(k)]
        print(
            f"{title}: {len(keys)} texts, {len(named)} with a name: found {len(found)}, "
            f"missed {len(missed)}; false hits {len(false)} (texts masked without a name)"
        )
        others = {
            kind: sum(1 for k in keys if kind in results[k].kinds)
            for kind in ("email", "phone", "iban")
        }
        print("  contact masks (texts): " + ", ".join(f"{k} {n}" for k, n in others.items()))
        if sources <= TUNING:
            for k in missed:
                print(f"  missed: {k[0]} {k[1]}")
            for k in false:
                print(f"  false hit: {k[0]} {k[1]}")
    print(f"time: {per_text_us:.0f} µs per text (all masks, {len(rows)} texts)")
    synthetic = made_up_texts()
    if synthetic:
        hits = sum(1 for text in synthetic if text_mask(text, places=lookup).kinds)
        print(f"made-up citizen texts (no names in them): {len(synthetic)}, masked {hits}")

    hits = {}
    for name in SURNAMES + FIRST_NAMES:
        hit = sum(
            1 for _, _, text in rows if text and NAME_MASK in text_mask(text, own_name=name).text
            and NAME_MASK not in text_mask(text).text
        )
        if hit:
            hits[name] = hit
    texts = sum(1 for _, _, t in rows if t)
    total = sum(hits.values())
    print(
        f"own name: {len(SURNAMES)} surnames + {len(FIRST_NAMES)} first names x {texts} "
        f"non-empty texts: {total} masked words in {len(hits)} names' runs "
        f"({total / ((len(SURNAMES) + len(FIRST_NAMES)) * texts):.2%} of name-text pairs)"
    )
    for name, hit in sorted(hits.items(), key=lambda kv: -kv[1]):
        print(f"  {name}: {hit} texts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
