import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from councilmap.models import SyncRun

from .conftest import DATA, import_folder

pytestmark = pytest.mark.django_db


def oparl_check(client) -> dict:
    body = client.get("/status.json").json()
    return next(c for c in body["checks"] if c["key"] == "oparl")


def test_a_city_without_a_council_source_is_not_amber(client, settings):
    """A new city with no Ratsinformationssystem (docs/new-city.md): shown as not set up,
    neutral, and the portal as a whole is not "Eingeschränkt" for it."""
    settings.COUNCILMAP_OPARL_SOURCE = ""
    SyncRun.objects.all().delete()
    body = client.get("/status.json").json()
    check = next(c for c in body["checks"] if c["key"] == "oparl")
    assert check["status"] == "unconfigured"
    assert check["message"] == "Es ist kein Ratsinformationssystem angebunden."
    assert body["status"] == "green", [c for c in body["checks"] if c["status"] != "green"]
    page = client.get("/status/").content.decode()
    assert "Alles in Ordnung" in page and "Eingeschränkt" not in page
    assert '<li class="status-unconfigured">' in page
    assert "Ratsinformationssystem (OParl):</strong> Nicht eingerichtet." in page


def test_a_configured_source_without_a_sync_yet_is_amber(client, settings):
    settings.COUNCILMAP_OPARL_SOURCE = "https://ris.example.org/oparl/v1.1/system"
    SyncRun.objects.all().delete()
    body = client.get("/status.json").json()
    assert oparl_check(client)["status"] == "amber"
    assert body["status"] == "amber"


def test_import_oparl_without_an_argument_reads_the_configured_source(settings, fixtures_dir):
    SyncRun.objects.all().delete()
    with pytest.raises(CommandError, match="COUNCILMAP_OPARL_SOURCE"):
        call_command("import_oparl", stdout=io.StringIO())
    settings.COUNCILMAP_OPARL_SOURCE = str(fixtures_dir / "oparl" / "koeln-demo")
    call_command("import_oparl", "--full", stdout=io.StringIO())
    assert SyncRun.objects.filter(source__endswith="koeln-demo", ok=True).exists()


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
