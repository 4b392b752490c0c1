"""Places of council papers as a layer for WFS, OGC API, tiles and GeoJSON (geoportal.ogc).

The matched text span is left out: it may quote attachments that are not public.
"""


from django.utils.translation import gettext_noop


def _public(queryset):
    return queryset.filter(paper__deleted=False)


def register() -> None:
    from geoportal.ogc.layers import Layer, register_layer

    from .models import PaperLocation

    register_layer(
        Layer(
            name="council_places",
            title=gettext_noop("Orte von Ratsvorlagen und Beschlüssen"),
            description=gettext_noop(
                "Orte aus dem Ratsinformationssystem (OParl) und aus dem Text der Vorlagen."
            ),
            model=PaperLocation,
            fields=("paper_id", "name", "source", "precision", "confidence"),
            # Which paper a place belongs to, so a planner in QGIS reads "Aachener Straße 1000"
            # with its paper's title, Aktenzeichen and date instead of a bare id. Only the
            # paper's own public metadata: its text and files may quote non-public attachments.
            # `web` is the paper's page in the RIS (OParl); ours is /rat/vorlagen/<paper_id>/.
            related_fields=(
                ("paper_name", "paper__name"),
                ("reference", "paper__reference"),
                ("paper_type", "paper__paper_type"),
                ("paper_date", "paper__date"),
                ("web", "paper__web"),
            ),
            rows=_public,
            keywords=("Ratsinformationssystem", "OParl", "Open.RIS.Map"),
            min_zoom=10,
        )
    )
