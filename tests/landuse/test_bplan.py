"""Bebauungspläne: the XPlanGML reader, the import with documents, "which BPlan applies
here" in /api/landuse/at, downloads and the published layers."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from geoportal.ogc.layers import get_layer
from landuse.bplan_services import BPlanImportError, bplan_import
from landuse.importers.bplan import read_bplan
from landuse.models import BPlan, BPlanDocument, BPlanFeature

DATA = Path(__file__).parent / "data"
BPLAN004 = DATA / "BPlan004_xplan52.zip"
BP2135 = DATA / "BP2135_xplan51.zip"


def test_reader_xplan52_with_figures_and_documents():
    data = read_bplan(BPLAN004)
    assert (data.name, data.xplan_version, data.legal_status) == ("BPlan004_5-2", "5.2", "Satzung")
    assert data.plan_type == "vorhabenbezogener Bebauungsplan"
    assert data.municipality_key == "02000000"
    assert str(data.dates["rechtsverordnungsDatum"]) == "2016-10-25"
    baugebiete = [o for o in data.objects if o.feature_class == "BP_BaugebietsTeilFlaeche"]
    assert {(o.figures["art"], o.figures["grz"], o.figures["bauweise"]) for o in baugebiete} == {
        ("allgemeines Wohngebiet (WA)", 0.9, "geschlossene Bauweise"),
        ("allgemeines Wohngebiet (WA)", 0.6, "geschlossene Bauweise")}
    assert {o.kind for o in data.objects if o.feature_class == "BP_BauGrenze"} == {"line"}
    assert {(d.name, d.kind) for d in data.documents} == {
        ("BPlan004_5-2.pdf", "pdf"), ("BPlan004_5-2.png", "scan"),
        ("BPlan004_5-2.pgw", "worldfile")}
    assert data.skipped["BP_HoehenMass: Point (symbols are not imported)"] == 2


def test_reader_xplan51_gauss_krueger_lands_in_bremen():
    data = read_bplan(BP2135)
    assert data.source_crs == "EPSG:31467" and data.xplan_version == "5.1"
    classes = {o.feature_class for o in data.objects}
    assert {"BP_BaugebietsTeilFlaeche", "BP_GruenFlaeche", "BP_BauLinie", "BP_BauGrenze",
            "BP_StrassenVerkehrsFlaeche"} <= classes
    import shapely

    x, y = shapely.from_wkb(data.objects[0].geometry_wkb).representative_point().coords[0]
    assert 470_000 < x < 500_000 and 5_870_000 < y < 5_900_000  # Bremen in EPSG:25832


def test_reader_refuses_an_fnp_and_names_the_file():
    with pytest.raises(Exception, match="0 BP_Plan objects.*FP_Plan") as exc:
        read_bplan(DATA / "FNP_Test_xplan60.zip")
    assert "FNP_Test_xplan60.zip" in str(exc.value)


@pytest.fixture
def bplan004(db):
    return bplan_import(path=BPLAN004).plan


def _point_in(feature_class: str) -> tuple[float, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Y(p), ST_X(p) FROM (SELECT ST_Transform(ST_PointOnSurface(area), 4326) p "
            "FROM landuse_bplanfeature WHERE feature_class = %s ORDER BY grz DESC NULLS LAST "
            "LIMIT 1) x", [feature_class])
        return cursor.fetchone()


def test_import_stores_objects_documents_and_replaces(bplan004):
    assert BPlanFeature.objects.filter(plan=bplan004, kind="area").count() == 14
    assert BPlanFeature.objects.filter(plan=bplan004, kind="line").count() == 10
    assert set(BPlanDocument.objects.filter(plan=bplan004).values_list("kind", flat=True)) == {
        "pdf", "scan", "worldfile"}
    again = bplan_import(path=BPLAN004)
    assert again.replaced and BPlan.objects.count() == 1
    assert BPlanFeature.objects.count() == 24


def test_dry_run_writes_nothing(db, tmp_path):
    result = bplan_import(path=BPLAN004, dry_run=True)
    assert result.areas == 14 and not BPlan.objects.exists()


def test_command_names_the_problem(db, tmp_path):
    broken = tmp_path / "kaputt.gml"
    broken.write_text("<xplan:XPlanAuszug xmlns:xplan='http://www.xplanung.de/xplangml/5/2'>")
    with pytest.raises(CommandError, match="kaputt.gml"):
        call_command("import_bplan", str(broken), verbosity=0)
    shutil.copy(DATA / "FNP_Test_xplan60.zip", tmp_path / "fnp.zip")
    with pytest.raises(CommandError, match="import_landuse"):
        call_command("import_bplan", str(tmp_path / "fnp.zip"), verbosity=0)
    assert not BPlan.objects.exists()
    with pytest.raises(BPlanImportError):
        bplan_import(path=tmp_path / "missing.zip")


def test_landuse_at_answers_with_the_bplan_and_its_key_figures(client, bplan004):
    lat, lon = _point_in("BP_BaugebietsTeilFlaeche")
    body = client.get("/api/landuse/at", {"lat": lat, "lon": lon}).json()
    [plan] = body["bplans"]
    assert plan["name"] == "BPlan004_5-2" and plan["legal_status"] == "Satzung"
    first = plan["here"][0]
    assert (first["label"], first["art"], first["grz"], first["bauweise"]) == (
        "Baugebiet", "allgemeines Wohngebiet (WA)", 0.9, "geschlossene Bauweise")
    documents = {d["kind"]: d["url"] for d in plan["documents"]}
    pdf = client.get(documents["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    original = client.get(plan["xplan"])
    assert original.status_code == 200
    assert b"".join(original.streaming_content) == BPLAN004.read_bytes()
    # Outside every plan: no BPlan answer.
    assert client.get("/api/landuse/at", {"lat": 50.94, "lon": 6.95}).json()["bplans"] == []


def test_bplans_are_layers_and_open_data(client, bplan004):
    assert get_layer("bplan_areas").geometry_type == "MultiPolygon"
    assert get_layer("bplan_lines").geometry_type == "MultiLineString"
    items = client.get("/ogcapi/collections/bplan_areas/items", {"limit": 100}).json()
    baugebiete = [f for f in items["features"]
                  if f["properties"]["feature_class"] == "BP_BaugebietsTeilFlaeche"]
    assert {f["properties"]["grz"] for f in baugebiete} == {0.9, 0.6}
    assert "attributes" not in items["features"][0]["properties"]
    lines = client.get("/ogcapi/collections/bplan_lines/items").json()
    assert {f["properties"]["label"] for f in lines["features"]} >= {"Baugrenze"}
    for ext in ("geojson", "gpkg", "csv"):
        assert client.get(f"/opendata/bplans.{ext}").status_code == 200
    page = client.get("/fnp/").content.decode()
    assert "BPlan004_5-2" in page and "XPlanGML" in page


@pytest.mark.browser
def test_fnp_page_answers_which_bplan_applies(page, live_server, transactional_db):
    from playwright.sync_api import expect

    from tests.a11y import assert_accessible

    bplan_import(path=BPLAN004)
    lat, lon = _point_in("BP_BaugebietsTeilFlaeche")
    page.goto(live_server.url + "/fnp/")
    expect(page.locator(".fnp-bplans")).to_contain_text("BPlan004_5-2")
    page.evaluate("([lat, lon]) => window.landuseMap.setView([lat, lon], 18, {animate: false})",
                  [lat, lon])
    x, y = page.evaluate(
        "([lat, lon]) => { const p = window.landuseMap.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }", [lat, lon])
    box = page.locator("#fnp-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    answer = page.locator("#fnp-answer .fnp-bplan")
    expect(answer).to_contain_text("Bebauungsplan BPlan004_5-2")
    expect(answer).to_contain_text("allgemeines Wohngebiet (WA)")
    expect(answer).to_contain_text("GRZ: 0,9")
    expect(answer).to_contain_text("geschlossene Bauweise")
    expect(answer.get_by_role("link", name="BPlan004_5-2.pdf")).to_be_visible()
    assert_accessible(page)
