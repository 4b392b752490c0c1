"""Every dataset in every format, read back with GDAL (pyogrio): as many features as the layer
has public rows, the right CRS, exactly the registry's fields; bad input answers 404/400."""

import json

import pyogrio
import pytest

from geoportal.ogc.layers import get_layer
from opendata.datasets import FORMATS
from opendata.metadata import OPEN_DATA

from .conftest import EHRENFELD

pytestmark = pytest.mark.django_db


def download(client, tmp_path, name: str, ext: str):
    response = client.get(f"/opendata/{name}.{ext}")
    assert response.status_code == 200, response.content[:300]
    path = tmp_path / f"download-{name}.{ext}"
    path.write_bytes(b"".join(response.streaming_content))
    return response, path


def read_back(path, ext: str):
    # The CSV carries its geometry as WKT in the `wkt` column; GDAL needs to be told which.
    options = {"GEOM_POSSIBLE_NAMES": "wkt", "KEEP_GEOM_COLUMNS": "NO"} if ext == "csv" else {}
    return pyogrio.read_info(path, **options), pyogrio.read_dataframe(path, **options)


def seed(name: str, make_report) -> None:
    """Rows for the layers the session's Köln core leaves empty, including rows the layer's
    filter must keep out (an unpublished report, a place of a deleted paper)."""
    from django.contrib.gis.geos import LineString, Point

    from councilmap.models import Paper, PaperLocation
    from geoportal.models import Address

    if name == "reports":
        make_report()
        make_report(*EHRENFELD, code="baum")
        make_report(publish=False)
    elif name == "addresses":
        for i, (x, y) in enumerate([(362_000, 5_700_000), (362_050, 5_700_020)]):
            Address.objects.create(
                street_name="Rüttenscheider Straße",
                street_key="ruettenscheider strasse",
                house_number=10 + i,
                postcode="45130",
                city="Essen",
                geom=Point(x, y, srid=25832),
                source="test",
                source_id=str(i),
            )
    elif name == "council_places":
        paper = Paper.objects.create(oparl_id="https://ris.test/paper/1", name="Radweg")
        gone = Paper.objects.create(oparl_id="https://ris.test/paper/2", deleted=True)
        for owner, geom in [
            (paper, Point(356_500, 5_645_000, srid=25832)),
            (paper, LineString((356_000, 5_645_000), (356_400, 5_645_300), srid=25832)),
            (gone, Point(356_600, 5_645_100, srid=25832)),
        ]:
            PaperLocation.objects.create(
                paper=owner, source="oparl", precision="street", name="Ort", geom=geom
            )


@pytest.mark.parametrize("ext", list(FORMATS))
@pytest.mark.parametrize("name", sorted(OPEN_DATA))
def test_each_download_reads_back_with_gdal(client, tmp_path, name, ext, make_report):
    seed(name, make_report)
    layer = get_layer(name)
    expected = layer.queryset().count()
    response, path = download(client, tmp_path, name, ext)
    assert response["Content-Type"].startswith(FORMATS[ext].media_type)
    assert f'filename="{name}.{ext}"' in response["Content-Disposition"]
    info, frame = read_back(path, ext)
    assert len(frame) == expected == info["features"]
    if name in ("reports", "addresses", "council_places"):
        assert expected == 2, "seeded rows (and the filter keeps the hidden ones out)"
    if expected or ext != "geojson":  # an empty FeatureCollection has no properties to read
        assert set(frame.columns) - {"geometry"} == {p.name for p in layer.properties}
    if ext == "geojson":
        assert info["crs"] == "EPSG:4326"
    elif ext == "gpkg":
        assert info["crs"] == "EPSG:25832"
    if expected:
        x0, y0, x1, y1 = frame.total_bounds
        if ext == "geojson":  # lon/lat in Germany
            assert 5 < x0 <= x1 < 16 and 47 < y0 <= y1 < 56
        else:  # metres of UTM zone 32N
            assert 250_000 < x0 <= x1 < 900_000 and 5_200_000 < y0 <= y1 < 6_200_000


def test_district_geometries_match_postgis(client, tmp_path):
    layer = get_layer("districts")
    expected = sum(area.geom.area for area in layer.queryset())
    _, path = download(client, tmp_path, "districts", "gpkg")
    _, frame = read_back(path, "gpkg")
    assert frame.geometry.area.sum() == pytest.approx(expected, rel=1e-6)
    _, path = download(client, tmp_path, "districts", "csv")
    _, frame = read_back(path, "csv")
    assert frame.geometry.area.sum() == pytest.approx(expected, rel=1e-6)


def test_reports_csv_names_category_office_and_areas_not_ids(client, tmp_path, make_report):
    # #19: the file had category_id, office_id, district_id … that nobody outside can read.
    report = make_report(*EHRENFELD, code="baum")
    _, path = download(client, tmp_path, "reports", "csv")
    _, frame = read_back(path, "csv")
    assert not {c for c in frame.columns if c.endswith("_id")}
    row = frame[frame["number"] == report.number].iloc[0]
    assert (row["category_code"], row["category_name"]) == ("baum", report.category.name)
    assert row["office_name"] == report.office.name
    assert row["municipality_name"] == "Köln" and row["district_name"] == "Ehrenfeld"
    assert row["quarter_name"] == report.quarter.name


def test_files_are_cached_until_the_layer_changes(client, tmp_path, settings, make_report):
    make_report()
    cache = settings.MEDIA_ROOT / "opendata"
    download(client, tmp_path, "reports", "csv")
    first = sorted(cache.glob("reports-*.csv"))
    assert len(first) == 1
    mtime = first[0].stat().st_mtime_ns
    download(client, tmp_path, "reports", "csv")
    assert sorted(cache.glob("reports-*.csv")) == first
    assert first[0].stat().st_mtime_ns == mtime, "an unchanged layer is not written again"
    etag = client.get("/opendata/reports.csv")["ETag"]
    assert client.get("/opendata/reports.csv", HTTP_IF_NONE_MATCH=etag).status_code == 304
    make_report()
    assert client.get("/opendata/reports.csv", HTTP_IF_NONE_MATCH=etag).status_code == 200
    _, path = download(client, tmp_path, "reports", "csv")
    second = sorted(cache.glob("reports-*.csv"))
    assert len(second) == 1 and second != first, "a new version, the old file removed"
    _, frame = read_back(path, "csv")
    assert len(frame) == 2


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/opendata/nonexistent.csv", 404, "keinen Datensatz"),
        ("/opendata/districts.xlsx", 400, "Unbekanntes Format"),
        ("/opendata/__init__.py", 404, "keinen Datensatz"),
        ("/opendata/nonexistent/", 404, ""),
        ("/statistik/nonexistent.csv", 404, "keine Statistik"),
        ("/statistik/kategorien.xml", 400, "Unbekanntes Format"),
    ],
)
def test_bad_input_is_a_clear_client_error(client, url, status, words, settings):
    settings.DEBUG = False
    response = client.get(url)
    assert response.status_code == status
    if words:
        assert words in json.loads(response.content)["detail"]
