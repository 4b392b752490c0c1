"""Orchestrator: mirror one OParl source into the database, body by body.

Order matters only for links: organizations, then meetings (with their agenda items), then papers
(with consultations, files and locations). Links to objects not yet seen are kept as URLs and
resolved at the end of the run, so paging order and incremental runs cannot lose them.

Each object is written in its own savepoint: one bad object is reported and skipped, the run
goes on. A second run over unchanged data writes nothing (values are compared before saving).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.conf import settings
from django.contrib.gis.db.models.functions import Transform
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from geoportal.kinds import AreaKind
from geoportal.selectors import area_list

from .. import services
from ..models import AgendaItem, Body, Consultation, File, Meeting, Organization, Paper, SyncRun
from .loader import Source
from .mapping import (
    BadObject,
    as_date,
    as_datetime,
    clean_text,
    common_fields,
    first_url,
    location_geometry,
    object_id,
    object_type,
    url_list,
    url_or_blank,
)
from .types import Extent, ImportReport

Progress = Callable[[str], None]
PROGRESS_EVERY = 100
_CITY_MARGIN_DEG = 0.05  # about 5 km: locations just outside the boundary are still sound


def oparl_import(
    *,
    source: Source,
    full: bool = False,
    regeocode: bool = False,
    progress: Progress | None = None,
) -> list[SyncRun]:
    """Import every body of `source`; one SyncRun per body. `full` ignores the last sync."""
    say = progress or (lambda _line: None)
    runs = []
    for problem in getattr(source, "unreadable", []):
        say(f"skipped {problem}")
    try:
        bodies = source.bodies()
    except Exception as exc:  # noqa: BLE001 - the source itself failed: record, don't crash
        run = SyncRun.objects.create(
            source=source.label, started_at=timezone.now(), finished_at=timezone.now(),
            errors=[f"{source.label}: {exc}"],
        )
        return [run]
    for raw_body in bodies:
        runs.append(_import_body(source, raw_body, full=full, regeocode=regeocode, say=say))
    return runs


class _BodyImport:
    def __init__(self, source: Source, body: Body, report: ImportReport, say: Progress) -> None:
        self.source = source
        self.body = body
        self.report = report
        self.say = say
        self.extent = _extent_for(body)
        self.changed_papers: list[tuple[int, list[dict]]] = []
        self._file_texts: dict[str, str] = {}  # File id -> text read from its PDF this run
        self._file_notes: dict[str, str] = {}  # File id -> why its text is empty or partial

    # ---------------------------------------------------------------- generic upsert

    def upsert(self, model, kind: str, oid: str, values: dict, *, deleted: bool = False):
        obj = model.objects.filter(oparl_id=oid).first()
        if deleted:
            if obj is None:
                obj = model.objects.create(
                    oparl_id=oid, deleted=True, modified=values.get("modified"),
                    **{k: v for k, v in values.items() if k.endswith("_id") or k == "paper"},
                )
                self.report.count(kind, "deleted")
                return obj, True
            if obj.deleted:
                self.report.count(kind, "unchanged")
                return obj, False
            obj.deleted = True
            obj.save(update_fields=["deleted"])
            self.report.count(kind, "deleted")
            return obj, True
        if obj is None:
            obj = model.objects.create(oparl_id=oid, **values)
            self.report.count(kind, "created")
            return obj, True
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        if not changed:
            self.report.count(kind, "unchanged")
            return obj, False
        for field in changed:
            setattr(obj, field, values[field])
        obj.save(update_fields=changed)
        self.report.count(kind, "updated")
        return obj, True

    def guarded(self, kind: str, raw, handler) -> None:
        """Run `handler(raw)` in a savepoint; a bad object is reported, never fatal."""
        label = raw.get("id", "?") if isinstance(raw, dict) else repr(raw)[:80]
        try:
            if not isinstance(raw, dict):
                raise BadObject("not a JSON object")
            with transaction.atomic():
                handler(raw)
        except BadObject as exc:
            self.report.count(kind, "failed")
            self.report.problem(f"{kind} {label}", str(exc))
        except (DatabaseError, ValueError, TypeError, KeyError, AttributeError) as exc:
            self.report.count(kind, "failed")
            self.report.problem(f"{kind} {label}", f"{type(exc).__name__}: {exc}")

    def embedded(self, value) -> Iterator[dict]:
        """Embedded objects of a list field; URLs are resolved through the source."""
        for item in value if isinstance(value, list) else ([value] if value else []):
            if isinstance(item, str):
                resolved = self.source.resolve(item)
                if resolved is None:
                    self.report.problem("reference", f"{item} could not be fetched")
                    continue
                item = resolved
            yield item

    # ---------------------------------------------------------------- objects

    def organization(self, raw: dict) -> None:
        problems: list[str] = []
        values = common_fields(raw, problems) | {
            "body_id": self.body.pk,
            "short_name": clean_text(raw.get("shortName"), limit=200),
            "organization_type": clean_text(raw.get("organizationType"), limit=200),
            "classification": clean_text(raw.get("classification"), limit=200),
        }
        self._note(raw, problems)
        self.upsert(Organization, "organization", object_id(raw), values,
                    deleted=values.pop("deleted"))

    def meeting(self, raw: dict) -> None:
        problems: list[str] = []
        location = raw.get("location") if isinstance(raw.get("location"), dict) else {}
        values = common_fields(raw, problems) | {
            "body_id": self.body.pk,
            "start": as_datetime(raw.get("start"), "start", problems),
            "end": as_datetime(raw.get("end"), "end", problems),
            "cancelled": bool(raw.get("cancelled", False)),
            "location_description": clean_text(
                location.get("description") or location.get("streetAddress"), limit=500
            ),
        }
        self._note(raw, problems)
        meeting, _ = self.upsert(Meeting, "meeting", object_id(raw), values,
                                 deleted=values.pop("deleted"))
        if meeting.deleted:
            return
        orgs = set(Organization.objects.filter(oparl_id__in=url_list(raw.get("organization")))
                   .values_list("pk", flat=True))
        if set(meeting.organizations.values_list("pk", flat=True)) != orgs:
            meeting.organizations.set(orgs)
        for item in self.embedded(raw.get("agendaItem")):
            self.guarded("agendaitem", item, lambda item: self.agenda_item(item, meeting))

    def agenda_item(self, raw: dict, meeting: Meeting | None) -> None:
        problems: list[str] = []
        meeting_url = meeting.oparl_id if meeting else url_or_blank(raw.get("meeting"))
        order = raw.get("order")
        values = common_fields(raw, problems) | {
            "meeting_id": meeting.pk if meeting else None,
            "meeting_url": meeting_url,
            "number": clean_text(raw.get("number"), limit=50),
            "order": order if isinstance(order, int) else None,
            "public": raw.get("public") is not False,
            "result": clean_text(raw.get("result"), limit=300),
            "resolution_text": clean_text(raw.get("resolutionText")),
        }
        self._note(raw, problems)
        if meeting is None:
            values.pop("meeting_id")  # filled from meeting_url at the end of the run
        self.upsert(AgendaItem, "agendaitem", object_id(raw), values,
                    deleted=values.pop("deleted"))

    def paper(self, raw: dict) -> None:
        problems: list[str] = []
        files = list(self.embedded(raw.get("mainFile"))) if raw.get("mainFile") else []
        aux = list(self.embedded(raw.get("auxiliaryFile")))
        texts = [self._file_text(f) for f in files + aux]
        values = common_fields(raw, problems) | {
            "body_id": self.body.pk,
            "reference": clean_text(raw.get("reference"), limit=100),
            "paper_type": clean_text(raw.get("paperType"), limit=200),
            "date": as_date(raw.get("date"), "date", problems),
            "text": "\n\n".join(t for t in texts if t)[:200_000],
        }
        if not values["name"] and not raw.get("deleted"):
            problems.append("no name")
        self._note(raw, problems)
        paper, changed = self.upsert(Paper, "paper", object_id(raw), values,
                                     deleted=values.pop("deleted"))
        if paper.deleted:
            if changed:
                services.paper_locations_clear(paper=paper)
            return
        for index, file in enumerate(files + aux):
            main = index < len(files)
            self.guarded("file", file, lambda f, main=main: self.file(f, paper, main))
        seen: list[str] = []
        for item in self.embedded(raw.get("consultation")):
            if isinstance(item, dict) and item.get("id") in seen:
                # Karlsruhe lists one consultation twice with different values: first one wins,
                # else every run would flip between them.
                self.report.problem(f"Paper {paper.oparl_id}", f"consultation {item['id']} twice")
                continue
            self.guarded("consultation", item, lambda c: seen.append(self.consultation(c, paper)))
        stale = Consultation.objects.filter(paper=paper).exclude(oparl_id__in=seen)
        if (removed := stale.delete()[0]):
            self.report.count("consultation", "removed", removed)
        if changed:
            locations = list(self.embedded(raw.get("location")))
            self.changed_papers.append((paper.pk, locations))

    def file(self, raw: dict, paper: Paper, main: bool) -> None:
        problems: list[str] = []
        values = common_fields(raw, problems) | {
            "paper_id": paper.pk,
            "main": main,
            "file_name": clean_text(raw.get("fileName"), limit=300),
            "mime_type": clean_text(raw.get("mimeType"), limit=100),
            "access_url": url_or_blank(raw.get("accessUrl")),
            "download_url": url_or_blank(raw.get("downloadUrl")),
            "text": self._file_text(raw),
            "text_note": self._file_notes.get(object_id(raw), "")[:300],
        }
        self._note(raw, problems)
        self.upsert(File, "file", object_id(raw), values, deleted=values.pop("deleted"))

    def consultation(self, raw: dict, paper: Paper) -> str:
        problems: list[str] = []
        authoritative = raw.get("authoritative")
        values = common_fields(raw, problems) | {
            "paper_id": paper.pk,
            "meeting_url": first_url(raw.get("meeting")),
            "agenda_item_url": first_url(raw.get("agendaItem")),
            "organization_url": first_url(raw.get("organization")),
            "role": clean_text(raw.get("role"), limit=200),
            "authoritative": authoritative if isinstance(authoritative, bool) else None,
        }
        self._note(raw, problems)
        oid = object_id(raw)
        self.upsert(Consultation, "consultation", oid, values, deleted=values.pop("deleted"))
        return oid

    def _file_text(self, raw: dict) -> str:
        text = raw.get("text") if isinstance(raw.get("text"), str) else ""
        local = getattr(self.source, "local_text", None)
        if not text and local is not None:
            text = local(raw) or ""
        remote = getattr(self.source, "file_text", None)
        if not text and remote is not None:
            key = object_id(raw)
            if key not in self._file_texts:  # a paper's files are read for it and for the File
                found = remote(raw)
                self._file_texts[key] = found.text if found else ""
                if found and found.note:
                    self._file_notes[key] = found.note
                    self.report.problem(f"File {key}", found.note)
            text = self._file_texts[key]
        return text[:100_000]

    def _note(self, raw: dict, problems: list[str]) -> None:
        for problem in problems:
            self.report.problem(f"{object_type(raw) or 'object'} {raw.get('id', '?')}", problem)

    # ---------------------------------------------------------------- after the objects

    def place_papers(self, *, regeocode: bool) -> None:
        if regeocode:
            papers = Paper.objects.filter(body=self.body, deleted=False)
            ids = set(papers.values_list("pk", flat=True))
            known = {pk for pk, _ in self.changed_papers}
            self.changed_papers += [(pk, None) for pk in sorted(ids - known)]
        for done, (pk, locations) in enumerate(self.changed_papers, 1):
            paper = Paper.objects.get(pk=pk)
            oparl_places = None
            if locations is not None:
                oparl_places = []
                for loc in locations:
                    try:
                        placed = location_geometry(
                            loc.get("geojson"), extent=self.extent, srid=settings.GEOPORTAL_SRID
                        )
                    except BadObject as exc:
                        self.report.count("location", "failed")
                        self.report.problem(f"Location {loc.get('id', '?')}", str(exc))
                        continue
                    if placed.swapped:
                        self.report.problem(
                            f"Location {loc.get('id', '?')}", "lat/lon swapped; corrected"
                        )
                    oparl_places.append(
                        services.OParlPlace(
                            oparl_id=url_or_blank(loc.get("id")),
                            name=clean_text(
                                loc.get("description") or loc.get("streetAddress"), limit=500
                            ),
                            geom=placed.geom,
                        )
                    )
            with transaction.atomic():
                counts = services.paper_locations_rebuild(paper=paper, oparl_places=oparl_places)
            for key, n in counts.items():
                self.report.count("location", key, n)
            if done % PROGRESS_EVERY == 0:
                self.say(f"  placed {done}/{len(self.changed_papers)} papers")

    def resolve_links(self) -> None:
        """Fill FKs from the URLs kept on consultations and agenda items (set-based)."""
        statements = {
            "consultation.meeting": """
                UPDATE councilmap_consultation c SET meeting_id = m.id FROM councilmap_meeting m
                WHERE m.oparl_id = c.meeting_url AND c.meeting_id IS DISTINCT FROM m.id""",
            "consultation.agendaitem": """
                UPDATE councilmap_consultation c SET agenda_item_id = a.id
                FROM councilmap_agendaitem a
                WHERE a.oparl_id = c.agenda_item_url AND c.agenda_item_id IS DISTINCT FROM a.id""",
            "consultation.organization": """
                UPDATE councilmap_consultation c SET organization_id = o.id
                FROM councilmap_organization o
                WHERE o.oparl_id = c.organization_url
                  AND c.organization_id IS DISTINCT FROM o.id""",
            "agendaitem.meeting": """
                UPDATE councilmap_agendaitem a SET meeting_id = m.id FROM councilmap_meeting m
                WHERE m.oparl_id = a.meeting_url AND a.meeting_id IS DISTINCT FROM m.id""",
        }
        with connection.cursor() as cursor:
            for label, sql in statements.items():
                cursor.execute(sql)
                if cursor.rowcount:
                    self.report.count("link", label, cursor.rowcount)


def _import_body(source: Source, raw: dict, *, full: bool, regeocode: bool, say: Progress):
    started = timezone.now()
    report = ImportReport()
    run = SyncRun.objects.create(source=source.label, started_at=started)
    try:
        body = _body(raw, report)
    except BadObject as exc:
        report.problem("Body", str(exc))
        return _finish(run, report, ok=False)
    run.body = body
    since = None if full else body.last_sync
    run.modified_since = since
    run.save(update_fields=["body", "modified_since"])
    say(f"{body.name or body.oparl_id}: " + (f"changes since {since:%Y-%m-%d %H:%M}" if since
                                             else "full import"))
    job = _BodyImport(source, body, report, say)
    handlers = {"organization": job.organization, "meeting": job.meeting, "paper": job.paper}
    fatal = False
    for list_name, handler in handlers.items():
        count = 0
        try:
            for count, obj in enumerate(source.objects(raw, list_name, modified_since=since), 1):
                job.guarded(list_name, obj, handler)
                if count % PROGRESS_EVERY == 0:
                    say(f"  {list_name}: {count} read")
        except Exception as exc:  # noqa: BLE001 - a list that fails midway: keep what we have
            fatal = True
            report.problem(f"{list_name} list", str(exc))
        say(f"  {list_name}: {count} read")
    for obj in getattr(source, "by_type", {}).get("AgendaItem", []):  # folder exports only
        job.guarded("agendaitem", obj, lambda item: job.agenda_item(item, None))
    job.resolve_links()
    job.place_papers(regeocode=regeocode)
    if not fatal:
        # The next run asks for what changed since this one began (server clocks drift less
        # than a run lasts, and objects changed during the run are simply fetched again).
        Body.objects.filter(pk=body.pk).update(last_sync=started)
    return _finish(run, report, ok=not fatal)


def _body(raw: dict, report: ImportReport) -> Body:
    problems: list[str] = []
    values = common_fields(raw, problems)
    values.pop("deleted")
    values["short_name"] = clean_text(raw.get("shortName"), limit=200)
    values["system"] = url_or_blank(raw.get("system"))
    values["municipality_code"] = clean_text(raw.get("ags"), limit=40)
    for p in problems:
        report.problem(f"Body {raw.get('id')}", p)
    oid = raw.get("id")
    if not isinstance(oid, str) or not oid:
        raise BadObject("Body without id")
    body = Body.objects.filter(oparl_id=oid).first()
    if body is None:
        report.count("body", "created")
        return Body.objects.create(oparl_id=oid, **values)
    changed = [f for f, v in values.items() if getattr(body, f) != v]
    if changed:
        for f in changed:
            setattr(body, f, values[f])
        body.save(update_fields=changed)
        report.count("body", "updated")
    else:
        report.count("body", "unchanged")
    return body


def _extent_for(body: Body) -> Extent:
    area = (
        area_list(kind=AreaKind.MUNICIPALITY)
        .filter(code=body.municipality_code)
        .annotate(wgs=Transform("geom", 4326))
        .first()
        if body.municipality_code
        else None
    )
    if area is not None:
        west, south, east, north = area.wgs.extent
        m = _CITY_MARGIN_DEG
        return Extent(west - m, south - m, east + m, north + m, label=f"the extent of {area.name}")
    west, south, east, north = settings.GEOPORTAL_BOUNDS
    return Extent(west, south, east, north, label="Germany")


def _finish(run: SyncRun, report: ImportReport, *, ok: bool) -> SyncRun:
    run.finished_at = timezone.now()
    run.ok = ok
    run.counts = dict(report.counts)
    run.errors = report.problems[:1000]
    run.save()
    run.report = report  # for the command's summary
    return run
