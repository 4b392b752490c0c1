"""Read a Bebauungsplan (BP_Plan) from XPlanGML 4.1 to 6.0 (.gml/.xml, or a .zip holding one
with its attachments). Django-free: returns plain data; `landuse.bplan_services` stores it.

Every BP_ or SO_ object with an area becomes an area (Baugebiete with GRZ, GFZ, Z, Bauweise;
Grün-, Verkehrs-, Gemeinbedarfsflächen, ...), every one with a line a line (Baugrenzen,
Baulinien, Straßenbegrenzungslinien); points and presentation objects are skipped and counted.
The plan's external references (scanned plan with world file, PDF) are listed as documents.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import shapely
from lxml import etree
from pyproj.exceptions import ProjError

from . import gml, xmltree
from .geometry import SourceCrs, UnknownCrsError, outside_germany, reproject, resolve_srs_name
from .geometry import resolve_user_crs as _resolve_user_crs
from .types import PlanReadError
from .xmltree import child as _child
from .xmltree import children as _children
from .xmltree import local as _local
from .xmltree import parse_secure
from .xplan import _load_bytes

GML_IDS = ("{http://www.opengis.net/gml/3.2}id", "{http://www.opengis.net/gml}id")
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_XPLAN_NS = re.compile(r"^http://www\.xplanung\.de/xplangml/(\d+)/(\d+)$")

BP_RECHTSSTAND = {
    "1000": "Aufstellungsbeschluss", "2000": "Entwurf",
    "2100": "frühzeitige Behördenbeteiligung", "2200": "frühzeitige Öffentlichkeitsbeteiligung",
    "2300": "Behördenbeteiligung", "2400": "öffentliche Auslegung", "3000": "Satzung",
    "4000": "in Kraft getreten", "4500": "teilweise untergegangen", "5000": "untergegangen",
    "50000": "aufgehoben", "50001": "außer Kraft getreten",
}
BP_PLANART = {
    "1000": "Bebauungsplan", "10000": "einfacher Bebauungsplan",
    "10001": "qualifizierter Bebauungsplan", "10002": "Bebauungsplan zur Wohnraumversorgung",
    "3000": "vorhabenbezogener Bebauungsplan", "3100": "Vorhaben- und Erschließungsplan",
    "4000": "Innenbereichssatzung", "40000": "Klarstellungssatzung",
    "40001": "Entwicklungssatzung", "40002": "Ergänzungssatzung",
    "5000": "Außenbereichssatzung", "7000": "örtliche Bauvorschrift", "9999": "sonstiger Plan",
}
# BauNVO: besondere Art der baulichen Nutzung (§§ 2-11) and allgemeine Art (Bauflächen, § 1).
BESONDERE_ART = {
    "1000": "Kleinsiedlungsgebiet (WS)", "1100": "reines Wohngebiet (WR)",
    "1200": "allgemeines Wohngebiet (WA)", "1300": "besonderes Wohngebiet (WB)",
    "1400": "Dorfgebiet (MD)", "1450": "dörfliches Wohngebiet (MDW)",
    "1500": "Mischgebiet (MI)", "1550": "urbanes Gebiet (MU)", "1600": "Kerngebiet (MK)",
    "1700": "Gewerbegebiet (GE)", "1800": "Industriegebiet (GI)",
    "2000": "Sondergebiet, das der Erholung dient (SO)", "2100": "sonstiges Sondergebiet (SO)",
    "3000": "Wochenendhausgebiet", "4000": "Sondergebiet", "9999": "sonstiges Gebiet",
}
ALLG_ART = {
    "1000": "Wohnbaufläche (W)", "2000": "gemischte Baufläche (M)",
    "3000": "gewerbliche Baufläche (G)", "4000": "Sonderbaufläche (S)",
    "9999": "sonstige Baufläche",
}
BAUWEISE = {
    "1000": "offene Bauweise", "2000": "geschlossene Bauweise", "3000": "abweichende Bauweise",
}
FEATURE_LABELS = {
    "BP_BaugebietsTeilFlaeche": "Baugebiet",
    "BP_GruenFlaeche": "Grünfläche",
    "BP_StrassenVerkehrsFlaeche": "Straßenverkehrsfläche",
    "BP_VerkehrsflaecheBesondererZweckbestimmung": "Verkehrsfläche besonderer Zweckbestimmung",
    "BP_GemeinbedarfsFlaeche": "Fläche für den Gemeinbedarf",
    "BP_SpielSportanlagenFlaeche": "Fläche für Spiel- und Sportanlagen",
    "BP_UeberbaubareGrundstuecksFlaeche": "überbaubare Grundstücksfläche",
    "BP_NebenanlagenFlaeche": "Fläche für Nebenanlagen",
    "BP_WaldFlaeche": "Wald", "BP_GewaesserFlaeche": "Wasserfläche",
    "BP_Landwirtschaft": "Fläche für die Landwirtschaft",
    "BP_VerEntsorgung": "Ver- und Entsorgung",
    "BP_BauGrenze": "Baugrenze", "BP_BauLinie": "Baulinie",
    "BP_StrassenbegrenzungsLinie": "Straßenbegrenzungslinie",
    "BP_NutzungsartenGrenze": "Abgrenzung unterschiedlicher Nutzung",
    "BP_AnpflanzungBindungErhaltung": "Anpflanzen, Bindung, Erhaltung",
    "BP_TextlicheFestsetzungsFlaeche": "Fläche mit textlichen Festsetzungen",
    "BP_BesondererNutzungszweckFlaeche": "Fläche mit besonderem Nutzungszweck",
    "SO_SchutzgebietNaturschutzrecht": "Schutzgebiet (Naturschutzrecht)",
    "SO_Schienenverkehrsrecht": "Bahnanlage (Schienenverkehrsrecht)",
}
# Maß der baulichen Nutzung: what the answer shows, in this order.
MASS = ("GRZ", "GRZmax", "GFZ", "GFZmax", "GR", "GF", "Z", "Zmax", "ZI", "BMZ", "BM")
DATES = ("aufstellungsbeschlussDatum", "auslegungsStartDatum", "satzungsbeschlussDatum",
         "rechtsverordnungsDatum", "inkrafttretensDatum", "ausfertigungsDatum",
         "technHerstellDatum", "untergangsDatum")
SKIP_PREFIXES = ("XP_",)


@dataclass
class BPlanDocumentRef:
    name: str  # file name (or URL) as the plan refers to it
    kind: str  # "scan", "worldfile", "pdf", "document"
    title: str = ""


@dataclass
class BPlanObject:
    source_id: str
    feature_class: str
    label: str
    kind: str  # "area" or "line"
    geometry_wkb: bytes  # MultiPolygon or MultiLineString, EPSG:25832
    figures: dict  # art, art_code, grz, gfz, z, z_max, bauweise, zweckbestimmung
    attributes: dict


@dataclass
class BPlanData:
    name: str
    number: str
    municipality: str
    municipality_key: str
    plan_type: str
    legal_status: str
    legal_status_code: str
    dates: dict[str, date]
    description: str
    xplan_version: str
    source_crs: str
    boundary_wkb: bytes | None
    objects: list[BPlanObject] = field(default_factory=list)
    documents: list[BPlanDocumentRef] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)


def read_bplan(path: str | Path, *, source_crs: str | None = None) -> BPlanData:
    path = Path(path)
    data, name_in_zip = _load_bytes(path)
    label = f"{path}!{name_in_zip}" if name_in_zip else str(path)
    root = parse_secure(data, label)
    return _Reader(root, label, source_crs).read()


def attachments(path: Path) -> dict[str, bytes]:
    """The files next to the plan in its zip (scans, world files, PDFs), by base name."""
    if not zipfile.is_zipfile(path):
        return {}
    found = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            name = Path(info.filename).name
            if info.is_dir() or name.lower().endswith((".gml", ".xml")) or \
                    info.filename.startswith("__MACOSX/") or info.file_size > 200 * 1024 * 1024:
                continue
            found[name] = archive.read(info)
    return found


def _text(element) -> str:
    return xmltree.text(element) or ""


def _gml_id(element) -> str | None:
    return next((element.get(a) for a in GML_IDS if element.get(a)), None)


class _Reader:
    def __init__(self, root, label: str, source_crs: str | None) -> None:
        self.root = root
        self.label = label
        self.fallback = source_crs
        self.version = self._version()
        self.srs_seen: Counter[str] = Counter()

    def _version(self) -> str:
        for namespace in [etree.QName(self.root).namespace, *self.root.nsmap.values()]:
            match = _XPLAN_NS.match(namespace or "")
            if match:
                if match.group(1) not in ("4", "5", "6"):
                    break
                return f"{match.group(1)}.{match.group(2)}"
        raise PlanReadError("not an XPlanGML 4.1-6.0 document", path=self.label,
                            hint="import an XPlanGML export (XPlanAuszug) with a BP_Plan")

    def _features(self):
        for member in _children(self.root):
            if _local(member) in ("featureMember", "featureMembers", "member"):
                yield from _children(member)

    def read(self) -> BPlanData:
        features = list(self._features())
        plans = [f for f in features if _local(f) == "BP_Plan"]
        if len(plans) != 1:
            found = ", ".join(sorted({_local(f) for f in features if _local(f).endswith("_Plan")}))
            raise PlanReadError(
                f"{len(plans)} BP_Plan objects (found: {found or 'no plan'})", path=self.label,
                hint="import one Bebauungsplan per file; an FNP goes through import_landuse")
        plan = plans[0]
        data = self._meta(plan)
        for element in features:
            self._object(element, data)
        for element in features:
            if _local(element) in ("BP_Bereich", "BP_Plan"):
                data.documents += self._documents(element)
        self._check_extent(data)
        return data

    def _meta(self, plan) -> BPlanData:
        fid = _gml_id(plan) or "BP_Plan"
        gemeinde = _child(plan, "gemeinde", "XP_Gemeinde")
        code = _text(_child(plan, "rechtsstand"))
        dates = {}
        for name in DATES:
            text = _text(_child(plan, name))
            if text:
                try:
                    dates[name] = date.fromisoformat(text[:10])
                except ValueError as exc:
                    raise PlanReadError(f"{text!r} is not a date", path=self.label,
                                        feature_id=fid, field_name=name,
                                        hint="write dates as YYYY-MM-DD") from exc
        boundary = None
        geometry = next(_children(_child(plan, "raeumlicherGeltungsbereich")), None)
        if geometry is not None:
            shape = self._geometry(geometry, plan, fid, "raeumlicherGeltungsbereich")
            boundary = _multi_area(shape)
        art = _text(_child(plan, "planArt"))
        return BPlanData(
            name=_text(_child(plan, "name")) or Path(self.label).stem,
            number=_text(_child(plan, "nummer")),
            municipality=_text(_child(gemeinde, "gemeindeName")),
            municipality_key=_text(_child(gemeinde, "ags")),
            plan_type=BP_PLANART.get(art, art),
            legal_status=BP_RECHTSSTAND.get(code, code),
            legal_status_code=code,
            dates=dates,
            description=_text(_child(plan, "beschreibung")),
            xplan_version=self.version,
            source_crs="",
            boundary_wkb=shapely.to_wkb(boundary) if boundary is not None else None,
        )

    def _inherited(self, element) -> str | None:
        for scope in (element, self.root):
            envelope = _child(scope, "boundedBy", "Envelope")
            if envelope is not None and envelope.get("srsName"):
                return envelope.get("srsName")
        return self.fallback

    def _geometry(self, element, owner, fid: str, field_name: str):
        try:
            parsed = gml.parse_geometry(element, self._inherited(owner))
        except (gml.GmlError, ValueError) as exc:
            raise PlanReadError(str(exc), path=self.label, feature_id=fid,
                                field_name=field_name) from exc
        if not parsed.srs_name:
            raise PlanReadError("geometry declares no srsName", path=self.label, feature_id=fid,
                                field_name=field_name, hint="add srsName or pass --source-crs")
        self.srs_seen[parsed.srs_name] += 1
        try:
            source: SourceCrs = (_resolve_user_crs(parsed.srs_name)
                                 if parsed.srs_name == self.fallback
                                 else resolve_srs_name(parsed.srs_name))
            return reproject(parsed.geometry, source)
        except UnknownCrsError as exc:
            raise PlanReadError(str(exc), path=self.label, feature_id=fid,
                                field_name="srsName", hint="use an EPSG code") from exc
        except ProjError as exc:
            raise PlanReadError(f"cannot reproject from {parsed.srs_name} ({exc})",
                                path=self.label, feature_id=fid, field_name=field_name) from exc

    def _object(self, element, data: BPlanData) -> None:
        feature_class = _local(element)
        if not feature_class.startswith(("BP_", "SO_")) or feature_class in (
                "BP_Plan", "BP_Bereich") or feature_class.endswith("TextAbschnitt"):
            data.skipped[f"{feature_class}: no plan content with a geometry"] += 1
            return
        fid = _gml_id(element) or f"{feature_class}#line{element.sourceline}"
        geometry_element = next(_children(_child(element, "position")), None)
        if geometry_element is None:
            data.skipped[f"{feature_class}: no position"] += 1
            return
        shape = self._geometry(geometry_element, element, fid, "position")
        if shape.geom_type in ("Polygon", "MultiPolygon"):
            kind, geometry = "area", _multi_area(shape)
        elif shape.geom_type in ("LineString", "MultiLineString"):
            kind = "line"
            geometry = shape if shape.geom_type == "MultiLineString" else \
                shapely.MultiLineString([shape])
        else:
            data.skipped[f"{feature_class}: {shape.geom_type} (symbols are not imported)"] += 1
            return
        if geometry is None or geometry.is_empty:
            data.skipped[f"{feature_class}: empty after repair"] += 1
            return
        data.objects.append(BPlanObject(
            source_id=fid, feature_class=feature_class,
            label=FEATURE_LABELS.get(feature_class, feature_class.split("_", 1)[1]),
            kind=kind, geometry_wkb=shapely.to_wkb(geometry),
            figures=_figures(element), attributes=_attributes(element),
        ))

    def _documents(self, element) -> list[BPlanDocumentRef]:
        refs = []
        for child in _children(element):
            if _local(child) not in ("externeReferenz", "refScan", "rasterBasis"):
                continue
            for reference in _children(child):
                url = _text(_child(reference, "referenzURL"))
                georef = _text(_child(reference, "georefURL"))
                title = _text(_child(reference, "referenzName")) or _text(_child(reference, "art"))
                if url:
                    kind = ("scan" if _local(child) in ("refScan", "rasterBasis") or
                            url.lower().endswith((".png", ".tif", ".tiff", ".jpg", ".jpeg"))
                            else "pdf" if url.lower().endswith(".pdf") else "document")
                    refs.append(BPlanDocumentRef(url, kind, title))
                if georef:
                    refs.append(BPlanDocumentRef(georef, "worldfile", "World file"))
        return refs

    def _check_extent(self, data: BPlanData) -> None:
        shapes = [shapely.from_wkb(o.geometry_wkb) for o in data.objects]
        if data.boundary_wkb:
            shapes.append(shapely.from_wkb(data.boundary_wkb))
        data.source_crs = self.srs_seen.most_common(1)[0][0] if self.srs_seen else ""
        if shapes and outside_germany(tuple(shapely.total_bounds(shapes))):
            raise PlanReadError(
                f"after reprojection from {data.source_crs} the plan lies outside Germany",
                path=self.label, field_name="srsName",
                hint="check srsName and the axis order of the coordinates")


def _multi_area(shape):
    if not shape.is_valid:
        shape = shapely.make_valid(shape)
    polygons = [p for p in shapely.get_parts(shape) if p.geom_type == "Polygon" and not p.is_empty]
    if not polygons:
        parts = [g for g in getattr(shape, "geoms", []) for g in shapely.get_parts(g)]
        polygons = [p for p in parts if p.geom_type == "Polygon"]
    return shapely.MultiPolygon(polygons) if polygons else None


def _number(text: str):
    try:
        return float(text) if "." in text or "e" in text.lower() else int(text)
    except ValueError:
        return None


def _figures(element) -> dict:
    figures: dict = {}
    besondere = _text(_child(element, "besondereArtDerBaulNutzung"))
    allgemein = _text(_child(element, "allgArtDerBaulNutzung"))
    if besondere or allgemein:
        figures["art_code"] = besondere or allgemein
        figures["art"] = (BESONDERE_ART.get(besondere) if besondere
                          else ALLG_ART.get(allgemein)) or figures["art_code"]
    for name in MASS:
        text = _text(_child(element, name))
        if text and (value := _number(text)) is not None:
            figures[name.lower()] = value
    bauweise = _text(_child(element, "bauweise"))
    if bauweise:
        figures["bauweise"] = BAUWEISE.get(bauweise, bauweise)
    zweck = _child(element, "zweckbestimmung")
    if zweck is not None:
        inner = next(_children(zweck), None)
        figures["zweckbestimmung"] = _text(_child(inner, "allgemein")) if inner is not None \
            else _text(zweck)
    return figures


def _attributes(element) -> dict:
    attributes: dict = {}
    for child in _children(element):
        name = _local(child)
        if name in ("position", "boundedBy", "gehoertZuBereich", "wirdDargestelltDurch"):
            continue
        value = child.get(XLINK_HREF) or _text(child)
        if not value:
            continue
        if name not in attributes:
            attributes[name] = value
        elif isinstance(attributes[name], list):
            attributes[name].append(value)
        else:
            attributes[name] = [attributes[name], value]
    return attributes
