"""manage.py import_layer PATH --name NAME --title TITLE --kind zone|poi ... (see --help)."""

from django.core.management.base import CommandError

from geoportal.management.importcommand import ImportCommand

from ...licences import LICENCES, licence_uri
from ...services import dataset_layer_import


class Command(ImportCommand):
    help = (
        "Import any dataset as a map layer (zones or places). It is then on the map, in WFS, "
        "OGC API, tiles, /geojson/ and the open data catalogue. A re-import replaces the "
        "layer's features and keeps its settings."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--name", required=True, help="layer name for URLs, e.g. umweltzone")
        parser.add_argument("--title", help="title on the map and in catalogues (new layers)")
        parser.add_argument("--kind", required=True, choices=["zone", "poi"])
        parser.add_argument(
            "--fields",
            help="public fields, comma-separated; `public=source` renames (e.g. "
            "name=tags/name). Default: every field (new layer) or the layer's current ones.",
        )
        parser.add_argument("--label-field", help="field that names a feature (e.g. name)")
        parser.add_argument("--id-field", help="field with a stable feature id")
        parser.add_argument("--x-field", help="CSV: column of x / longitude")
        parser.add_argument("--y-field", help="CSV: column of y / latitude")
        parser.add_argument("--licence", help=f"one of {', '.join(LICENCES)}")
        parser.add_argument("--attribution", help="e.g. '© OpenStreetMap contributors'")
        parser.add_argument("--publisher", help="who publishes the data, e.g. Stadt Köln")
        parser.add_argument("--description", help="one or two sentences for catalogues")
        parser.add_argument("--legend", help="legend text on the map")
        parser.add_argument("--color", help="map colour as #rrggbb")

    def run_import(self, options: dict):
        licence = licence_uri(options["licence"])
        if options["licence"] and licence is None:
            raise CommandError(
                f"--licence {options['licence']!r}: use one of {', '.join(LICENCES)}."
            )
        fields = options["fields"]
        return dataset_layer_import(
            path=options["path"],
            name=options["name"],
            kind=options["kind"],
            title=options["title"],
            fields=[f for f in fields.split(",") if f.strip()] if fields is not None else None,
            label_field=options["label_field"],
            source_crs=options["source_crs"],
            source_layer=options["layer"],
            x_field=options["x_field"],
            y_field=options["y_field"],
            id_field=options["id_field"],
            settings={
                "licence": licence,
                "attribution": options["attribution"],
                "publisher": options["publisher"],
                "description": options["description"],
                "legend": options["legend"],
                "color": options["color"],
            },
            dry_run=options["dry_run"],
            show_progress=options["verbosity"] > 1,
        )
