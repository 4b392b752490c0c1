"""The city core's layers: one per area kind (QGIS users add "Stadtteile", not a mixed table
they must filter first, and each layer has one geometry type), streets and address points."""

from functools import partial

from ..models import Address, Area, AreaKind, Street
from .layers import Layer, register_layer

AREA_FIELDS = ("code", "name", "kind", "parent_id", "updated_at")
AREA_LAYERS = {
    AreaKind.COUNTY: ("counties", "Landkreise"),
    AreaKind.MUNICIPALITY: ("municipalities", "Gemeinden"),
    AreaKind.DISTRICT: ("districts", "Stadtbezirke"),
    AreaKind.QUARTER: ("quarters", "Stadtteile"),
}


def _of_kind(queryset, *, kind):
    return queryset.filter(kind=kind)


def register() -> None:
    for kind, (name, title) in AREA_LAYERS.items():
        register_layer(
            Layer(
                name=name,
                title=title,
                description=f"{title} (Area kind '{kind}') with their official code.",
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
            title="Straßen",
            description="Street centre lines with the city's street key.",
            model=Street,
            fields=("name", "code", "municipality_id"),
            order_by=("name", "pk"),
            keywords=("Straßen", "Gazetteer"),
            min_zoom=11,
        )
    )
    register_layer(
        Layer(
            name="addresses",
            title="Adressen",
            description="Address points (house numbers).",
            model=Address,
            fields=("street_name", "house_number", "house_number_suffix", "postcode", "city"),
            order_by=("street_name", "house_number", "house_number_suffix", "pk"),
            keywords=("Adressen", "Gazetteer"),
            min_zoom=14,
        )
    )
