"""import_layer: every source format, re-import, bad input that names file, feature and field."""

import json
import zipfile

import geopandas as gpd
import pytest
import shapely
from django.core.management import CommandError, call_command

from geoportal.ogc.layers import get_layer
from themes.models import DatasetLayer, Place, Zone, ZonePart

pytestmark = pytest.mark.django_db

KOELN_DOM = (6.9581, 50.9413)  # lon, lat


def _cmd(*args):
    call_command("import_layer", *[str(a) for a in args], verbosity=0)


def _points_frame():
    return gpd.GeoDataFrame(
        {"Name": ["Kita Dom", "Kita Ring"], "Traeger": ["Stadt", "Kirche"], "Plaetze": [40, 55],
         "rollstuhlgerecht": [True, False]},
        geometry=[shapely.Point(*KOELN_DOM), shapely.Point(6.94, 50.94)], crs="EPSG:4326",
    )


def test_geojson_without_crs_becomes_a_zone_layer(umweltzone):
    layer = DatasetLayer.objects.get(name="umweltzone")
    assert layer.kind == "zone" and layer.feature_count == 6
    assert Zone.objects.filter(layer=layer).count() == 6
    # Big polygons are cut into small pieces for point lookups.
    assert ZonePart.objects.filter(zone__layer=layer).count() > 6
    assert layer.source_crs == "EPSG:4326"
    published = get_layer("umweltzone")
    assert published is not None and published.title == "Umweltzone Köln"
    assert published.fields == ("label",)


def test_shapefile_zipped_and_plain_in_another_crs(tmp_path):
    frame = _points_frame().to_crs("EPSG:31466")  # Gauß-Krüger zone 2: declared by the .prj
    frame.to_file(tmp_path / "kitas.shp")
    _cmd(tmp_path / "kitas.shp", "--name", "kitas_shp", "--title", "Kitas", "--kind", "poi",
         "--licence", "dl-de/by-2.0", "--label-field", "Name")
    place = Place.objects.get(layer__name="kitas_shp", label="Kita Dom")
    assert place.geom.srid == 25832
    dom = shapely.Point(356_540, 5_645_260)  # the same point in EPSG:25832, ±5 m
    assert shapely.Point(place.geom.x, place.geom.y).distance(dom) < 60
    with zipfile.ZipFile(tmp_path / "kitas.zip", "w") as archive:
        for suffix in ("shp", "shx", "dbf", "prj", "cpg"):
            if (tmp_path / f"kitas.{suffix}").exists():
                archive.write(tmp_path / f"kitas.{suffix}", f"kitas.{suffix}")
    _cmd(tmp_path / "kitas.zip", "--name", "kitas_zip", "--title", "Kitas", "--kind", "poi",
         "--licence", "dl-de/by-2.0")
    assert Place.objects.filter(layer__name="kitas_zip").count() == 2


def test_geopackage_and_csv(tmp_path):
    _points_frame().to_crs("EPSG:25832").to_file(tmp_path / "orte.gpkg", layer="orte")
    _cmd(tmp_path / "orte.gpkg", "--name", "orte", "--title", "Orte", "--kind", "poi",
         "--licence", "odbl", "--fields", "traeger=Traeger,plaetze=Plaetze,rollstuhlgerecht",
         "--label-field", "Name")
    layer = DatasetLayer.objects.get(name="orte")
    assert [(f["name"], f["type"]) for f in layer.fields] == [
        ("traeger", "string"), ("plaetze", "integer"), ("rollstuhlgerecht", "boolean")]
    assert get_layer("orte").fields == ("label", "traeger", "plaetze", "rollstuhlgerecht")
    (tmp_path / "orte.csv").write_text(
        "name;rechtswert;hochwert\nA;356540;5645260\nB;357000;5646000\n", encoding="utf-8"
    )
    _cmd(tmp_path / "orte.csv", "--name", "orte_csv", "--title", "Orte", "--kind", "poi",
         "--licence", "odbl", "--source-crs", "EPSG:25832", "--label-field", "name")
    assert sorted(Place.objects.filter(layer__name="orte_csv").values_list("label", flat=True)) \
        == ["A", "B"]


def test_reimport_replaces_rows_and_keeps_settings(kitas, fixtures_dir, tmp_path):
    layer = DatasetLayer.objects.get(name="kitas")
    layer.legend = "Kitas der Stadt"
    layer.save()
    frame = _points_frame().rename(columns={"Name": "tags/name"})
    frame[["tags/name", "geometry"]].to_file(tmp_path / "neu.geojson", driver="GeoJSON")
    _cmd(tmp_path / "neu.geojson", "--name", "kitas", "--kind", "poi")
    layer.refresh_from_db()
    assert layer.feature_count == 2 and Place.objects.filter(layer=layer).count() == 2
    assert layer.legend == "Kitas der Stadt" and layer.title == "Kitas"
    assert layer.public_names == ["name"] and layer.label_field == "tags/name"
    assert layer.licence.endswith("odbl")


def test_dry_run_writes_nothing(fixtures_dir):
    _cmd(fixtures_dir / "themes" / "koeln_kitas_osm.geojson", "--name", "probe", "--title", "P",
         "--kind", "poi", "--licence", "odbl", "--dry-run")
    assert not DatasetLayer.objects.filter(name="probe").exists()
    assert get_layer("probe") is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "poi", "--fields", "nope"], "no field 'nope'"),
        (["--kind", "poi", "--label-field", "nope"], "no field 'nope' (named by --label-field)"),
        (["--kind", "zone"], "feature 0 has a Point; a zone layer needs Polygon"),
        (["--kind", "poi", "--fields", "id=tags/name"], "public name 'id' is not allowed"),
    ],
)
def test_bad_input_names_file_feature_and_field(fixtures_dir, args, message):
    path = fixtures_dir / "themes" / "koeln_kitas_osm.geojson"
    with pytest.raises(CommandError) as exc:
        _cmd(path, "--name", "bad", "--title", "B", "--licence", "odbl", *args)
    assert message in str(exc.value) and "koeln_kitas_osm.geojson" in str(exc.value)
    assert not DatasetLayer.objects.filter(name="bad").exists()


def test_wrong_crs_is_refused(tmp_path):
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"n": 1},
         "geometry": {"type": "Point", "coordinates": [356540, 5645260]}}]}
    path = tmp_path / "utm.geojson"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="outside Germany"):
        _cmd(path, "--name", "utm", "--title", "U", "--kind", "poi", "--licence", "odbl",
             "--source-crs", "EPSG:31467")
    assert not DatasetLayer.objects.filter(name="utm").exists()


def test_new_layer_needs_title_and_licence(fixtures_dir):
    path = fixtures_dir / "themes" / "koeln_kitas_osm.geojson"
    with pytest.raises(CommandError, match="give it a --title"):
        _cmd(path, "--name", "x", "--kind", "poi", "--licence", "odbl")
    with pytest.raises(CommandError, match="--licence"):
        _cmd(path, "--name", "x", "--kind", "poi", "--title", "X")
    with pytest.raises(CommandError, match="use one of"):
        _cmd(path, "--name", "x", "--kind", "poi", "--title", "X", "--licence", "gpl")


def test_a_layer_cannot_change_its_kind(umweltzone, fixtures_dir):
    with pytest.raises(CommandError, match="is a zone layer"):
        _cmd(fixtures_dir / "themes" / "koeln_kitas_osm.geojson", "--name", "umweltzone",
             "--kind", "poi")


def test_text_with_copy_control_characters_arrives_unchanged(tmp_path):
    # The rows travel as COPY text: backslashes, tabs and line ends must be escaped, not eaten.
    tricky = 'C:\\Kita\t"Sonnen\\schein"\nÄrger ☀'
    frame = gpd.GeoDataFrame(
        {"name": [tricky, "plain"], "note": ["a\\tb", None]},
        geometry=[shapely.Point(*KOELN_DOM), shapely.Point(6.94, 50.94)], crs="EPSG:4326",
    )
    path = tmp_path / "tricky.geojson"
    frame.to_file(path, driver="GeoJSON")
    _cmd(path, "--name", "tricky", "--title", "Tricky", "--kind", "poi", "--licence", "odbl",
         "--label-field", "name")
    places = {p.source_id: p for p in Place.objects.filter(layer__name="tricky")}
    first = places["0"]
    assert first.label == " ".join(tricky.split())  # labels are one line, inner spaces kept
    assert first.properties == {"name": " ".join(tricky.split()), "note": "a\\tb"}
    assert places["1"].properties == {"name": "plain", "note": None}
