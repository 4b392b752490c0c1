"""What a layer that opts in to alerts (`DatasetLayer.alerts_enabled`) announces to listeners:
its new and changed features after a re-import, topic `layer:<name>`, in the import's
transaction like reports, council papers and land-use plans."""

from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import Polygon
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


def layer_fingerprints(*, layer: DatasetLayer) -> dict[str, str] | None:
    """Per source id, a hash of label, public properties and geometry; None when the layer does
    not announce changes (not opted in, or a first import: a new map is not news of a place)."""
    if layer.pk is None or not layer.alerts_enabled:
        return None
    table = connection.ops.quote_name(_model(layer)._meta.db_table)
    # Raw SQL: md5 over the geometry's bytes; the table is this app's own.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT source_id, md5(label || properties::text || ST_AsEWKB(geom)::text) "  # noqa: S608
            f"FROM {table} WHERE layer_id = %s", [layer.pk])
        return dict(cursor.fetchall())


def layer_changes_announce(*, layer: DatasetLayer, before: dict[str, str] | None) -> int:
    """Call in the import's transaction after the new features are written. One event per new
    or changed feature; more than `THEMES_ALERTS_MAX_EVENTS` of them (a re-surveyed map) are
    one event over their extent, so nobody gets a thousand mails for one import."""
    if before is None:
        return 0
    after = layer_fingerprints(layer=layer) or {}
    changed = [sid for sid, digest in after.items() if before.get(sid) != digest]
    if not changed:
        return 0
    features = _model(layer).objects.filter(layer=layer, source_id__in=changed)
    path = (reverse("themes:zones") if layer.kind == LayerKind.ZONE
            else reverse("themes:near", args=[layer.name]))
    topic = alert_topic(layer)
    if len(changed) > conf.THEMES_ALERTS_MAX_EVENTS:
        box = Polygon.from_bbox(features.aggregate(extent=Extent("geom"))["extent"])
        box.srid = features.model._meta.get_field("geom").srid
        publish(Event(
            topic=topic, kind="layer.updated",
            key=f"{topic}:import:{int(layer.imported_at.timestamp())}",
            title=_("%(layer)s: %(n)s Objekte neu oder geändert")
            % {"layer": layer.title, "n": len(changed)}, path=path, geom=box))
        return 1
    for feature in features.only("source_id", "label", "geom"):
        new = feature.source_id not in before
        publish(Event(
            topic=topic, kind="feature.new" if new else "feature.changed",
            key=f"{topic}:{feature.source_id}",
            title=f"{layer.title}: {feature.label or feature.source_id}",
            summary=_("neu") if new else _("geändert"), path=path, geom=feature.geom))
    return len(changed)


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
