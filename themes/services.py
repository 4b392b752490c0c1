"""Writes on dataset layers. The import itself is `themes.importers.dataset.layer_import`."""

from pathlib import Path

from django.db import transaction

from geoportal.importers.core import ImportSummary

from . import registry
from .importers.dataset import LayerSource, layer_import
from .models import DatasetLayer


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
