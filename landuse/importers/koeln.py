"""The Köln FNP's own coding (TYP and subtype) mapped to the national land-use classes
(`landuse.classes`) through the city's PlanZV category list, a CSV the caller names
(fixtures/landuse/koeln_fnp_planzv_categories.csv for the demo city)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from landuse.classes import CLASSES

Classifier = Callable[[dict], tuple[str | None, list[str], dict]]


@dataclass(frozen=True)
class CsvCategory:
    number: str
    name: str
    abbreviation: str | None
    legal_basis: str | None
    typ: str | None
    subtype: int | None


def load_planzv_csv(path: str | Path) -> list[CsvCategory]:
    """The city's PlanZV category list (columns as in Köln's open data CSV)."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        CsvCategory(
            number=row["PlanZV Kategorie"].strip(),
            name=row["PlanZV Hauptkategorie Name"].strip(),
            abbreviation=row["Planzeichen (Text)"].strip() or None,
            legal_basis=row["Gesetzliche Definition"].strip() or None,
            typ=row["FNP TYP"].strip() or None,
            subtype=int(row["FNP subtype"]) if row["FNP subtype"].strip() else None,
        )
        for row in rows
    ]


# TYP codes of the Köln FNP 2014 that are not PlanZV letters in the CSV, read
# from the plan's own Langname values ("Fläche für Bahnanlagen", ...).
KOELN_TYP_CLASSES = {
    "GBFL": "gemeinbedarf",  # Gemeinbedarfsfläche
    "Grün": "gruenflaeche",  # Grünfläche mit tw. landwirtschaftlicher Nutzung
    "GrünSpezial": "gruenflaeche",  # Grünfläche mit besonderer Nutzung
    "Landwi": "landwirtschaft",
    "Wald": "wald",  # Fläche für die Forstwirtschaft (Erholungswald)
    "Wasser": "wasserflaeche",
    "Versor": "versorgung",
    "Versorg": "versorgung",
    "NS": "hauptverkehrsstrasse",  # Fläche für Hauptverkehrszüge
    "verkehr": "hauptverkehrsstrasse",
    "bahn": "bahnanlage",
    "flug": "luftverkehr",
    "WEA": "versorgung_erneuerbare_energien",  # Fläche für Windenergieanlagen
    "san": "sanierungsgebiet",
}
# The plan's subtype domain, as the TYP each subtype stands for.
KOELN_SUBTYPE_TYP = {
    0: "W", 1: "WB", 2: "M", 3: "GE", 4: "GI", 5: "Grün", 6: "Landwi", 7: "Wald", 8: "Wasser",
    9: "Versor", 10: "S", 11: "GBFL", 12: "bahn", 13: "verkehr", 14: "flug", 15: "MK", 16: "MI",
    17: "SO", 19: "W", 20: "WEA", 21: "san", 22: "GrünSpezial",
}


class KoelnClassifier:
    """Maps Köln FNP TYP (and subtype) codes to class keys through the category CSV."""

    def __init__(self, categories: Iterable[CsvCategory]) -> None:
        self.categories = list(categories)
        self._category_by_number = {c.number: c for c in self.categories}

    def classify(self, typ: str | None, subtype: int | None) -> tuple[str | None, list[str], dict]:
        """Return (class key or None, problems, attributes to record)."""
        key, category, problems = self._by_typ(typ, subtype)
        if key is None:
            return None, problems or [f"TYP {typ!r} is neither in the category CSV nor a known "
                                      "Köln code"], {}
        expected_typ = KOELN_SUBTYPE_TYP.get(subtype) if subtype is not None else None
        if expected_typ and expected_typ != typ:
            other, _, _ = self._by_typ(expected_typ, subtype)
            if other != key:
                problems.append(f"subtype {subtype} stands for TYP {expected_typ!r} ({other}), "
                                f"TYP says {typ!r}; classified by TYP")
        category = category or self._category_by_number.get(CLASSES[key].planzv or "")
        if category is None:
            return key, problems, {}
        return key, problems, {"planzv_csv": category.number, "planzv_kategorie": category.name}

    def _by_typ(self, typ, subtype) -> tuple[str | None, CsvCategory | None, list[str]]:
        if not typ:
            return None, None, []
        for row in self.categories:
            if row.typ == typ and row.subtype in (None, subtype):
                if row.abbreviation:
                    return self._by_abbreviation(row.abbreviation, row)
                return self._by_number(row)
        rows = [c for c in self.categories if c.abbreviation == typ]
        if len(rows) == 1:
            return self._by_abbreviation(typ, rows[0])
        if rows:
            key, _, problems = self._by_abbreviation(typ, None)
            return key, None, problems
        return KOELN_TYP_CLASSES.get(typ), None, []

    @staticmethod
    def _by_number(row: CsvCategory):
        # Section 1 rows always carry letters; other numbers match ours (see module doc).
        keys = [c.key for c in CLASSES.values() if c.planzv == row.number and c.parent is None]
        if len(keys) == 1:
            return keys[0], row, []
        return None, row, [f"PlanZV {row.number} of the CSV matches no single class"]

    @staticmethod
    def _by_abbreviation(abbr: str, row: CsvCategory | None):
        keys = [c.key for c in CLASSES.values() if c.abbreviation == abbr]
        if len(keys) == 1:
            return keys[0], row, []
        parents = {CLASSES[k].parent for k in keys}
        if len(parents) == 1 and None not in parents:
            parent = parents.pop()
            return parent, row, [f"Planzeichen {abbr!r} is ambiguous ({', '.join(keys)}); "
                                 f"classified as {parent}"]
        return None, row, [f"Planzeichen {abbr!r} matches no class"]


def koeln_classifier(
    *, classes_csv: str | Path, class_field: str, subtype_field: str
) -> Classifier:
    """A row classifier for `ogr.read_plan`: TYP in `class_field`, subtype in `subtype_field`."""
    koeln = KoelnClassifier(load_planzv_csv(classes_csv))

    def classify(row: dict) -> tuple[str | None, list[str], dict]:
        subtype = row.get(subtype_field)
        return koeln.classify(row.get(class_field), int(subtype) if subtype is not None else None)

    return classify
