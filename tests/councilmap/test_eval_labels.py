"""The labelled council-title set is what issue #13's figures stand on: keep it whole and honest."""

import hashlib
import json
from pathlib import Path

EVAL = Path(__file__).resolve().parent / "data" / "eval"


def _items() -> list[dict]:
    return json.loads((EVAL / "labelled.json").read_text(encoding="utf-8"))


def _tsv_titles(name: str) -> list[str]:
    lines = (EVAL / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0] for line in lines if line.strip() and not line.startswith("#")]


def test_compiled_set_matches_its_sources():
    real = [i["title"] for i in _items() if i["stratum"] == "real"]
    assert real == _tsv_titles("real_koeln.tsv"), "run compile.py after editing real_koeln.tsv"


def test_split_is_the_title_hash_and_hard_titles_never_enter_the_test_part():
    for item in _items():
        by_hash = int(hashlib.sha256(item["title"].encode()).hexdigest(), 16) % 3 == 0
        expected = "test" if by_hash and item["stratum"] != "tuning_only" else "tuning"
        assert item["split"] == expected, item["title"]


def test_enough_real_titles_in_both_parts():
    real = [i for i in _items() if i["stratum"] == "real"]
    assert len(real) >= 300
    assert sum(i["split"] == "test" for i in real) >= 100


def test_every_real_title_has_its_second_reading():
    assert set(_tsv_titles("readings.tsv")) == set(_tsv_titles("real_koeln.tsv"))
    for item in (i for i in _items() if i["stratum"] == "real"):
        if "readings" not in item and item["batch"].startswith("s7-"):
            # a fresh batch lands first; its blind second reading follows (readings.tsv row empty)
            continue
        assert set(item["readings"]) == {"second", "adjudicated"}, item["title"]
        for reading in item["readings"].values():
            assert reading["status"] in {"place", "none", "ambiguous"}
            assert bool(reading["places"]) == (reading["status"] == "place"), item["title"]
