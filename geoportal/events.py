"""Domain events: apps announce "something public changed here" without knowing who listens.

A service calls `publish(Event(...))` inside its own transaction; every handler registered from
an `AppConfig.ready()` (alerts matches subscriptions) runs synchronously in that transaction, so
what a handler writes commits or rolls back with the change itself. Publishers import nothing of
their listeners, like the layer and status-check registries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.gis.geos import GEOSGeometry


class Topic:
    REPORTS = "reports"  # new public reports and their status changes
    COUNCIL = "council"  # council papers and decisions placed on the map
    LANDUSE = "landuse"  # new or changed land-use and zoning plans
    # Thematic layers that opt in publish with topic f"layer:{name}".


@dataclass(frozen=True)
class Event:
    topic: str
    kind: str  # e.g. "report.published", "report.status", "paper.placed", "plan.imported"
    key: str  # stable id of the item ("report:2026-00012"); the same item keeps its key
    title: str  # public text only: never personal data
    path: str  # the item's public page, site-relative
    geom: GEOSGeometry  # where it happens, storage CRS
    summary: str = ""
    at: datetime | None = None
    extra: dict = field(default_factory=dict)


_handlers: list[Callable[[Event], None]] = []


def subscribe(handler: Callable[[Event], None]) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def publish(event: Event) -> None:
    """Call inside the transaction that makes the change public."""
    for handler in list(_handlers):
        handler(event)
