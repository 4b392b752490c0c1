import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from geoportal import selectors
from geoportal.models import Address, Area, AreaKind, Street

pytestmark = pytest.mark.django_db

ESSEN = "essen/essen_hauskoordinaten_2022-10-05_4326.zip"


def run(command: str, *args, **options):
    call_command(command, *map(str, args), verbosity=0, **options)


def counts() -> tuple[int, int, int]:
    return Area.objects.count(), Street.objects.count(), Address.objects.count()


class TestBadInputWritesNothing:
    def test_missing_file(self, tmp_path):
        before = counts()
        with pytest.raises(CommandError, match="file not found"):
            run(
                "import_areas",
                tmp_path / "nope.geojson",
                kind="district",
                name_field="a",
                code_field="b",
            )
        assert counts() == before

    def test_missing_field_lists_the_fields_there_are(self, fixtures_dir):
        before = counts()
        with pytest.raises(CommandError, match=r"no field 'NAME'.*STT_NR, STT_NAME"):
            run(
                "import_areas",
                fixtures_dir / "koeln/koeln_stadtteile.shp",
                kind="quarter",
                name_field="NAME",
                code_field="STT_NR",
            )
        assert counts() == before

    def test_wrong_geometry_type(self, fixtures_dir):
        before = counts()
        with pytest.raises(
            CommandError, match="LineString.*import_areas needs MultiPolygon or Polygon"
        ):
            run(
                "import_areas",
                fixtures_dir / "koeln/koeln_strassen.shp",
                kind="district",
                name_field="NAME",
                code_field="NUMMER",
            )
        assert counts() == before

    def test_points_are_not_streets(self, fixtures_dir):
        with pytest.raises(CommandError, match="Point.*import_streets needs"):
            run("import_streets", fixtures_dir / ESSEN, name_field="strname")

    def test_wrong_crs_puts_coordinates_outside_germany(self, fixtures_dir):
        # The Köln shapefiles use UTM 32N with a 2,500,000 m false easting: read as plain
        # EPSG:25832 they land in the Indian Ocean, and the importer must refuse.
        before = counts()
        with pytest.raises(CommandError, match="outside Germany.*source CRS is wrong"):
            run(
                "import_areas",
                fixtures_dir / "koeln/koeln_stadtteile.shp",
                kind="quarter",
                name_field="STT_NAME",
                code_field="STT_NR",
                code_prefix="x-",
                source_crs="EPSG:25832",
            )
        assert counts() == before

    def test_shapefile_without_prj(self, fixtures_dir, tmp_path):
        for suffix in ("shp", "shx", "dbf"):
            shutil.copy(fixtures_dir / f"koeln/koeln_stadtteile.{suffix}", tmp_path / f"q.{suffix}")
        with pytest.raises(CommandError, match="declares no CRS.*--source-crs"):
            run(
                "import_areas",
                tmp_path / "q.shp",
                kind="quarter",
                name_field="STT_NAME",
                code_field="STT_NR",
            )

    def test_unknown_crs(self, fixtures_dir):
        with pytest.raises(CommandError, match="not a CRS PROJ knows"):
            run(
                "import_areas",
                fixtures_dir / "koeln/koeln_stadtbezirke.geojson",
                kind="district",
                name_field="STB_NAME",
                code_field="STB_NR",
                source_crs="EPSG:999999",
            )

    def test_not_a_vector_file(self, tmp_path):
        bogus = tmp_path / "areas.geojson"
        bogus.write_text("this is not json")
        with pytest.raises(CommandError, match="GDAL cannot read it"):
            run("import_areas", bogus, kind="district", name_field="a", code_field="b")

    def test_duplicate_codes(self, tmp_path):
        square = [[[6.90, 50.90], [6.91, 50.90], [6.91, 50.91], [6.90, 50.91], [6.90, 50.90]]]
        features = [
            {
                "type": "Feature",
                "properties": {"name": name, "code": "7"},
                "geometry": {"type": "Polygon", "coordinates": square},
            }
            for name in ("A", "B")
        ]
        path = tmp_path / "dupes.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
        before = counts()
        with pytest.raises(CommandError, match="features 0 and 1 share the code '7'"):
            run("import_areas", path, kind="quarter", name_field="name", code_field="code")
        assert counts() == before

    def test_a_name_for_a_whole_layer(self, fixtures_dir):
        with pytest.raises(CommandError, match="--name/--code name one area only"):
            run(
                "import_areas",
                fixtures_dir / "koeln/koeln_stadtbezirke.geojson",
                kind="district",
                name="Köln",
                code="x",
            )

    def test_unknown_parent(self, fixtures_dir):
        with pytest.raises(CommandError, match="no county with code 'nope'"):
            run(
                "import_areas",
                fixtures_dir / "koeln/koeln_stadtgrenze.geojson",
                kind="municipality",
                name="Köln",
                code="x",
                parent="county:nope",
            )


def test_dry_run_reads_everything_and_writes_nothing(fixtures_dir, capsys):
    before = counts()
    call_command(
        "import_areas",
        str(fixtures_dir / "gemeinden/vg250_2026_sindelfingen_heidelberg_gera.geojson"),
        kind="municipality",
        name_field="name_de",
        code_field="ags8",
        dry_run=True,
    )
    assert "read 3, created 3" in capsys.readouterr().out
    assert counts() == before


def test_municipal_outlines_import_and_answer_point_lookups(fixtures_dir, lonlat):
    run(
        "import_areas",
        fixtures_dir / "gemeinden/vg250_2026_sindelfingen_heidelberg_gera.geojson",
        kind="municipality",
        name_field="name_de",
        code_field="ags8",
    )
    sindelfingen = selectors.areas_covering(point=lonlat(9.0030, 48.7133))
    assert [(a.name, a.code) for a in sindelfingen] == [("Sindelfingen", "08115045")]
    assert selectors.areas_covering(point=lonlat(12.0821, 50.8781))[0].name == "Gera"


def test_where_imports_one_municipality_out_of_a_file_of_many(fixtures_dir, lonlat):
    """A city's administrator has the BKG file of many municipalities and wants one: without
    a filter every one of them was served (reports in Gera accepted by Heidelberg's portal)."""
    path = fixtures_dir / "gemeinden/vg250_2026_sindelfingen_heidelberg_gera.geojson"
    options = {"kind": "municipality", "name_field": "name_de", "code_field": "ags8"}
    run("import_areas", path, where="ags8 = '08221000'", **options)
    assert selectors.areas_covering(point=lonlat(8.6940, 49.4106))[0].name == "Heidelberg"
    assert not Area.objects.filter(code__in=["08115045", "16052000"]).exists()
    for where, problem in [("ags8 = 'x'", "matches no feature"), ("ags = '1'", "not a filter")]:
        with pytest.raises(CommandError, match=problem) as error:
            run("import_areas", path, where=where, **options)
        assert "vg250_2026_sindelfingen_heidelberg_gera.geojson" in str(error.value)


def test_reimport_updates_instead_of_duplicating(fixtures_dir):
    path = fixtures_dir / "koeln/koeln_stadtbezirke.geojson"
    run(
        "import_areas",
        path,
        kind="district",
        name_field="STB_NAME",
        code_field="STB_NR",
        code_prefix="05315000-",
        parent="municipality",
    )
    assert Area.objects.filter(kind=AreaKind.DISTRICT).count() == 9


def test_false_easting_crs_lands_in_koeln():
    quarter = Area.objects.get(kind=AreaKind.QUARTER, name="Altstadt/Nord")
    x, y = quarter.geom.centroid.coords
    assert 355_000 < x < 358_000 and 5_644_000 < y < 5_647_000


def test_essen_house_coordinates_load_completely(fixtures_dir, lonlat):
    run("import_addresses", fixtures_dir / ESSEN, city="Essen", source="essen")
    assert Address.objects.filter(source="essen").count() == 102_981
    run("import_addresses", fixtures_dir / ESSEN, city="Essen", source="essen")
    assert Address.objects.filter(source="essen").count() == 102_981

    hit = selectors.gazetteer_search(query="Rüttenscheider Str 200")[0]
    assert hit.kind == "address"
    assert hit.label == "Rüttenscheider Straße 200, Essen"
    result = selectors.geocode_reverse(point=lonlat(hit.lon, hit.lat))
    assert (result.kind, result.street, result.house_number) == (
        "address",
        "Rüttenscheider Straße",
        "200",
    )
    assert result.distance_m < 1


def test_generic_csv_addresses_with_columns(tmp_path):
    csv = tmp_path / "adressen.csv"
    csv.write_text(
        "id,strasse,nr,plz,rechts,hoch\n"
        "a1,Venloer Str.,241,50823,353050.1,5646450.2\n"
        "a2,Venloer Str.,243a,50823,353020.3,5646460.9\n"
    )
    run(
        "import_addresses",
        csv,
        street_field="strasse",
        number_field="nr",
        suffix_field="",
        postcode_field="plz",
        id_field="id",
        x_field="rechts",
        y_field="hoch",
        source_crs="EPSG:25832",
        city="Köln",
        source="csv-test",
    )
    addresses = Address.objects.filter(source="csv-test").order_by("source_id")
    assert [(a.street_name, a.house, a.postcode) for a in addresses] == [
        ("Venloer Straße", "241", "50823"),
        ("Venloer Straße", "243a", "50823"),
    ]
    assert addresses[0].street.name == "Venloer Straße"
    assert addresses[0].label == "Venloer Straße 241, 50823 Köln"


def test_csv_without_crs_is_refused(tmp_path):
    csv = tmp_path / "adressen.csv"
    csv.write_text("id,strname,hsnr,x,y\n1,Hauptstr.,1,353050,5646450\n")
    with pytest.raises(CommandError, match="declares no CRS"):
        run("import_addresses", csv, x_field="x", y_field="y", id_field="id", suffix_field="")


def test_a_value_the_database_refuses_rolls_back_everything(tmp_path):
    square = [[[6.90, 50.90], [6.91, 50.90], [6.91, 50.91], [6.90, 50.91], [6.90, 50.90]]]
    features = [
        {"type": "Feature", "properties": {"name": name, "code": code},
         "geometry": {"type": "Polygon", "coordinates": square}}
        for name, code in (("Gut", "1"), ("x" * 300, "2"))
    ]
    path = tmp_path / "long.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    before = counts()
    with pytest.raises(CommandError, match="database refused the data.*Nothing was written"):
        run("import_areas", path, kind="quarter", name_field="name", code_field="code")
    assert counts() == before
