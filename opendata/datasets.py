"""The open-data datasets: one per registered layer that has open-data metadata.

Everything a dataset publishes comes from its layer: rows from `layer.queryset()` (the layer's
public-rows filter), columns from `layer.fields` (the whitelist). Nothing here names a model
field, so open data can never show more than WFS, OGC API or the tiles do.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db.models import Count

from geoportal.ogc.layers import Layer, all_layers, get_layer
from geoportal.ogc.selectors import layer_fingerprint

from .metadata import OpenDataInfo, open_data_info


@dataclass(frozen=True)
class Format:
    ext: str
    label: str
    media_type: str
    eu_file_type: str  # http://publications.europa.eu/resource/authority/file-type/...
    crs: str


FORMATS: dict[str, Format] = {
    "geojson": Format("geojson", "GeoJSON", "application/geo+json", "GEOJSON", "EPSG:4326"),
    "csv": Format("csv", "CSV (WKT)", "text/csv", "CSV", "EPSG:25832"),
    "gpkg": Format("gpkg", "GeoPackage", "application/geopackage+sqlite3", "GPKG", "EPSG:25832"),
}


@dataclass(frozen=True)
class Dataset:
    layer: Layer
    info: OpenDataInfo
    count: int
    version: str  # changes with every insert, update or delete of the layer's rows
    modified: datetime

    @property
    def name(self) -> str:
        return self.layer.name


def cache_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "opendata"


def _modified(layer: Layer, version: str, last_modified: datetime | None) -> datetime:
    """The layer's newest `modified_field`, else when we first saw this version of its rows.

    Layers without a modified field (streets, addresses) still get a truthful dct:modified:
    a marker file per version is written the first time the version is seen."""
    if last_modified is not None:
        return last_modified
    marker = cache_dir() / f"{layer.name}-{version}.seen"
    if not marker.exists():
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    return datetime.fromtimestamp(marker.stat().st_mtime, tz=UTC)


def dataset_get(*, name: str) -> Dataset | None:
    layer = get_layer(name)
    info = open_data_info(layer) if layer is not None else None
    if layer is None or info is None:
        return None
    fingerprint = layer_fingerprint(layer=layer)
    version = fingerprint.etag.strip('"')[:16]
    count = layer.queryset().order_by().aggregate(n=Count("pk"))["n"]
    return Dataset(
        layer=layer,
        info=info,
        count=count,
        version=version,
        modified=_modified(layer, version, fingerprint.last_modified),
    )


def dataset_list() -> list[Dataset]:
    """The catalogue: every published layer that has rows. An empty layer (a city without
    counties or address points) offered as a download only disappoints; its URL still answers."""
    names = [layer.name for layer in all_layers() if open_data_info(layer) is not None]
    datasets = (dataset_get(name=name) for name in names)
    return [dataset for dataset in datasets if dataset is not None and dataset.count]
