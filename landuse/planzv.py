"""English (and any further language's) names of the PlanZV land-use classes for the pages.

The designations are terms of German planning law and the plan's own words: data outputs (GeoJSON,
WFS, OGC API, tiles, downloads, the API's `label`) keep the German label of `classes.py`. Pages
show `label(key)` instead, the same German text marked for translation, so an English page reads
"Residential building area" where the plan says "Wohnbaufläche". Each msgid must equal the class's
German label (tests/landuse/test_planzv.py), so German pages are unchanged.
"""

from django.utils.translation import gettext_lazy as _

from .classes import CLASSES

LABELS = {
    "wohnbauflaeche": _("Wohnbaufläche"),
    "gemischte_bauflaeche": _("Gemischte Baufläche"),
    "gewerbliche_bauflaeche": _("Gewerbliche Baufläche"),
    "sonderbauflaeche": _("Sonderbaufläche"),
    "kleinsiedlungsgebiet": _("Kleinsiedlungsgebiet"),
    "reines_wohngebiet": _("Reines Wohngebiet"),
    "allgemeines_wohngebiet": _("Allgemeines Wohngebiet"),
    "besonderes_wohngebiet": _("Besonderes Wohngebiet"),
    "dorfgebiet": _("Dorfgebiet"),
    "doerfliches_wohngebiet": _("Dörfliches Wohngebiet"),
    "mischgebiet": _("Mischgebiet"),
    "urbanes_gebiet": _("Urbanes Gebiet"),
    "kerngebiet": _("Kerngebiet"),
    "gewerbegebiet": _("Gewerbegebiet"),
    "industriegebiet": _("Industriegebiet"),
    "sondergebiet_erholung": _("Sondergebiet, das der Erholung dient"),
    "sondergebiet_sonstiges": _("Sonstiges Sondergebiet"),
    "sonstige_bauflaeche": _("Sonstige Baufläche"),
    "keine_zentrale_abwasserbeseitigung": _("Baufläche ohne zentrale Abwasserbeseitigung"),
    "gemeinbedarf": _("Fläche für den Gemeinbedarf"),
    "gemeinbedarf_verwaltung": _("Gemeinbedarf: öffentliche Verwaltung"),
    "gemeinbedarf_bildung": _("Gemeinbedarf: Bildung und Forschung"),
    "gemeinbedarf_kirche": _("Gemeinbedarf: kirchlichen Zwecken dienende Einrichtungen"),
    "gemeinbedarf_sozial": _("Gemeinbedarf: sozialen Zwecken dienende Einrichtungen"),
    "gemeinbedarf_gesundheit": _("Gemeinbedarf: gesundheitlichen Zwecken dienende Einrichtungen"),
    "gemeinbedarf_kultur": _("Gemeinbedarf: kulturellen Zwecken dienende Einrichtungen"),
    "gemeinbedarf_sport": _("Gemeinbedarf: sportlichen Zwecken dienende Einrichtungen"),
    "gemeinbedarf_sicherheit": _("Gemeinbedarf: Sicherheit und Ordnung"),
    "gemeinbedarf_infrastruktur": _("Gemeinbedarf: Infrastruktur (z. B. Post)"),
    "spiel_sportanlage": _("Fläche für Sport- und Spielanlagen"),
    "strassenverkehr": _("Fläche für den Straßenverkehr"),
    "autobahn": _("Autobahn und autobahnähnliche Straße"),
    "hauptverkehrsstrasse": _("Überörtliche und örtliche Hauptverkehrsstraße"),
    "ruhender_verkehr": _("Ruhender Verkehr"),
    "bahnanlage": _("Bahnanlage"),
    "luftverkehr": _("Fläche für den Luftverkehr"),
    "versorgung": _("Fläche für Versorgungsanlagen, Abfall- und Abwasserbeseitigung"),
    "versorgung_elektrizitaet": _("Versorgung: Elektrizität"),
    "versorgung_gas": _("Versorgung: Gas"),
    "versorgung_waerme": _("Versorgung: Wärmeversorgung"),
    "versorgung_wasser": _("Versorgung: Wasserversorgung"),
    "versorgung_abwasser": _("Versorgung: Abwasser und Regenwasser"),
    "versorgung_abfall": _("Versorgung: Abfallentsorgung und Ablagerung"),
    "versorgung_telekommunikation": _("Versorgung: Telekommunikation"),
    "versorgung_erneuerbare_energien": _("Versorgung: erneuerbare Energien"),
    "gruenflaeche": _("Grünfläche"),
    "gruen_parkanlage": _("Grünfläche: Parkanlage"),
    "gruen_dauerkleingarten": _("Grünfläche: Dauerkleingärten"),
    "gruen_sportplatz": _("Grünfläche: Sportplatz"),
    "gruen_spielplatz": _("Grünfläche: Spielplatz"),
    "gruen_zeltplatz": _("Grünfläche: Zeltplatz"),
    "gruen_badeplatz": _("Grünfläche: Badeplatz, Freibad"),
    "gruen_freizeit": _("Grünfläche: Freizeit und Erholung"),
    "gruen_spezial": _("Grünfläche: spezielle Grünfläche (z. B. Straßenbegleit-, Abschirmgrün)"),
    "gruen_friedhof": _("Grünfläche: Friedhof"),
    "gruen_naturerfahrungsraum": _("Grünfläche: Naturerfahrungsraum"),
    "wasserflaeche": _("Wasserfläche"),
    "wasserwirtschaft": _(
        "Fläche für die Wasserwirtschaft, den Hochwasserschutz und die Regelung des Wasserabflusses"
    ),
    "aufschuettung": _("Fläche für Aufschüttungen"),
    "abgrabung": _("Fläche für Abgrabungen oder die Gewinnung von Bodenschätzen"),
    "landwirtschaft": _("Fläche für die Landwirtschaft"),
    "wald": _("Fläche für Wald"),
    "schutz_pflege_entwicklung": _(
        "Fläche für Maßnahmen zum Schutz, zur Pflege und zur Entwicklung von Natur und Landschaft"
    ),
    "ausgleichsflaeche": _("Fläche zum Ausgleich"),
    "anpassung_klimawandel": _("Maßnahme zur Anpassung an den Klimawandel"),
    "zentraler_versorgungsbereich": _("Zentraler Versorgungsbereich"),
    "nutzungsbeschraenkung": _("Fläche für Nutzungsbeschränkungen (Immissionsschutz)"),
    "kennzeichnung": _("Kennzeichnung"),
    "privilegiertes_vorhaben": _("Standort für privilegierte Vorhaben im Außenbereich"),
    "flaeche_ohne_darstellung": _("Fläche ohne Darstellung"),
    "darstellung_landesrecht": _("Darstellung nach Landesrecht"),
    "textliche_darstellung": _("Geltungsbereich textlicher Darstellungen"),
    "vorbehaltsflaeche": _("Vorbehaltsfläche"),
    "unverbindliche_vormerkung": _("Unverbindliche Vormerkung"),
    "generisches_objekt": _("Sonstige Darstellung"),
    "sanierungsgebiet": _("Sanierungsgebiet (nachrichtlich)"),
}


def label(key: str) -> str:
    """The class's name in the active language; the German label for a class not listed."""
    return str(LABELS[key]) if key in LABELS else CLASSES[key].label
