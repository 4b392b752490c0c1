"""Council data for the councilmap tests: the Köln demo and the real Karlsruhe OParl export,
imported once per module through the real importer and committed; removed afterwards."""

from pathlib import Path

import pytest

from councilmap.importers.loader import FolderSource
from councilmap.importers.oparl import oparl_import

DATA = Path(__file__).parent / "data"


def import_folder(path: Path, **kwargs):
    return oparl_import(source=FolderSource(path), **kwargs)


def wipe_council() -> None:
    from councilmap.models import Body, Meeting, Organization, Paper, SyncRun

    for model in (Paper, Meeting, Organization, Body, SyncRun):
        model.objects.all().delete()


@pytest.fixture(scope="module")
def council(django_db_setup, django_db_blocker, fixtures_dir):
    with django_db_blocker.unblock():
        wipe_council()
        runs = import_folder(fixtures_dir / "oparl" / "koeln-demo", full=True)
        runs += import_folder(fixtures_dir / "oparl" / "karlsruhe", full=True)
    yield runs
    with django_db_blocker.unblock():
        wipe_council()
