from datetime import timedelta

import pytest
from django.utils import timezone

from councilmap.models import SyncRun

from .conftest import DATA, import_folder

pytestmark = pytest.mark.django_db


def oparl_check(client) -> dict:
    body = client.get("/status.json").json()
    return next(c for c in body["checks"] if c["key"] == "oparl")


def test_no_sync_yet_is_amber(client):
    SyncRun.objects.all().delete()
    assert oparl_check(client)["status"] == "amber"


def test_a_clean_sync_is_green(client, fixtures_dir):
    SyncRun.objects.all().delete()
    import_folder(fixtures_dir / "oparl" / "koeln-demo", full=True)
    check = oparl_check(client)
    assert check["status"] == "green"
    assert "Letzter Abgleich" in check["message"]


def test_objects_that_could_not_be_imported_turn_it_amber(client):
    SyncRun.objects.all().delete()
    import_folder(DATA / "oparl_quirks", full=True)
    check = oparl_check(client)
    assert check["status"] == "amber"
    assert check["details"]["errors"] > 0


def test_a_failed_or_stale_live_sync_shows(client, fixtures_dir):
    SyncRun.objects.all().delete()
    import_folder(fixtures_dir / "oparl" / "koeln-demo", full=True)
    run = SyncRun.objects.latest("started_at")
    SyncRun.objects.filter(pk=run.pk).update(
        source="https://ris.example.org/oparl/v1.1/system",
        started_at=timezone.now() - timedelta(days=3),
    )
    assert oparl_check(client)["status"] == "amber"
    SyncRun.objects.filter(pk=run.pk).update(ok=False)
    assert oparl_check(client)["status"] == "red"
