from ...importers.segments import NodeOptions, import_street_nodes
from ..importcommand import ImportCommand


class Command(ImportCommand):
    help = "Import street nodes (crossings, junctions) from a point layer."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--code-field", default="NUMMER")
        parser.add_argument("--kind-field", default="TYP", help="empty: no kind")
        parser.add_argument("--source", help="label of this data source (default: file name)")

    def run_import(self, options):
        return import_street_nodes(
            path=options["path"],
            options=NodeOptions(
                code_field=options["code_field"],
                kind_field=options["kind_field"] or None,
                source=options["source"],
                layer=options["layer"],
                source_crs=options["source_crs"],
            ),
            dry_run=options["dry_run"],
            show_progress=options["verbosity"] > 0,
        )
