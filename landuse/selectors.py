"""Reads of the land-use plan: what is planned at a point, the map layer, the legend, statistics.

Without a plan id every read uses the current version of each plan; `plan_id` names another
(an older version stays queryable).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.gis.db.models.functions import Area as AreaM2
from django.contrib.gis.geos import Point
from django.db.models import Count, QuerySet

from geoportal.crs import GERMANY_WGS84
from geoportal.geo import WEB_SRID
from geoportal.models import AreaKind
from geoportal.replicas import read_cursor
from geoportal.selectors import area_relation

from . import planzv
from .classes import CLASSES, LandUseClass
from .models import LandUseArea, Plan

# The web map's zoom levels: metres per pixel at the equator is 156543 / 2^zoom.
DEFAULT_SIMPLIFY_M = 2.0
MAX_FEATURES = 20_000


class UnknownPlan(LookupError):
    pass


def plan_list(*, current_only: bool = False, superseded_only: bool = False) -> QuerySet[Plan]:
    plans = Plan.objects.select_related("municipality").defer("municipality__geom", "report")
    if current_only:
        return plans.current()
    if superseded_only:
        plans = plans.filter(is_current=False)
    return plans.order_by("-is_current", "name", "-version")


def plan_get(*, plan_id: int) -> Plan:
    plan = plan_list().filter(pk=plan_id).first()
    if plan is None:
        raise UnknownPlan(f"no land-use plan with id {plan_id}")
    return plan


def plan_ids(*, plan_id: int | None = None) -> list[int]:
    """The named plan, or the current version of every plan."""
    if plan_id is not None:
        return [plan_get(plan_id=plan_id).pk]
    return list(Plan.objects.current().values_list("pk", flat=True))


@dataclass(frozen=True)
class PlanInfo:
    id: int
    name: str
    version: int
    is_current: bool
    legal_status: str
    drawn_up: date | None
    effective: date | None
    municipality: str | None
    source_file: str


@dataclass(frozen=True)
class LandUseAnswer:
    class_key: str
    label: str  # the plan's German term, as in every data output
    display_label: str  # the same in the active language, for the page
    legal_basis: str
    planzv: str | None
    color: str
    fill: bool
    source_id: str
    feature_class: str
    area_ha: float
    plan: PlanInfo


def _plan_info(plan: Plan) -> PlanInfo:
    return PlanInfo(
        id=plan.pk, name=plan.name, version=plan.version, is_current=plan.is_current,
        legal_status=plan.legal_status, drawn_up=plan.drawn_up, effective=plan.effective,
        municipality=plan.municipality.name if plan.municipality else None,
        source_file=plan.source_file,
    )


def landuse_at(*, point: Point, plan_id: int | None = None) -> list[LandUseAnswer]:
    """What the plan shows at a point: every area covering it, the main Darstellung first
    (filled classes before overlays such as a Sanierungsgebiet, then the smallest area).
    An empty list outside every plan area."""
    areas = LandUseArea.objects.all()
    if plan_id is None:  # a join, not a second query: this runs on every map click
        areas = areas.of_current_plans()
    else:
        areas = areas.of_plans([plan_get(plan_id=plan_id).pk])
    areas = (
        areas.covering(point)
        .select_related("plan", "plan__municipality")
        .defer("attributes", "geom", "plan__report", "plan__municipality__geom")
        .annotate(m2=AreaM2("geom"))
        .order_by("plan_id", "id")
    )
    answers = []
    for area in areas:
        cls = CLASSES[area.class_code]
        answers.append(LandUseAnswer(
            class_key=cls.key, label=cls.label, display_label=planzv.label(cls.key),
            legal_basis=cls.legal_basis, planzv=cls.planzv,
            color=cls.color, fill=cls.fill, source_id=area.source_id,
            feature_class=area.feature_class, area_ha=round(area.m2.sq_m / 10_000, 2),
            plan=_plan_info(area.plan),
        ))
    answers.sort(key=lambda a: (a.plan.id, not a.fill, a.area_ha))
    return answers


def landuse_layer_queryset() -> QuerySet[LandUseArea]:
    """The land-use areas of the current plans, for an OGC API / WFS layer.

    One query: the plan and municipality are joined. Public fields: see docs/landuse.md;
    label, legal basis, PlanZV number and colour come from `CLASSES[area.class_code]`."""
    return (
        LandUseArea.objects.of_current_plans()
        .select_related("plan", "plan__municipality")
        .defer("plan__report", "plan__municipality__geom")
        .only("id", "class_code", "source_id", "feature_class", "geom", "repaired",
              "plan__id", "plan__name", "plan__version", "plan__legal_status",
              "plan__effective", "plan__drawn_up", "plan__municipality__name")
    )


def plan_legend(*, plan_id: int | None = None) -> list[tuple[LandUseClass, int]]:
    """Classes present in the plan(s), in PlanZV order, with their number of areas."""
    counts = (
        LandUseArea.objects.of_plans(plan_ids(plan_id=plan_id))
        .values("class_code").annotate(n=Count("id")).order_by()
    )
    present = {row["class_code"]: row["n"] for row in counts}
    return [(cls, present[key]) for key, cls in CLASSES.items() if key in present]


def simplify_tolerance(zoom: int | None, *, latitude: float | None = None) -> float:
    """Half a screen pixel in metres at `latitude` (the shown map's; else the portal's map
    centre, brand `map.center`): simplification never shows, in Flensburg as in Garmisch."""
    if zoom is None:
        return DEFAULT_SIMPLIFY_M
    if latitude is None:
        latitude = settings.GEOPORTAL_MAP_CENTER[0]
    metres_per_pixel = (
        156_543.03 * math.cos(math.radians(latitude)) / 2 ** max(0, min(zoom, 22))
    )
    return max(0.1, metres_per_pixel / 2)


PLAN_GEOJSON_SQL = """
    SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(
        json_build_object(
            'type', 'Feature', 'id', f.id,
            'properties', json_build_object('class', f.class_code, 'source_id', f.source_id,
                                            'plan', f.plan_id),
            'geometry', ST_AsGeoJSON(f.g, 6)::json
        ) ORDER BY f.id), '[]'::json))::text
    FROM (
        SELECT a.id, a.class_code, a.source_id, a.plan_id,
               ST_Transform(ST_SimplifyPreserveTopology(a.geom, %(tolerance)s), %(web_srid)s) AS g
          FROM landuse_landusearea a
         WHERE a.plan_id = ANY(%(plans)s)
           AND a.geom && ST_Transform(ST_MakeEnvelope(%(w)s, %(s)s, %(e)s, %(n)s, %(web_srid)s),
                                      %(srid)s)
         LIMIT %(limit)s
    ) f
    WHERE NOT ST_IsEmpty(f.g)
"""


def plan_geojson(
    *, plan_id: int | None = None, bbox: tuple[float, float, float, float] | None = None,
    zoom: int | None = None,
) -> bytes:
    """The plan's areas in WGS84 as a FeatureCollection, built by PostgreSQL in one statement:
    bbox filter on the GiST index, simplified to half a pixel at `zoom`, 6 decimals (~0.1 m)."""
    w, s, e, n = bbox or GERMANY_WGS84
    latitude = (s + n) / 2 if bbox else None
    params = {"plans": plan_ids(plan_id=plan_id),
              "tolerance": simplify_tolerance(zoom, latitude=latitude),
              "w": w, "s": s, "e": e, "n": n, "limit": MAX_FEATURES,
              "web_srid": WEB_SRID, "srid": settings.GEOPORTAL_SRID}
    with read_cursor(timeout_ms=20_000) as cursor:
        cursor.execute(PLAN_GEOJSON_SQL, params)
        return cursor.fetchone()[0].encode()


@dataclass(frozen=True)
class ClassStat:
    class_key: str
    label: str
    display_label: str
    color: str
    hectares: float
    areas: int


@dataclass(frozen=True)
class DistrictStat:
    district: str
    code: str
    by_class: dict[str, float]  # class key -> hectares
    hectares: float


# The districts come from geoportal as a relation to join (`area_relation`): the intersection
# runs in one SQL statement.
DISTRICT_STATS_SQL = """
    SELECT d.code, d.name, a.class_code,
           sum(CASE WHEN ST_CoveredBy(a.geom, d.geom) THEN ST_Area(a.geom)
                    ELSE ST_Area(ST_Intersection(a.geom, d.geom)) END) / 10000.0 AS ha
      FROM landuse_landusearea a
      JOIN ({districts}) d ON a.geom && d.geom AND ST_Intersects(a.geom, d.geom)
     WHERE a.plan_id = ANY(%s)
     GROUP BY d.code, d.name, a.class_code
     ORDER BY d.code, a.class_code
"""


def landuse_stats(*, plan_id: int | None = None) -> dict:
    """Hectares per class and per class within each district (ST_Area of ST_Intersection)."""
    plans = plan_ids(plan_id=plan_id)
    per_class = (
        LandUseArea.objects.of_plans(plans).values("class_code")
        .annotate(n=Count("id")).order_by()
    )
    with read_cursor(timeout_ms=30_000) as cursor:
        cursor.execute(
            "SELECT class_code, sum(ST_Area(geom)) / 10000.0 FROM landuse_landusearea "
            "WHERE plan_id = ANY(%s) GROUP BY class_code", [plans])
        hectares = dict(cursor.fetchall())
        districts_sql, districts_params = area_relation(kind=AreaKind.DISTRICT)
        cursor.execute(DISTRICT_STATS_SQL.format(districts=districts_sql),
                       [*districts_params, plans])
        rows = cursor.fetchall()
    counts = {row["class_code"]: row["n"] for row in per_class}
    classes = [
        ClassStat(key, cls.label, planzv.label(key), cls.color, round(hectares[key], 1),
                  counts[key])
        for key, cls in CLASSES.items() if key in counts
    ]
    districts: dict[str, DistrictStat] = {}
    for code, name, class_code, ha in rows:
        district = districts.setdefault(code, DistrictStat(name, code, {}, 0.0))
        district.by_class[class_code] = round(ha, 1)
    districts = {
        code: DistrictStat(d.district, d.code, d.by_class, round(sum(d.by_class.values()), 1))
        for code, d in districts.items()
    }
    return {"plans": plans, "classes": classes, "districts": list(districts.values())}
