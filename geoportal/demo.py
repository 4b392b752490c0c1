"""The demo city, Köln: boundary, Stadtbezirke, Stadtteile and streets from fixtures/koeln
(CC BY 3.0 DE Stadt Köln).

Each app may have a `demo.py` with `load(stdout)`; `manage.py load_demo` calls them in
INSTALLED_APPS order, after this one."""

from django.conf import settings

from .importers.areas import AreaOptions, import_areas
from .importers.streets import StreetOptions, import_streets
from .models import Area, AreaKind

KOELN = "05315000"


def is_loaded() -> bool:
    return Area.objects.filter(kind=AreaKind.MUNICIPALITY, code=KOELN).exists()


def load(stdout) -> None:
    if is_loaded():
        stdout.write("Köln is loaded already.")
        return
    koeln = settings.GEOPORTAL_FIXTURES / "koeln"
    summaries = [
        import_areas(
            path=koeln / "koeln_stadtgrenze.geojson",
            options=AreaOptions(kind=AreaKind.MUNICIPALITY, name="Köln", code=KOELN),
        ),
        import_areas(
            path=koeln / "koeln_stadtbezirke.geojson",
            options=AreaOptions(
                kind=AreaKind.DISTRICT,
                name_field="STB_NAME",
                code_field="STB_NR",
                code_prefix=f"{KOELN}-",
                parent=AreaKind.MUNICIPALITY,
            ),
        ),
        import_areas(
            path=koeln / "koeln_stadtteile.shp",
            options=AreaOptions(
                kind=AreaKind.QUARTER,
                name_field="STT_NAME",
                code_field="STT_NR",
                code_prefix=f"{KOELN}-",
                parent=AreaKind.DISTRICT,
            ),
        ),
        import_streets(
            path=koeln / "koeln_strassen.shp",
            options=StreetOptions(code_field="NUMMER", municipality=KOELN, source="koeln-strassen"),
        ),
    ]
    for summary in summaries:
        stdout.write(str(summary))
