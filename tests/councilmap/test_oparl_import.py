"""The OParl importer on real and quirky data: idempotent, tolerant, incremental."""

import io
import json

import pytest
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command
from django.utils import timezone

from councilmap import selectors, services
from councilmap.importers.loader import FolderSource
from councilmap.importers.oparl import oparl_import
from councilmap.models import (
    AgendaItem,
    Body,
    Consultation,
    File,
    LocationSource,
    Meeting,
    Organization,
    Paper,
    PaperLocation,
    SyncRun,
)
from geoportal.models import Area, AreaKind

from .conftest import DATA, import_folder

pytestmark = pytest.mark.django_db
QUIRKS = DATA / "oparl_quirks"


def snapshot() -> dict:
    """Everything an import writes, by OParl id, ids of our own rows left out."""
    return {
        "papers": sorted(
            Paper.objects.values_list("oparl_id", "name", "reference", "paper_type", "date",
                                      "deleted", "modified", "text")
        ),
        "meetings": sorted(Meeting.objects.values_list("oparl_id", "name", "start", "deleted")),
        "items": sorted(AgendaItem.objects.values_list("oparl_id", "result", "meeting__oparl_id")),
        "consultations": sorted(
            Consultation.objects.values_list(
                "oparl_id", "paper__oparl_id", "meeting__oparl_id", "agenda_item__oparl_id",
                "organization__oparl_id", "role")
        ),
        "organizations": sorted(Organization.objects.values_list("oparl_id", "name")),
        "files": sorted(File.objects.values_list("oparl_id", "paper__oparl_id", "text")),
        "locations": sorted(
            (loc.paper.oparl_id, loc.source, loc.precision, loc.name, loc.confidence, loc.geom.wkb)
            for loc in PaperLocation.objects.select_related("paper")
        ),
        "location_ids": sorted(PaperLocation.objects.values_list("id", flat=True)),
    }


def changes(runs) -> int:
    return sum(run.report.total(o) for run in runs for o in ("created", "updated", "deleted"))


@pytest.mark.parametrize("folder", ["koeln-demo", "karlsruhe"])
def test_second_import_changes_nothing(fixtures_dir, folder):
    path = fixtures_dir / "oparl" / folder
    first = import_folder(path, full=True)
    before = snapshot()
    second = import_folder(path, full=True)
    assert changes(first) > 40
    assert changes(second) == 0
    assert snapshot() == before
    assert all(run.ok for run in first + second)


def test_demo_import_links_decisions_to_meetings_and_committees(fixtures_dir):
    import_folder(fixtures_dir / "oparl" / "koeln-demo")
    assert Paper.objects.count() == 42
    assert all("[Demo]" in name for name in Paper.objects.values_list("name", flat=True))
    decided = Consultation.objects.filter(agenda_item__result="Beschlossen")
    assert decided.count() >= 20
    consultation = Consultation.objects.select_related("meeting", "organization").get(
        paper__name__contains="Venloer Straße zwischen")
    assert consultation.organization.name == "[Demo] Bezirksvertretung Ehrenfeld"
    assert consultation.meeting.start.date().isoformat() == "2026-05-18"
    assert consultation.agenda_item.result == "Beschlossen"
    assert "fasst folgenden Beschluss" in consultation.agenda_item.resolution_text


def test_karlsruhe_keeps_real_locations_and_deleted_papers(fixtures_dir):
    runs = import_folder(fixtures_dir / "oparl" / "karlsruhe")
    assert Paper.objects.count() == 43
    assert Paper.objects.filter(deleted=True).count() == 2
    tierheim = PaperLocation.objects.get(source=LocationSource.OPARL)
    lonlat = tierheim.geom.transform(4326, clone=True)
    assert lonlat.x == pytest.approx(8.31749) and lonlat.y == pytest.approx(49.00595)
    # Karlsruhe titles against the Köln gazetteer: negatives, nothing extracted.
    assert not PaperLocation.objects.filter(source=LocationSource.EXTRACTED).exists()
    # The consultation Karlsruhe lists twice in one paper is reported, not flip-flopped.
    assert any("twice" in p for p in runs[0].report.problems)


def test_quirks_are_repaired_or_reported_never_fatal():
    [run] = import_folder(QUIRKS)
    koeln = Area.objects.get(kind=AreaKind.MUNICIPALITY, code="05315000")
    swapped = PaperLocation.objects.get(oparl_id__endswith="location/swapped")
    assert koeln.geom.covers(swapped.geom)  # lat,lon detected against Köln and swapped
    bare = PaperLocation.objects.get(oparl_id__endswith="location/bare")
    assert koeln.geom.covers(bare.geom)  # a bare geometry with string coordinates
    paper = Paper.objects.get(oparl_id__endswith="paper/1")
    assert paper.name == "Umbau der Venloer Straße & Co alert(1)"  # tags gone, entity decoded
    item = AgendaItem.objects.get()
    assert item.result == "Beschlossen" and item.resolution_text == "Die BV beschließt & fertig."
    meeting = Meeting.objects.get()
    assert meeting.name == "Sitzung der Bezirksvertretung" and meeting.start is None
    assert Paper.objects.get(oparl_id__endswith="paper/3").date is None
    assert Paper.objects.get(oparl_id__endswith="paper/4").deleted
    assert Paper.objects.filter(oparl_id__endswith="paper/5").exists()  # only its place refused
    assert not PaperLocation.objects.filter(paper__oparl_id__endswith="paper/5",
                                            source=LocationSource.OPARL).exists()
    errors = "\n".join(run.errors)
    for expected in ("lat/lon swapped", "outside the extent of Köln", "without a valid 'id'",
                     "not a date: '31.12.2026'", "not a date/time: 'not a date'",
                     "no geometry with coordinates", "no name"):
        assert expected in errors
    assert run.report.counts["paper.failed"] == 1
    # The extractor also found the street in the (cleaned) title.
    assert paper.locations.filter(source=LocationSource.EXTRACTED, name="Venloer Straße").exists()


def test_deleted_later_removes_imported_places_but_keeps_manual_ones(tmp_path):
    import_folder(QUIRKS)
    paper = Paper.objects.get(oparl_id__endswith="paper/2")
    manual = services.paper_location_create_manual(
        paper=paper, geom=Point(356_000, 5_645_000, srid=25832), name="Domplatte")
    deletion = {"id": paper.oparl_id, "type": "https://schema.oparl.org/1.1/Paper",
                "body": "https://quirks.example.org/oparl/body/1", "deleted": True,
                "modified": timezone.now().isoformat()}  # after the last sync
    (tmp_path / "body.json").write_text((QUIRKS / "body.json").read_text())
    (tmp_path / "deleted.json").write_text(json.dumps(deletion))
    import_folder(tmp_path)
    paper.refresh_from_db()
    assert paper.deleted
    assert list(paper.locations.values_list("id", flat=True)) == [manual.pk]
    assert paper.name == "Domumgebung"  # a deletion stub does not blank the last known values


def test_manual_place_survives_reimport_and_regeocoding(fixtures_dir):
    path = fixtures_dir / "oparl" / "koeln-demo"
    import_folder(path)
    paper = Paper.objects.get(name__contains="Bürgerhaus Stollwerck")
    assert not paper.locations.exists()  # the title names no street
    services.paper_location_create_manual(
        paper=paper, geom=Point(356_700, 5_642_300, srid=25832), name="Bürgerhaus Stollwerck")
    import_folder(path, full=True, regeocode=True)
    assert list(paper.locations.values_list("source", "name")) == [
        ("manual", "Bürgerhaus Stollwerck")]


def test_incremental_run_uses_the_last_sync(fixtures_dir, tmp_path):
    path = fixtures_dir / "oparl" / "koeln-demo"
    import_folder(path)
    body = Body.objects.get(municipality_code="05315000")
    assert body.last_sync is not None
    [run] = import_folder(path)
    assert run.modified_since == body.last_sync
    assert run.report.counts["paper.unchanged"] == 0  # nothing is newer than the last sync
    status = selectors.oparl_sync_status()
    assert status["last_run"]["ok"] and status["last_run"]["modified_since"] == body.last_sync


def test_sync_runs_are_recorded_with_counts_and_errors():
    import_folder(QUIRKS)
    run = SyncRun.objects.get()
    assert run.finished_at >= run.started_at and run.ok
    assert run.counts["paper.created"] >= 5 and run.errors
    status = selectors.oparl_sync_status()
    assert status["last_run"]["error_count"] == len(run.errors)


def test_command_prints_a_summary_and_refuses_a_bad_source(tmp_path):
    out = io.StringIO()
    call_command("import_oparl", str(QUIRKS), stdout=out)
    text = out.getvalue()
    assert "paper: " in text and "problem(s)" in text and "broken.json" in text
    with pytest.raises(CommandError, match="neither an http"):
        call_command("import_oparl", str(tmp_path / "missing"), stdout=io.StringIO())


def test_folder_source_reads_objects_lists_and_reports_broken_files():
    source = FolderSource(QUIRKS)
    assert len(source.by_type["Paper"]) == 7
    assert any("broken.json" in problem for problem in source.unreadable)
    [run] = oparl_import(source=source)
    assert run.ok


def test_corrected_place_is_not_found_again_from_the_text(fixtures_dir):
    path = fixtures_dir / "oparl" / "koeln-demo"
    import_folder(path)
    paper = Paper.objects.get(name__contains="Querungshilfe an der Dürener Straße")
    wrong = paper.locations.get(source=LocationSource.EXTRACTED)
    wrong.source = LocationSource.MANUAL  # what the admin does when staff move the place
    wrong.geom = Point(351_000, 5_643_000, srid=25832)
    wrong.save()
    import_folder(path, full=True, regeocode=True)
    assert list(paper.locations.values_list("source", flat=True)) == ["manual"]


def test_local_plain_text_of_a_file_is_geocoded(tmp_path):
    paper = {
        "id": "https://txt.example.org/paper/1", "type": "https://schema.oparl.org/1.1/Paper",
        "body": "https://txt.example.org/body/1", "name": "Antrag der Fraktion",
        "mainFile": {"id": "https://txt.example.org/file/1", "fileName": "antrag-17.pdf",
                     "type": "https://schema.oparl.org/1.1/File"},
    }
    (tmp_path / "paper.json").write_text(json.dumps(paper))
    text = "Die Verwaltung prüft Tempo 30 in der Subbelrather Straße."
    (tmp_path / "antrag-17.txt").write_text(text)
    import_folder(tmp_path)
    place = PaperLocation.objects.get(paper__oparl_id=paper["id"])
    assert (place.source, place.name) == ("extracted", "Subbelrather Straße")
    assert File.objects.get().text.startswith("Die Verwaltung")
