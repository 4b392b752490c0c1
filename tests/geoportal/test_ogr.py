"""The one OGR reader (geoportal/ogr.py) that geoportal's importers, dataset layers and the
land-use plan all read through: same CRS handling, same "inside Germany", same errors."""

import json
import zipfile

import geopandas as gpd
import pytest
import shapely

from geoportal.importers.core import ImportFailed
from geoportal.importers.ogr import read_layer
from geoportal.ogr import SourceError, read_source
from landuse.importers import ogr as landuse_ogr
from landuse.importers.types import PlanReadError

QUARTERS = "koeln/koeln_stadtteile.shp"  # UTM 32N with a 2,500,000 m false easting (.prj)


def test_geoportal_and_landuse_read_the_same_geometries(fixtures_dir):
    path = fixtures_dir / QUARTERS
    source = read_source(path)
    plan = landuse_ogr.read_plan(path, class_field="STT_NR",
                                 classifier=lambda row: ("wohnbauflaeche", [], {}))
    layer = read_layer(path)
    assert source.driver == "ESRI Shapefile" and source.layer == "koeln_stadtteile"
    assert len(plan.features) == len(source.frame) == len(layer.frame) == 86
    first = shapely.from_wkb(plan.features[0].geometry_wkb)
    assert first.equals_exact(shapely.MultiPolygon([layer.frame.geometry.iloc[0]])
                              if layer.frame.geometry.iloc[0].geom_type == "Polygon"
                              else layer.frame.geometry.iloc[0], 1e-6)
    # The false easting is read from the .prj: Köln lies around x = 356,000 in EPSG:25832.
    assert 340_000 < first.centroid.x < 375_000
    assert plan.meta.source_format == source.driver


def test_named_crs_wins_over_the_geojson_default(tmp_path):
    # German open data often ships UTM coordinates in a GeoJSON without `crs`; GDAL would take
    # them as WGS84 degrees, and --source-crs must say otherwise.
    path = tmp_path / "utm.geojson"
    feature = {"type": "Feature", "properties": {"name": "Dom"},
               "geometry": {"type": "Point", "coordinates": [356_500, 5_645_600]}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(ImportFailed, match="utm.geojson, field crs: .*cannot be reprojected"):
        read_layer(path)
    point = read_layer(path, source_crs="EPSG:25832").frame.geometry.iloc[0]
    assert (point.x, point.y) == (356_500, 5_645_600)


def test_several_layers_need_a_name_in_both_readers(tmp_path, fixtures_dir):
    frame = gpd.read_file(fixtures_dir / "themes" / "koeln_kitas_osm.geojson").head(3)
    gpkg = tmp_path / "two.gpkg"
    frame.to_file(gpkg, layer="kitas")
    frame.to_file(gpkg, layer="schulen")
    with pytest.raises(SourceError, match=r"two.gpkg, field layer: 2 layers \(kitas, schulen\)"):
        read_source(gpkg)
    with pytest.raises(PlanReadError, match="field layer: 2 layers"):
        landuse_ogr.read_plan(gpkg, classes_csv="unused.csv")
    assert len(read_layer(gpkg, layer="schulen").frame) == 3


def test_a_zip_with_two_vector_files_is_refused(tmp_path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.geojson", "{}")
        archive.writestr("b.geojson", "{}")
    with pytest.raises(ImportFailed, match="expected one vector file in the zip, found a.geojson"):
        read_layer(path)
