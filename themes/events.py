"""What a layer that opts in to alerts (`DatasetLayer.alerts_enabled`) announces to listeners:
its new, changed and removed features after a re-import or an admin edit, topic
`layer:<name>`, in the writing transaction like reports, council papers and land-use plans."""

from dataclasses import dataclass

from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext as _

from geoportal.events import Event, publish

from . import conf
from .models import DatasetLayer, LayerKind, Place, Zone


def alert_topic(layer: DatasetLayer) -> str:
    return f"layer:{layer.name}"


def _model(layer: DatasetLayer):
    return Zone if layer.kind == LayerKind.ZONE else Place


@dataclass(frozen=True)
class Fingerprint:
    digest: str  # md5 of label, public properties and geometry
    label: str
    geom: bytes  # EWKB: a feature gone from the next import is announced where it was


def layer_fingerprints(*, layer: DatasetLayer) -> dict[str, Fingerprint] | None:
    """Per source id, a hash of label, public properties and geometry; None when the layer does
    not announce changes (not opted in, or a first import: a new map is not news of a place)."""
    if layer.pk is None or not layer.alerts_enabled:
        return None
    return {sid: Fingerprint(digest, label, bytes(geom))
            for sid, digest, label, geom in _rows(layer, with_geom=True)}


def _rows(layer: DatasetLayer, *, with_geom: bool) -> list[tuple]:
    table = connection.ops.quote_name(_model(layer)._meta.db_table)
    # Raw SQL: md5 over the geometry's bytes; the table is this app's own.
    columns = ", label, ST_AsEWKB(geom)" if with_geom else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT source_id, md5(label || properties::text || ST_AsEWKB(geom)::text)"  # noqa: S608
            f"{columns} FROM {table} WHERE layer_id = %s", [layer.pk])
        return cursor.fetchall()


def layer_changes_announce(*, layer: DatasetLayer, before: dict[str, Fingerprint] | None) -> int:
    """Call in the import's transaction after the new features are written. One event per new,
    changed or removed feature; more than `THEMES_ALERTS_MAX_EVENTS` of them (a re-surveyed
    map) are one event over their extent, so nobody gets a thousand mails for one import."""
    if before is None:
        return 0
    # After the import only the digests are read: geometries only of what changed.
    after = dict(_rows(layer, with_geom=False))
    changed = [sid for sid, digest in after.items()
               if sid not in before or before[sid].digest != digest]
    removed = [sid for sid in before if sid not in after]
    if not changed and not removed:
        return 0
    path = (reverse("themes:zones") if layer.kind == LayerKind.ZONE
            else reverse("themes:near", args=[layer.name]))
    topic = alert_topic(layer)
    gone = {sid: GEOSGeometry(memoryview(before[sid].geom)) for sid in removed}
    if len(changed) + len(removed) > conf.THEMES_ALERTS_MAX_EVENTS:
        extents = [geom.extent for geom in gone.values()]
        if changed:
            features = _model(layer).objects.filter(layer=layer, source_id__in=changed)
            extents.append(features.aggregate(extent=Extent("geom"))["extent"])
        box = Polygon.from_bbox((min(e[0] for e in extents), min(e[1] for e in extents),
                                 max(e[2] for e in extents), max(e[3] for e in extents)))
        box.srid = _model(layer)._meta.get_field("geom").srid
        publish(Event(
            topic=topic, kind="layer.updated",
            key=f"{topic}:import:{int(layer.imported_at.timestamp())}",
            title=_("%(layer)s: %(n)s Objekte neu, geändert oder entfernt")
            % {"layer": layer.title, "n": len(changed) + len(removed)}, path=path, geom=box))
        return 1
    features = (_model(layer).objects.filter(layer=layer, source_id__in=changed)
                .values_list("source_id", "label", "geom").order_by("source_id"))
    for sid, label, geom in features:
        new = sid not in before
        publish(Event(
            topic=topic, kind="feature.new" if new else "feature.changed",
            key=f"{topic}:{sid}", title=f"{layer.title}: {label or sid}",
            summary=_("neu") if new else _("geändert"), path=path, geom=geom))
    for sid, geom in gone.items():
        publish(Event(
            topic=topic, kind="feature.deleted", key=f"{topic}:{sid}",
            title=f"{layer.title}: {before[sid].label or sid}", summary=_("entfernt"),
            path=path, geom=geom))
    return len(changed) + len(removed)


def feature_edit_announce(*, feature: Place | Zone, kind: str) -> int:
    """An admin's edit of one feature of an opted-in layer, announced like a re-import's
    change (same topic, key and page): `kind` "feature.new", "feature.changed" or
    "feature.deleted". Call in the edit's transaction, after the write."""
    layer = feature.layer
    if not layer.alerts_enabled:
        return 0
    topic = alert_topic(layer)
    path = (reverse("themes:zones") if layer.kind == LayerKind.ZONE
            else reverse("themes:near", args=[layer.name]))
    summaries = {"feature.new": _("neu"), "feature.changed": _("geändert"),
                 "feature.deleted": _("entfernt")}
    publish(Event(
        topic=topic, kind=kind, key=f"{topic}:{feature.source_id}",
        title=f"{layer.title}: {feature.label or feature.source_id}",
        summary=summaries[kind], path=path, geom=feature.geom))
    return 1
