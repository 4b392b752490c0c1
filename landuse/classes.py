"""Land-use classes of the Flächennutzungsplan: PlanZV / BauNVO, XPlanung codes, colours.

Sources:
- PlanZV numbers of section 1 (Art der baulichen Nutzung) follow the current
  Anlage zur PlanZV 1990 (1.2.2 Dörfliche Wohngebiete, 1.2.4 Urbane Gebiete,
  1.2.5 Kerngebiete); the other numbers follow the Stadt Köln category list in
  fixtures/landuse/koeln_fnp_planzv_categories.csv, which predates the
  renumbering of 1.2.x (there MI is 1.2.2 and MK 1.2.3). None: no PlanZV sign.
  That list and the Köln plan's own codes are read by `importers/koeln.py`; this module
  holds only the national table.
- XPlanung codes are those of the XPlanGML 6.0 schema (XPlanGML_FPlan.xsd,
  XPlanGML_Basisschema.xsd) and agree with 5.x where the enumerations exist
  there. A detail code (5 or 6 digits) belongs to the general code formed by
  its first four digits, e.g. 12000 (Schule) to 1200 (BildungForschung).
- Fill colours are those of the XPlanung visualisation rules of xPlanBox /
  DiPlanung (SE styles v5.0.3 by lat/lon, as SLD in kreis-viersen/xplan-reader,
  xplan_default_styles/default/fp/*.sld), which render the PlanZV colour names
  ("Rot mittel" Wohnbauflächen, "Braun mittel" gemischte, "Grau mittel"
  gewerbliche, "Orange mittel" Sonderbauflächen). Where that style draws only a
  boundary (Umgrenzung) fill is False and color is the line colour. Colours
  marked "own choice" have no reference style behind them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True)
class XPlanCode:
    """Which XPlanung objects fall into a class: feature types, attribute, codes."""

    feature_types: tuple[str, ...]
    attribute: str | None = None  # None: every object of these types without a better match
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LandUseClass:
    key: str
    label: str
    group: str
    legal_basis: str
    planzv: str | None
    color: str
    fill: bool = True
    abbreviation: str | None = None
    parent: str | None = None
    xplan: tuple[XPlanCode, ...] = field(default=())


# --- XPlanung feature types, 5.x and 6.0 names ------------------------------
BEBAUUNG = ("FP_BebauungsFlaeche",)
GEMEINBEDARF = ("FP_Gemeinbedarf",)
GRUEN = ("FP_Gruen",)
VER_ENTSORGUNG = ("FP_VerEntsorgung",)
STRASSE_FP = ("FP_Strassenverkehr",)  # 5.x; 6.0 uses SO_Strassenverkehr
STRASSE_SO = ("SO_Strassenverkehr",)

W_RED, M_BROWN, G_GREY, S_ORANGE = "#CF9377", "#D5A744", "#A6A596", "#FE7F26"
GEMEINBEDARF_MAGENTA, GRUEN_GREEN, STRASSE_YELLOW = "#E94EA5", "#80E41B", "#FFD92F"
VERSORGUNG_YELLOW, WASSER_BLUE = "#FFEC99", "#75C7FF"

_CLASSES: list[LandUseClass] = []


def _law(baugb: str, planzv: str | None, extra: str | None = None) -> str:
    parts = [baugb, extra, f"Nr. {planzv} PlanZV" if planzv else None]
    return "; ".join(p for p in parts if p)


def _add(key, label, group, baugb, planzv, color, *, extra_law=None, **kwargs) -> None:
    legal = _law(baugb, planzv, extra_law)
    _CLASSES.append(LandUseClass(key, label, group, legal, planzv, color, **kwargs))


def _code(types: tuple[str, ...], attribute: str | None = None, *codes: str) -> XPlanCode:
    return XPlanCode(types, attribute, codes)


# --- 1 Bauflächen and Baugebiete (§ 5 Abs. 2 Nr. 1 BauGB) -------------------
_BAU = "§ 5 Abs. 2 Nr. 1 BauGB"
_ALLG, _BES = "allgArtDerBaulNutzung", "besondereArtDerBaulNutzung"
for key, label, planzv, nvo, color, abbr, allg in (
    ("wohnbauflaeche", "Wohnbaufläche", "1.1", "§ 1 Abs. 1 Nr. 1 BauNVO", W_RED, "W", "1000"),
    ("gemischte_bauflaeche", "Gemischte Baufläche", "1.2", "§ 1 Abs. 1 Nr. 2 BauNVO", M_BROWN,
     "M", "2000"),
    ("gewerbliche_bauflaeche", "Gewerbliche Baufläche", "1.3", "§ 1 Abs. 1 Nr. 3 BauNVO", G_GREY,
     "G", "3000"),
    ("sonderbauflaeche", "Sonderbaufläche", "1.4", "§ 1 Abs. 1 Nr. 4 BauNVO", S_ORANGE, "S",
     "4000"),
):
    extra = (_code(BEBAUUNG, _BES, "4000"),) if key == "sonderbauflaeche" else ()
    _add(key, label, "bauflaeche", _BAU, planzv, color, extra_law=nvo, abbreviation=abbr,
         xplan=(_code(BEBAUUNG, _ALLG, allg), *extra))

for key, label, planzv, nvo, parent, abbr, codes in (
    ("kleinsiedlungsgebiet", "Kleinsiedlungsgebiet", "1.1.1", "§ 2", "wohnbauflaeche", "WS",
     ("1000",)),
    ("reines_wohngebiet", "Reines Wohngebiet", "1.1.2", "§ 3", "wohnbauflaeche", "WR", ("1100",)),
    ("allgemeines_wohngebiet", "Allgemeines Wohngebiet", "1.1.3", "§ 4", "wohnbauflaeche", "WA",
     ("1200",)),
    ("besonderes_wohngebiet", "Besonderes Wohngebiet", "1.1.4", "§ 4a", "wohnbauflaeche", "WB",
     ("1300",)),
    ("dorfgebiet", "Dorfgebiet", "1.2.1", "§ 5", "gemischte_bauflaeche", "MD", ("1400",)),
    ("doerfliches_wohngebiet", "Dörfliches Wohngebiet", "1.2.2", "§ 5a", "gemischte_bauflaeche",
     "MDW", ("1450",)),
    ("mischgebiet", "Mischgebiet", "1.2.3", "§ 6", "gemischte_bauflaeche", "MI", ("1500",)),
    ("urbanes_gebiet", "Urbanes Gebiet", "1.2.4", "§ 6a", "gemischte_bauflaeche", "MU",
     ("1550",)),
    ("kerngebiet", "Kerngebiet", "1.2.5", "§ 7", "gemischte_bauflaeche", "MK", ("1600",)),
    ("gewerbegebiet", "Gewerbegebiet", "1.3.1", "§ 8", "gewerbliche_bauflaeche", "GE", ("1700",)),
    ("industriegebiet", "Industriegebiet", "1.3.2", "§ 9", "gewerbliche_bauflaeche", "GI",
     ("1800",)),
    ("sondergebiet_erholung", "Sondergebiet, das der Erholung dient", "1.4.1", "§ 10",
     "sonderbauflaeche", "SO", ("2000", "3000")),
    ("sondergebiet_sonstiges", "Sonstiges Sondergebiet", "1.4.2", "§ 11", "sonderbauflaeche", "SO",
     ("2100",)),
):
    color = {"wohn": W_RED, "gemi": M_BROWN, "gewe": G_GREY, "sond": S_ORANGE}[parent[:4]]
    _add(key, label, "bauflaeche", _BAU, planzv, color, extra_law=f"{nvo} BauNVO",
         abbreviation=abbr, parent=parent, xplan=(_code(BEBAUUNG, _BES, *codes),))

_add("sonstige_bauflaeche", "Sonstige Baufläche", "bauflaeche", _BAU, None, "#FFFFFF",
     xplan=(_code(BEBAUUNG, _ALLG, "9999"), _code(BEBAUUNG, _BES, "9999"), _code(BEBAUUNG)))
_add("keine_zentrale_abwasserbeseitigung",
     "Baufläche ohne zentrale Abwasserbeseitigung", "bauflaeche", _BAU, None, "#000000",
     fill=False, xplan=(_code(("FP_KeineZentrAbwasserBeseitigungFlaeche",)),))

# --- 4 Gemeinbedarf, Spiel- und Sportanlagen (§ 5 Abs. 2 Nr. 2 Buchst. a BauGB) --
_GEMEIN = "§ 5 Abs. 2 Nr. 2 Buchst. a BauGB"
_add("gemeinbedarf", "Fläche für den Gemeinbedarf", "gemeinbedarf", _GEMEIN, "4.1",
     GEMEINBEDARF_MAGENTA, xplan=(_code(GEMEINBEDARF, "zweckbestimmung", "9999"),
                                  _code(GEMEINBEDARF)))
for key, label, code in (
    ("verwaltung", "öffentliche Verwaltung", "1000"),
    ("bildung", "Bildung und Forschung", "1200"),
    ("kirche", "kirchlichen Zwecken dienende Einrichtungen", "1400"),
    ("sozial", "sozialen Zwecken dienende Einrichtungen", "1600"),
    ("gesundheit", "gesundheitlichen Zwecken dienende Einrichtungen", "1800"),
    ("kultur", "kulturellen Zwecken dienende Einrichtungen", "2000"),
    ("sport", "sportlichen Zwecken dienende Einrichtungen", "2200"),
    ("sicherheit", "Sicherheit und Ordnung", "2400"),
    ("infrastruktur", "Infrastruktur (z. B. Post)", "2600"),
):
    _add(f"gemeinbedarf_{key}", f"Gemeinbedarf: {label}", "gemeinbedarf", _GEMEIN, "4.1",
         GEMEINBEDARF_MAGENTA, parent="gemeinbedarf",
         xplan=(_code(GEMEINBEDARF, "zweckbestimmung", code),
                _code(GEMEINBEDARF, "besondereZweckbestimmung", code)))
_add("spiel_sportanlage", "Fläche für Sport- und Spielanlagen", "gemeinbedarf", _GEMEIN, "4.2",
     "#000000", fill=False, xplan=(_code(("FP_SpielSportanlage",)),))

# --- 5 Verkehr (§ 5 Abs. 2 Nr. 3 BauGB) -----------------------------------------
_VERK = "§ 5 Abs. 2 Nr. 3 BauGB"
for key, label, planzv, codes in (
    ("strassenverkehr", "Fläche für den Straßenverkehr", "5.1", ("1400", "9999")),
    ("autobahn", "Autobahn und autobahnähnliche Straße", "5.1.1", ("1000",)),
    ("hauptverkehrsstrasse", "Überörtliche und örtliche Hauptverkehrsstraße", "5.1.2",
     ("1200", "1300")),
    ("ruhender_verkehr", "Ruhender Verkehr", "5.1.3", ("1600",)),
):
    xplan = (_code(STRASSE_FP, "zweckbestimmung", *codes), _code(STRASSE_SO, "artDerFestlegung",
                                                                   *codes))
    if key == "strassenverkehr":
        xplan += (_code(STRASSE_FP), _code(STRASSE_SO))
    _add(key, label, "verkehr", _VERK, planzv, STRASSE_YELLOW,
         parent=None if key == "strassenverkehr" else "strassenverkehr", xplan=xplan)
_add("bahnanlage", "Bahnanlage", "verkehr", _VERK, "5.2.1", "#FFB7E7",
     xplan=(_code(("SO_Schienenverkehrsrecht", "FP_Bahnverkehr")),))
_add("luftverkehr", "Fläche für den Luftverkehr", "verkehr", _VERK, "5.4", "#CC3399", fill=False,
     xplan=(_code(("SO_Luftverkehrsrecht", "FP_Luftverkehr")),))

# --- 7 Ver- und Entsorgung (§ 5 Abs. 2 Nr. 4 BauGB) -----------------------------
_VE = "§ 5 Abs. 2 Nr. 4 BauGB"
_add("versorgung", "Fläche für Versorgungsanlagen, Abfall- und Abwasserbeseitigung",
     "versorgung", _VE, "7", VERSORGUNG_YELLOW,
     xplan=(_code(VER_ENTSORGUNG, "zweckbestimmung", "1300", "3000", "9999"),
            _code(VER_ENTSORGUNG)))
for key, label, codes, law in (
    ("elektrizitaet", "Elektrizität", ("1000",), None),
    ("gas", "Gas", ("1200",), None),
    ("waerme", "Wärmeversorgung", ("1400",), None),
    ("wasser", "Wasserversorgung", ("1600",), None),
    ("abwasser", "Abwasser und Regenwasser", ("1800", "2000"), None),
    ("abfall", "Abfallentsorgung und Ablagerung", ("2200", "2400"), None),
    ("telekommunikation", "Telekommunikation", ("2600",), None),
    # Solar-, Wind-, Geothermie-, Wasser- und Biomassekraftwerk
    ("erneuerbare_energien", "erneuerbare Energien", ("2800", "10002", "10003", "10004",
                                                      "10006", "10007"),
     "§ 5 Abs. 2 Nr. 2 Buchst. b BauGB"),
):
    _add(f"versorgung_{key}", f"Versorgung: {label}", "versorgung", _VE, "7", VERSORGUNG_YELLOW,
         extra_law=law, parent="versorgung",
         xplan=(_code(VER_ENTSORGUNG, "zweckbestimmung", *codes),))

# --- 9 Grünflächen (§ 5 Abs. 2 Nr. 5 BauGB) -------------------------------------
_GRUEN = "§ 5 Abs. 2 Nr. 5 BauGB"
_add("gruenflaeche", "Grünfläche", "gruen", _GRUEN, "9", GRUEN_GREEN,
     xplan=(_code(GRUEN, "zweckbestimmung", "9999"), _code(GRUEN)))
for key, label, code in (
    ("parkanlage", "Parkanlage", "1000"),
    ("dauerkleingarten", "Dauerkleingärten", "1200"),
    ("sportplatz", "Sportplatz", "1400"),
    ("spielplatz", "Spielplatz", "1600"),
    ("zeltplatz", "Zeltplatz", "1800"),
    ("badeplatz", "Badeplatz, Freibad", "2000"),
    ("freizeit", "Freizeit und Erholung", "2200"),
    ("spezial", "spezielle Grünfläche (z. B. Straßenbegleit-, Abschirmgrün)", "2400"),
    ("friedhof", "Friedhof", "2600"),
    ("naturerfahrungsraum", "Naturerfahrungsraum", "2700"),
):
    _add(f"gruen_{key}", f"Grünfläche: {label}", "gruen", _GRUEN, "9", GRUEN_GREEN,
         parent="gruenflaeche", xplan=(_code(GRUEN, "zweckbestimmung", code),))

# --- 10-12 Wasser, Abgrabung, Landwirtschaft und Wald ----------------------------
_add("wasserflaeche", "Wasserfläche", "wasser", "§ 5 Abs. 2 Nr. 7 BauGB", "10.1", WASSER_BLUE,
     xplan=(_code(("SO_Gewaesser", "FP_Gewaesser")),))
_add("wasserwirtschaft",
     "Fläche für die Wasserwirtschaft, den Hochwasserschutz und die Regelung des Wasserabflusses",
     "wasser", "§ 5 Abs. 2 Nr. 7 BauGB", "10.2", "#007BCE", fill=False,
     xplan=(_code(("SO_Wasserwirtschaft", "FP_Wasserwirtschaft")),))
_add("aufschuettung", "Fläche für Aufschüttungen", "abgrabung", "§ 5 Abs. 2 Nr. 8 BauGB", "11.1",
     "#000000", fill=False, xplan=(_code(("FP_Aufschuettung",)),))  # colour: own choice
_add("abgrabung", "Fläche für Abgrabungen oder die Gewinnung von Bodenschätzen", "abgrabung",
     "§ 5 Abs. 2 Nr. 8 BauGB", "11.2", "#000000", fill=False,  # colour: own choice
     xplan=(_code(("FP_Abgrabung", "FP_BodenschaetzeFlaeche")),))
_add("landwirtschaft", "Fläche für die Landwirtschaft", "landwirtschaft_wald",
     "§ 5 Abs. 2 Nr. 9 Buchst. a BauGB", "12.1", "#CCE968",
     xplan=(_code(("FP_Landwirtschaft", "FP_LandwirtschaftsFlaeche")),))
_add("wald", "Fläche für Wald", "landwirtschaft_wald", "§ 5 Abs. 2 Nr. 9 Buchst. b BauGB", "12.2",
     "#34AB8F", xplan=(_code(("FP_WaldFlaeche", "FP_Wald")),))

# --- 13 Natur und Landschaft, other Darstellungen -------------------------------
_add("schutz_pflege_entwicklung",
     "Fläche für Maßnahmen zum Schutz, zur Pflege und zur Entwicklung von Natur und Landschaft",
     "natur", "§ 5 Abs. 2 Nr. 10 BauGB", "13.1", "#008000", fill=False,
     xplan=(_code(("FP_SchutzPflegeEntwicklung",)),))
_add("ausgleichsflaeche", "Fläche zum Ausgleich", "natur", "§ 5 Abs. 2a BauGB", None, "#008000",
     fill=False, xplan=(_code(("FP_AusgleichsFlaeche",)),))
_OTHER = (  # key, label, legal basis, feature types; colours: own choice (outline only)
    ("anpassung_klimawandel", "Maßnahme zur Anpassung an den Klimawandel",
     "§ 5 Abs. 2 Nr. 2 Buchst. c BauGB", ("FP_AnpassungKlimawandel",)),
    ("zentraler_versorgungsbereich", "Zentraler Versorgungsbereich",
     "§ 5 Abs. 2 Nr. 2 Buchst. d BauGB", ("FP_ZentralerVersorgungsbereich",)),
    ("nutzungsbeschraenkung", "Fläche für Nutzungsbeschränkungen (Immissionsschutz)",
     "§ 5 Abs. 2 Nr. 6 BauGB", ("FP_Nutzungsbeschraenkung",)),
    ("kennzeichnung", "Kennzeichnung", "§ 5 Abs. 3 BauGB", ("FP_Kennzeichnung",)),
    ("privilegiertes_vorhaben", "Standort für privilegierte Vorhaben im Außenbereich",
     "§ 35 Abs. 1 und 2 BauGB", ("FP_PrivilegiertesVorhaben",)),
    ("flaeche_ohne_darstellung", "Fläche ohne Darstellung", "§ 5 Abs. 1 Satz 2 BauGB",
     ("FP_FlaecheOhneDarstellung",)),
    ("darstellung_landesrecht", "Darstellung nach Landesrecht", "Landesrecht",
     ("FP_DarstellungNachLandesrecht",)),
    ("textliche_darstellung", "Geltungsbereich textlicher Darstellungen", "§ 5 BauGB",
     ("FP_TextAbschnittFlaeche",)),
    ("vorbehaltsflaeche", "Vorbehaltsfläche", "§ 5 BauGB", ("FP_VorbehalteFlaeche",)),
    ("unverbindliche_vormerkung", "Unverbindliche Vormerkung", "§ 5 BauGB",
     ("FP_UnverbindlicheVormerkung",)),
    ("generisches_objekt", "Sonstige Darstellung", "§ 5 BauGB", ("FP_GenerischesObjekt",)),
    ("sanierungsgebiet", "Sanierungsgebiet (nachrichtlich)", "§ 5 Abs. 4 BauGB; § 142 BauGB", ()),
)
for key, label, law, types in _OTHER:
    _add(key, label, "sonstiges", law, None, "#000000", fill=False,
         xplan=(_code(types),) if types else ())

CLASSES: dict[str, LandUseClass] = {c.key: c for c in _CLASSES}


# --- XPlanung lookup -------------------------------------------------------------
def general_code(code: str) -> str:
    """The general enumeration code a detail code belongs to (12000 → 1200)."""
    return code[:4] if len(code) > 4 and code.isdigit() else code


@lru_cache(maxsize=1)
def _xplan_index() -> tuple[dict[tuple[str, str, str], str], dict[str, str], set[tuple[str, str]]]:
    by_code: dict[tuple[str, str, str], str] = {}
    default: dict[str, str] = {}
    for cls in CLASSES.values():
        for entry in cls.xplan:
            for feature_type in entry.feature_types:
                if entry.attribute is None:
                    default.setdefault(feature_type, cls.key)
                for code in entry.codes:
                    by_code[(feature_type, entry.attribute, code)] = cls.key
    deciding = {(feature_type, attribute) for feature_type, attribute, _ in by_code}
    return by_code, default, deciding


def xplan_feature_types() -> set[str]:
    """XPlanung feature types that carry land-use areas."""
    return set(_xplan_index()[1])


def classify_xplan(feature_type: str, codes: dict[str, list[str]]) -> tuple[str | None, list[str]]:
    """Class key for an XPlanung object from its enumeration attributes.

    codes maps attribute name → codes in document order, e.g.
    {"besondereArtDerBaulNutzung": ["1200"], "allgArtDerBaulNutzung": ["1000"]}.
    The first attribute in the dict wins, so callers list the specific one first.
    """
    by_code, default, deciding = _xplan_index()
    problems: list[str] = []
    for attribute, values in codes.items():
        if (feature_type, attribute) not in deciding:
            continue  # e.g. FP_WaldFlaeche: one class whatever the Zweckbestimmung
        for value in values:
            key = by_code.get((feature_type, attribute, value)) or by_code.get(
                (feature_type, attribute, general_code(value))
            )
            if key:
                return key, problems
            problems.append(f"{attribute} code {value!r} unknown for {feature_type}")
    return default.get(feature_type), problems


def bebauung_conflict(besondere: str | None, allgemein: str | None) -> str | None:
    """Problem text when besondere and allgemeine Art der baulichen Nutzung disagree."""
    if not besondere or not allgemein:
        return None
    by_code = _xplan_index()[0]
    specific = by_code.get(("FP_BebauungsFlaeche", _BES, besondere))
    broad = by_code.get(("FP_BebauungsFlaeche", _ALLG, allgemein))
    if specific and broad and CLASSES[specific].parent not in (None, broad):
        return (f"besondereArtDerBaulNutzung {besondere} does not belong to "
                f"allgArtDerBaulNutzung {allgemein}")
    return None
