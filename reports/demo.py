"""Demo Mängelmelder for Köln: offices, the category tree, routing rules, ~30 reports at real
places, and an Open311 key `demo-open311-key`. A second run changes nothing."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from geoportal.geo import point_from_lonlat
from geoportal.models import Area, AreaKind

from . import services
from .models import ApiKey, Category, Office, OutboxMessage, Report, RoutingRule, Status

KOELN = "05315000"
DEMO_KEY = "demo-open311-key"

OFFICES = {
    "strassen": ("Amt für Straßen und Verkehrsentwicklung", "strassen@demo.stadt-koeln.invalid"),
    "verkehr": ("Amt für Verkehrsmanagement", "verkehrsmanagement@demo.stadt-koeln.invalid"),
    "gruen": ("Amt für Landschaftspflege und Grünflächen", "gruen@demo.stadt-koeln.invalid"),
    "awb": ("Abfallwirtschaftsbetriebe Köln (AWB)", "service@demo.awbkoeln.invalid"),
    "ordnung": ("Ordnungsamt", "ordnungsamt@demo.stadt-koeln.invalid"),
    "buergerservice": ("Bürgerservice Köln", "buergerservice@demo.stadt-koeln.invalid"),
}

# (group code, group name, office key, [(code, name, requires_confirmation)])
CATEGORIES = [
    (
        "strasse",
        "Straße",
        "strassen",
        [
            ("schlagloch", "Schlagloch", True),
            ("gehweg", "Gehweg beschädigt", True),
            ("kreisstrasse", "Kreisstraße beschädigt", True),
        ],
    ),
    ("beleuchtung", "Beleuchtung", "strassen", [("laterne-defekt", "Laterne defekt", True)]),
    (
        "gruen",
        "Grün",
        "gruen",
        [
            ("baum", "Baum / Astbruch", True),
            ("gruenflaeche", "Grünfläche ungepflegt", True),
            ("spielplatz", "Spielplatz beschädigt", True),
        ],
    ),
    (
        "muell",
        "Müll",
        "awb",
        [
            ("wilde-muellablagerung", "Wilde Müllablagerung", True),
            ("papierkorb-voll", "Papierkorb voll", True),
        ],
    ),
    (
        "verkehr",
        "Verkehr",
        "verkehr",
        [
            # A dark traffic light is a danger: published and sent at once, no confirmation step.
            ("ampel-defekt", "Ampel defekt", False),
            ("verkehrszeichen", "Verkehrszeichen beschädigt", True),
        ],
    ),
    (
        "ordnung",
        "Ordnung",
        "ordnung",
        [
            ("schrottfahrrad", "Schrottfahrrad", True),
            ("graffiti", "Graffiti", True),
        ],
    ),
    ("sonstiges", "Sonstiges", None, [("sonstiges-anliegen", "Sonstiges Anliegen", True)]),
]

# (lon, lat, category, description, status, days ago)
REPORTS = [
    (6.9581, 50.9413, "papierkorb-voll", "Papierkörbe an der Domplatte quellen über.", "open", 2),
    (
        6.9553,
        50.9375,
        "gehweg",
        "Gehwegplatten in der Hohe Straße lose, Stolpergefahr.",
        "in_progress",
        9,
    ),
    (6.9600, 50.9358, "ampel-defekt", "Fußgängerampel am Heumarkt bleibt dunkel.", "closed", 20),
    (
        6.9480,
        50.9360,
        "schrottfahrrad",
        "Fahrrad ohne Räder seit Wochen am Neumarkt angeschlossen.",
        "open",
        5,
    ),
    (6.9389, 50.9365, "laterne-defekt", "Laterne am Rudolfplatz flackert nachts.", "open", 3),
    (
        6.9405,
        50.9405,
        "schlagloch",
        "Tiefes Schlagloch auf der Fahrbahn am Friesenplatz.",
        "in_progress",
        12,
    ),
    (
        6.9578,
        50.9510,
        "wilde-muellablagerung",
        "Sperrmüll neben dem Ebertplatz abgestellt.",
        "open",
        1,
    ),
    (6.9570, 50.9230, "baum", "Großer Ast am Chlodwigplatz droht abzubrechen.", "in_progress", 6),
    (6.9450, 50.9240, "gruenflaeche", "Wiese im Volksgarten seit langem nicht gemäht.", "open", 14),
    (
        6.9335,
        50.9430,
        "spielplatz",
        "Schaukel am Spielplatz Stadtgarten hat gerissene Kette.",
        "closed",
        30,
    ),
    (
        6.9175,
        50.9515,
        "schlagloch",
        "Schlagloch vor dem Bahnhof Ehrenfeld, Radfahrer gefährdet.",
        "open",
        4,
    ),
    (
        6.9100,
        50.9530,
        "wilde-muellablagerung",
        "Müllsäcke an der Venloer Straße abgeladen.",
        "open",
        2,
    ),
    (6.9230, 50.9490, "laterne-defekt", "Zwei Laternen am Neptunplatz sind aus.", "closed", 25),
    (
        6.9310,
        50.9350,
        "baum",
        "Umgestürzter Baum am Aachener Weiher versperrt den Weg.",
        "closed",
        40,
    ),
    (
        6.9120,
        50.9380,
        "gruenflaeche",
        "Hecke am Melatenfriedhof ragt weit in den Gehweg.",
        "open",
        8,
    ),
    (6.9050, 50.9300, "gehweg", "Gehweg an der Dürener Straße abgesackt.", "open", 11),
    (6.8880, 50.9310, "baum", "Abgebrochene Äste am Kahnweiher im Stadtwald.", "in_progress", 7),
    (6.9540, 50.9600, "graffiti", "Großflächiges Graffiti am Wilhelmplatz in Nippes.", "open", 10),
    (6.9740, 50.9580, "verkehrszeichen", "Verkehrsschild am Zoo umgefahren.", "open", 3),
    (
        6.9750,
        50.9410,
        "schrottfahrrad",
        "Mehrere Schrotträder am Bahnhof Deutz/Messe.",
        "in_progress",
        16,
    ),
    (
        6.9990,
        50.9390,
        "wilde-muellablagerung",
        "Elektroschrott an der Kalker Hauptstraße.",
        "open",
        1,
    ),
    (7.0060, 50.9620, "ampel-defekt", "Ampel am Wiener Platz zeigt dauerhaft Gelb.", "open", 0),
    (7.0600, 50.8830, "schlagloch", "Schlaglöcher auf dem Weg zum Porzer Markt.", "open", 6),
    (6.9930, 50.8880, "gruenflaeche", "Beet am Maternusplatz verwildert.", "closed", 35),
    (
        6.8980,
        51.0270,
        "laterne-defekt",
        "Beleuchtung am Pariser Platz in Chorweiler ausgefallen.",
        "open",
        4,
    ),
    (
        6.9370,
        50.9300,
        "papierkorb-voll",
        "Papierkörbe an der Zülpicher Straße nach dem Wochenende voll.",
        "closed",
        18,
    ),
    (6.9200, 50.9470, "sonstiges-anliegen", "Brunnen in der Körnerstraße läuft über.", "open", 5),
    (
        6.8950,
        50.9390,
        "gehweg",
        "Bordstein an der Aachener Straße in Braunsfeld gebrochen.",
        "rejected",
        22,
    ),
    (6.9590, 50.9260, "papierkorb-voll", "Papierkorb an der Severinstraße fehlt.", "open", 9),
    (6.9690, 50.9150, "baum", "Baum am Rheinufer Bayenthal stark geneigt.", "in_progress", 13),
]


def load(stdout) -> None:
    if not Area.objects.filter(kind=AreaKind.MUNICIPALITY, code=KOELN).exists():
        stdout.write("Köln is not loaded; no Mängelmelder demo.")
        return
    configure()
    _reports(stdout)


def configure() -> dict[str, Office]:
    """Köln's offices, the category tree and the routing rules (tests use this alone)."""
    koeln = Area.objects.get(kind=AreaKind.MUNICIPALITY, code=KOELN)
    offices = {
        key: Office.objects.get_or_create(authority=koeln, name=name, defaults={"email": email})[0]
        for key, (name, email) in OFFICES.items()
    }
    for position, (code, name, office_key, leaves) in enumerate(CATEGORIES):
        group, _ = Category.objects.get_or_create(
            code=code, defaults={"name": name, "position": position}
        )
        for leaf_position, (leaf_code, leaf_name, confirm) in enumerate(leaves):
            Category.objects.get_or_create(
                code=leaf_code,
                defaults={
                    "name": leaf_name,
                    "parent": group,
                    "requires_confirmation": confirm,
                    "position": leaf_position,
                },
            )
        if office_key:
            RoutingRule.objects.get_or_create(
                category=group, area=koeln, defaults={"office": offices[office_key]}
            )
    # Fallbacks: the district's Bürgeramt for anything without a rule, the city's service desk
    # for a point in no district.
    RoutingRule.objects.get_or_create(
        category=None, area=koeln, defaults={"office": offices["buergerservice"]}
    )
    for district in Area.objects.filter(kind=AreaKind.DISTRICT, parent=koeln).defer("geom"):
        office, _ = Office.objects.get_or_create(
            authority=koeln,
            name=f"Bürgeramt {district.name}",
            defaults={"email": f"buergeramt-{district.code[-1]}@demo.stadt-koeln.invalid"},
        )
        RoutingRule.objects.get_or_create(category=None, area=district, defaults={"office": office})
    ApiKey.objects.get_or_create(key=DEMO_KEY, defaults={"name": "Demo (nur Entwicklung)"})
    return offices


def _reports(stdout) -> None:
    if Report.objects.filter(source="demo").exists():
        stdout.write("Mängelmelder demo reports are loaded already.")
        return
    now = timezone.now()
    with transaction.atomic():
        for lon, lat, code, text, status, days in REPORTS:
            report = services.report_create(
                category=Category.objects.get(code=code),
                point=point_from_lonlat(lon=lon, lat=lat),
                description=text,
                contact=services.ContactData(email="demo@example.invalid"),
                source="demo",
            )
            if not report.is_public:
                services.report_confirm(token=report.reporter.confirm_token)
            if status != Status.OPEN:
                services.report_status_change(report=report, status=status, note="")
            created = now - timedelta(days=days, hours=(report.pk * 7) % 24)
            Report.objects.filter(pk=report.pk).update(
                created_at=created,
                published_at=created,
                updated_at=created + timedelta(days=days / 2),
            )
            report.events.update(created_at=created)
            report.events.filter(kind="status").update(
                created_at=created + timedelta(days=days / 2)
            )
        # Demo reports notify nobody.
        OutboxMessage.objects.filter(report__source="demo").delete()
    stdout.write(f"Mängelmelder: {len(REPORTS)} demo reports.")
