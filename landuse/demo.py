"""The demo city's Flächennutzungsplan: Köln FNP 2014 (CC BY 3.0 DE Stadt Köln)."""

from django.conf import settings

from geoportal.demo import KOELN

from .models import Plan
from .services import plan_import

NAME = "Flächennutzungsplan Köln"


def load(stdout) -> None:
    if Plan.objects.filter(name=NAME, municipality__code=KOELN).exists():
        stdout.write(f"{NAME} is loaded already.")
        return
    result = plan_import(
        path=settings.GEOPORTAL_FIXTURES / "landuse" / "koeln_fnp_aktuell.shp",
        name=NAME, municipality_code=KOELN, legal_status="rechtswirksam",
    )
    stdout.write(str(result))
