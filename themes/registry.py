"""Dataset layers on every service: each DatasetLayer becomes a `geoportal.ogc` Layer.

The layer registry publishes model fields. A dataset's public properties live in JSONB, so
each dataset gets a database view with one typed column per public field (and only those),
and an unmanaged model over that view, built at run time in an `Apps` registry of its own (so
migrations and the admin never see it). WFS, OGC API, tiles, /geojson/ and open data then
read the view like any table; PostgreSQL inlines it, so the GiST index on the base table
still answers bbox and tile queries.

Processes learn about an import in another process by re-reading the (tiny) layer table when
their list is older than `conf.THEMES_LAYER_REFRESH_SECONDS`; the importing process refreshes
at once.
"""

# ruff: noqa: S608 - the DDL below interpolates only identifiers checked against NAME_RE and
# the integer layer id.

import threading
import time

from django.apps.registry import Apps
from django.conf import settings
from django.contrib.gis.db import models as gis_models
from django.db import connection, models
from django.db.models import Count, Max

from geoportal.ogc.layers import NAME_RE, Layer

from . import conf
from .models import DatasetLayer, LayerKind, Place, Zone

VIEW_PREFIX = "themes_layer_"
# Columns every dataset view has besides the public fields; public names must avoid them.
RESERVED = {"id", "source_id", "label", "geom", "xmin", "layer_id"}

SQL_TYPES = {
    "string": "text",
    "integer": "bigint",
    "number": "double precision",
    "boolean": "boolean",
}
MODEL_FIELDS = {
    "string": lambda: models.TextField(null=True),
    "integer": lambda: models.BigIntegerField(null=True),
    "number": lambda: models.FloatField(null=True),
    "boolean": lambda: models.BooleanField(null=True),
}


def view_name(layer: DatasetLayer) -> str:
    return VIEW_PREFIX + layer.name


def _q(identifier: str) -> str:
    return connection.ops.quote_name(identifier)


def _column(field: dict) -> str:
    name, kind = field["name"], field["type"]
    if not NAME_RE.match(name) or name in RESERVED or kind not in SQL_TYPES:
        raise ValueError(f"public field {name!r} ({kind}) cannot be a column")
    return f"(f.properties ->> '{name}')::{SQL_TYPES[kind]} AS {_q(name)}"


def view_create(layer: DatasetLayer) -> None:
    """(Re)create the layer's view; call inside the import's transaction."""
    table = (Zone if layer.kind == LayerKind.ZONE else Place)._meta.db_table
    columns = "".join(f", {_column(field)}" for field in layer.fields)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP VIEW IF EXISTS {_q(view_name(layer))}")
        cursor.execute(
            f"CREATE VIEW {_q(view_name(layer))} AS SELECT f.id, f.source_id, f.label, f.geom, "
            f"f.xmin::text::bigint AS xmin{columns} FROM {_q(table)} AS f "
            f"WHERE f.layer_id = {int(layer.pk)}"
        )


def view_drop(layer: DatasetLayer) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP VIEW IF EXISTS {_q(view_name(layer))}")


def _model(layer: DatasetLayer) -> type[models.Model]:
    geometry = (
        gis_models.MultiPolygonField(srid=settings.GEOPORTAL_SRID)
        if layer.kind == LayerKind.ZONE
        else gis_models.PointField(srid=settings.GEOPORTAL_SRID)
    )
    meta = type(
        "Meta",
        (),
        {"managed": False, "db_table": view_name(layer), "app_label": "themes", "apps": Apps()},
    )
    attrs = {
        "__module__": __name__,
        "Meta": meta,
        "id": models.BigIntegerField(primary_key=True),
        "source_id": models.CharField(max_length=100),
        "label": models.CharField(max_length=300),
        "geom": geometry,
        **{f["name"]: MODEL_FIELDS[f["type"]]() for f in layer.fields},
    }
    return type(f"Dataset_{layer.name}", (models.Model,), attrs)


def as_layer(layer: DatasetLayer) -> Layer:
    return Layer(
        name=layer.name,
        title=layer.title,
        description=layer.description or layer.legend,
        model=_model(layer),
        fields=("label", *layer.public_names),
        order_by=("label", "pk"),
        keywords=("Themenkarte", str(LayerKind(layer.kind).label)),
        min_zoom=0 if layer.feature_count <= 20_000 else 12,
        licence=layer.licence,
        attribution=layer.attribution,
        publisher=layer.publisher,
        map_style={"color": layer.color, "kind": layer.kind, "legend": layer.legend},
    )


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.layers: list[Layer] = []
        self.stamp: tuple | None = None
        self.checked: float | None = None  # None: never read from the database


_cache = _Cache()


def _stamp() -> tuple:
    row = DatasetLayer.objects.aggregate(n=Count("pk"), m=Max("updated_at"))
    return row["n"], row["m"]


def refresh() -> None:
    """Re-read the dataset layers now (after an import or a change in this process)."""
    with _cache.lock:
        layers = [as_layer(x) for x in DatasetLayer.objects.exclude(feature_count=0).order_by("pk")]
        _cache.layers, _cache.stamp, _cache.checked = layers, _stamp(), time.monotonic()


def reset(layers: list[Layer] | None = None) -> None:
    """Forget what was read (tests, after their transaction rolled the views back)."""
    with _cache.lock:
        _cache.layers, _cache.stamp = list(layers or []), None
        _cache.checked = time.monotonic()


def theme_layers() -> list[Layer]:
    """The layer source geoportal.ogc asks on every lookup."""
    every = conf.THEMES_LAYER_REFRESH_SECONDS
    now = time.monotonic()
    if every is None:
        return _cache.layers  # the test suite: only this process's imports (refresh()) count
    if _cache.checked is None:
        if DatasetLayer._meta.db_table not in connection.introspection.table_names():
            return []  # before `migrate`
        refresh()
    elif now - _cache.checked >= every:
        _cache.checked = now
        if _stamp() != _cache.stamp:
            refresh()
    return _cache.layers
