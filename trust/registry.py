"""What apps tell the trust layer, from their `AppConfig.ready()` (as layers and status checks
are registered): which views' POSTs are counted, how errors look under a path, and what a
backup counts. `trust/` itself knows no app.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.http import HttpResponse

# render(request, status, detail) -> response in the format of the part of the site it guards
ErrorRenderer = Callable[[object, int, str], HttpResponse]


@dataclass(frozen=True)
class Guard:
    """A view whose POSTs are counted: `scope` names the limits (`TRUST_RATE_LIMITS`), `statuses`
    the answers that count (e.g. only filed reports) or, with `count_failures`, the answers that
    are refunded. `fields` names request fields (form or JSON) counted as identities besides the
    address; `skip(request)` exempts POSTs that change nothing (a "check the place" button)."""

    scope: str
    statuses: frozenset[int]
    count_failures: bool = False
    fields: tuple[str, ...] = ()
    skip: Callable[[object], bool] | None = field(default=None, compare=False)


_GUARDS: dict[str, Guard] = {}
_ERROR_FORMATS: list[tuple[str, ErrorRenderer]] = []
_BACKUP_COUNTS: dict[str, type[models.Model]] = {}


def register_guard(view_name: str, guard: Guard) -> None:
    _GUARDS[view_name] = guard


def guard_for(view_name: str) -> Guard | None:
    return _GUARDS.get(view_name)


def register_error_format(prefix: str, render: ErrorRenderer) -> None:
    """Errors (429, 503, 413, 400) under `prefix` are rendered by `render`; the longest prefix
    wins. Without one: JSON under /api/ and for paths ending in .json, else an HTML page."""
    _ERROR_FORMATS[:] = [(p, r) for p, r in _ERROR_FORMATS if p != prefix] + [(prefix, render)]
    _ERROR_FORMATS.sort(key=lambda item: len(item[0]), reverse=True)


def error_renderer_for(path: str) -> ErrorRenderer | None:
    return next((render for prefix, render in _ERROR_FORMATS if path.startswith(prefix)), None)


def register_backup_count(name: str, model: type[models.Model]) -> None:
    """The backup manifest records how many rows `model` has, to check a restore."""
    _BACKUP_COUNTS[name] = model


def backup_counts() -> dict[str, int]:
    return {name: model._default_manager.count() for name, model in _BACKUP_COUNTS.items()}
