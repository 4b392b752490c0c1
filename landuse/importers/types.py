"""Plain data the land-use readers hand to the importer (no Django here)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass
class PlanMeta:
    name: str
    municipality: str | None
    legal_status: str | None  # German label, e.g. "rechtswirksam", "Entwurf"
    legal_status_code: str | None  # code as written in the source, e.g. "4000"
    drawn_up: date | None  # Aufstellungsbeschluss
    effective: date | None  # Wirksamkeit
    source_format: str  # "XPlanGML 6.0", "ESRI Shapefile", "GPKG", ...
    source_crs: str  # as declared by the source, e.g. "EPSG:25832" or a WKT
    municipality_key: str | None = None  # AGS, when the source has one
    extra: dict = field(default_factory=dict)


@dataclass
class AreaFeature:
    source_id: str
    feature_class: str  # "FP_BebauungsFlaeche", or the Köln TYP code
    attributes: dict
    geometry_wkb: bytes  # 2D MultiPolygon in EPSG:25832, curves linearised
    class_code: str  # key into landuse.classes.CLASSES
    repaired: bool = False
    problems: list[str] = field(default_factory=list)


@dataclass
class PlanData:
    meta: PlanMeta
    features: list[AreaFeature]
    rejected: list[tuple[str, str]]  # (feature id, reason): area data we could not use
    # (feature id, reason): objects that are deliberately not land-use areas
    # (FP_Plan, presentation objects, lines, points of non-area classes, ...)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # Codes of a GDAL source's class field that its class table does not know, with how many
    # areas carry each: the importer names them (a city's own codes, not the table's city).
    unclassified: Counter[str] = field(default_factory=Counter)
    class_field: str | None = None

    @property
    def repaired_count(self) -> int:
        return sum(1 for f in self.features if f.repaired)

    def class_counts(self) -> Counter[str]:
        return Counter(f.class_code for f in self.features)

    def summary(self) -> dict:
        """Counts for the import report."""
        return {
            "imported": len(self.features),
            "repaired": self.repaired_count,
            "rejected": len(self.rejected),
            "skipped": len(self.skipped),
            "by_source_class": dict(Counter(f.feature_class for f in self.features)),
            "by_class": dict(self.class_counts()),
            "skipped_reasons": dict(Counter(reason for _, reason in self.skipped)),
        }


class PlanReadError(Exception):
    """A plan file that cannot be read; the message says where and how to fix it."""

    def __init__(
        self,
        problem: str,
        *,
        path: str | Path | None = None,
        feature_id: str | None = None,
        field_name: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.problem = problem
        self.path = str(path) if path is not None else None
        self.feature_id = feature_id
        self.field_name = field_name
        self.hint = hint
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = [self.path or "<input>"]
        if self.feature_id:
            where.append(f"feature {self.feature_id}")
        if self.field_name:
            where.append(f"field {self.field_name}")
        message = f"{', '.join(where)}: {self.problem}"
        return f"{message}. Fix: {self.hint}" if self.hint else message
