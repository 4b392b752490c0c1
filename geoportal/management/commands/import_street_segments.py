from ...importers.segments import SegmentOptions, import_street_segments
from ..importcommand import ImportCommand


class Command(ImportCommand):
    help = "Import street segments with house-number ranges per side (left/right, from/to)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--streets-source", required=True, help="source label of the imported streets"
        )
        parser.add_argument("--name-field", default="STRASSE")
        parser.add_argument("--code-field", default="NUMMER")
        parser.add_argument(
            "--street-key-length", type=int, default=5,
            help="leading characters of the segment key that are the street key (0: by name)",
        )
        for side in ("left", "right"):
            for end, default in (("from", "V"), ("to", "B")):
                parser.add_argument(
                    f"--{side}-{end}-field", default=f"HSNR_{default}_{side[0].upper()}"
                )
        parser.add_argument("--source", help="label of this data source (default: file name)")

    def run_import(self, options):
        return import_street_segments(
            path=options["path"],
            options=SegmentOptions(
                streets_source=options["streets_source"],
                name_field=options["name_field"],
                code_field=options["code_field"],
                street_key_length=options["street_key_length"] or None,
                left_from_field=options["left_from_field"],
                left_to_field=options["left_to_field"],
                right_from_field=options["right_from_field"],
                right_to_field=options["right_to_field"],
                source=options["source"],
                layer=options["layer"],
                source_crs=options["source_crs"],
            ),
            dry_run=options["dry_run"],
            show_progress=options["verbosity"] > 0,
        )
