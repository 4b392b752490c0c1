"""Writes of Open.RIS.Map: a paper's places, manual corrections."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction

from .events import paper_placed_event
from .geocoding import CityGazetteer, paper_text_places
from .models import LocationSource, Paper, PaperLocation, PlacePrecision


@dataclass(frozen=True)
class OParlPlace:
    oparl_id: str
    name: str
    geom: GEOSGeometry  # storage CRS


def _precision_of(geom: GEOSGeometry) -> str:
    return PlacePrecision.POINT if geom.geom_type in ("Point", "MultiPoint") else (
        PlacePrecision.STREET if "LineString" in geom.geom_type else PlacePrecision.AREA
    )


@transaction.atomic
def paper_locations_rebuild(
    *, paper: Paper, oparl_places: list[OParlPlace] | None, city: CityGazetteer | None = None
) -> Counter:
    """Replace the paper's imported places: its OParl locations (unless `oparl_places` is None:
    keep them) and the places found in its title and text (unless staff placed the paper by
    hand). Manual places are never touched."""
    counts: Counter = Counter()
    rows = []
    before = {bytes(g.ewkb) for g in paper.locations.values_list("geom", flat=True)}
    if oparl_places is not None:
        counts["removed"] += paper.locations.filter(source=LocationSource.OPARL).delete()[0]
        rows += [
            PaperLocation(
                paper=paper, source=LocationSource.OPARL, precision=_precision_of(place.geom),
                name=place.name, oparl_id=place.oparl_id, confidence=1.0, geom=place.geom,
            )
            for place in oparl_places
        ]
    # Once staff have placed a paper by hand, its places from text are theirs to keep or delete:
    # regenerating them would bring back the wrong place they corrected.
    if not paper.locations.filter(source=LocationSource.MANUAL).exists():
        counts["removed"] += paper.locations.filter(source=LocationSource.EXTRACTED).delete()[0]
        rows += [
            PaperLocation(
                paper=paper, source=LocationSource.EXTRACTED, precision=place.precision,
                name=place.name[:500], matched_text=place.matched_text[:500],
                confidence=place.confidence, street_id=place.street_id, area_id=place.area_id,
                geom=place.geom,
            )
            for place in paper_text_places(name=paper.name, text=paper.text, city=city)
        ]
    PaperLocation.objects.bulk_create(rows)
    paper_placed_event(paper=paper, before=before, geoms=[row.geom for row in rows])
    counts["placed"] += len(rows)
    return +counts


@transaction.atomic
def paper_locations_clear(*, paper: Paper) -> int:
    """A deleted paper leaves the map; staff corrections stay for the day it comes back."""
    return paper.locations.exclude(source=LocationSource.MANUAL).delete()[0]


@transaction.atomic
def paper_location_create_manual(
    *, paper: Paper, geom: GEOSGeometry, name: str = ""
) -> PaperLocation:
    location = PaperLocation.objects.create(
        paper=paper, source=LocationSource.MANUAL, precision=_precision_of(geom), name=name,
        confidence=1.0, geom=geom,
    )
    paper_placed_event(paper=paper, before=set(), geoms=[geom])
    return location
