"""Demo council data for Köln: fixtures/oparl/koeln-demo through the same OParl importer as a
live endpoint. A second run finds nothing changed and writes nothing."""

from django.conf import settings

from .importers.loader import FolderSource
from .importers.oparl import oparl_import

DEMO = "oparl/koeln-demo"


def load(stdout) -> None:
    runs = oparl_import(source=FolderSource(settings.GEOPORTAL_FIXTURES / DEMO), full=True)
    for run in runs:
        stdout.write(str(getattr(run, "report", run.errors)))
