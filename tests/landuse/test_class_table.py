"""A second city's plan through the GDAL importer: its class codes are its own, not the demo
city's. Codes the class table lacks are named with the setting and option to fix it, instead
of vanishing among the rejected areas (or as "no land-use areas found")."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from landuse.models import LandUseArea, Plan
from landuse.services import PlanImportError, plan_import

pytestmark = pytest.mark.django_db

FIX = ("LANDUSE_CLASSES_CSV", "--classes-csv", "XPlanGML")


def squares(tmp_path: Path, codes: list[str], *, field: str = "TYP") -> Path:
    """One 100 m square per code, side by side in Köln (EPSG:25832)."""
    x, y = 353_947, 5_643_096
    features = []
    for i, code in enumerate(codes):
        left = x + 150 * i
        ring = [[left, y], [left + 100, y], [left + 100, y + 100], [left, y + 100], [left, y]]
        features.append({"type": "Feature", "properties": {field: code},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    path = tmp_path / "fnp.geojson"
    path.write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}},
        "features": features}), encoding="utf-8")
    return path


def test_a_plan_of_unknown_codes_is_refused_naming_them_and_the_fix(tmp_path):
    path = squares(tmp_path, ["WOHN", "WOHN", "GEWERBE"])
    before = Plan.objects.count()
    with pytest.raises(PlanImportError) as refused:
        plan_import(path=path, name="FNP Heidelberg")
    message = str(refused.value)
    assert "'WOHN' (2 areas), 'GEWERBE' (1 areas)" in message
    assert "koeln_fnp_planzv_categories.csv (the demo city Köln's, the default)" in message
    assert all(fix in message for fix in FIX)
    with pytest.raises(CommandError, match="'WOHN' \\(2 areas\\)"):
        call_command("import_landuse", str(path), verbosity=0)
    assert Plan.objects.count() == before


def test_planzv_letters_are_read_and_the_unknown_rest_is_named_in_the_summary(tmp_path, capsys):
    call_command("import_landuse", str(squares(tmp_path, ["W", "GE", "Kleingarten"])),
                 "--name", "FNP Heidelberg")
    out = capsys.readouterr().out
    plan = Plan.objects.get(name="FNP Heidelberg")
    assert sorted(plan.areas.values_list("class_code", flat=True)) == [
        "gewerbegebiet", "wohnbauflaeche"]
    assert "note: field TYP: 1 codes are not in the class table" in out
    assert "'Kleingarten' (1 areas)" in out and "LANDUSE_CLASSES_CSV" in out
    assert any("Kleingarten" in note for note in plan.report["notes"])


def test_the_citys_own_table_and_field_through_the_command_and_the_setting(tmp_path, settings):
    table = tmp_path / "heidelberg_classes.csv"
    table.write_text(
        "PlanZV Kategorie,PlanZV Hauptkategorie Name,Planzeichen (Text),"
        "Gesetzliche Definition,FNP TYP,FNP subtype\n"
        "1.1,Wohnbaufläche,W,§ 1 Abs. 1 Nr. 1 BauNVO,WOHN,\n"
        "1.3.1,Gewerbegebiete,GE,§ 8 BauNVO,GEWERBE,\n", encoding="utf-8")
    path = squares(tmp_path, ["WOHN", "GEWERBE"], field="NUTZUNG")
    call_command("import_landuse", str(path), "--name", "FNP Heidelberg", "--class-field",
                 "NUTZUNG", "--classes-csv", str(table), verbosity=0)
    plan = Plan.objects.get(name="FNP Heidelberg", is_current=True)
    assert sorted(plan.areas.values_list("class_code", flat=True)) == [
        "gewerbegebiet", "wohnbauflaeche"]
    assert plan.report["notes"] == ["no municipality in the portal matches; the plan has none"]
    settings.LANDUSE_CLASSES_CSV = table
    again = plan_import(path=path, name="FNP Heidelberg", class_field="NUTZUNG")
    assert again.by_class == {"gewerbegebiet": 1, "wohnbauflaeche": 1}


def test_a_missing_class_field_or_table_is_a_message_not_a_traceback(tmp_path):
    path = squares(tmp_path, ["W"], field="NUTZUNG")
    with pytest.raises(CommandError, match="field TYP: class attribute missing.*--class-field"):
        call_command("import_landuse", str(path), verbosity=0)
    with pytest.raises(CommandError, match="class table .*missing.csv unreadable"):
        call_command("import_landuse", str(path), "--class-field", "NUTZUNG",
                     "--classes-csv", str(tmp_path / "missing.csv"), verbosity=0)
    assert not LandUseArea.objects.filter(plan__name="fnp").exists()
