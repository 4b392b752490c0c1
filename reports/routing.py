"""Which office handles a report: category x area rules over the areas that cover the point.

Ranking, and why: a rule for the category itself beats a rule for one of its ancestors, which
beats an "any category" fallback; within one category level the narrowest area wins (quarter
over district over municipality over county). Category first, so a county rule for "Kreisstraße"
beats a municipality rule for the whole "Straße" branch; area second, so the district's
Bürgeramt beats the city-wide fallback.
"""

from dataclasses import dataclass

from django.contrib.gis.geos import Point

from geoportal.kinds import AreaKind
from geoportal.selectors import area_list, areas_covering

from .models import Category, Office, RoutingRule


class NotServed(ValueError):
    """The point lies outside every municipality this platform serves."""


@dataclass(frozen=True)
class Route:
    office: Office
    rule: RoutingRule
    areas: dict[str, object]  # kind -> geoportal's Area


def served_municipalities() -> list:
    """Municipalities (geoportal's areas) with at least one routing rule of their own."""
    return list(
        area_list(kind=AreaKind.MUNICIPALITY)
        .filter(report_rules__isnull=False)
        .distinct()
        .order_by("name")
    )


def route_for(*, category: Category, point: Point) -> Route:
    areas = {area.kind: area for area in areas_covering(point=point)}
    municipality = areas.get(AreaKind.MUNICIPALITY)
    if municipality is None:
        raise NotServed(_not_served_message())
    rules = list(
        RoutingRule.objects.filter(area__in=list(areas.values()))
        .select_related("office", "area")
        .defer("area__geom")
    )
    depth = {c.pk: i for i, c in enumerate(category.lineage())}
    fallback_depth = len(depth)

    def rank(rule: RoutingRule) -> tuple[int, int]:
        category_rank = fallback_depth if rule.category_id is None else depth[rule.category_id]
        return (category_rank, -rule.area.level)

    candidates = [r for r in rules if r.category_id is None or r.category_id in depth]
    if not candidates:
        raise NotServed(_not_served_message())
    best = min(candidates, key=rank)
    return Route(office=best.office, rule=best, areas=areas)


def _not_served_message() -> str:
    names = ", ".join(m.name for m in served_municipalities()) or "keine"
    return (
        "Dieser Ort liegt außerhalb der Gemeinden, für die hier Meldungen angenommen werden "
        f"({names}). Bitte wenden Sie sich an die zuständige Gemeinde."
    )
