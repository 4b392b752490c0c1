from ...importers.streets import StreetOptions, import_streets
from ..importcommand import ImportCommand


class Command(ImportCommand):
    help = "Import streets (name and line geometry) from a line layer."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--name-field", default="NAME")
        parser.add_argument(
            "--code-field", help="the city's street key; else segments merge by name"
        )
        parser.add_argument(
            "--long-name-field", help="a long name spelling out the quarter suffix's place"
        )
        parser.add_argument("--municipality", help="AGS of the municipality the streets belong to")
        parser.add_argument("--source", help="label of this data source (default: file name)")

    def run_import(self, options):
        return import_streets(
            path=options["path"],
            options=StreetOptions(
                name_field=options["name_field"],
                code_field=options["code_field"],
                long_name_field=options["long_name_field"],
                municipality=options["municipality"],
                source=options["source"],
                layer=options["layer"],
                source_crs=options["source_crs"],
            ),
            dry_run=options["dry_run"],
            show_progress=options["verbosity"] > 0,
        )
