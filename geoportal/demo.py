"""The demo city, Köln: boundary, Stadtbezirke, Stadtteile, streets, street segments with
house-number ranges and street nodes from fixtures/koeln (CC BY 3.0 DE Stadt Köln), and its
postcode areas of 1999 (public domain, arnulf.us/PLZ).

Each app may have a `demo.py` with `load(stdout)`; `manage.py load_demo` calls them in
INSTALLED_APPS order, after this one. Each layer loads once: a database with an older demo
gets the layers it lacks."""

from collections.abc import Callable

from django.conf import settings

from .importers.areas import AreaOptions, import_areas
from .importers.core import ImportSummary
from .importers.postcodes import PostcodeOptions, import_postcodes
from .importers.segments import (
    NodeOptions,
    SegmentOptions,
    import_street_nodes,
    import_street_segments,
)
from .importers.streets import StreetOptions, import_streets
from .models import Area, AreaKind, PostcodeArea, Street, StreetNode, StreetSegment

KOELN = "05315000"
STREETS = "koeln-strassen"
SEGMENTS = "koeln-abschnitte"
NODES = "koeln-knoten"
POSTCODES = "koeln_postleitzahlen_1999.geojson"


def is_loaded() -> bool:
    return all(loaded() for loaded, _ in _steps())


def load(stdout) -> None:
    if is_loaded():
        stdout.write("Köln is loaded already.")
        return
    for loaded, run in _steps():
        if not loaded():
            stdout.write(str(run()))


def _steps() -> list[tuple[Callable[[], bool], Callable[[], ImportSummary]]]:
    koeln = settings.GEOPORTAL_FIXTURES / "koeln"

    def areas(kind: str) -> Callable[[], bool]:
        return Area.objects.filter(kind=kind, code__startswith=KOELN).exists

    return [
        (
            areas(AreaKind.MUNICIPALITY),
            lambda: import_areas(
                path=koeln / "koeln_stadtgrenze.geojson",
                options=AreaOptions(kind=AreaKind.MUNICIPALITY, name="Köln", code=KOELN),
            ),
        ),
        (
            areas(AreaKind.DISTRICT),
            lambda: import_areas(
                path=koeln / "koeln_stadtbezirke.geojson",
                options=AreaOptions(
                    kind=AreaKind.DISTRICT,
                    name_field="STB_NAME",
                    code_field="STB_NR",
                    code_prefix=f"{KOELN}-",
                    parent=AreaKind.MUNICIPALITY,
                ),
            ),
        ),
        (
            areas(AreaKind.QUARTER),
            lambda: import_areas(
                path=koeln / "koeln_stadtteile.shp",
                options=AreaOptions(
                    kind=AreaKind.QUARTER,
                    name_field="STT_NAME",
                    code_field="STT_NR",
                    code_prefix=f"{KOELN}-",
                    parent=AreaKind.DISTRICT,
                ),
            ),
        ),
        (
            # Streets imported before the quarter suffixes were resolved are imported again.
            lambda: Street.objects.filter(source=STREETS).exclude(label="").exists(),
            lambda: import_streets(
                path=koeln / "koeln_strassen.shp",
                options=StreetOptions(
                    code_field="NUMMER", long_name_field="LANGNAME", municipality=KOELN,
                    source=STREETS,
                ),
            ),
        ),
        (
            StreetSegment.objects.filter(source=SEGMENTS).exists,
            lambda: import_street_segments(
                path=koeln / "koeln_strassenabschnitte.shp",
                options=SegmentOptions(streets_source=STREETS, source=SEGMENTS),
            ),
        ),
        (
            StreetNode.objects.filter(source=NODES).exists,
            lambda: import_street_nodes(
                path=koeln / "koeln_strassenknoten.shp", options=NodeOptions(source=NODES)
            ),
        ),
        (
            PostcodeArea.objects.filter(source=POSTCODES).exists,
            lambda: import_postcodes(
                path=koeln / POSTCODES,
                options=PostcodeOptions(code_field="PLZ99", place_field="PLZORT99"),
            ),
        ),
    ]
