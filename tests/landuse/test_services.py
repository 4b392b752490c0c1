"""The importer core against a real PostGIS: the Köln FNP, the XPlanGML 6.0 sample, versions,
atomicity and bad input."""

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from landuse.classes import CLASSES
from landuse.models import LandUseArea, Plan
from landuse.services import PlanImportError, plan_delete, plan_import

from .conftest import KOELN_SHP, XPLAN_ZIP
from .test_readers import BILLION_LAUGHS, NS_GML, SQUARE, area, plan_xml, polygon


def counts() -> tuple[int, int]:
    return Plan.objects.count(), LandUseArea.objects.count()


# --- Köln FNP 2014 ------------------------------------------------------------------
def test_koeln_every_feature_is_read_and_classified(koeln_plan):
    report = koeln_plan.report
    assert report["read"] == 2121
    assert report["created"] == koeln_plan.areas.count() == 2120
    assert report["rejected"] == [["2038", report["rejected"][0][1]]]
    assert "nothing polygonal left" in report["rejected"][0][1]
    assert not any("not in the class table" in note for note in report["notes"])  # all known
    stored = set(koeln_plan.areas.values_list("class_code", flat=True))
    assert stored <= set(CLASSES)
    assert koeln_plan.areas.filter(class_code="industriegebiet").count() == 54
    assert koeln_plan.municipality.code == "05315000"
    assert (koeln_plan.legal_status, koeln_plan.source_format) == ("rechtswirksam",
                                                                   "ESRI Shapefile")


def test_koeln_lies_inside_the_city(koeln_plan):
    # The false-easting trap would put every area 2,500 km east; the plan must lie within
    # Köln's boundary (150 m tolerance: the Wald along the border reaches 108 m beyond it).
    with connection.cursor() as cursor:
        cursor.execute(
            # MATERIALIZED: the buffer is computed once and PostGIS caches it prepared.
            """WITH city AS MATERIALIZED (
                   SELECT geom, ST_Buffer(geom, 150) AS margin FROM geoportal_area
                    WHERE kind = 'municipality' AND code = '05315000')
               SELECT count(*) FILTER (WHERE NOT ST_Covers(city.margin, a.geom)),
                      count(*) FILTER (WHERE ST_Covers(city.geom, a.geom))
                 FROM landuse_landusearea a, city WHERE a.plan_id = %s""", [koeln_plan.pk])
        outside, strictly_inside = cursor.fetchone()
    assert outside == 0
    assert strictly_inside == 2001  # the others cross the border by less than 150 m
    assert "2500000" in koeln_plan.source_crs


def test_koeln_repairs_are_stored_and_listed(koeln_plan):
    repaired = sorted(koeln_plan.areas.filter(repaired=True).values_list("source_id", flat=True))
    assert repaired == ["1349", "1623", "474", "671"]
    assert [r[0] for r in koeln_plan.report["repaired"]] == ["474", "671", "1349", "1623"]
    assert all("Self-intersection" in r[1] for r in koeln_plan.report["repaired"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT bool_and(ST_IsValid(geom)) FROM landuse_landusearea "
                       "WHERE plan_id = %s", [koeln_plan.pk])
        assert cursor.fetchone()[0] is True


def test_koeln_overlaps_are_reported(koeln_plan):
    overlaps = koeln_plan.report["overlaps"]
    assert overlaps["count"] == 32
    worst = overlaps["worst"][0]
    assert (worst["a"], worst["b"], worst["a_class"]) == ("2053", "2055", "bahnanlage")
    assert worst["m2"] == pytest.approx(23_911, abs=1)
    assert [p["m2"] for p in overlaps["worst"]] == sorted(
        (p["m2"] for p in overlaps["worst"]), reverse=True)


def test_false_easting_taken_as_25832_is_refused_and_writes_nothing(tmp_path, koeln_plan):
    for suffix in (".shp", ".shx", ".dbf"):
        shutil.copy(KOELN_SHP.with_suffix(suffix), tmp_path / f"fnp{suffix}")
    before = counts()
    with pytest.raises(PlanImportError, match="no coordinate reference system"):
        plan_import(path=tmp_path / "fnp.shp")
    with pytest.raises(PlanImportError, match="outside Germany.*false easting"):
        plan_import(path=tmp_path / "fnp.shp", source_crs="EPSG:25832")
    assert counts() == before


# --- XPlanGML 6.0 sample ---------------------------------------------------------------
def test_xplan_sample_import(db):
    result = plan_import(path=XPLAN_ZIP)
    plan = result.plan
    assert (plan.name, plan.source_format, plan.version) == ("FNP Testplan 6.0",
                                                             "XPlanGML 6.0", 1)
    assert plan.legal_status == "aufgehoben" and plan.legal_status_code == "50000"
    assert plan.municipality is None  # AGS 00000000 is no municipality of the portal
    assert plan.areas.count() == 536
    assert plan.areas.filter(class_code="gemeinbedarf_bildung").count() == 15
    assert len(result.rejected) == 33 and result.skipped == 462
    assert plan.report["rejected"][0][0].startswith("GML_")


def test_dry_run_writes_nothing(db):
    before = counts()
    result = plan_import(path=XPLAN_ZIP, dry_run=True)
    assert result.plan is None and sum(result.by_class.values()) == 536
    assert counts() == before


# --- versions ----------------------------------------------------------------------------
def square_geojson(tmp_path: Path, typ: str, name: str) -> Path:
    # 200 m around a point in Sülz (6.922 E, 50.921 N), in EPSG:25832.
    x, y = 353_947, 5_643_096
    ring = [[x - 100, y - 100], [x + 100, y - 100], [x + 100, y + 100], [x - 100, y + 100],
            [x - 100, y - 100]]
    collection = {"type": "FeatureCollection",
                  "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}},
                  "features": [{"type": "Feature", "properties": {"TYP": typ},
                                "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    path = tmp_path / name
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def test_second_import_is_a_new_current_version(tmp_path, koeln_plan):
    first = plan_import(path=square_geojson(tmp_path, "GE", "v1.geojson"), name="Testplan",
                        municipality_code="05315000").plan
    second = plan_import(path=square_geojson(tmp_path, "W", "v2.geojson"), name="Testplan",
                         municipality_code="05315000").plan
    first.refresh_from_db()
    assert (first.version, first.is_current) == (1, False)
    assert (second.version, second.is_current) == (2, True)
    assert first.areas.get().class_code == "gewerbegebiet"  # the old version is kept
    koeln_plan.refresh_from_db()
    assert koeln_plan.is_current  # another plan's versions are untouched
    plan_delete(plan=second)
    first.refresh_from_db()
    assert first.is_current


# --- atomicity ---------------------------------------------------------------------------
FAIL_AT = """
CREATE FUNCTION landuse_test_fail() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'disk full (test)'; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER landuse_test_fail BEFORE INSERT ON landuse_landusearea
    FOR EACH ROW WHEN (NEW.source_id = '1500') EXECUTE FUNCTION landuse_test_fail();
"""


def test_a_database_error_midway_leaves_nothing(koeln_plan):
    # A real error raised by PostgreSQL at the 1,500th of 2,120 rows (4th batch), after
    # the plan row and 1,000 areas were written and the old version was set aside.
    with connection.cursor() as cursor:
        cursor.execute(FAIL_AT)
    before = counts()
    with pytest.raises(PlanImportError, match=r"nothing was written \(disk full \(test\)\)"):
        plan_import(path=KOELN_SHP, name=koeln_plan.name, municipality_code="05315000")
    assert counts() == before
    koeln_plan.refresh_from_db()
    assert koeln_plan.is_current and koeln_plan.version == 1


# --- bad input ----------------------------------------------------------------------------
def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "text", "message"), [
    ("missing.gml", None, "file not found"),
    ("notes.txt", "hello", "unsupported file type '.txt'"),
    ("page.xml", "<html><body>no plan</body></html>", "not an XPlanGML document"),
    ("bplan.gml", plan_xml().replace("FP_Plan", "BP_Plan"), "not a Flächennutzungsplan"),
    ("lol.gml", BILLION_LAUGHS.format(ns=NS_GML), "DOCTYPE"),
    ("crs.gml", plan_xml(area("F9", polygon(SQUARE, "EPSG:999999"))),
     "feature F9, field srsName: unknown coordinate reference system 'EPSG:999999'"),
    ("broken.geojson", '{"type": "FeatureCollection", "features": [', "not a readable"),
    ("empty.gml", plan_xml(), "no land-use areas found"),
])
def test_bad_files_are_refused_and_write_nothing(tmp_path, koeln_plan, name, text, message):
    path = tmp_path / name if text is None else write(tmp_path, name, text)
    before = counts()
    with pytest.raises(PlanImportError, match=message):
        plan_import(path=path)
    with pytest.raises(CommandError, match=message):
        call_command("import_landuse", str(path), verbosity=0)
    assert counts() == before


def test_unknown_id_field_is_refused(koeln_plan):
    before = counts()
    with pytest.raises(CommandError, match="field NOPE: id attribute missing. Fix: pass one of"):
        call_command("import_landuse", str(KOELN_SHP), "--id-field", "NOPE", verbosity=0)
    assert counts() == before


def test_unknown_municipality_is_refused(koeln_plan):
    before = counts()
    with pytest.raises(PlanImportError, match="no municipality with this code"):
        plan_import(path=XPLAN_ZIP, municipality_code="99999999")
    assert counts() == before


def test_command_prints_progress_and_summary(capsys, db):
    call_command("import_landuse", str(XPLAN_ZIP), "--name", "Beispiel",
                 "--effective-date", "2020-01-31", "--legal-status", "rechtswirksam")
    out, err = capsys.readouterr()
    assert "... stored 536 of 536 areas" in err
    assert "created 536" in out and "rejected 33" in out
    assert "Grünfläche: Parkanlage (gruen_parkanlage)" in out
    assert "overlaps between areas:" in out
    plan = Plan.objects.get(name="Beispiel")
    assert (str(plan.effective), plan.legal_status) == ("2020-01-31", "rechtswirksam")
    with pytest.raises(CommandError, match="not a date"):
        call_command("import_landuse", str(XPLAN_ZIP), "--effective-date", "31.01.2020")


def test_database_guard_repairs_what_slipped_through(koeln_plan):
    # The reader repairs with GEOS; PostGIS re-checks after the insert. A bow-tie written
    # behind the reader's back stands for a geometry GEOS and PostGIS judge differently.
    from landuse.services import _make_valid_in_db

    area = koeln_plan.areas.get(source_id="0")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE landuse_landusearea SET geom = ST_GeomFromText('MULTIPOLYGON(((356000 "
            "5645000, 356100 5645100, 356100 5645000, 356000 5645100, 356000 5645000)))', "
            "25832) WHERE id = %s", [area.pk])
    assert _make_valid_in_db(koeln_plan) == ["0"]
    area.refresh_from_db()
    assert area.repaired and area.geom.valid and area.geom.area == pytest.approx(5000)
    assert area.geom.geom_type == "MultiPolygon"


def test_geopackage_in_web_mercator_lands_where_the_shapefile_does(tmp_path, koeln_plan):
    # Any CRS the source declares: 40 Köln areas written to a GeoPackage in EPSG:3857 by
    # GDAL, imported through the command, must cover the same ground as the shapefile's.
    import geopandas

    frame = geopandas.read_file(KOELN_SHP, rows=slice(0, 40)).to_crs("EPSG:3857")
    frame["shp_id"] = [str(i) for i in range(40)]  # the Shapefile's feature ids
    frame.to_file(tmp_path / "fnp.gpkg", layer="fnp", driver="GPKG")
    call_command("import_landuse", str(tmp_path / "fnp.gpkg"), "--name", "GPKG",
                 "--id-field", "shp_id", verbosity=0)
    plan = Plan.objects.get(name="GPKG")
    assert plan.source_format == "GPKG" and plan.source_crs == "EPSG:3857"
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*), max(ST_Area(ST_SymDifference(g.geom, k.geom)) / ST_Area(k.geom))
                 FROM landuse_landusearea g JOIN landuse_landusearea k
                   ON k.plan_id = %s AND k.source_id = g.source_id
                WHERE g.plan_id = %s""", [koeln_plan.pk, plan.pk])
        matched, worst = cursor.fetchone()
    assert matched == 40 and worst < 1e-6
