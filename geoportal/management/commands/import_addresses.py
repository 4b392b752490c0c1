from ...importers.addresses import AddressOptions, import_addresses
from ..importcommand import ImportCommand


class Command(ImportCommand):
    help = (
        "Import address points. Defaults read the official Hauskoordinaten GeoJSON "
        "(strname, hsnr, hsnrzu, objectid); other CSV/GeoJSON sources name their columns."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        defaults = AddressOptions()
        parser.add_argument("--street-field", default=defaults.street_field)
        parser.add_argument("--number-field", default=defaults.number_field)
        parser.add_argument("--suffix-field", default=defaults.suffix_field, help="'' for none")
        parser.add_argument("--postcode-field")
        parser.add_argument("--city-field")
        parser.add_argument(
            "--id-field", default=defaults.id_field, help="'' to use the feature id"
        )
        parser.add_argument("--x-field", help="CSV: column with x or longitude")
        parser.add_argument("--y-field", help="CSV: column with y or latitude")
        parser.add_argument("--city", default="", help="city name for every address")
        parser.add_argument("--source", help="label of this data source (default: file name)")

    def run_import(self, options):
        return import_addresses(
            path=options["path"],
            options=AddressOptions(
                street_field=options["street_field"],
                number_field=options["number_field"],
                suffix_field=options["suffix_field"] or None,
                postcode_field=options["postcode_field"],
                city_field=options["city_field"],
                id_field=options["id_field"] or None,
                city=options["city"],
                source=options["source"],
                layer=options["layer"],
                source_crs=options["source_crs"],
                x_field=options["x_field"],
                y_field=options["y_field"],
            ),
            dry_run=options["dry_run"],
            show_progress=options["verbosity"] > 0,
        )
