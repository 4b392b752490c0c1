"""The admin upload runs the same importer core as the command."""

import re
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from landuse.models import BPlan, BPlanFeature, LandUseArea, Plan

from .conftest import XPLAN_ZIP
from .test_readers import BILLION_LAUGHS, NS_GML

URL = "/admin/landuse/plan/upload/"
DATA = Path(__file__).parent / "data"
BPLAN004 = DATA / "BPlan004_xplan52.zip"


def upload(admin_client, filename: str, content: bytes, **fields):
    data = {"file": SimpleUploadedFile(filename, content), **fields}
    return admin_client.post(URL, data)


def test_upload_xplan_zip_creates_a_plan(admin_client):
    assert admin_client.get(URL).status_code == 200
    response = upload(admin_client, "fnp.zip", XPLAN_ZIP.read_bytes(), name="Hochgeladen",
                      legal_status="Entwurf")
    plan = Plan.objects.get(name="Hochgeladen")
    assert response.status_code == 302 and response.url.endswith(f"/{plan.pk}/change/")
    assert plan.source_file == "fnp.zip" and plan.legal_status == "Entwurf"
    assert plan.areas.count() == 536
    assert admin_client.get(response.url).status_code == 200


def test_upload_dry_run_shows_the_report_and_writes_nothing(admin_client):
    before = (Plan.objects.count(), LandUseArea.objects.count())
    response = upload(admin_client, "fnp.zip", XPLAN_ZIP.read_bytes(), dry_run="on")
    assert response.status_code == 200
    assert "created 536" in response.content.decode()
    assert (Plan.objects.count(), LandUseArea.objects.count()) == before


def test_bad_uploads_are_form_errors_not_500(admin_client):
    before = (Plan.objects.count(), LandUseArea.objects.count())
    for name, content, message in [
        ("plan.gml", BILLION_LAUGHS.format(ns=NS_GML).encode(), "DOCTYPE"),
        ("plan.txt", b"hello", "use one of"),
        ("fnp.zip", b"PK\x03\x04 not really a zip", "not a readable vector file"),
        ("fnp.geojson", b'{"type": "FeatureCollection", "features": []}', "layers|no land-use"),
    ]:
        response = upload(admin_client, name, content)
        assert response.status_code == 200, name
        assert response.context["form"].errors, name
        errors = response.context["form"].errors["file"]
        assert any(re.search(message, e) for e in errors), (name, errors)
    assert (Plan.objects.count(), LandUseArea.objects.count()) == before


def test_plan_list_has_the_upload_link(admin_client, koeln_plan):
    response = admin_client.get("/admin/landuse/plan/")
    assert response.status_code == 200 and URL in response.content.decode()


BPLAN_URL = "/admin/landuse/bplan/upload/"


def _bplan_zip(tmp_path, replace: tuple[str, str] | None = None) -> bytes:
    """BPlan004 as uploaded, optionally with one text in its xplan.gml replaced."""
    target = tmp_path / "upload.zip"
    with zipfile.ZipFile(BPLAN004) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if replace and info.filename.endswith(".gml"):
                text = data.decode()
                assert replace[0] in text
                data = text.replace(replace[0], replace[1], 1).encode()
            out.writestr(info, data)
    return target.read_bytes()


def test_bplan_upload_uses_the_command_core(admin_client, tmp_path):
    assert admin_client.get(BPLAN_URL).status_code == 200
    assert admin_client.get("/admin/landuse/bplan/add/").url.endswith(BPLAN_URL)
    response = admin_client.post(
        BPLAN_URL, {"file": SimpleUploadedFile("BPlan004.zip", _bplan_zip(tmp_path))})
    plan = BPlan.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/{plan.pk}/change/")
    assert plan.source_file == "BPlan004.zip"
    assert BPlanFeature.objects.filter(plan=plan, kind="area").count() == 14
    assert set(plan.documents.values_list("kind", flat=True)) == {"pdf", "scan", "worldfile"}
    assert admin_client.get(response.url).status_code == 200
    listing = admin_client.get("/admin/landuse/bplan/").content.decode()
    assert BPLAN_URL in listing


def test_bplan_upload_dry_run_writes_nothing(admin_client, tmp_path):
    response = admin_client.post(BPLAN_URL, {
        "file": SimpleUploadedFile("BPlan004.zip", _bplan_zip(tmp_path)), "dry_run": "on"})
    assert response.status_code == 200
    assert "14 areas" in response.content.decode() and "dry run" in response.content.decode()
    assert not BPlan.objects.exists() and not BPlanFeature.objects.exists()


def test_bplan_upload_errors_name_file_feature_and_field(admin_client, tmp_path):
    broken = _bplan_zip(tmp_path, ('<gml:posList srsName="EPSG:25832">567474.996',
                                   '<gml:posList srsName="EPSG:25832">kaputt'))
    for name, content, pattern in [
        ("BPlan004.zip", broken, r"^BPlan004\.zip!xplan\.gml, feature \S+, field \w+: "),
        ("plan.gml", BILLION_LAUGHS.format(ns=NS_GML).encode(), "DOCTYPE"),
        ("plan.shp", b"x", "use XPlanGML"),
        ("fnp.zip", (DATA / "FNP_Test_xplan60.zip").read_bytes(), "0 BP_Plan objects"),
    ]:
        response = admin_client.post(BPLAN_URL, {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 200, name
        errors = response.context["form"].errors["file"]
        assert any(re.search(pattern, e) for e in errors), (name, errors)
        assert "bplan-upload-" not in " ".join(errors)
    assert not BPlan.objects.exists() and not BPlanFeature.objects.exists()
