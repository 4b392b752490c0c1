"""Which office handles a report: category x area rules over the areas that cover the point.

Ranking, and why: a rule for the category itself beats a rule for one of its ancestors, which
beats an "any category" fallback; within one category level the narrowest area wins (quarter
over district over municipality over county). Category first, so a county rule for "Kreisstraße"
beats a municipality rule for the whole "Straße" branch; area second, so the district's
Bürgeramt beats the city-wide fallback.
"""

from dataclasses import dataclass

from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _

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
    # A subquery on our own rules rather than the reverse relation on geoportal's Area: that
    # accessor is missing where the app registry is narrowed (TransactionTestCase available_apps).
    ruled = RoutingRule.objects.values("area_id")
    return list(area_list(kind=AreaKind.MUNICIPALITY).filter(pk__in=ruled).order_by("name"))


def check_served(*, point: Point) -> None:
    """Raise NotServed unless a served municipality covers the point (any category): lets the
    form say so when the pin is placed, not only on submit."""
    municipality = next(
        (a for a in areas_covering(point=point) if a.kind == AreaKind.MUNICIPALITY), None
    )
    if municipality is None or municipality.pk not in {m.pk for m in served_municipalities()}:
        raise NotServed(not_served_message())


def route_for(*, category: Category, point: Point) -> Route:
    areas = {area.kind: area for area in areas_covering(point=point)}
    municipality = areas.get(AreaKind.MUNICIPALITY)
    if municipality is None:
        raise NotServed(not_served_message())
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
        raise NotServed(not_served_message())
    best = min(candidates, key=rank)
    return Route(office=best.office, rule=best, areas=areas)


def not_served_message() -> str:
    names = ", ".join(m.name for m in served_municipalities()) or "–"
    return _(
        "Dieser Ort liegt außerhalb von %(names)s: Meldungen werden hier nur für %(names)s "
        "angenommen. Bitte wenden Sie sich an die zuständige Gemeinde."
    ) % {"names": names}
