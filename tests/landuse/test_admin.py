"""The admin upload runs the same importer core as the command."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from landuse.models import LandUseArea, Plan

from .conftest import XPLAN_ZIP
from .test_readers import BILLION_LAUGHS, NS_GML

URL = "/admin/landuse/plan/upload/"


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
