"""manage.py import_oparl [SOURCE]: mirror an OParl endpoint (System or Body URL) or a folder of
OParl JSON files; without SOURCE the configured COUNCILMAP_OPARL_SOURCE. Thin: the work is in
councilmap.importers.oparl."""

from django.core.management.base import BaseCommand, CommandError

from councilmap import conf
from councilmap.importers.loader import SourceError, open_source
from councilmap.importers.oparl import oparl_import


class Command(BaseCommand):
    help = "Import OParl 1.0/1.1 bodies, meetings, papers and locations (incremental)."

    def add_arguments(self, parser):
        parser.add_argument(
            "source", nargs="?", default="",
            help="OParl System/Body URL, or a folder of OParl JSON (default: the setting "
            "COUNCILMAP_OPARL_SOURCE)",
        )
        parser.add_argument("--full", action="store_true", help="ignore the last sync date")
        parser.add_argument(
            "--regeocode", action="store_true", help="place every paper again (new gazetteer)"
        )

    def handle(self, *args, source, full, regeocode, **options):
        source = source or conf.COUNCILMAP_OPARL_SOURCE
        if not source:
            raise CommandError(
                "name the OParl source (a System or Body URL, or a folder), or set "
                "COUNCILMAP_OPARL_SOURCE"
            )
        try:
            opened = open_source(source)
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        verbose = options.get("verbosity", 1) >= 1
        runs = oparl_import(
            source=opened, full=full, regeocode=regeocode,
            progress=(lambda line: self.stdout.write(line)) if verbose else None,
        )
        failed = False
        for run in runs:
            report = getattr(run, "report", None)
            self.stdout.write(str(report) if report else f"{run.source}: {run.errors}")
            failed = failed or not run.ok
        if failed:
            raise CommandError("the import did not finish cleanly; see the problems above")
