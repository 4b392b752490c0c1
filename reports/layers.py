"""The public reports layer for WFS, OGC API, vector tiles and GeoJSON (geoportal.ogc).

Only published reports, and only fields a citizen sees on the public report page (related
rows by name, not by id); the reporter's contact data lives in another table and the
description (free text that may name people) stays out of the GIS layer. Tiles below
REPORTS_TILE_CLUSTER_BELOW_ZOOM carry clusters (`count`, `open`) of the public reports
instead (reports/clusters.py).
"""


from django.utils.translation import gettext_noop


def _public(queryset):
    return queryset.public()


def _tile(**kwargs) -> bytes | None:
    from .selectors import report_tile_clusters

    return report_tile_clusters(**kwargs)


def _fingerprint():
    from .selectors import report_layer_marker

    return report_layer_marker()


def register() -> None:
    from geoportal.ogc.layers import Layer, register_layer

    from .models import Report

    register_layer(
        Layer(
            name="reports",
            title=gettext_noop("Mängelmeldungen"),
            description=gettext_noop(
                "Veröffentlichte Meldungen aus dem Mängelmelder, ohne Angaben zu den Meldenden."
            ),
            model=Report,
            fields=(
                "number",
                "status",
                "status_notes",
                "address",
                "supporters",
                "created_at",
                "updated_at",
            ),
            # Names a reader understands instead of the database's ids (#19: reports.csv had
            # only numbers); the category code is the one the API's ?category= filter takes.
            related_fields=(
                ("category_code", "category__code"),
                ("category_name", "category__name"),
                ("office_name", "office__name"),
                ("municipality_name", "municipality__name"),
                ("district_name", "district__name"),
                ("quarter_name", "quarter__name"),
            ),
            rows=_public,
            datetime_field="created_at",
            modified_field="updated_at",
            order_by=("-created_at",),
            keywords=("Mängelmelder", "Open311"),
            min_zoom=10,
            # Clusters counted from the report grid below REPORTS_TILE_CLUSTER_BELOW_ZOOM.
            tile_builder=_tile,
            # Indexes only: the generic marker scans every report (~0.7 s at 1 M).
            fingerprint=_fingerprint,
        )
    )
