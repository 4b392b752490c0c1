"""Writes of Open.RIS.Map: a paper's places, manual corrections."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from geoportal.selectors import district_of, street_union

from .events import paper_placed_event
from .geocoding import CityGazetteer, paper_placement
from .models import (
    LocationSource,
    Organization,
    Paper,
    PaperLocation,
    PlacementReview,
    PlacePrecision,
)


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
        placement = paper_placement(
            name=paper.name, text=paper.text, committee=paper_committees(paper=paper), city=city
        )
        rows += [
            PaperLocation(
                paper=paper, source=LocationSource.EXTRACTED, precision=place.precision,
                name=place.name[:500], matched_text=place.matched_text[:500],
                confidence=place.confidence, street_id=place.street_id, area_id=place.area_id,
                geom=place.geom,
            )
            for place in placement.places
        ]
        counts["review"] += _reviews_replace(paper=paper, reviews=placement.reviews)
    for row in rows:  # bulk_create skips save(), which sets the district
        row.district = district_of(geom=row.geom)
    PaperLocation.objects.bulk_create(rows)
    paper_placed_event(paper=paper, before=before, geoms=[row.geom for row in rows])
    counts["placed"] += len(rows)
    return +counts


def paper_committees(*, paper: Paper) -> list[str]:
    """Names of the committees the paper went to: a Bezirksvertretung says where it lies."""
    consultations = paper.consultations.all()
    return list(
        Organization.objects.filter(
            Q(pk__in=consultations.values("organization"))
            | Q(oparl_id__in=consultations.values("organization_url"))
        ).values_list("name", flat=True)
    )


def _reviews_replace(*, paper: Paper, reviews) -> int:
    """Open reviews follow the newest import; decided ones stay as staff left them."""
    names = [r.name[:300] for r in reviews]
    paper.reviews.filter(resolved_at__isnull=True).exclude(name__in=names).delete()
    decided = set(paper.reviews.filter(resolved_at__isnull=False).values_list("name", flat=True))
    created = 0
    for review in reviews:
        if review.name[:300] in decided:
            continue
        PlacementReview.objects.update_or_create(
            paper=paper, name=review.name[:300],
            defaults={
                "matched_text": review.matched_text[:500],
                "candidates": [
                    {"label": c.label, "street_ids": list(c.street_ids)} for c in review.candidates
                ],
            },
        )
        created += 1
    return created


@transaction.atomic
def placement_review_decide(*, review: PlacementReview, label: str) -> PaperLocation:
    """Staff choose one candidate: it becomes the paper's manual place, which imports keep."""
    candidate = next(c for c in review.candidates if c["label"] == label)
    geom = street_union(street_ids=candidate["street_ids"])
    location = paper_location_create_manual(paper=review.paper, geom=geom, name=label)
    review.chosen = label
    review.resolved_at = timezone.now()
    review.save(update_fields=["chosen", "resolved_at"])
    return location


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
