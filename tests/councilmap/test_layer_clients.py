"""A planner's clients read which paper a council place belongs to: GDAL's WFS and OAPIF drivers
(ogrinfo) and QGIS (PyQGIS, the harness of tests/geoportal/ogc/test_clients.py) against the live
server; a deleted paper's places are in neither."""

import re

import pytest

from councilmap.models import Paper, PaperLocation
from tests.geoportal.ogc.conftest import _run
from tests.geoportal.ogc.test_clients import run_qgis

from .conftest import import_folder

PAPER_FIELDS = ["paper_name", "reference", "paper_type", "paper_date", "web"]


@pytest.fixture
def places(live_server, fixtures_dir):
    # live_server tests commit; the session's teardown hook flushes and reloads the city.
    import_folder(fixtures_dir / "oparl" / "koeln-demo")
    gone = Paper.objects.filter(locations__isnull=False).order_by("-pk").first()
    Paper.objects.filter(pk=gone.pk).update(deleted=True)
    place = (PaperLocation.objects.filter(paper__deleted=False, paper__date__isnull=False)
             .exclude(paper__reference="").select_related("paper").order_by("pk").first())
    return place, gone


def _ogrinfo_feature(source: str, place: PaperLocation) -> dict[str, str]:
    out = _run(["ogrinfo", "-ro", "-q", source, "council_places", "-where",
                f"paper_id = {place.paper_id}"])
    return dict(re.findall(r"^  (\w+) \(\w+\) = (.*)$", out, re.M))


def test_gdal_reads_the_paper_of_a_place_over_wfs_and_ogc_api(live_server, places):
    place, gone = places
    paper = place.paper
    for source in (f"WFS:{live_server.url}/wfs?VERSION=2.0.0", f"OAPIF:{live_server.url}/ogcapi"):
        schema = _run(["ogrinfo", "-ro", "-so", source, "council_places"])
        for name in PAPER_FIELDS:
            assert re.search(rf"^{name}: \w+", schema, re.M), (source, name)
        live = PaperLocation.objects.filter(paper__deleted=False).count()
        assert int(re.search(r"Feature Count: (\d+)", schema).group(1)) == live, source
        values = _ogrinfo_feature(source, place)
        assert values["paper_name"] == paper.name, source
        assert values["reference"] == paper.reference, source
        assert values["paper_type"] == paper.paper_type, source
        assert values["paper_date"].replace("/", "-") == paper.date.isoformat(), source
        assert values["web"] == paper.web, source
        assert _ogrinfo_feature(source, gone.locations.first()) == {}, source


@pytest.mark.parametrize("provider", ["WFS", "OAPIF"])
def test_qgis_reads_the_paper_of_a_place(live_server, places, tmp_path, provider):
    place, gone = places
    paper = place.paper
    if provider == "WFS":
        uri = (f"url='{live_server.url}/wfs' typename='app:council_places' version='2.0.0' "
               "srsname='EPSG:25832' pagingEnabled='true'")
    else:
        uri = f"url='{live_server.url}/ogcapi' typename='council_places'"
    job = {"name": "council_places", "uri": uri, "key": "paper_id", "sample": 1000,
           "expression": f"\"reference\" = '{paper.reference}'"}
    [report] = run_qgis({"provider": provider, "layers": [job]}, tmp_path)["layers"]
    assert report["valid"], report.get("error")
    assert set(PAPER_FIELDS) <= set(report["fields"])
    assert report["feature_count"] == PaperLocation.objects.filter(paper__deleted=False).count()
    assert report["expression_keys"] == [str(paper.pk)] * paper.locations.count()
    seen = {f["attributes"]["paper_id"]: f["attributes"] for f in report["sample"]}
    assert gone.pk not in seen
    mine = seen[paper.pk]
    assert (mine["paper_name"], mine["reference"], mine["paper_type"], mine["web"]) == (
        paper.name, paper.reference, paper.paper_type, paper.web)
    assert mine["paper_date"].startswith(paper.date.isoformat())
