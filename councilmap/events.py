"""What a council paper announces to listeners (alerts): newly placed papers, public fields only."""

from django.contrib.gis.geos import GeometryCollection, GEOSGeometry
from django.urls import reverse

from geoportal.events import Event, Topic, publish

from .models import Paper


def paper_placed_event(*, paper: Paper, before: set[bytes], geoms: list[GEOSGeometry]) -> None:
    """Announce the places a paper did not have before (a re-import of the same places is
    silent). Call inside the service's transaction."""
    new = [g for g in geoms if bytes(g.ewkb) not in before]
    if paper.deleted or not new:
        return
    geom = new[0] if len(new) == 1 else GeometryCollection(*new, srid=new[0].srid)
    publish(Event(
        topic=Topic.COUNCIL, kind="paper.placed", key=f"paper:{paper.pk}",
        title=(f"{paper.reference}: " if paper.reference else "") + (paper.name or "")[:250],
        summary=paper.paper_type, path=reverse("councilmap:paper", kwargs={"pk": paper.pk}),
        geom=geom,
    ))
