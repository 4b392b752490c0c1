"""Reads of Open.RIS.Map: the decision map layer (GeoJSON built in PostgreSQL), the list beside
it, per-district statistics, a paper's page, the sync status, and the public layer for OGC.

"Decision" = a paper's consultation whose agenda item carries a result; when a paper went through
several meetings the latest decided one counts, else the latest consultation (committee known,
no result yet).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Prefetch

from geoportal.geo import WEB_SRID
from geoportal.models import AreaKind
from geoportal.replicas import read_cursor
from geoportal.selectors import area_list, street_union

from .models import Consultation, Organization, Paper, PaperLocation, PlacementReview, SyncRun

GEOJSON_DIGITS = 6  # ~0.1 m in WGS84 degrees: enough for a city map
STATEMENT_TIMEOUT_MS = 10_000
MAX_FEATURES = 5_000
SIMPLIFY_M = 2  # area polygons are simplified before sending: district outlines are large


@dataclass(frozen=True)
class DecisionFilter:
    date_from: date | None = None
    date_to: date | None = None
    committee: int | None = None  # Organization id: papers consulted by it
    paper_type: str = ""
    result: str = ""
    district: str = ""  # Area code of a Stadtbezirk
    bbox: tuple[float, float, float, float] | None = None  # WGS84 west, south, east, north
    decided_only: bool = False
    paper: int | None = None  # one paper's places (the paper page's map)
    limit: int = MAX_FEATURES


_DECISION_CTE = """
WITH decision AS (
    SELECT DISTINCT ON (c.paper_id)
        c.paper_id, COALESCE(a.result, '') AS result, COALESCE(a.resolution_text, '') AS resolution,
        m.start AS decided_at, m.name AS meeting_name, o.id AS org_id, o.name AS org_name
    FROM councilmap_consultation c
    LEFT JOIN councilmap_agendaitem a ON a.id = c.agenda_item_id AND NOT a.deleted
    LEFT JOIN councilmap_meeting m ON m.id = COALESCE(a.meeting_id, c.meeting_id)
    LEFT JOIN councilmap_organization o ON o.id = c.organization_id
    WHERE NOT c.deleted
    ORDER BY c.paper_id, (COALESCE(a.result, '') <> '') DESC, m.start DESC NULLS LAST, c.id
)
"""


def _where(filters: DecisionFilter, *, located: bool) -> tuple[str, dict]:
    """SQL conditions and parameters; every value is a parameter, no identifier comes in."""
    conditions = ["NOT p.deleted"]
    params: dict = {}
    day = "COALESCE((d.decided_at AT TIME ZONE 'Europe/Berlin')::date, p.date)"
    if filters.date_from:
        conditions.append(f"{day} >= %(date_from)s")
        params["date_from"] = filters.date_from
    if filters.date_to:
        conditions.append(f"{day} <= %(date_to)s")
        params["date_to"] = filters.date_to
    if filters.committee:
        conditions.append(
            "EXISTS (SELECT 1 FROM councilmap_consultation k WHERE k.paper_id = p.id"
            " AND NOT k.deleted AND k.organization_id = %(committee)s)"
        )
        params["committee"] = filters.committee
    if filters.paper_type:
        conditions.append("p.paper_type = %(paper_type)s")
        params["paper_type"] = filters.paper_type
    if filters.result:
        conditions.append("d.result = %(result)s")
        params["result"] = filters.result
    if filters.paper:
        conditions.append("p.id = %(paper)s")
        params["paper"] = filters.paper
    if filters.decided_only:
        conditions.append("COALESCE(d.result, '') <> ''")
    if filters.district:
        # One definition with the statistics: the district stored on each place
        # (PaperLocation.district, the Stadtbezirk covering a point on it).
        district = area_list(kind=AreaKind.DISTRICT).filter(code=filters.district).first()
        params["district_id"] = district.pk if district else None
        conditions.append(
            "l.district_id = %(district_id)s" if located else
            "EXISTS (SELECT 1 FROM councilmap_paperlocation x WHERE x.paper_id = p.id"
            " AND x.district_id = %(district_id)s)"
        )
    if filters.bbox and located:
        conditions.append(
            "ST_Intersects(l.geom, ST_Transform(ST_MakeEnvelope(%(west)s, %(south)s, %(east)s,"
            " %(north)s, %(web_srid)s), %(srid)s))"
        )
        params.update(zip(("west", "south", "east", "north"), filters.bbox, strict=True))
        params["srid"] = settings.GEOPORTAL_SRID
        params["web_srid"] = WEB_SRID
    return " AND ".join(conditions), params


def _fetch(sql: str, params: dict) -> list[tuple]:
    with read_cursor(timeout_ms=STATEMENT_TIMEOUT_MS) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def decision_geojson(*, filters: DecisionFilter, paper_url_prefix: str = "/rat/vorlagen/") -> str:
    """A FeatureCollection (text, built by PostgreSQL): one feature per place of a paper."""
    where, params = _where(filters, located=True)
    params |= {"digits": GEOJSON_DIGITS, "web_srid": WEB_SRID,
               "limit": min(filters.limit, MAX_FEATURES),
               "prefix": paper_url_prefix, "simplify": SIMPLIFY_M}
    sql = _DECISION_CTE + f"""
    , hits AS (
        SELECT l.id, l.geom, l.source, l.precision, l.confidence, l.matched_text,
               l.name AS place, p.id AS paper_id, p.name, p.reference, p.paper_type, p.date,
               p.web, d.result, d.decided_at, d.org_id, d.org_name, d.meeting_name
        FROM councilmap_paperlocation l
        JOIN councilmap_paper p ON p.id = l.paper_id
        LEFT JOIN decision d ON d.paper_id = p.id
        WHERE {where}
        ORDER BY COALESCE(d.decided_at::date, p.date) DESC NULLS LAST, l.id
        LIMIT %(limit)s
    )
    SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(
        json_build_object(
            'type', 'Feature', 'id', h.id,
            'geometry', ST_AsGeoJSON(ST_Transform(
                CASE WHEN h.precision = 'area'
                     THEN ST_SimplifyPreserveTopology(h.geom, %(simplify)s) ELSE h.geom END,
                %(web_srid)s), %(digits)s)::json,
            'properties', json_build_object(
                'paper_id', h.paper_id, 'name', h.name, 'reference', h.reference,
                'paper_type', h.paper_type, 'date', h.date, 'web', NULLIF(h.web, ''),
                'url', %(prefix)s || h.paper_id || '/',
                'result', NULLIF(h.result, ''),
                'decided_on', (h.decided_at AT TIME ZONE 'Europe/Berlin')::date,
                'committee', h.org_name, 'committee_id', h.org_id,
                'place', h.place, 'precision', h.precision, 'source', h.source,
                'confidence', round(h.confidence::numeric, 2), 'matched_text', h.matched_text
            )
        ) ORDER BY h.decided_at DESC NULLS LAST, h.id), '[]'::json))::text
    FROM hits h
    """  # noqa: S608 - fixed SQL, values are parameters
    return _fetch(sql, params)[0][0]


def decision_list(*, filters: DecisionFilter) -> list[dict]:
    """One row per paper that has a place and matches the filters, newest first."""
    where, params = _where(filters, located=False)
    params["limit"] = min(filters.limit, MAX_FEATURES)
    sql = _DECISION_CTE + f"""
    SELECT p.id, p.name, p.reference, p.paper_type, p.date, p.web, d.result,
           (d.decided_at AT TIME ZONE 'Europe/Berlin')::date, d.org_name,
           (SELECT count(*) FROM councilmap_paperlocation x WHERE x.paper_id = p.id)
    FROM councilmap_paper p
    LEFT JOIN decision d ON d.paper_id = p.id
    WHERE {where} AND EXISTS (SELECT 1 FROM councilmap_paperlocation x WHERE x.paper_id = p.id)
    ORDER BY COALESCE(d.decided_at::date, p.date) DESC NULLS LAST, p.id DESC
    LIMIT %(limit)s
    """  # noqa: S608 - fixed SQL, values are parameters
    keys = ("id", "name", "reference", "paper_type", "date", "web", "result", "decided_on",
            "committee", "places")
    return [dict(zip(keys, row, strict=True)) for row in _fetch(sql, params)]


def decision_stats_by_district(*, filters: DecisionFilter) -> list[dict]:
    """Papers and decisions per Stadtbezirk, counted in SQL by the district stored on each
    place (the same definition the district filter uses), so a paper counts once per district."""
    where, params = _where(DecisionFilter(**{**filters.__dict__, "district": ""}), located=True)
    sql = _DECISION_CTE + f"""
    , placed AS (
        SELECT DISTINCT ON (l.paper_id, l.district_id) l.district_id, l.paper_id,
               COALESCE(d.result, '') <> '' AS decided
        FROM councilmap_paperlocation l
        JOIN councilmap_paper p ON p.id = l.paper_id
        LEFT JOIN decision d ON d.paper_id = p.id
        WHERE {where} AND l.district_id IS NOT NULL
    )
    SELECT district_id, count(paper_id), count(paper_id) FILTER (WHERE decided)
    FROM placed GROUP BY district_id
    """  # noqa: S608 - fixed SQL, values are parameters
    counts = {pk: (papers, decisions) for pk, papers, decisions in _fetch(sql, params)}
    return [
        {"code": d.code, "name": d.name, "papers": counts.get(d.pk, (0, 0))[0],
         "decisions": counts.get(d.pk, (0, 0))[1]}
        for d in area_list(kind=AreaKind.DISTRICT).order_by("code")
    ]


@dataclass(frozen=True)
class FilterOptions:
    committees: list[tuple[int, str]]
    paper_types: list[str]
    results: list[str]
    districts: list[tuple[str, str]]


def district_codes() -> list[str]:
    """The codes the district filter takes."""
    return sorted(area_list(kind=AreaKind.DISTRICT).values_list("code", flat=True))


def decision_filter_options() -> FilterOptions:
    committees = Organization.objects.filter(
        deleted=False,
        id__in=Consultation.objects.filter(organization__isnull=False).values("organization"),
    ).order_by("name").values_list("id", "name")
    papers = Paper.objects.filter(deleted=False, locations__isnull=False)
    return FilterOptions(
        committees=list(committees),
        paper_types=sorted(set(papers.exclude(paper_type="").values_list("paper_type", flat=True))),
        results=sorted(
            set(
                Consultation.objects.filter(paper__in=papers)
                .exclude(agenda_item__result="")
                .exclude(agenda_item__isnull=True)
                .values_list("agenda_item__result", flat=True)
            )
        ),
        districts=list(
            area_list(kind=AreaKind.DISTRICT).order_by("code").values_list("code", "name")
        ),
    )


def paper_detail(*, paper_id: int) -> Paper:
    """A paper with its places, consultations (meeting, committee, agenda item), files and the
    names still waiting for staff (`open_reviews`: a street name in several quarters)."""
    consultations = Consultation.objects.filter(deleted=False).select_related(
        "meeting", "agenda_item", "organization"
    ).order_by("meeting__start", "id")
    return (
        Paper.objects.filter(deleted=False)
        .prefetch_related(
            Prefetch("consultations", queryset=consultations),
            Prefetch("locations", queryset=PaperLocation.objects.order_by("-confidence", "id")),
            Prefetch(
                "reviews", queryset=PlacementReview.objects.filter(resolved_at=None).order_by("id"),
                to_attr="open_reviews",
            ),
            "files",
        )
        .get(pk=paper_id)
    )


def oparl_sync_status() -> dict:
    """For the status page: the last run per body (when, how long, ok, counts, errors)."""
    runs = []
    seen: set = set()
    for run in SyncRun.objects.select_related("body").order_by("-started_at", "-id")[:200]:
        if run.body_id in seen:
            continue
        seen.add(run.body_id)
        runs.append(
            {
                "body": run.body.name if run.body else run.source,
                "source": run.source,
                "started_at": run.started_at,
                "finished_at": run.finished_at,
                "ok": run.ok,
                "modified_since": run.modified_since,
                "counts": run.counts,
                "errors": run.errors[:20],
                "error_count": len(run.errors),
            }
        )
    last = runs[0] if runs else None
    return {"last_run": last, "bodies": runs, "ok": bool(runs) and all(r["ok"] for r in runs)}



def placement_review_candidate_features(*, review: PlacementReview) -> dict:
    """The review's candidates as a GeoJSON FeatureCollection (WGS84) for the admin's map: each
    candidate's streets as one line, with the label staff choose by."""
    features = []
    for candidate in review.candidates:
        geom = street_union(street_ids=candidate.get("street_ids", []))
        if geom is None:
            continue  # the street left the register since: the label alone stays in the list
        features.append({
            "type": "Feature",
            "properties": {"label": candidate["label"]},
            "geometry": json.loads(geom.transform(WEB_SRID, clone=True).json),
        })
    return {"type": "FeatureCollection", "features": features}
