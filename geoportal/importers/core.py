"""What every importer shares: the error type, the summary and the atomic run with dry-run."""

import contextlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from tqdm import tqdm


class ImportFailed(Exception):
    """Bad input: the message names the file, the feature and the field, and how to fix it."""


@dataclass
class ImportSummary:
    what: str
    source: str
    source_crs: str = ""
    read: int = 0
    created: int = 0
    updated: int = 0
    repaired: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0

    def lines(self) -> list[str]:
        lines = [
            f"{self.what} from {self.source}"
            + (f" ({self.source_crs} -> EPSG:25832)" if self.source_crs else ""),
            f"  read {self.read}, created {self.created}, updated {self.updated}, "
            f"repaired {len(self.repaired)}, skipped {len(self.skipped)} in {self.seconds:.1f} s",
        ]
        if self.repaired:
            lines.append(f"  repaired invalid geometries (ST_MakeValid): {_first(self.repaired)}")
        lines += [f"  skipped feature {fid}: {reason}" for fid, reason in self.skipped[:20]]
        if len(self.skipped) > 20:
            lines.append(f"  ... and {len(self.skipped) - 20} more skipped")
        lines += [f"  {note}" for note in self.notes]
        if self.dry_run:
            lines.append("  dry run: nothing was written")
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _first(items: list[str], n: int = 10) -> str:
    more = f" and {len(items) - n} more" if len(items) > n else ""
    return ", ".join(items[:n]) + more


class _DryRun(Exception):
    pass


@contextlib.contextmanager
def atomic_import(summary: ImportSummary, *, dry_run: bool) -> Iterator[None]:
    """Everything or nothing; a dry run does all the work and then rolls it back."""
    started = time.monotonic()
    summary.dry_run = dry_run
    try:
        with transaction.atomic():
            yield
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except DatabaseError as exc:
        # A value the schema refuses (too long, out of range): the transaction is rolled back.
        reason = str(exc).strip().splitlines()[0]
        raise ImportFailed(
            f"{summary.source}: the database refused the data ({reason}). Nothing was written; "
            "fix the source or the field options and import again."
        ) from exc
    summary.seconds = time.monotonic() - started


def progress(items: Iterable, *, total: int, label: str, enabled: bool) -> Iterable:
    return tqdm(items, total=total, desc=label, unit=" features", disable=not enabled, leave=False)
