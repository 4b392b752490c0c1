"""manage.py import_landuse PATH: a Flächennutzungsplan as a new plan version (thin wrapper)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from landuse.services import PlanImportError, plan_import


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date; write YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = ("Import a Flächennutzungsplan (XPlanGML 5.x/6.0, Shapefile with .prj, GeoPackage, "
            "GeoJSON, or a zip of one) as the new current version of its plan.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--name", help="plan name (default: from the file)")
        parser.add_argument("--municipality", metavar="CODE",
                            help="AGS of a municipality in the portal, e.g. 05315000")
        parser.add_argument("--legal-status", help="e.g. rechtswirksam (default: from the file)")
        parser.add_argument("--drawn-up-date", help="Aufstellungsbeschluss, YYYY-MM-DD")
        parser.add_argument("--effective-date", help="Wirksamkeit, YYYY-MM-DD")
        parser.add_argument("--source-crs", help="CRS of a source that declares none")
        parser.add_argument("--layer", help="layer of a multi-layer source (GeoPackage)")
        parser.add_argument("--id-field",
                            help="attribute holding each area's id (default: GDAL feature id)")
        parser.add_argument("--class-field",
                            help="attribute holding each area's class code (default: TYP)")
        parser.add_argument("--classes-csv", metavar="CSV",
                            help="your plan's PlanZV category table (default: the setting "
                                 "LANDUSE_CLASSES_CSV, the demo city Köln's table)")
        parser.add_argument("--dry-run", action="store_true",
                            help="read, check and write, then roll back")

    def handle(self, *args, **options):
        verbose = options["verbosity"] > 0
        try:
            result = plan_import(
                path=options["path"], name=options["name"],
                municipality_code=options["municipality"],
                legal_status=options["legal_status"],
                drawn_up=_date(options["drawn_up_date"]) if options["drawn_up_date"] else None,
                effective=_date(options["effective_date"]) if options["effective_date"] else None,
                source_crs=options["source_crs"], layer=options["layer"],
                id_field=options["id_field"], class_field=options["class_field"],
                classes_csv=options["classes_csv"],
                dry_run=options["dry_run"],
                progress=(lambda message: self.stderr.write(f"... {message}")) if verbose else None,
            )
        except PlanImportError as exc:
            raise CommandError(str(exc)) from exc
        if verbose:
            self.stdout.write(self.style.SUCCESS(str(result)))
