"""The city core's layers: one per area kind (QGIS users add "Stadtteile", not a mixed table
they must filter first, and each layer has one geometry type), streets and address points."""

from functools import partial

from django.utils.translation import gettext_noop

from ..models import Address, Area, AreaKind, PostcodeArea, Street
from .layers import Layer, register_layer

AREA_FIELDS = ("code", "name", "kind", "parent_id", "updated_at")
# Titles and descriptions in German, marked for the catalogue: /opendata/ shows them in the
# page's language, WFS and OGC API as written here.
AREA_LAYERS = {
    AreaKind.COUNTY: (
        "counties",
        gettext_noop("Landkreise"),
        gettext_noop("Landkreise mit amtlichem Schlüssel."),
    ),
    AreaKind.MUNICIPALITY: (
        "municipalities",
        gettext_noop("Gemeinden"),
        gettext_noop("Gemeinden mit amtlichem Schlüssel."),
    ),
    AreaKind.DISTRICT: (
        "districts",
        gettext_noop("Stadtbezirke"),
        gettext_noop("Stadtbezirke mit amtlichem Schlüssel."),
    ),
    AreaKind.QUARTER: (
        "quarters",
        gettext_noop("Stadtteile"),
        gettext_noop("Stadtteile mit amtlichem Schlüssel."),
    ),
}


def _of_kind(queryset, *, kind):
    return queryset.filter(kind=kind)


def register() -> None:
    for kind, (name, title, description) in AREA_LAYERS.items():
        register_layer(
            Layer(
                name=name,
                title=title,
                description=description,
                model=Area,
                fields=AREA_FIELDS,
                rows=partial(_of_kind, kind=kind),
                datetime_field="updated_at",
                modified_field="updated_at",
                order_by=("code",),
                keywords=("Verwaltungsgrenzen", str(kind)),
                geojson_simplify_m=0.0,
            )
        )
    register_layer(
        Layer(
            name="streets",
            title=gettext_noop("Straßen"),
            description=gettext_noop("Straßenachsen mit dem Straßenschlüssel der Stadt."),
            model=Street,
            # Köln has up to five streets of one name: without the quarter a planner sees five
            # "Schulstraße" rows and cannot tell them apart (the label says "…, Köln-Pesch").
            fields=("name", "label", "code", "municipality_id", "quarter_id"),
            related_fields=(("quarter_name", "quarter__name"),),
            order_by=("name", "pk"),
            keywords=("Straßen", "Gazetteer"),
            min_zoom=11,
        )
    )
    register_layer(
        Layer(
            name="postcodes",
            title=gettext_noop("Postleitzahlgebiete"),
            description=gettext_noop(
                "Postleitzahlgebiete mit Postleitzahl und Ort, Stand 1999: die Grenzen, nach "
                "denen die Adresssuche eine Postleitzahl auslegt."
            ),
            model=PostcodeArea,
            fields=("code", "place", "updated_at"),
            datetime_field="updated_at",
            modified_field="updated_at",
            order_by=("code",),
            keywords=("Postleitzahlen", "Gazetteer"),
        )
    )
    register_layer(
        Layer(
            name="addresses",
            title=gettext_noop("Adressen"),
            description=gettext_noop("Adresspunkte (Hausnummern)."),
            model=Address,
            fields=("street_name", "house_number", "house_number_suffix", "postcode", "city"),
            order_by=("street_name", "house_number", "house_number_suffix", "pk"),
            keywords=("Adressen", "Gazetteer"),
            min_zoom=14,
        )
    )
