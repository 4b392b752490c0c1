"""manage.py import_bplan PATH: a Bebauungsplan from XPlanGML 4.1-6.0 (thin wrapper)."""

from django.core.management.base import BaseCommand, CommandError

from landuse.bplan_services import BPlanImportError, bplan_import


class Command(BaseCommand):
    help = ("Import a Bebauungsplan (XPlanGML BP_Plan, .gml or a .zip with its scanned plan, "
            "world file and PDF). A plan of the same name and municipality is replaced.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--source-crs", help="CRS for geometries without srsName")
        parser.add_argument("--dry-run", action="store_true", help="read and check, write nothing")

    def handle(self, *args, **options):
        try:
            result = bplan_import(path=options["path"], source_crs=options["source_crs"],
                                  dry_run=options["dry_run"])
        except BPlanImportError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(str(result)))
