"""Writes on dataset layers. The import itself is `themes.importers.dataset.layer_import`."""

from pathlib import Path

from django.db import connection, transaction
from django.db.models import F

from geoportal.importers.core import ImportSummary

from . import events, registry
from .importers.dataset import SUBDIVIDE_VERTICES, LayerSource, layer_import
from .models import DatasetLayer, Place, Zone, ZonePart

# What a feature shows the public: an edit of anything else (its source id) is no news.
PUBLIC_FEATURE_FIELDS = {"label", "properties", "geom"}


def dataset_layer_import(
    *,
    path: str | Path,
    name: str,
    kind: str,
    title: str | None = None,
    fields: list[str] | None = None,
    label_field: str | None = None,
    source_crs: str | None = None,
    source_layer: str | None = None,
    x_field: str | None = None,
    y_field: str | None = None,
    id_field: str | None = None,
    settings: dict | None = None,
    dry_run: bool = False,
    show_progress: bool = False,
) -> ImportSummary:
    """Create or replace a dataset layer from a file (command and admin call this)."""
    source = LayerSource(
        path=Path(path), kind=kind, fields=tuple(fields) if fields is not None else None,
        label_field=label_field, source_crs=source_crs, source_layer=source_layer,
        x_field=x_field, y_field=y_field, id_field=id_field,
    )
    return layer_import(
        source=source, name=name, settings_={**(settings or {}), "title": title},
        dry_run=dry_run, show_progress=show_progress,
    )


@transaction.atomic
def dataset_layer_update(*, layer: DatasetLayer, **changes) -> DatasetLayer:
    """Change a layer's presentation (title, colour, legend, licence, ...); rows stay."""
    for key, value in changes.items():
        setattr(layer, key, value)
    layer.full_clean()
    layer.save()
    transaction.on_commit(registry.refresh)
    registry.refresh()
    return layer


@transaction.atomic
def dataset_layer_delete(*, layer: DatasetLayer) -> None:
    registry.view_drop(layer)
    layer.delete()
    transaction.on_commit(registry.refresh)
    registry.refresh()


def _zone_parts_rebuild(zone: Zone) -> None:
    # The parts answer "which zone am I in" (ST_Subdivide, as the importer cuts them).
    ZonePart.objects.filter(zone=zone).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(ZonePart._meta.db_table)} (zone_id, geom) "  # noqa: S608
            "SELECT z.id, (ST_Dump(ST_Subdivide(z.geom, %s))).geom FROM "
            f"{connection.ops.quote_name(Zone._meta.db_table)} AS z WHERE z.id = %s",
            [SUBDIVIDE_VERTICES, zone.pk])


@transaction.atomic
def layer_feature_save(*, feature: Place | Zone, changed: set[str] | list[str]) -> None:
    """Save one feature edited by staff (the admin); a new or publicly changed feature of a
    layer that opts in to alerts is announced in this transaction, as a re-import does."""
    created = feature.pk is None
    # No public fields is allowed ({}), as the importer writes for layers without any.
    if feature.properties is None:
        feature.properties = {}
    feature.full_clean(exclude=["properties"])
    feature.save()
    if isinstance(feature, Zone):
        _zone_parts_rebuild(feature)
    if created:
        DatasetLayer.objects.filter(pk=feature.layer_id).update(
            feature_count=F("feature_count") + 1)
        events.feature_edit_announce(feature=feature, kind="feature.new")
    elif PUBLIC_FEATURE_FIELDS & set(changed):
        events.feature_edit_announce(feature=feature, kind="feature.changed")


@transaction.atomic
def layer_feature_delete(*, feature: Place | Zone) -> None:
    events.feature_edit_announce(feature=feature, kind="feature.deleted")
    DatasetLayer.objects.filter(pk=feature.layer_id).update(feature_count=F("feature_count") - 1)
    feature.delete()
