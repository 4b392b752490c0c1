"""Read a Flächennutzungsplan from XPlanGML 5.x or 6.0 (.gml/.xml, or a .zip holding one)."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import shapely
from lxml import etree
from pyproj.exceptions import ProjError

from landuse.classes import bebauung_conflict, classify_xplan, xplan_feature_types

from . import gml, xmltree
from .geometry import (
    AreaResult,
    SourceCrs,
    UnknownCrsError,
    as_area,
    outside_germany,
    reproject,
    resolve_srs_name,
    resolve_user_crs,
)
from .types import AreaFeature, PlanData, PlanMeta, PlanReadError

MAX_XML_BYTES = 512 * 1024 * 1024
GML_ID = "{http://www.opengis.net/gml/3.2}id"
GML31_ID = "{http://www.opengis.net/gml}id"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_XPLAN_NS = re.compile(r"^http://www\.xplanung\.de/xplangml/(\d+)/(\d+)$")

FP_RECHTSSTAND = {
    "1000": "Aufstellungsbeschluss",
    "2000": "im Verfahren",  # 5.x: "Entwurf", see _legal_status
    "2100": "frühzeitige Behördenbeteiligung",
    "2200": "frühzeitige Öffentlichkeitsbeteiligung",
    "2250": "Entwurfsbeschluss",
    "2300": "Behördenbeteiligung",
    "2400": "öffentliche Auslegung",
    "3000": "Plan erstellt",
    "4000": "rechtswirksam",
    "5000": "untergegangen",
    "50000": "aufgehoben",
    "50001": "außer Kraft getreten",
}
# Enumeration attributes in the order they decide the class: specific first.
CODE_ATTRIBUTES = (
    "besondereArtDerBaulNutzung",
    "allgArtDerBaulNutzung",
    "zweckbestimmung",
    "besondereZweckbestimmung",
    "artDerFestlegung",
)
NOT_ATTRIBUTES = {"position", "boundedBy", "gehoertZuBereich", "wirdDargestelltDurch"}
PLAN_TYPES = {"BP_Plan", "FP_Plan", "RP_Plan", "LP_Plan", "SO_Plan"}
PRESENTATION_TYPES = {"XP_PPO", "XP_PTO", "XP_LPO", "XP_LTO", "XP_FPO", "XP_Praesentationsobjekt",
                      "XP_Nutzungsschablone"}
TEXT_TYPES = {"XP_TextAbschnitt", "FP_TextAbschnitt", "XP_BegruendungAbschnitt"}


def read_plan(path: str | Path, *, source_crs: str | None = None, **options) -> PlanData:
    """Read an XPlanGML Flächennutzungsplan.

    source_crs: CRS assumed for geometries whose srsName is missing.
    options: check_extent (default True) refuses plans that land outside
    Germany after reprojection, which catches a wrong CRS.
    """
    path = Path(path)
    data, name_in_zip = _load_bytes(path)
    label = f"{path}!{name_in_zip}" if name_in_zip else str(path)
    root = xmltree.parse_secure(data, label)
    return _PlanReader(root, label, source_crs, options).read()


# --- input ----------------------------------------------------------------------
def _load_bytes(path: Path) -> tuple[bytes, str | None]:
    if not path.is_file():
        raise PlanReadError("file not found", path=path,
                            hint="check the path; expected an XPlanGML .gml/.xml or a .zip")
    if not zipfile.is_zipfile(path):
        if path.stat().st_size > MAX_XML_BYTES:
            raise PlanReadError("file larger than 512 MB", path=path, hint="split the plan")
        return path.read_bytes(), None
    with zipfile.ZipFile(path) as archive:
        members = [
            info for info in archive.infolist()
            if info.filename.lower().endswith((".gml", ".xml"))
            and not info.filename.startswith("__MACOSX/") and not info.is_dir()
        ]
        if not members:
            raise PlanReadError("zip holds no .gml or .xml file", path=path,
                                hint="put the XPlanGML file into the zip")
        member = _main_member(members)
        if member.file_size > MAX_XML_BYTES:
            raise PlanReadError(f"{member.filename} unpacks to more than 512 MB", path=path,
                                hint="split the plan")
        with archive.open(member) as handle:
            return handle.read(MAX_XML_BYTES + 1), member.filename


def _main_member(members: list[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    # Attachments (legends, metadata) may be XML too; the plan is the largest GML.
    gml_files = [m for m in members if m.filename.lower().endswith(".gml")] or members
    return max(gml_files, key=lambda m: m.file_size)


# Readers of other plan types (bplan.py) parse through the same safe parser.
_parse_secure = xmltree.parse_secure


# --- document -------------------------------------------------------------------
class _PlanReader:
    def __init__(self, root, label: str, source_crs: str | None, options: dict) -> None:
        self.root = root
        self.label = label
        self.version = _xplan_version(root, label)
        self.fallback_srs = source_crs
        self.check_extent = options.get("check_extent", True)
        self.area_types = xplan_feature_types()
        self.srs_seen: Counter[str] = Counter()

    def read(self) -> PlanData:
        features = list(self._features())
        plans = [f for f in features if xmltree.local(f) in PLAN_TYPES]
        fp_plans = [f for f in plans if xmltree.local(f) == "FP_Plan"]
        if not fp_plans:
            found = ", ".join(sorted({xmltree.local(p) for p in plans})) or "no plan object"
            raise PlanReadError(f"not a Flächennutzungsplan ({found})", path=self.label,
                                hint="import an XPlanGML file with an FP_Plan")
        if len(fp_plans) > 1:
            raise PlanReadError(f"{len(fp_plans)} FP_Plan objects in one file", path=self.label,
                                hint="export each plan into its own file")
        areas, rejected, skipped = [], [], []
        for element in features:
            self._read_feature(element, areas, rejected, skipped)
        meta = self._meta(fp_plans[0])
        self._check_extent(areas, meta.source_crs)
        return PlanData(meta=meta, features=areas, rejected=rejected, skipped=skipped)

    def _features(self):
        for member in xmltree.children(self.root):
            if xmltree.local(member) in ("featureMember", "featureMembers", "member"):
                yield from xmltree.children(member)

    # --- one object ----------------------------------------------------------
    def _read_feature(self, element, areas, rejected, skipped) -> None:
        feature_type = xmltree.local(element)
        fid = _gml_id(element) or f"{feature_type}#line{element.sourceline}"
        if feature_type not in self.area_types:
            skipped.append((fid, _skip_reason(feature_type)))
            return
        area = self._area(element, fid)
        if isinstance(area, str):
            rejected.append((fid, f"{feature_type}: {area}"))
            return
        result, linearised = area
        codes = _codes(element)
        key, problems = classify_xplan(feature_type, codes)
        conflict = bebauung_conflict(_first(codes, CODE_ATTRIBUTES[0]),
                                     _first(codes, CODE_ATTRIBUTES[1]))
        problems += [p for p in (conflict, result.problem) if p]
        attributes = _attributes(element)
        if linearised:
            attributes["curves_linearised"] = True
        areas.append(AreaFeature(
            source_id=fid, feature_class=feature_type, attributes=attributes,
            geometry_wkb=shapely.to_wkb(result.geometry), class_code=key,
            repaired=result.repaired, problems=problems,
        ))

    def _area(self, element, fid: str) -> tuple[AreaResult, bool] | str:
        """The object's area in EPSG:25832 and whether curves were linearised, or why not."""
        geometry_element = next(xmltree.children(xmltree.child(element, "position")), None)
        if geometry_element is None:
            return "no position geometry"
        try:
            parsed = gml.parse_geometry(geometry_element, self._inherited_srs(element))
        except (gml.GmlError, ValueError) as exc:
            return f"field position: {exc}"
        source = self._resolve(parsed.srs_name, fid)
        try:
            result = as_area(reproject(parsed.geometry, source))
        except ProjError as exc:
            raise PlanReadError(f"coordinates cannot be reprojected from {parsed.srs_name} ({exc})",
                                path=self.label, feature_id=fid, field_name="position",
                                hint="check srsName and the axis order of the coordinates") from exc
        return (result, parsed.linearised) if result.geometry is not None else result.problem

    def _inherited_srs(self, element) -> str | None:
        for scope in (element, self.root):
            envelope = xmltree.child(scope, "boundedBy", "Envelope")
            if envelope is not None and envelope.get("srsName"):
                return envelope.get("srsName")
        return self.fallback_srs

    def _resolve(self, srs_name: str | None, fid: str) -> SourceCrs:
        if not srs_name:
            raise PlanReadError("geometry declares no srsName", path=self.label, feature_id=fid,
                                field_name="position",
                                hint="add srsName (e.g. EPSG:25832) or pass source_crs")
        self.srs_seen[srs_name] += 1
        try:
            if srs_name == self.fallback_srs:  # given by the caller: may be WKT too
                return resolve_user_crs(srs_name)
            return resolve_srs_name(srs_name)
        except UnknownCrsError as exc:
            raise PlanReadError(str(exc), path=self.label, feature_id=fid, field_name="srsName",
                                hint="use an EPSG code such as EPSG:25832 or "
                                     "urn:ogc:def:crs:EPSG::25832") from exc

    # --- plan ----------------------------------------------------------------
    def _meta(self, plan) -> PlanMeta:
        fid = _gml_id(plan) or "FP_Plan"
        gemeinde = xmltree.child(plan, "gemeinde", "XP_Gemeinde")
        code = xmltree.text(xmltree.child(plan, "rechtsstand"))
        srs = self._plan_srs(plan)
        return PlanMeta(
            name=xmltree.text(xmltree.child(plan, "name")) or Path(self.label).stem,
            municipality=xmltree.text(xmltree.child(gemeinde, "gemeindeName")),
            municipality_key=xmltree.text(xmltree.child(gemeinde, "ags")),
            legal_status=self._legal_status(code),
            legal_status_code=code,
            drawn_up=self._date(plan, "aufstellungsbeschlussDatum", fid),
            effective=self._date(plan, "wirksamkeitsDatum", fid),
            source_format=f"XPlanGML {self.version}",
            source_crs=srs,
            extra={
                "planArt": xmltree.text(xmltree.child(plan, "planArt")),
                "nummer": xmltree.text(xmltree.child(plan, "nummer")),
                "erstellungsMassstab": xmltree.text(xmltree.child(plan, "erstellungsMassstab")),
                "planbeschlussDatum": xmltree.text(xmltree.child(plan, "planbeschlussDatum")),
                "srs_names": dict(self.srs_seen),
            },
        )

    def _plan_srs(self, plan) -> str:
        geometry = next(xmltree.children(xmltree.child(plan, "raeumlicherGeltungsbereich")), None)
        declared = geometry.get("srsName") if geometry is not None else None
        if declared:
            return declared
        if self.srs_seen:
            return self.srs_seen.most_common(1)[0][0]
        return self._inherited_srs(plan) or "unknown"

    def _legal_status(self, code: str | None) -> str | None:
        if code is None:
            return None
        if code == "2000" and self.version.startswith("5."):
            return "Entwurf"
        return FP_RECHTSSTAND.get(code, f"unbekannter Rechtsstand {code}")

    def _date(self, plan, name: str, fid: str) -> date | None:
        text = xmltree.text(xmltree.child(plan, name))
        if text is None:
            return None
        try:
            return date.fromisoformat(text[:10])
        except ValueError as exc:
            raise PlanReadError(f"{text!r} is not a date", path=self.label, feature_id=fid,
                                field_name=name, hint="write the date as YYYY-MM-DD") from exc

    def _check_extent(self, areas: list[AreaFeature], declared: str) -> None:
        if not self.check_extent or not areas:
            return
        geometries = shapely.from_wkb([a.geometry_wkb for a in areas])
        bounds = tuple(shapely.total_bounds(geometries))
        if outside_germany(bounds):
            raise PlanReadError(
                f"after reprojection from {declared} to EPSG:25832 the plan lies outside "
                f"Germany (bounds {tuple(round(b) for b in bounds)})", path=self.label,
                field_name="srsName",
                hint="check srsName and the axis order (lat/lon for urn:ogc:def:crs:EPSG::4326)")


def _gml_id(element) -> str | None:
    return element.get(GML_ID) or element.get(GML31_ID)


def _xplan_version(root, label: str) -> str:
    namespaces = [etree.QName(root).namespace, *root.nsmap.values()]
    for namespace in namespaces:
        match = _XPLAN_NS.match(namespace or "")
        if match:
            version = f"{match.group(1)}.{match.group(2)}"
            if match.group(1) not in ("5", "6"):
                raise PlanReadError(f"XPlanGML {version} is not supported", path=label,
                                    hint="export the plan as XPlanGML 5.x or 6.0")
            return version
    raise PlanReadError(f"not an XPlanGML document (root element <{xmltree.local(root)}>)",
                        path=label, hint="import an XPlanGML export (XPlanAuszug)")


def _skip_reason(feature_type: str) -> str:
    if feature_type in PLAN_TYPES or feature_type.endswith("_Bereich"):
        return f"{feature_type}: plan/Bereich object, read as metadata"
    if feature_type in PRESENTATION_TYPES:
        return f"{feature_type}: presentation object (symbol or label)"
    if feature_type in TEXT_TYPES:
        return f"{feature_type}: text section without geometry"
    return f"{feature_type}: not a land-use area type"


def _codes(element) -> dict[str, list[str]]:
    codes: dict[str, list[str]] = {}
    for name in CODE_ATTRIBUTES:
        values = []
        for child in xmltree.children(element):
            if xmltree.local(child) != name:
                continue
            complex_value = next(xmltree.children(child), None)
            value = (xmltree.text(xmltree.child(complex_value, "allgemein"))
                     if complex_value is not None else xmltree.text(child))
            if value:
                values.append(value)
        if values:
            codes[name] = values
    return codes


def _first(codes: dict[str, list[str]], name: str) -> str | None:
    values = codes.get(name)
    return values[0] if values else None


def _attributes(element) -> dict:
    attributes: dict = {}
    for child in xmltree.children(element):
        name = xmltree.local(child)
        if name in NOT_ATTRIBUTES:
            continue
        value = _value(child)
        if name in attributes:
            previous = attributes[name]
            attributes[name] = [*previous, value] if isinstance(previous, list) else [previous,
                                                                                       value]
        else:
            attributes[name] = value
    return attributes


def _value(element):
    children = list(xmltree.children(element))
    if not children:
        return element.get(XLINK_HREF) or xmltree.text(element)
    if len(children) == 1 and list(xmltree.children(children[0])):
        return _attributes(children[0])  # a data type such as FP_KomplexeZweckbestGruen
    return _attributes(element)
