from ...importers.postcodes import PostcodeOptions, import_postcodes
from ..importcommand import ImportCommand


class Command(ImportCommand):
    help = "Import postcode areas (one polygon per postcode) from a polygon layer."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--code-field", required=True, help="field holding the postcode")
        parser.add_argument("--place-field", help="field holding the post's place name")
        parser.add_argument("--place", default="", help="one place name for every area")

    def run_import(self, options):
        return import_postcodes(
            path=options["path"],
            options=PostcodeOptions(
                code_field=options["code_field"],
                place_field=options["place_field"],
                place=options["place"],
                layer=options["layer"],
                source_crs=options["source_crs"],
            ),
            dry_run=options["dry_run"],
        )
