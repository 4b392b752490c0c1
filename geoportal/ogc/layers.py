"""The layer registry: the one place that WFS, OGC API - Features, vector tiles and the GeoJSON
endpoints read. An app publishes a layer by calling `register_layer(Layer(...))` in its
`AppConfig.ready()`; see docs/services.md.

Only the fields listed in `Layer.fields` (and the names declared in `Layer.related_fields`)
ever leave the server: every service builds its output from this whitelist, never from the
model's full field list.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.gis.db import models as gis_models
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import F

NAME_RE = re.compile(r"\A[a-z][a-z0-9_]{0,62}\Z")

# Model field classes a layer may publish as properties, and the JSON schema type OGC API
# clients read for them. Anything else (files, JSON blobs, relations to many) is refused at
# registration, so a careless field list fails at startup rather than leaking data.
PROPERTY_TYPES: list[tuple[type[models.Field], str]] = [
    (models.BooleanField, "boolean"),
    (models.IntegerField, "integer"),  # also Positive*, Big*, Small*, AutoField
    (models.FloatField, "number"),
    (models.DecimalField, "number"),
    (models.DateTimeField, "string"),  # before DateField: DateTimeField is a DateField
    (models.DateField, "string"),
    (models.CharField, "string"),
    (models.TextField, "string"),
    (models.UUIDField, "string"),
    (models.ForeignKey, "integer"),  # published as the raw id (`parent_id`), never expanded
]


@dataclass(frozen=True)
class Property:
    name: str  # what clients see, e.g. "parent_id"
    column: str  # the database column, checked against the model
    model_field: models.Field
    json_type: str
    format: str | None = None  # "date-time" / "date" for OpenAPI
    # The ORM path of a related field ("category__name"); "" for a field of the model itself.
    lookup: str = ""
    nullable: bool = False


@dataclass(frozen=True)
class StyleClass:
    """One legend entry: the rows whose `Layer.style_property` equals `value`."""

    value: str
    label: str
    color: str  # "#RRGGBB"
    fill: bool = True  # False: only the outline (a boundary sign, not an area colour)


@dataclass(frozen=True)
class Layer:
    """One published layer. `name` is used in URLs, WFS type names and MVT layer names."""

    name: str
    title: str
    model: type[models.Model]
    fields: tuple[str, ...]
    description: str = ""
    # Fields of related rows published under a name of their own, e.g. the category's name
    # beside `category_id`: (public name, path of forward foreign keys ending in a plain field),
    # such as ("category_name", "category__name"). Declared in code and checked at registration
    # like `fields` (no reverse relations, so no way into another table's private rows); the
    # rows carry each as an annotation, so every service reads it as a column of the layer's
    # row source and no request value ever becomes SQL.
    related_fields: tuple[tuple[str, str], ...] = ()
    geometry_field: str = "geom"
    # Narrows the model's rows, e.g. `lambda qs: qs.filter(is_public=True)`. Every service
    # reads rows through this filter, so a non-public row never reaches any output.
    rows: Callable[[models.QuerySet], models.QuerySet] | None = field(default=None, compare=False)
    # Optional: the field OGC API `datetime=` filters on (a DateTimeField or DateField).
    datetime_field: str | None = None
    # Optional: a field that changes on every write, sent as Last-Modified.
    modified_field: str | None = None
    # A unique order, so paging (WFS STARTINDEX, OGC API offset) returns every row once.
    order_by: tuple[str, ...] = ("pk",)
    keywords: tuple[str, ...] = ()
    # Vector tiles are empty below min_zoom: a zoom-10 tile of 100,000 points helps nobody.
    min_zoom: int = 0
    max_zoom: int = 22
    # Optional: the app's own tile for some zooms, `tile_builder(name=, z=, x=, y=)` -> MVT bytes,
    # or None for the generic tile of every row (e.g. reports send clusters from a pre-counted
    # grid at low zooms, where a tile of every row would be megabytes). It must apply the
    # layer's `rows` filter itself and publish no field outside `fields`.
    tile_builder: Callable[..., bytes | None] | None = field(default=None, compare=False)
    # Optional: a cheap change marker, `fingerprint()` -> (text, last modified or None), for
    # layers too big for the generic one (count and newest row version of every row: ~0.7 s at
    # 1 M rows, paid on every tile revalidation). It must change whenever a published row does.
    fingerprint: Callable[[], tuple[str, object]] | None = field(default=None, compare=False)
    # Metres of ST_Simplify per pixel-ish at the web map's GeoJSON (0 = exact geometry).
    geojson_simplify_m: float = 0.0
    # Optional categorised symbology (e.g. PlanZV colours by class_code), served as a MapLibre
    # style, QGIS .qml and SLD (geoportal/ogc/styles.py). A callable, so the owning app's legend
    # table is read when a style is asked for, not at registration.
    style_property: str | None = None
    style_classes: Callable[[], tuple[StyleClass, ...]] | None = field(default=None, compare=False)
    # Re-use terms for layers whose licence is not set centrally (opendata.metadata): a licence
    # URI (DCAT-AP.de vocabulary), the attribution text, the publisher.
    licence: str = ""
    attribution: str = ""
    publisher: str = ""
    # Shown in the city map's layer list when set: {"color": "#..."}; see geoportal/views.py.
    map_style: dict | None = field(default=None, compare=False)

    def queryset(self) -> models.QuerySet:
        rows = self.model._default_manager.all()
        if self.related_fields:
            rows = rows.annotate(**{name: F(path) for name, path in self.related_fields})
        return self.rows(rows) if self.rows else rows

    @cached_property
    def pk_column(self) -> str:
        return self.model._meta.pk.column

    @cached_property
    def geometry(self) -> gis_models.GeometryField:
        return self.model._meta.get_field(self.geometry_field)

    @cached_property
    def geometry_type(self) -> str:
        """OGC geometry type name, e.g. MultiPolygon."""
        return GEOMETRY_TYPES.get(self.geometry.geom_type.upper(), "Geometry")

    @cached_property
    def properties(self) -> tuple[Property, ...]:
        return tuple(_property(self.model, name) for name in self.fields) + tuple(
            _related_property(self.model, name, path) for name, path in self.related_fields
        )

    def get_property(self, name: str) -> Property | None:
        return next((p for p in self.properties if p.name == name), None)

    @cached_property
    def datetime_property(self) -> Property | None:
        return _property(self.model, self.datetime_field) if self.datetime_field else None

    @cached_property
    def modified_property(self) -> Property | None:
        return _property(self.model, self.modified_field) if self.modified_field else None

    @cached_property
    def order_columns(self) -> tuple[tuple[str, bool], ...]:
        """(column, descending) pairs for raw SQL; the primary key closes every order."""
        columns = []
        for item in self.order_by:
            desc = item.startswith("-")
            name = item.lstrip("-")
            column = self.pk_column if name == "pk" else self.model._meta.get_field(name).column
            columns.append((column, desc))
        if self.pk_column not in {column for column, _ in columns}:
            columns.append((self.pk_column, False))
        return tuple(columns)

    @property
    def orm_order(self) -> tuple[str, ...]:
        names = list(self.order_by)
        if not any(n.lstrip("-") in ("pk", self.model._meta.pk.name) for n in names):
            names.append("pk")
        return tuple(names)

    def validate(self) -> None:
        if not NAME_RE.match(self.name):
            raise ImproperlyConfigured(
                f"Layer name {self.name!r}: use lowercase letters, digits and _ (URL and XML safe)."
            )
        try:
            geometry = self.geometry
        except FieldDoesNotExist as exc:
            raise ImproperlyConfigured(f"Layer {self.name}: {exc}") from exc
        if not isinstance(geometry, gis_models.GeometryField):
            raise ImproperlyConfigured(f"Layer {self.name}: {self.geometry_field} is no geometry.")
        if isinstance(self.fields, str):
            raise ImproperlyConfigured(
                f"Layer {self.name}: fields is a tuple of plain field names ('__all__' is refused)."
            )
        if not self.fields:
            raise ImproperlyConfigured(f"Layer {self.name}: list the public fields explicitly.")
        try:
            self.properties  # noqa: B018 - resolves and checks every field
            self.datetime_property  # noqa: B018
            self.modified_property  # noqa: B018
            self.order_columns  # noqa: B018
        except FieldDoesNotExist as exc:
            raise ImproperlyConfigured(f"Layer {self.name}: {exc}") from exc
        names = [p.name for p in self.properties]
        if len(names) != len(set(names)):
            raise ImproperlyConfigured(f"Layer {self.name}: a property name is used twice.")
        if not 0 <= self.min_zoom <= self.max_zoom <= 24:
            raise ImproperlyConfigured(f"Layer {self.name}: need 0 <= min_zoom <= max_zoom <= 24.")
        if (self.style_property is None) != (self.style_classes is None):
            raise ImproperlyConfigured(
                f"Layer {self.name}: style_property and style_classes go together."
            )
        if self.style_property and self.get_property(self.style_property) is None:
            raise ImproperlyConfigured(
                f"Layer {self.name}: style_property {self.style_property!r} is not in fields."
            )


def _property(model: type[models.Model], name: str) -> Property:
    if name == "__all__" or "__" in name:
        raise ImproperlyConfigured(f"{model.__name__}: list plain field names, not {name!r}.")
    model_field = model._meta.get_field(name)  # also finds a foreign key by its attname
    if isinstance(model_field, models.ForeignKey) and name != model_field.attname:
        raise ImproperlyConfigured(f"{model.__name__}: publish the foreign key as {name}_id.")
    if isinstance(model_field, gis_models.GeometryField):
        raise ImproperlyConfigured(f"{model.__name__}.{name}: geometry goes in geometry_field.")
    for field_class, json_type in PROPERTY_TYPES:
        if isinstance(model_field, field_class):
            fmt = (
                "date-time"
                if isinstance(model_field, models.DateTimeField)
                else "date"
                if isinstance(model_field, models.DateField)
                else None
            )
            return Property(
                name, model_field.column, model_field, json_type, fmt, nullable=model_field.null
            )
    raise ImproperlyConfigured(
        f"{model.__name__}.{name}: {type(model_field).__name__} cannot be published as a property."
    )


def _related_property(model: type[models.Model], name: str, path: str) -> Property:
    """A plain field reached through forward foreign keys only ("category__name")."""
    if not NAME_RE.match(name):
        raise ImproperlyConfigured(f"{model.__name__}: {name!r} is no valid property name.")
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        pass
    else:
        raise ImproperlyConfigured(f"{model.__name__}: {name!r} is a field of the model already.")
    *hops, last = path.split("__")
    if not hops:
        raise ImproperlyConfigured(f"{model.__name__}.{name}: {path!r} is no related path.")
    current, nullable = model, False
    for hop in hops:
        relation = current._meta.get_field(hop)
        # A forward foreign key (or one-to-one) only: a reverse relation could reach rows that
        # belong to this one, such as the reporter of a report.
        if not isinstance(relation, models.ForeignKey):
            raise ImproperlyConfigured(
                f"{model.__name__}.{name}: {hop!r} in {path!r} is no forward foreign key."
            )
        nullable = nullable or relation.null
        current = relation.related_model
    final = _property(current, last)
    if isinstance(final.model_field, models.ForeignKey):
        raise ImproperlyConfigured(f"{model.__name__}.{name}: {path!r} must end in a plain field.")
    return Property(
        name,
        name,  # the annotation's alias in the row source
        final.model_field,
        final.json_type,
        final.format,
        lookup=path,
        nullable=nullable or final.nullable,
    )


GEOMETRY_TYPES = {
    name.upper(): name
    for name in (
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    )
}

_registry: dict[str, Layer] = {}
# Callables returning layers defined at run time (e.g. datasets imported into `themes`): asked
# on every lookup, so a layer imported after start-up is served without a restart.
_sources: list[Callable[[], Iterable[Layer]]] = []


def register_layer(layer: Layer) -> Layer:
    """Publish a layer on every service. Call it from your AppConfig.ready()."""
    layer.validate()
    existing = _registry.get(layer.name)
    if existing is not None and existing != layer:
        raise ImproperlyConfigured(f"A layer named {layer.name!r} is registered already.")
    _registry[layer.name] = layer
    return layer


def unregister_layer(name: str) -> None:
    """For tests that register a throwaway layer."""
    _registry.pop(name, None)


def register_layer_source(source: Callable[[], Iterable[Layer]]) -> None:
    """Publish layers that only exist at run time. `source()` is called on every lookup and
    must be cheap (cache, and refresh when the data says so); names must not clash with
    registered layers (those win)."""
    if source not in _sources:
        _sources.append(source)


def _dynamic_layers() -> list[Layer]:
    return [layer for source in _sources for layer in source() if layer.name not in _registry]


def get_layer(name: str) -> Layer | None:
    return _registry.get(name) or next((x for x in _dynamic_layers() if x.name == name), None)


def all_layers() -> list[Layer]:
    return list(_registry.values()) + _dynamic_layers()
