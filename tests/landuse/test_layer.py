"""The land-use plan as an OGC layer: only the current version, with the public fields."""

import pytest
from django.core.management import call_command

from landuse.models import LandUseArea

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_versions(fixtures_dir):
    path = fixtures_dir / "landuse" / "koeln_fnp_aktuell.shp"
    for _ in range(2):
        call_command("import_landuse", str(path), name="FNP Köln", municipality="05315000",
                     verbosity=0)


def test_only_the_current_plan_is_published(client, two_versions):
    current = LandUseArea.objects.of_current_plans().count()
    assert LandUseArea.objects.count() >= current + 2120  # the older version is kept
    body = client.get("/ogcapi/collections/landuse/items", {"f": "json", "limit": 1}).json()
    assert body["numberMatched"] == current
    feature = body["features"][0]
    assert set(feature["properties"]) == {
        "class_code", "feature_class", "source_id", "plan_id", "repaired"
    }
