"""The admin upload runs the same importer core as import_layer; the change form edits the
presentation and the published layer follows at once."""

import geopandas as gpd
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


def test_a_geopackage_with_several_layers_needs_the_layer(admin_client, fixtures_dir, tmp_path):
    frame = gpd.read_file(fixtures_dir / "themes" / "koeln_schulen_osm.geojson")
    gpkg = tmp_path / "osm.gpkg"
    frame.to_file(gpkg, layer="schulen")
    frame.head(5).to_file(gpkg, layer="andere")

    def upload(**fields):
        return admin_client.post("/admin/themes/datasetlayer/upload/", {
            "file": SimpleUploadedFile("osm.gpkg", gpkg.read_bytes()), "name": "schulen",
            "title": "Schulen", "kind": "poi", "fields": "name=tags/name", "licence": ODBL,
            **fields,
        })

    response = upload()
    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert error.startswith("osm.gpkg, field layer: 2 layers (schulen, andere)")
    assert not DatasetLayer.objects.exists()
    assert upload(layer="schulen").status_code == 302
    assert DatasetLayer.objects.get(name="schulen").feature_count == 228
