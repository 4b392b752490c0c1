"""The demo city's Themenkarten: Köln's Umweltzone (zone), Kitas and schools from OSM (places)."""

from django.conf import settings

from .licences import LICENCES
from .models import DatasetLayer
from .services import dataset_layer_import

OSM = "© OpenStreetMap-Mitwirkende, ODbL 1.0"
DEMO = [
    {
        "file": "koeln_umweltzone.geojson", "name": "umweltzone", "kind": "zone",
        "title": "Umweltzone Köln",
        "fields": [], "label_field": None,
        "settings": {"licence": LICENCES["cc-by-de-3.0"], "publisher": "Stadt Köln",
                  "attribution": "Stadt Köln, CC BY (offenedaten-koeln.de)", "color": "#2e7d32",
                  "legend": "Einfahrt nur mit grüner Plakette",
                  "description": "Die Umweltzone Köln: Kraftfahrzeuge brauchen eine grüne "
                                 "Feinstaubplakette."},
    },
    {
        "file": "koeln_kitas_osm.geojson", "name": "kitas", "kind": "poi", "title": "Kitas",
        "fields": ["name=tags/name"], "label_field": "tags/name",
        "settings": {"licence": LICENCES["odbl"], "publisher": "OpenStreetMap",
                  "attribution": OSM, "color": "#c2185b", "legend": "Kindertagesstätten",
                  "description": "Kindertagesstätten in Köln aus OpenStreetMap."},
    },
    {
        "file": "koeln_schulen_osm.geojson", "name": "schulen", "kind": "poi", "title": "Schulen",
        "fields": ["name=tags/name"], "label_field": "tags/name",
        "settings": {"licence": LICENCES["odbl"], "publisher": "OpenStreetMap",
                  "attribution": OSM, "color": "#1565c0", "legend": "Schulen",
                  "description": "Schulen in Köln aus OpenStreetMap."},
    },
]


def load(stdout) -> None:
    for item in DEMO:
        if DatasetLayer.objects.filter(name=item["name"], feature_count__gt=0).exists():
            stdout.write(f"Layer {item['name']} is loaded already.")
            continue
        summary = dataset_layer_import(
            path=settings.GEOPORTAL_FIXTURES / "themes" / item["file"], name=item["name"],
            kind=item["kind"], title=item["title"], fields=item["fields"],
            label_field=item["label_field"], settings=item["settings"],
        )
        stdout.write(str(summary))
