"""Mapping and orchestrator for dataset layers: the shared OGR reader's frame -> typed public
properties, a label, and geometry fit for a zone or a place layer -> one transaction.

Loader: `geoportal.importers.ogr.read_layer` over the one OGR reader `geoportal.ogr` (GeoJSON
with or without `crs`, Shapefile zipped or not, GeoPackage, CSV with coordinates; CRS from the
source or --source-crs; refuses data outside Germany). Nothing is written until every feature
is checked.
"""

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from django.conf import settings
from django.db import connection
from django.utils import timezone

from geoportal.importers.core import ImportFailed, ImportSummary, atomic_import, progress
from geoportal.importers.ogr import Layer as SourceLayer
from geoportal.importers.ogr import read_layer
from geoportal.ogc.layers import NAME_RE

from .. import events, registry
from ..models import DatasetLayer, LayerKind, Place, Zone, ZonePart

# Column names GDAL tries for a CSV's coordinates when --x-field/--y-field are not given.
CSV_X = "x,lon,lng,long,longitude,laenge,länge,rechtswert,easting,ostwert"
CSV_Y = "y,lat,latitude,breite,hochwert,northing,nordwert"
MAX_LABEL = 300
# Vertices per piece of a zone cut by ST_Subdivide (mapit and PostGIS docs suggest 64-256).
SUBDIVIDE_VERTICES = 128

# Settings a re-import keeps unless they are given again.
SETTINGS = ("title", "description", "color", "legend", "licence", "attribution", "publisher")


@dataclass(frozen=True)
class FieldSpec:
    name: str  # public name
    source: str  # field in the source


@dataclass(frozen=True)
class LayerSource:
    path: Path
    kind: str
    fields: tuple[str, ...] | None = None  # "public=source" or "source"; None: keep / all
    label_field: str | None = None
    source_crs: str | None = None
    source_layer: str | None = None  # one layer of a GeoPackage
    x_field: str | None = None  # CSV
    y_field: str | None = None
    id_field: str | None = None


def public_name(source: str) -> str:
    """`tags/name` -> `tags_name`, `Träger` -> `traeger`: a name fit for URLs, SQL and XML."""
    text = source.strip().lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    text = re.sub(r"[^a-z0-9_]+", "_", text).strip("_")
    if not text or not text[0].isalpha():
        text = "f_" + text
    return text[:63]


def _unreserved(name: str) -> str:
    return f"orig_{name}" if name in registry.RESERVED else name


def parse_fields(specs, available: list[str], path: Path) -> list[FieldSpec]:
    result: list[FieldSpec] = []
    for spec in specs:
        public, _, source = spec.partition("=") if "=" in spec else ("", "", spec)
        source = source.strip()
        public = public.strip() or public_name(source)
        if source not in available:
            raise ImportFailed(
                f"{path.name}: no field {source!r} (named by --fields). "
                f"The layer's fields are: {', '.join(available) or 'none'}."
            )
        if not NAME_RE.match(public) or public in registry.RESERVED:
            raise ImportFailed(
                f"{path.name}: field {source!r}: public name {public!r} is not allowed (lowercase "
                f"letters, digits and _, not one of {', '.join(sorted(registry.RESERVED))}). "
                "Rename it with --fields newname=source."
            )
        if public in {f.name for f in result}:
            raise ImportFailed(f"{path.name}: public field name {public!r} is given twice.")
        result.append(FieldSpec(public, source))
    return result


def _plain(value):
    """A source value as JSON: numpy scalars unboxed, NaN as null, dates as ISO text."""
    if type(value) is str:  # most values: checked first, 100,000 labels pass here
        value = " ".join(value.split())
        return value or None
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        value = " ".join(value.split())
        return value or None
    return value


def _json_type(values: list) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "integer"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "number"
    return "string"


def _typed(value, kind: str):
    if value is None:
        return None
    if kind == "string":
        return str(value)
    if kind == "number":
        return float(value)
    return value


def _geometries(source: SourceLayer, kind: str, summary: ImportSummary) -> np.ndarray:
    """Shapely geometries fit for the layer's kind (MultiPolygon / Point), in source order.

    Vectorised over the whole array (100,000 points in well under a second); only features
    that need a fix (invalid polygons, single polygons, areas for a place layer) are touched
    one by one."""
    geoms = shapely.force_2d(np.asarray(source.frame.geometry.values, dtype=object))
    types = np.asarray(source.frame.geometry.geom_type.values, dtype=object)
    fids = list(source.frame.index)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():
        raise ImportFailed(
            f"{source.path.name}: feature {fids[int(np.argmax(missing))]} has no geometry."
        )
    if kind == LayerKind.ZONE:
        wrong = ~np.isin(types, ["Polygon", "MultiPolygon"])
        if wrong.any():
            i = int(np.argmax(wrong))
            raise ImportFailed(
                f"{source.path.name}: feature {fids[i]} has a {types[i]}; a zone layer needs "
                "Polygon or MultiPolygon (import points with --kind poi)."
            )
        for i in np.flatnonzero(~shapely.is_valid(geoms)):
            fixed = shapely.make_valid(geoms[i])
            polygons = [g for g in shapely.get_parts(fixed) if g.geom_type == "Polygon"]
            geoms[i] = shapely.MultiPolygon(polygons)
            summary.repaired.append(str(fids[i]))
        for i in np.flatnonzero(shapely.get_type_id(geoms) == 3):  # Polygon -> MultiPolygon
            geoms[i] = shapely.MultiPolygon([geoms[i]])
        return geoms
    pointed = 0
    for i in np.flatnonzero(types != "Point"):
        if types[i] == "MultiPoint" and len(geoms[i].geoms) == 1:
            geoms[i] = geoms[i].geoms[0]
        elif types[i] in ("Polygon", "MultiPolygon"):
            geoms[i] = geoms[i].representative_point()
            pointed += 1
        else:
            raise ImportFailed(
                f"{source.path.name}: feature {fids[i]} has a {types[i]}; a place layer needs "
                "points (or areas, placed at a point inside them)."
            )
    if pointed:
        summary.notes.append(f"{pointed} areas placed at a point inside them")
    return geoms


def layer_import(
    *,
    source: LayerSource,
    name: str,
    settings_: dict | None = None,
    dry_run: bool = False,
    show_progress: bool = False,
) -> ImportSummary:
    """Create or replace a dataset layer's features from a file, all or nothing.

    A re-import replaces every feature of the layer and keeps its settings (title, colour,
    legend, licence, public fields, label) unless new ones are given in `settings_` / source."""
    settings_ = {k: v for k, v in (settings_ or {}).items() if v not in (None, "")}
    if not NAME_RE.match(name) or len(name) > 40:
        raise ImportFailed(
            f"--name {name!r}: use lowercase letters, digits and _ (at most 40, starting with a "
            "letter); it becomes the layer's URL and WFS type name."
        )
    if source.kind not in LayerKind.values:
        raise ImportFailed(f"--kind {source.kind!r}: use zone or poi.")
    existing = DatasetLayer.objects.filter(name=name).first()
    if existing and existing.kind != source.kind:
        raise ImportFailed(
            f"Layer {name!r} is a {existing.kind} layer; it cannot become {source.kind}. "
            "Choose another --name or delete the layer first."
        )
    if existing is None and not settings_.get("title"):
        raise ImportFailed(f"Layer {name!r} is new: give it a --title.")
    if existing is None and not settings_.get("licence"):
        raise ImportFailed(f"Layer {name!r} is new: give it a --licence (see --help).")

    path = Path(source.path)
    open_options = {}
    if path.suffix.lower() == ".csv":
        open_options = {
            "X_POSSIBLE_NAMES": source.x_field or CSV_X,
            "Y_POSSIBLE_NAMES": source.y_field or CSV_Y,
            "KEEP_GEOM_COLUMNS": "NO",
        }
    read = read_layer(
        path, layer=source.source_layer, source_crs=source.source_crs, open_options=open_options
    )
    if path.suffix.lower() == ".csv" and read.frame.geometry.isna().all() and len(read.frame):
        raise ImportFailed(
            f"{path.name}: no coordinate columns found; name them with --x-field and --y-field "
            f"(the layer's fields are: {', '.join(read.fields)})."
        )
    summary = ImportSummary(
        what=f"Layer {name}", source=path.name, source_crs=read.source_crs, read=len(read.frame)
    )
    if source.fields is not None:
        specs = parse_fields(source.fields, read.fields, path)
    elif existing is not None:
        specs = parse_fields([f"{f['name']}={f['source']}" for f in existing.fields],
                             read.fields, path)
    else:
        # Every field, under a name that cannot clash with the views' own columns.
        specs = parse_fields(
            [f"{_unreserved(public_name(f))}={f}" for f in read.fields], read.fields, path
        )
    label_field = source.label_field if source.label_field is not None else (
        existing.label_field if existing else ""
    )
    if label_field:
        read.require_field(label_field, "--label-field")
    if source.id_field:
        read.require_field(source.id_field, "--id-field")
    geometries = _geometries(read, source.kind, summary)

    frame = read.frame
    # tolist(): Python values at C speed (iterating a pandas column is several times slower).
    columns = {s.name: [_plain(v) for v in frame[s.source].tolist()] for s in specs}
    types = {n: _json_type(values) for n, values in columns.items()}
    labels = (
        [_plain(v) for v in frame[label_field].tolist()] if label_field else [None] * len(frame)
    )
    ids = (
        [_plain(v) for v in frame[source.id_field].tolist()]
        if source.id_field else frame.index.tolist()
    )
    for fid, label in zip(frame.index, labels, strict=True):
        if label is not None and len(str(label)) > MAX_LABEL:
            raise ImportFailed(
                f"{path.name}: feature {fid}: field {label_field!r} is {len(str(label))} "
                f"characters long; a label may have {MAX_LABEL}. Choose a shorter --label-field."
            )

    with atomic_import(summary, dry_run=dry_run):
        layer = existing or DatasetLayer(name=name, kind=source.kind)
        for key in SETTINGS:
            if key in settings_:
                setattr(layer, key, settings_[key])
        layer.fields = [{"name": s.name, "source": s.source, "type": types[s.name]} for s in specs]
        layer.label_field = label_field
        layer.source_name = path.name[:300]
        layer.source_crs = read.source_crs[:200]
        layer.feature_count = len(frame)
        layer.imported_at = timezone.now()
        layer.full_clean()
        layer.save()
        model = Zone if source.kind == LayerKind.ZONE else Place
        before = events.layer_fingerprints(layer=layer) if existing else None
        deleted = model.objects.filter(layer=layer).delete()[1].get(model._meta.label, 0)
        # Hex EWKB: PostGIS reads it as geometry text input, so COPY fills the table directly.
        ewkb = shapely.to_wkb(
            shapely.set_srid(geometries, int(settings.GEOPORTAL_SRID)), hex=True, include_srid=True
        )
        names = list(columns)
        typed = [[_typed(v, types[n]) for v in columns[n]] for n in names]
        lines = (
            f"{layer.pk}\t{_copy_text(str(ids[i])[:100])}\t"
            f"{'' if labels[i] is None else _copy_text(str(labels[i]))}\t"
            f"{_copy_text(json.dumps({n: typed[k][i] for k, n in enumerate(names)}))}\t"
            f"{ewkb[i]}\n"
            for i in range(len(frame))
        )
        _copy(model, lines, total=len(frame), show_progress=show_progress)
        if source.kind == LayerKind.ZONE:
            _subdivide(layer)
        registry.view_create(layer)
        events.layer_changes_announce(layer=layer, before=before)
        summary.created = len(frame)
        if deleted:
            summary.notes.append(f"replaced {deleted} features of the previous import")
    if not dry_run:
        registry.refresh()
    return summary


# COPY's text format: backslash, tab and line ends inside a value are escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
COPY_CHUNK = 10_000


def _copy_text(value: str) -> str:
    return value.translate(_COPY_ESCAPES)


def _copy(model, lines, *, total: int, show_progress: bool) -> None:
    """COPY, not INSERT: 100,000 points go in within seconds (bench/themes_layers.py). The rows
    are COPY text lines sent 10,000 at a time: psycopg's write_row per row cost as much as
    the database's own work."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = "layer_id, source_id, label, properties, geom"
    chunk: list[str] = []
    with connection.cursor() as cursor, cursor.copy(
        f"COPY {table} ({columns}) FROM STDIN"  # the model's own table name
    ) as copy:
        for line in progress(lines, total=total, label="features", enabled=show_progress):
            chunk.append(line)
            if len(chunk) == COPY_CHUNK:
                copy.write("".join(chunk))
                chunk.clear()
        if chunk:
            copy.write("".join(chunk))
    # Fresh statistics in the import's transaction: without them the planner, seeing a few
    # rows where 100,000 just arrived, filters by layer and sorts instead of walking the GiST
    # index nearest first (20 ms a radius search instead of ~1 ms until autovacuum came by).
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")


def _subdivide(layer: DatasetLayer) -> None:
    # ST_Subdivide is a set-returning function the ORM cannot insert from.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(ZonePart._meta.db_table)} (zone_id, geom) "  # noqa: S608
            "SELECT z.id, (ST_Dump(ST_Subdivide(z.geom, %s))).geom FROM "
            f"{connection.ops.quote_name(Zone._meta.db_table)} AS z WHERE z.layer_id = %s",
            [SUBDIVIDE_VERTICES, layer.pk],
        )
