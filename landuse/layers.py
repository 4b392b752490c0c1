"""The current land-use plans as one layer for planners in QGIS (geoportal.ogc)."""


from django.utils.translation import gettext_noop


def _current(queryset):
    return queryset.of_current_plans()


def _planzv_legend():
    """The PlanZV colours of landuse/classes.py as the registry's legend (QGIS, SLD, MapLibre)."""
    from geoportal.ogc.layers import StyleClass

    from .classes import CLASSES

    return tuple(StyleClass(c.key, c.label, c.color, c.fill) for c in CLASSES.values())


def register() -> None:
    from geoportal.ogc.layers import Layer, register_layer

    from .models import LandUseArea

    register_layer(
        Layer(
            name="landuse",
            title=gettext_noop("Flächennutzungsplan"),
            description=gettext_noop(
                "Darstellungen der gültigen Flächennutzungspläne; class_code verweist auf die "
                "Legende (PlanZV/BauNVO) unter /fnp/."
            ),
            model=LandUseArea,
            fields=("class_code", "feature_class", "source_id", "plan_id", "repaired"),
            rows=_current,
            keywords=("Flächennutzungsplan", "FNP", "PlanZV", "XPlanung"),
            min_zoom=10,
            geojson_simplify_m=1.0,
            style_property="class_code",
            style_classes=_planzv_legend,
        )
    )


def register_bplans() -> None:
    """Bebauungspläne for planners: boundaries, areas with their key figures, lines."""
    from geoportal.ogc.layers import Layer, register_layer

    from .models import BPlan, BPlanFeature

    keywords = ("Bebauungsplan", "BPlan", "XPlanung")
    register_layer(Layer(
        name="bplans", title=gettext_noop("Bebauungspläne (Geltungsbereiche)"), model=BPlan,
        description=gettext_noop("Geltungsbereiche der Bebauungspläne mit Rechtsstand und Daten."),
        fields=("name", "number", "municipality", "plan_type", "legal_status", "drawn_up",
                "adopted", "effective", "xplan_version"),
        geometry_field="boundary", order_by=("name", "pk"), keywords=keywords,
    ))
    register_layer(Layer(
        name="bplan_areas", title=gettext_noop("Bebauungspläne (Flächen)"), model=BPlanFeature,
        description=gettext_noop(
            "Flächen der Bebauungspläne: Baugebiete mit Art und Maß der baulichen "
            "Nutzung (GRZ, GFZ, Z, Bauweise), Grün-, Verkehrs-, Gemeinbedarfsflächen."
        ),
        fields=("plan_id", "feature_class", "label", "art", "grz", "gfz", "z", "z_max",
                "bauweise", "zweckbestimmung", "source_id"),
        geometry_field="area", rows=_areas, keywords=keywords, min_zoom=12,
    ))
    register_layer(Layer(
        name="bplan_lines", title=gettext_noop("Bebauungspläne (Linien)"), model=BPlanFeature,
        description=gettext_noop(
            "Baugrenzen, Baulinien, Straßenbegrenzungslinien und andere Linien."
        ),
        fields=("plan_id", "feature_class", "label", "source_id"),
        geometry_field="line", rows=_lines, keywords=keywords, min_zoom=12,
    ))


def _areas(queryset):
    return queryset.filter(kind="area")


def _lines(queryset):
    return queryset.filter(kind="line")
