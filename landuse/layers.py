"""The current land-use plans as one layer for planners in QGIS (geoportal.ogc)."""


def _current(queryset):
    return queryset.of_current_plans()


def register() -> None:
    from geoportal.ogc.layers import Layer, register_layer

    from .models import LandUseArea

    register_layer(
        Layer(
            name="landuse",
            title="Flächennutzungsplan",
            description=(
                "Darstellungen der gültigen Flächennutzungspläne; class_code verweist auf die "
                "Legende (PlanZV/BauNVO) unter /fnp/."
            ),
            model=LandUseArea,
            fields=("class_code", "feature_class", "source_id", "plan_id", "repaired"),
            rows=_current,
            keywords=("Flächennutzungsplan", "FNP", "PlanZV", "XPlanung"),
            min_zoom=10,
            geojson_simplify_m=1.0,
        )
    )
