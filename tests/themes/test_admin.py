"""The admin upload runs the same importer core as import_layer; the change form edits the
presentation and the published layer follows at once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from geoportal.ogc.layers import get_layer
from opendata.metadata import ODBL
from themes.models import DatasetLayer

pytestmark = pytest.mark.django_db


def _upload(admin_client, fixtures_dir, **fields):
    data = (fixtures_dir / "themes" / "koeln_schulen_osm.geojson").read_bytes()
    return admin_client.post("/admin/themes/datasetlayer/upload/", {
        "file": SimpleUploadedFile("koeln_schulen_osm.geojson", data),
        "name": "schulen", "title": "Schulen", "kind": "poi", "fields": "name=tags/name",
        "label_field": "tags/name", "licence": ODBL, "attribution": "© OSM", **fields,
    })


def test_upload_creates_a_published_layer(admin_client, fixtures_dir):
    response = _upload(admin_client, fixtures_dir)
    layer = DatasetLayer.objects.get(name="schulen")
    assert response.status_code == 302 and str(layer.pk) in response["Location"]
    assert layer.feature_count == 228 and layer.public_names == ["name"]
    assert get_layer("schulen").fields == ("label", "name")
    change = admin_client.get(f"/admin/themes/datasetlayer/{layer.pk}/change/")
    assert change.status_code == 200
    response = admin_client.post(f"/admin/themes/datasetlayer/{layer.pk}/change/", {
        "title": "Schulen in Köln", "description": "", "color": "#123456", "legend": "Schulen",
        "licence": ODBL, "attribution": "© OSM", "publisher": "OpenStreetMap",
    })
    assert response.status_code == 302
    assert get_layer("schulen").title == "Schulen in Köln"


def test_bad_upload_names_the_field_and_writes_nothing(admin_client, fixtures_dir):
    response = _upload(admin_client, fixtures_dir, label_field="nope")
    assert response.status_code == 200
    assert "no field &#x27;nope&#x27;" in response.content.decode()
    assert not DatasetLayer.objects.filter(name="schulen").exists()


def test_dry_run_reports_and_writes_nothing(admin_client, fixtures_dir):
    response = _upload(admin_client, fixtures_dir, dry_run="on")
    assert response.status_code == 200 and "read 228" in response.content.decode()
    assert not DatasetLayer.objects.filter(name="schulen").exists()
