from ...importers.areas import AreaOptions, import_areas
from ...models import AreaKind
from ..importcommand import ImportCommand


class Command(ImportCommand):
    help = "Import areas (county, municipality, district, quarter) from a polygon layer."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--kind", required=True, choices=AreaKind.values)
        parser.add_argument("--name-field", help="field holding the area's name")
        parser.add_argument("--code-field", help="field holding the area's official code")
        parser.add_argument("--name", help="the name, for a source with one area (a boundary)")
        parser.add_argument("--code", help="the code, for a source with one area")
        parser.add_argument(
            "--code-prefix", default="", help="prepended to each code, e.g. the AGS"
        )
        parser.add_argument(
            "--parent",
            help="a kind (parent by largest overlap, e.g. 'district') or kind:code (one parent)",
        )
        parser.add_argument(
            "--where",
            help="import only the features this OGR SQL filter selects, e.g. \"ags8 = '08221000'\"",
        )

    def run_import(self, options):
        return import_areas(
            path=options["path"],
            options=AreaOptions(
                kind=options["kind"],
                name_field=options["name_field"],
                code_field=options["code_field"],
                name=options["name"],
                code=options["code"],
                code_prefix=options["code_prefix"],
                parent=options["parent"],
                layer=options["layer"],
                source_crs=options["source_crs"],
                where=options["where"],
            ),
            dry_run=options["dry_run"],
            show_progress=options["verbosity"] > 0,
        )
