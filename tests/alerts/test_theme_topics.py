"""Thematic layers opt in as an alert topic: a re-import announces new and changed features to
subscribers of `layer:<name>` whose area they touch; the form offers only opted-in layers."""

import json

import pytest
from django.urls import reverse

from alerts import services
from alerts.forms import SubscriptionForm
from tests.themes.conftest import _demo, _forget_layers  # noqa: F401
from themes.models import DatasetLayer
from themes.services import dataset_layer_import, dataset_layer_update

from .conftest import DOM

pytestmark = pytest.mark.django_db


@pytest.fixture
def kitas(fixtures_dir):
    return _demo("kitas", fixtures_dir)


def _reimport(fixtures_dir, tmp_path, *, add_near_dom: bool, rename_first: bool):
    data = json.loads((fixtures_dir / "themes" / "koeln_kitas_osm.geojson").read_text())
    if rename_first:
        data["features"][0]["properties"]["tags/name"] = "Kita Umbenannt"
    if add_near_dom:
        data["features"].append({"type": "Feature", "id": "neu-1", "properties": {
            "tags/name": "Kita am Dom"}, "geometry": {"type": "Point",
                                                      "coordinates": [DOM[0] + 0.001, DOM[1]]}})
    path = tmp_path / "kitas.geojson"
    path.write_text(json.dumps(data))
    dataset_layer_import(path=path, name="kitas", kind="poi")


def test_opted_in_layer_is_a_topic_and_its_new_feature_alerts_nearby(
        kitas, subscribe, deliver, fixtures_dir, tmp_path):
    layer = DatasetLayer.objects.get(name="kitas")
    assert "layer:kitas" not in dict(SubscriptionForm().fields["topics"].choices)
    with pytest.raises(services.SubscriptionError):
        subscribe(topics=["layer:kitas"])
    dataset_layer_update(layer=layer, alerts_enabled=True)
    assert "Kitas" in dict(SubscriptionForm().fields["topics"].choices)["layer:kitas"]

    subscribe(email="eltern@example.org", topics=["layer:kitas"])
    subscribe(email="nur-meldungen@example.org", topics=["reports"])
    deliver()
    _reimport(fixtures_dir, tmp_path, add_near_dom=True, rename_first=False)
    mails = deliver()
    (alert,) = [m for m in mails if m.to == ["eltern@example.org"]]
    assert "Kita am Dom" in alert.subject
    assert reverse("themes:near", args=["kitas"]) in alert.body
    assert not [m for m in mails if m.to == ["nur-meldungen@example.org"]]

    # An unchanged re-import announces nothing; a feature changed far away reaches nobody here.
    _reimport(fixtures_dir, tmp_path, add_near_dom=True, rename_first=True)
    assert not [m for m in deliver() if m.to == ["eltern@example.org"]]


def test_a_feature_gone_from_the_reimport_is_announced_where_it_was(
        kitas, subscribe, deliver, fixtures_dir, tmp_path):
    dataset_layer_update(layer=DatasetLayer.objects.get(name="kitas"), alerts_enabled=True)
    _reimport(fixtures_dir, tmp_path, add_near_dom=True, rename_first=False)
    subscribe(email="eltern@example.org", topics=["layer:kitas"])
    deliver()
    _reimport(fixtures_dir, tmp_path, add_near_dom=False, rename_first=False)
    (alert,) = [m for m in deliver() if m.to == ["eltern@example.org"]]
    assert "Kita am Dom" in alert.subject and "entfernt" in alert.body


def test_layer_not_opted_in_announces_nothing(kitas, subscribe, deliver, fixtures_dir,
                                              tmp_path):
    from alerts.models import Subscription

    subscribe(email="eltern@example.org")
    Subscription.objects.update(topics=["layer:kitas"])  # opted out after subscribing
    deliver()
    _reimport(fixtures_dir, tmp_path, add_near_dom=True, rename_first=False)
    assert not [m for m in deliver() if m.to == ["eltern@example.org"]]


def test_features_edited_in_the_admin_announce_like_a_reimport(kitas, subscribe, deliver,
                                                               admin_client, lonlat):
    """A kita added, renamed or removed by staff in the admin reaches subscribers nearby, in
    the admin save's transaction; an edit of what the public does not see is no news."""
    from themes.models import Place

    layer = DatasetLayer.objects.get(name="kitas")
    dataset_layer_update(layer=layer, alerts_enabled=True)
    count = DatasetLayer.objects.get(pk=layer.pk).feature_count
    subscribe(email="eltern@example.org", topics=["layer:kitas"])
    deliver()
    near_dom = lonlat(DOM[0] + 0.001, DOM[1])
    geom = f"SRID={near_dom.srid};{near_dom.wkt}"

    response = admin_client.post("/admin/themes/place/add/", {
        "layer": layer.pk, "source_id": "admin-1", "label": "Kita Domspatzen",
        "properties": '{"name": "Kita Domspatzen"}', "geom": geom})
    assert response.status_code == 302, response.content.decode()[:2000]
    place = Place.objects.get(layer=layer, source_id="admin-1")
    assert place.geom.distance(near_dom) < 0.01
    assert DatasetLayer.objects.get(pk=layer.pk).feature_count == count + 1
    (alert,) = [m for m in deliver() if m.to == ["eltern@example.org"]]
    assert "Kita Domspatzen" in alert.subject
    assert reverse("themes:near", args=["kitas"]) in alert.body

    def change(**fields):
        # As the browser sends the form: a field with a callable default (properties) has
        # its initial value in a hidden input, which tells whether it changed.
        properties = json.dumps(place.properties)
        data = {"source_id": place.source_id, "label": place.label, "properties": properties,
                "initial-properties": properties, "geom": geom, **fields}
        response = admin_client.post(f"/admin/themes/place/{place.pk}/change/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        return [m for m in deliver() if m.to == ["eltern@example.org"]]

    assert not change(source_id="admin-1b")  # the source id is not public
    place.refresh_from_db()
    (alert,) = change(label="Kita Domspatzen (Neubau)")
    assert "Kita Domspatzen (Neubau)" in alert.subject and "geändert" in alert.body

    response = admin_client.post(f"/admin/themes/place/{place.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Place.objects.filter(pk=place.pk).exists()
    assert DatasetLayer.objects.get(pk=layer.pk).feature_count == count
    (alert,) = [m for m in deliver() if m.to == ["eltern@example.org"]]
    assert "entfernt" in alert.body


def test_admin_edits_of_a_layer_not_opted_in_announce_nothing(kitas, subscribe, deliver,
                                                              admin_client, lonlat):
    from alerts.models import Subscription

    layer = DatasetLayer.objects.get(name="kitas")
    subscribe(email="eltern@example.org")
    Subscription.objects.update(topics=["layer:kitas"])
    deliver()
    near_dom = lonlat(DOM[0] + 0.001, DOM[1])
    response = admin_client.post("/admin/themes/place/add/", {
        "layer": layer.pk, "source_id": "admin-2", "label": "Kita still",
        "properties": '{"name": "Kita still"}', "geom": f"SRID={near_dom.srid};{near_dom.wkt}"})
    assert response.status_code == 302
    assert not [m for m in deliver() if m.to == ["eltern@example.org"]]


def test_a_zone_edited_in_the_admin_is_cut_into_parts_again(admin_client, fixtures_dir):
    from django.contrib.gis.geos import MultiPolygon

    from themes.models import Zone, ZonePart

    _demo("umweltzone", fixtures_dir)
    zone = Zone.objects.filter(layer__name="umweltzone").first()
    smaller = MultiPolygon(zone.geom.buffer(-200), srid=zone.geom.srid)
    response = admin_client.post(f"/admin/themes/zone/{zone.pk}/change/", {
        "source_id": zone.source_id, "label": zone.label,
        "properties": json.dumps(zone.properties),
        "geom": f"SRID={smaller.srid};{smaller.wkt}"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    parts = ZonePart.objects.filter(zone=zone)
    assert parts.exists()
    assert abs(sum(part.geom.area for part in parts) - smaller.area) < 1
