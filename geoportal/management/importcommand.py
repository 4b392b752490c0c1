"""The shared shape of every import command: a path, --dry-run, --layer, --source-crs, a summary."""

from django.core.management.base import BaseCommand, CommandError

from ..importers.core import ImportFailed, ImportSummary


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="GeoJSON, Shapefile (.shp with .prj), GeoPackage, CSV or a zip of one"
        )
        parser.add_argument("--layer", help="layer name in a multi-layer source (GeoPackage)")
        parser.add_argument(
            "--source-crs", help="CRS of a source that declares none, e.g. EPSG:25832"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="read, check and write, then roll back"
        )

    def run_import(self, options: dict) -> ImportSummary:
        raise NotImplementedError

    def handle(self, *args, **options):
        try:
            summary = self.run_import(options)
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(str(summary)))
