"""Small value types shared by the OParl loader, mapping and orchestrator."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Extent:
    """A WGS84 box (with a margin) that sound coordinates of one body must fall into."""

    west: float
    south: float
    east: float
    north: float
    label: str

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north


@dataclass
class ImportReport:
    """Counts per object type and outcome, and one line per problem, for the summary and the
    SyncRun record."""

    counts: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[f"{kind}.{outcome}"] += n

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def total(self, outcome: str) -> int:
        return sum(n for key, n in self.counts.items() if key.endswith("." + outcome))

    def __str__(self) -> str:
        kinds = sorted({key.split(".")[0] for key in self.counts})
        parts = []
        for kind in kinds:
            outcomes = ", ".join(
                f"{key.split('.', 1)[1]} {n}"
                for key, n in sorted(self.counts.items())
                if key.startswith(kind + ".") and n
            )
            parts.append(f"{kind}: {outcomes}")
        lines = ["OParl import: " + ("; ".join(parts) or "nothing to do")]
        if self.problems:
            lines.append(f"{len(self.problems)} problem(s):")
            lines.extend(f"  - {p}" for p in self.problems[:50])
            if len(self.problems) > 50:
                lines.append(f"  ... and {len(self.problems) - 50} more")
        return "\n".join(lines)
