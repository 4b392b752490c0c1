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


def test_layer_not_opted_in_announces_nothing(kitas, subscribe, deliver, fixtures_dir,
                                              tmp_path):
    from alerts.models import Subscription

    subscribe(email="eltern@example.org")
    Subscription.objects.update(topics=["layer:kitas"])  # opted out after subscribing
    deliver()
    _reimport(fixtures_dir, tmp_path, add_near_dom=True, rename_first=False)
    assert not [m for m in deliver() if m.to == ["eltern@example.org"]]
