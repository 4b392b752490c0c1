"""Reads behind the layer services that are not SQL builders: change fingerprints."""

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max
from django.db.models.expressions import RawSQL
from django.db.models.fields import BigIntegerField

from .. import conf
from .layers import Layer
from .sql import q


@dataclass(frozen=True)
class Fingerprint:
    etag: str
    last_modified: datetime | None


def layer_fingerprint(*, layer: Layer, variant: str = "") -> Fingerprint:
    """A validator that changes whenever a row of the layer is inserted, updated or deleted.

    Row count plus the newest row version (xmin) of the layer's rows: an insert or update
    brings a newer xmin, a delete lowers the count. One index-only-ish aggregate, cheap next
    to building the GeoJSON, so a conditional GET can answer 304 before any geometry work.
    `variant` (the normalised query) makes different views of one layer different entities.
    A layer with its own `fingerprint` marker uses that instead.
    """
    if layer.fingerprint is not None:
        marker, modified = layer.fingerprint()
        raw = f"{layer.name}|{marker}|{variant}"
        etag = hashlib.sha256(raw.encode()).hexdigest()[:32]
        return Fingerprint(etag=f'"{etag}"', last_modified=modified)
    table = q(layer.model._meta.db_table)
    aggregates = {
        "n": Count("pk"),
        # xmin is a system column the ORM cannot name; `table` comes from the model's meta.
        "v": Max(
            RawSQL(f"{table}.xmin::text::bigint", [], output_field=BigIntegerField())  # noqa: S611
        ),
    }
    if layer.modified_property:
        aggregates["m"] = Max(layer.modified_property.name)
    row = layer.queryset().order_by().aggregate(**aggregates)
    raw = f"{layer.name}|{row['n']}|{row['v']}|{row.get('m')}|{variant}"
    etag = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return Fingerprint(etag=f'"{etag}"', last_modified=row.get("m"))


_recent: dict[str, tuple[float, Fingerprint]] = {}


def layer_fingerprint_recent(*, layer: Layer) -> Fingerprint:
    """layer_fingerprint, reused for conf.GEOPORTAL_TILE_FINGERPRINT_SECONDS in this process.

    A web map or QGIS asks for dozens of tiles in one go; one aggregate answers the
    If-None-Match of all of them before any tile is built. An edit shows in tiles after at most
    that many seconds (their max-age is longer anyway)."""
    ttl = conf.GEOPORTAL_TILE_FINGERPRINT_SECONDS
    now = time.monotonic()
    seen = _recent.get(layer.name)
    if ttl > 0 and seen is not None and now - seen[0] < ttl:
        return seen[1]
    fingerprint = layer_fingerprint(layer=layer)
    _recent[layer.name] = (now, fingerprint)
    return fingerprint
