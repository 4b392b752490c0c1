"""Land-use plan readers: the real Köln FNP, the xPlanBox XPlanGML 6.0 sample, hostile input.

Plain pytest, no Django and no database.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyogrio
import pyproj
import pytest
import shapely
from pyogrio import raw
from shapely.geometry import shape

from landuse.classes import CLASSES
from landuse.importers import ogr, xmltree, xplan
from landuse.importers.koeln import KOELN_TYP_CLASSES, KoelnClassifier, load_planzv_csv
from landuse.importers.types import PlanReadError

ROOT = Path(__file__).resolve().parents[2]
SEARCH_DIRS = (
    ROOT / "fixtures" / "landuse",
    ROOT / "tests" / "landuse" / "data",
    ROOT / "fixtures" / "koeln",
    ROOT.parent / "shared" / "data" / "koeln",
    ROOT.parent / "shared" / "data" / "xplanung",
)
KOELN_SHP = "koeln_fnp_aktuell.shp"
KOELN_CSV = ROOT / "fixtures" / "landuse" / "koeln_fnp_planzv_categories.csv"
XPLAN_ZIP = "FNP_Test_xplan60.zip"
KOELN_EXTENT = (343_000, 5_632_000, 371_000, 5_662_000)  # EPSG:25832, about 1 km margin
TO_WGS84 = pyproj.Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)
TO_25832 = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)


def data_file(name: str) -> Path:
    """The project's copy of a test data file, else the shared data folder."""
    for folder in SEARCH_DIRS:
        if (folder / name).is_file():
            return folder / name
    # A missing fixture is a broken checkout, not a reason to pass.
    pytest.fail(f"{name} is neither in fixtures/landuse nor in ../shared/data")


@pytest.fixture(scope="module")
def koeln():
    return ogr.read_plan(data_file(KOELN_SHP), classes_csv=KOELN_CSV)


@pytest.fixture(scope="module")
def sample():
    return xplan.read_plan(data_file(XPLAN_ZIP))


def geometries(plan):
    return shapely.from_wkb([f.geometry_wkb for f in plan.features])


def by_id(plan, source_id):
    return next(f for f in plan.features if f.source_id == source_id)


# --- Köln FNP 2014 (Shapefile, UTM 32N with a false easting of 2,500,000) ----------
def test_koeln_every_feature_is_classified(koeln):
    assert len(koeln.features) + len(koeln.rejected) == 2121
    assert all(f.class_code in CLASSES for f in koeln.features)
    # The one rejected polygon is classified but has no area at all.
    [(fid, reason)] = koeln.rejected
    assert fid == "2038"
    assert "Grün (gruenflaeche)" in reason and "nothing polygonal left" in reason


def test_koeln_invalid_polygons_are_repaired(koeln):
    _, _, wkb, _ = raw.read(data_file(KOELN_SHP), read_geometry=True, columns=[])
    invalid = ~shapely.is_valid(shapely.from_wkb(wkb))
    assert invalid.sum() == 5
    assert koeln.repaired_count == 4  # the fifth is the rejected zero-area ring
    assert sorted(f.source_id for f in koeln.features if f.repaired) == ["1349", "1623", "474",
                                                                         "671"]
    shapes = geometries(koeln)
    assert shapely.is_valid(shapes).all()
    assert set(shapely.get_type_id(shapes)) == {shapely.GeometryType.MULTIPOLYGON}
    assert not shapely.has_z(shapes).any()


def test_koeln_lies_inside_koeln_after_reprojection(koeln):
    shapes = geometries(koeln)
    minx, miny, maxx, maxy = shapely.total_bounds(shapes)
    assert KOELN_EXTENT[0] <= minx < maxx <= KOELN_EXTENT[2]
    assert KOELN_EXTENT[1] <= miny < maxy <= KOELN_EXTENT[3]
    boundary = json.loads(data_file("koeln_stadtgrenze.geojson").read_text(encoding="utf-8"))
    city = shape(boundary.get("geometry", boundary))
    city = shapely.transform(city, lambda xy: np.column_stack(TO_25832.transform(*xy.T)))
    city_with_margin = city.buffer(250)  # the Wald along the border reaches 108 m beyond it
    shapely.prepare(city_with_margin)
    inside = shapely.contains(city_with_margin, shapes)
    outside = [f.source_id for f, ok in zip(koeln.features, inside, strict=True) if not ok]
    assert outside == []


def test_false_easting_crs_lands_on_the_airport(koeln):
    assert "2500000" in koeln.meta.source_crs  # the .prj as declared, not EPSG:25832
    airport = next(f for f in koeln.features if f.feature_class == "flug")
    centre = shapely.from_wkb(airport.geometry_wkb).centroid
    lon, lat = TO_WGS84.transform(centre.x, centre.y)
    # Flughafen Köln/Bonn, 50.866 N 7.143 E
    assert math.dist((lon, lat), (7.143, 50.866)) < 0.03
    assert airport.class_code == "luftverkehr"


def test_koeln_known_classes(koeln):
    counts = koeln.class_counts()
    assert counts["gemeinbedarf"] == 279
    assert counts["gewerbegebiet"] == 166
    assert counts["industriegebiet"] == 54
    assert counts["besonderes_wohngebiet"] == 41  # the CSV's explicit TYP row
    assert counts["wohnbauflaeche"] == 212
    assert counts["mischgebiet"] == 44
    assert counts["sonderbauflaeche"] == 98  # S and the ambiguous SO
    assert counts["sanierungsgebiet"] == 1
    assert counts["versorgung_erneuerbare_energien"] == 1  # WEA
    wb = next(f for f in koeln.features if f.feature_class == "WB")
    assert wb.attributes["planzv_csv"] == "1.1.4"
    assert wb.attributes["Langname"] == "Besonderes Wohngebiet"
    so = next(f for f in koeln.features if f.feature_class == "SO")
    assert any("ambiguous" in p for p in so.problems)
    assert any("subtype 12" in p for p in by_id(koeln, "1902").problems)


def test_koeln_without_prj_needs_a_crs(tmp_path):
    for suffix in (".shp", ".shx", ".dbf"):
        shutil.copy(data_file(KOELN_SHP).with_suffix(suffix), tmp_path / f"fnp{suffix}")
    with pytest.raises(PlanReadError, match="no coordinate reference system"):
        ogr.read_plan(tmp_path / "fnp.shp", classes_csv=KOELN_CSV)
    # Taking the false-easting coordinates for plain EPSG:25832 must not pass.
    with pytest.raises(PlanReadError, match="outside Germany") as error:
        ogr.read_plan(tmp_path / "fnp.shp", source_crs="EPSG:25832", classes_csv=KOELN_CSV)
    assert "false easting" in str(error.value)


def test_geojson_layer_in_wgs84(tmp_path):
    ring = [[6.957, 50.941], [6.959, 50.941], [6.959, 50.942], [6.957, 50.942], [6.957, 50.941]]
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"TYP": "MK", "subtype": 15},
         "geometry": {"type": "Polygon", "coordinates": [ring]}},
        {"type": "Feature", "properties": {"TYP": "XYZ", "subtype": None},
         "geometry": {"type": "Polygon", "coordinates": [ring]}},
    ]}
    path = tmp_path / "fnp.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    plan = ogr.read_plan(path, classes_csv=KOELN_CSV)
    assert [f.class_code for f in plan.features] == ["kerngebiet"]
    [(fid, reason)] = plan.rejected
    assert fid == "1" and "field TYP" in reason and "XYZ" in reason
    centre = shapely.from_wkb(plan.features[0].geometry_wkb).centroid
    expected = TO_25832.transform(6.958, 50.9415)
    assert math.dist((centre.x, centre.y), expected) < 1


def test_geopackage_curve_polygon_is_linearised(tmp_path):
    csv_path = tmp_path / "curve.csv"
    csv_path.write_text(
        'TYP,WKT\nGE,"CURVEPOLYGON(COMPOUNDCURVE(CIRCULARSTRING(356000 5645000,'
        '356100 5645100,356200 5645000),(356200 5645000,356000 5645000)))"\n', encoding="utf-8")
    gpkg = tmp_path / "curve.gpkg"
    command = ["ogr2ogr", "-f", "GPKG", str(gpkg), str(csv_path), "-nln", "fnp", "-a_srs",
               "EPSG:25832", "-nlt", "CURVEPOLYGON", "-oo", "GEOM_POSSIBLE_NAMES=WKT", "-oo",
               "KEEP_GEOM_COLUMNS=NO"]
    subprocess.run(command, check=True, capture_output=True)
    plan = ogr.read_plan(gpkg, classes_csv=KOELN_CSV)
    shape = shapely.from_wkb(plan.features[0].geometry_wkb)
    assert plan.features[0].class_code == "gewerbegebiet"
    assert shape.area == pytest.approx(math.pi * 100**2 / 2, rel=2e-3)


def test_ogr_missing_file():
    with pytest.raises(PlanReadError, match="file not found") as error:
        ogr.read_plan("/nonexistent/fnp.shp", classes_csv=KOELN_CSV)
    assert "/nonexistent/fnp.shp" in str(error.value)


def test_koeln_classifier_reports_unknown_codes():
    key, problems, _ = KoelnClassifier(load_planzv_csv(KOELN_CSV)).classify("NOPE", 3)
    assert key is None and "NOPE" in problems[0]


def test_csv_rows_map_by_letters_or_number():
    rows = load_planzv_csv(KOELN_CSV)
    extra = [replace(r, typ="GRUEN9", subtype=None) for r in rows if r.number == "9"]
    classifier = KoelnClassifier([*rows, *extra])
    assert classifier.classify("GRUEN9", None)[:2] == ("gruenflaeche", [])
    key, _, attributes = classifier.classify("WB", 1)
    assert key == "besonderes_wohngebiet"
    assert attributes == {"planzv_csv": "1.1.4", "planzv_kategorie": "Besondere Wohngebiete"}


def test_classes_are_complete():
    csv_numbers = {c.number for c in load_planzv_csv(KOELN_CSV)}
    for cls in CLASSES.values():
        assert len(cls.color) == 7 and cls.color.startswith("#")
        int(cls.color[1:], 16)
        assert cls.parent is None or cls.parent in CLASSES
        if cls.planzv:
            assert cls.legal_basis.endswith(f"Nr. {cls.planzv} PlanZV")
    for key in set(KOELN_TYP_CLASSES.values()) - {"sanierungsgebiet"}:
        assert CLASSES[key].planzv in csv_numbers, key
    assert CLASSES["wohnbauflaeche"].legal_basis == (
        "§ 5 Abs. 2 Nr. 1 BauGB; § 1 Abs. 1 Nr. 1 BauNVO; Nr. 1.1 PlanZV")


# --- xPlanBox sample, XPlanGML 6.0 in a zip ------------------------------------------
def test_sample_metadata(sample):
    meta = sample.meta
    assert meta.name == "FNP Testplan 6.0"
    assert meta.municipality == "Test-Gemeinde"
    assert meta.municipality_key == "00000000"
    assert (meta.legal_status_code, meta.legal_status) == ("50000", "aufgehoben")
    assert meta.drawn_up is None and meta.effective is None  # the sample has no dates
    assert meta.source_format == "XPlanGML 6.0"
    assert meta.source_crs == "EPSG:25832"


def test_sample_counts_match_gdal(sample):
    vsi = f"/vsizip/{data_file(XPLAN_ZIP)}"
    gdal_total = sum(pyogrio.read_info(vsi, layer=name)["features"]
                     for name, _ in pyogrio.list_layers(vsi))
    assert gdal_total == 1031
    assert len(sample.features) + len(sample.rejected) + len(sample.skipped) == 1031
    assert len(sample.features) == 536
    assert len(sample.rejected) == 33
    assert all("not an area" in reason for _, reason in sample.rejected)
    assert sample.summary()["by_source_class"] == {
        "FP_BebauungsFlaeche": 164, "FP_Gruen": 158, "SO_Gewaesser": 60, "FP_Gemeinbedarf": 59,
        "FP_SchutzPflegeEntwicklung": 32, "FP_WaldFlaeche": 17, "FP_VerEntsorgung": 15,
        "SO_Strassenverkehr": 13, "SO_Schienenverkehrsrecht": 8, "FP_Landwirtschaft": 5,
        "FP_FlaecheOhneDarstellung": 1, "FP_TextAbschnittFlaeche": 1,
        "FP_AnpassungKlimawandel": 1, "FP_DarstellungNachLandesrecht": 1, "FP_Kennzeichnung": 1,
    }
    reasons = sample.summary()["skipped_reasons"]
    assert reasons["XP_PPO: presentation object (symbol or label)"] == 274
    assert reasons["FP_Plan: plan/Bereich object, read as metadata"] == 1


def test_sample_classes(sample):
    counts = sample.class_counts()
    assert counts["wohnbauflaeche"] == 59
    assert counts["gemischte_bauflaeche"] == 56
    assert counts["gewerbliche_bauflaeche"] == 31
    assert counts["sondergebiet_sonstiges"] == 17
    assert counts["doerfliches_wohngebiet"] == 1
    assert counts["gemeinbedarf_bildung"] == 15  # 12000 Schule → 1200
    assert counts["gruen_spezial"] == 67  # 24000 Straßenbegleitgrün, 24004 Abschirmgrün
    assert counts["ruhender_verkehr"] == 8
    assert not [p for f in sample.features for p in f.problems]


def test_sample_geometries_stay_in_the_plan_area(sample):
    shapes = geometries(sample)
    assert shapely.is_valid(shapes).all()
    minx, miny, maxx, maxy = shapely.total_bounds(shapes)
    assert 540_900 < minx < maxx < 547_700 and 5_953_200 < miny < maxy < 5_959_500


def test_plain_gml_reads_like_the_zip(sample, tmp_path):
    with zipfile.ZipFile(data_file(XPLAN_ZIP)) as archive:
        archive.extract("xplan.gml", tmp_path)
    plan = xplan.read_plan(tmp_path / "xplan.gml")
    assert len(plan.features) == len(sample.features)


# --- XPlanGML written here: 5.x, CRSs, curves, bad input ----------------------------
NS_GML = 'xmlns:gml="http://www.opengis.net/gml/3.2"'


def plan_xml(*members: str, version: str = "6/0", plan_extra: str = "") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<XPlanAuszug xmlns="http://www.xplanung.de/xplangml/{version}" {NS_GML} gml:id="A">
  <gml:featureMember><FP_Plan gml:id="PLAN">
    <name>Testplan</name>
    <gemeinde><XP_Gemeinde><ags>05315000</ags><gemeindeName>Köln</gemeindeName></XP_Gemeinde>
    </gemeinde><planArt>1000</planArt>{plan_extra}
  </FP_Plan></gml:featureMember>
  {''.join(members)}
</XPlanAuszug>"""


def area(fid: str, geometry: str, feature_type: str = "FP_BebauungsFlaeche",
         attrs: str = "<allgArtDerBaulNutzung>1000</allgArtDerBaulNutzung>") -> str:
    return (f'<gml:featureMember><{feature_type} gml:id="{fid}">{attrs}'
            f"<position>{geometry}</position><flaechenschluss>true</flaechenschluss>"
            f"</{feature_type}></gml:featureMember>")


def polygon(coords: list[tuple[float, float]], srs: str = "EPSG:25832") -> str:
    pos = " ".join(f"{a} {b}" for a, b in coords)
    return (f'<gml:Polygon srsName="{srs}"><gml:exterior><gml:LinearRing>'
            f"<gml:posList>{pos}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>")


SQUARE = [(356000, 5645000), (356100, 5645000), (356100, 5645100), (356000, 5645100),
          (356000, 5645000)]


def write(tmp_path: Path, text: str, name: str = "plan.gml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_xplan5_dates_and_legal_status(tmp_path):
    extra = ("<rechtsstand>4000</rechtsstand>"
             "<aufstellungsbeschlussDatum>2009-03-26</aufstellungsbeschlussDatum>"
             "<wirksamkeitsDatum>2014-12-05</wirksamkeitsDatum>")
    plan = xplan.read_plan(write(tmp_path, plan_xml(area("F1", polygon(SQUARE)), version="5/1",
                                                    plan_extra=extra)))
    meta = plan.meta
    assert meta.source_format == "XPlanGML 5.1"
    assert (meta.legal_status, meta.legal_status_code) == ("rechtswirksam", "4000")
    assert str(meta.drawn_up) == "2009-03-26" and str(meta.effective) == "2014-12-05"
    assert meta.municipality == "Köln"
    assert plan.features[0].class_code == "wohnbauflaeche"
    draft = xplan.read_plan(write(tmp_path, plan_xml(version="5/4",
                                                     plan_extra="<rechtsstand>2000</rechtsstand>")))
    assert draft.meta.legal_status == "Entwurf"


def test_bad_date_names_plan_and_field(tmp_path):
    path = write(tmp_path, plan_xml(plan_extra="<wirksamkeitsDatum>5.12.2014</wirksamkeitsDatum>"))
    with pytest.raises(PlanReadError, match="feature PLAN, field wirksamkeitsDatum"):
        xplan.read_plan(path)


@pytest.mark.parametrize(("srs", "swap"), [
    ("EPSG:4326", False),
    ("urn:ogc:def:crs:EPSG::4326", True),  # lat/lon
    ("http://www.opengis.net/def/crs/EPSG/0/4326", True),
    ("EPSG:31467", False),
    ("urn:ogc:def:crs:EPSG::31467", True),  # northing/easting
    ("EPSG:25833", False),
    ("urn:adv:crs:ETRS89_UTM32*DE_DHHN2016_NH", False),
])
def test_axis_order_and_reprojection(tmp_path, srs, swap):
    # The Dom in Köln, written in each CRS's own terms.
    code = "25832" if "adv" in srs else srs.rsplit(":", 1)[-1].rsplit("/", 1)[-1]
    to_source = pyproj.Transformer.from_crs("EPSG:4326", f"EPSG:{code}", always_xy=True)
    x, y = to_source.transform(6.9583, 50.9413)
    step = 0.0005 if code == "4326" else 50
    ring = [(x, y), (x + step, y), (x + step, y + step), (x, y + step), (x, y)]
    written = [(b, a) if swap else (a, b) for a, b in ring]
    plan = xplan.read_plan(write(tmp_path, plan_xml(area("F1", polygon(written, srs)))))
    first_corner = shapely.from_wkb(plan.features[0].geometry_wkb).geoms[0].exterior.coords[0]
    expected = TO_25832.transform(6.9583, 50.9413)
    assert math.dist(first_corner, expected) < 2  # metres; 31467 → 25832 is a datum shift


def test_arc_is_linearised(tmp_path):
    ring = (
        '<gml:Polygon srsName="EPSG:25832"><gml:exterior><gml:Ring><gml:curveMember><gml:Curve>'
        "<gml:segments><gml:LineStringSegment><gml:posList>356000 5645000 356200 5645000"
        "</gml:posList></gml:LineStringSegment><gml:Arc><gml:posList>356200 5645000 "
        "356100 5645100 356000 5645000</gml:posList></gml:Arc></gml:segments></gml:Curve>"
        "</gml:curveMember></gml:Ring></gml:exterior></gml:Polygon>")
    plan = xplan.read_plan(write(tmp_path, plan_xml(area("ARC", ring))))
    feature = plan.features[0]
    shape = shapely.from_wkb(feature.geometry_wkb)
    assert shape.area == pytest.approx(math.pi * 100**2 / 2, rel=1e-3)
    assert shapely.get_num_coordinates(shape) > 40
    assert shape.bounds[3] == pytest.approx(5645100, abs=0.05)
    assert feature.attributes["curves_linearised"] is True


def test_multisurface_with_surface_patch_and_circle(tmp_path):
    circle = ('<gml:Surface><gml:patches><gml:PolygonPatch><gml:exterior><gml:Ring>'
              "<gml:curveMember><gml:Curve><gml:segments><gml:Circle><gml:posList>"
              "357000 5645000 357050 5645050 357100 5645000</gml:posList></gml:Circle>"
              "</gml:segments></gml:Curve></gml:curveMember></gml:Ring></gml:exterior>"
              "</gml:PolygonPatch></gml:patches></gml:Surface>")
    multi = (f'<gml:MultiSurface srsName="EPSG:25832"><gml:surfaceMember>'
             f"{polygon(SQUARE)}</gml:surfaceMember><gml:surfaceMember>{circle}"
             f"</gml:surfaceMember></gml:MultiSurface>")
    attrs = "<zweckbestimmung><FP_KomplexeZweckbestGruen><allgemein>2600</allgemein>" \
            "</FP_KomplexeZweckbestGruen></zweckbestimmung>"
    plan = xplan.read_plan(write(tmp_path, plan_xml(area("M", multi, "FP_Gruen", attrs))))
    shape = shapely.from_wkb(plan.features[0].geometry_wkb)
    assert len(shape.geoms) == 2
    assert shape.area == pytest.approx(100 * 100 + math.pi * 50**2, rel=1e-3)
    assert plan.features[0].class_code == "gruen_friedhof"


def test_three_dimensional_poslist(tmp_path):
    pos = " ".join(f"{x} {y} 55.5" for x, y in SQUARE)
    square_3d = (f'<gml:Polygon srsName="EPSG:25832" srsDimension="3"><gml:exterior>'
                 f"<gml:LinearRing><gml:posList>{pos}</gml:posList></gml:LinearRing>"
                 f"</gml:exterior></gml:Polygon>")
    plan = xplan.read_plan(write(tmp_path, plan_xml(area("Z", square_3d))))
    shape = shapely.from_wkb(plan.features[0].geometry_wkb)
    assert not shape.has_z and shape.area == pytest.approx(100 * 100)


def test_point_is_rejected_with_its_id(tmp_path):
    point = '<gml:Point srsName="EPSG:25832"><gml:pos>356000 5645000</gml:pos></gml:Point>'
    plan = xplan.read_plan(write(tmp_path, plan_xml(area("P1", point, "FP_Gruen", ""))))
    assert plan.features == []
    assert plan.rejected == [("P1", "FP_Gruen: geometry is a Point, not an area")]


def test_conflicting_art_der_nutzung_is_reported(tmp_path):
    attrs = ("<allgArtDerBaulNutzung>1000</allgArtDerBaulNutzung>"
             "<besondereArtDerBaulNutzung>1700</besondereArtDerBaulNutzung>")
    plan = xplan.read_plan(write(tmp_path, plan_xml(area("F", polygon(SQUARE), attrs=attrs))))
    assert plan.features[0].class_code == "gewerbegebiet"
    assert "does not belong to allgArtDerBaulNutzung 1000" in plan.features[0].problems[0]


def test_unknown_crs_is_refused(tmp_path):
    path = write(tmp_path, plan_xml(area("F9", polygon(SQUARE, "EPSG:999999"))))
    with pytest.raises(PlanReadError, match="feature F9, field srsName") as error:
        xplan.read_plan(path)
    assert "EPSG:999999" in str(error.value)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<XPlanAuszug xmlns="http://www.xplanung.de/xplangml/6/0" {ns}><gml:featureMember>
<FP_Plan gml:id="P"><name>&lol9;</name></FP_Plan></gml:featureMember></XPlanAuszug>"""
XXE = """<?xml version="1.0"?>
<!-- harmless looking comment -->
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<XPlanAuszug xmlns="http://www.xplanung.de/xplangml/6/0" {ns}><gml:featureMember>
<FP_Plan gml:id="P"><name>&xxe;</name></FP_Plan></gml:featureMember></XPlanAuszug>"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_hostile_xml_is_refused(tmp_path, text):
    path = write(tmp_path, text.format(ns=NS_GML))
    with pytest.raises(PlanReadError, match="DOCTYPE") as error:
        xplan.read_plan(path)
    assert "root:" not in str(error.value)
    zipped = tmp_path / "plan.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(path, "plan.gml")
    with pytest.raises(PlanReadError, match="DOCTYPE"):
        xplan.read_plan(zipped)


def test_xplan_missing_file():
    with pytest.raises(PlanReadError, match="file not found") as error:
        xplan.read_plan("/nonexistent/plan.gml")
    assert str(error.value).startswith("/nonexistent/plan.gml")


@pytest.mark.parametrize(("text", "message"), [
    ("<html><body>no plan</body></html>", "not an XPlanGML document"),
    ("<XPlanAuszug", "not well-formed XML"),
    (plan_xml().replace("FP_Plan", "BP_Plan"), r"not a Flächennutzungsplan \(BP_Plan\)"),
    (plan_xml(version="4/1"), "XPlanGML 4.1 is not supported"),
])
def test_not_a_plan(tmp_path, text, message):
    with pytest.raises(PlanReadError, match=message):
        xplan.read_plan(write(tmp_path, text))


def test_parser_backstop_refuses_entities(tmp_path, monkeypatch):
    # Even if the DOCTYPE pre-check were fooled, the parser expands nothing and the
    # DOCTYPE found after parsing is refused.
    monkeypatch.setattr(xmltree, "has_doctype", lambda data: False)
    with pytest.raises(PlanReadError, match="DOCTYPE"):
        xplan.read_plan(write(tmp_path, XXE.format(ns=NS_GML)))


def test_metres_declared_as_degrees_are_refused(tmp_path):
    path = write(tmp_path, plan_xml(area("F7", polygon(SQUARE, "urn:ogc:def:crs:EPSG::4326"))))
    with pytest.raises(PlanReadError, match="feature F7") as error:
        xplan.read_plan(path)
    assert "axis order" in str(error.value)


def test_zipped_shapefile(tmp_path):
    zipped = tmp_path / "fnp.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for suffix in (".shp", ".shx", ".dbf", ".prj"):
            archive.write(data_file(KOELN_SHP).with_suffix(suffix), f"fnp{suffix}")
    plan = ogr.read_plan(zipped, classes_csv=KOELN_CSV)
    assert (len(plan.features), plan.meta.name) == (2120, "fnp")


def test_xplan5_feature_types(tmp_path):
    members = [
        area("G", polygon(SQUARE), "FP_Gemeinbedarf", "<zweckbestimmung>1800</zweckbestimmung>"),
        area("S", polygon(SQUARE), "FP_Strassenverkehr", "<zweckbestimmung>1000</zweckbestimmung>"),
        area("W", polygon(SQUARE), "FP_Gewaesser", "<zweckbestimmung>1100</zweckbestimmung>"),
        area("K", polygon(SQUARE), "FP_KeineZentrAbwasserBeseitigungFlaeche", ""),
    ]
    plan = xplan.read_plan(write(tmp_path, plan_xml(*members, version="5/3")))
    assert {f.source_id: f.class_code for f in plan.features} == {
        "G": "gemeinbedarf_gesundheit", "S": "autobahn", "W": "wasserflaeche",
        "K": "keine_zentrale_abwasserbeseitigung"}
