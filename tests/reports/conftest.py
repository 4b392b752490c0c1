"""Mängelmelder fixtures: Köln's offices, categories and rules (from reports.demo), points at
real places, a second municipality with its county, and a report factory."""

import io
import json
import socket

import pytest
from aiosmtpd.controller import Controller
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from geoportal.geo import point_from_lonlat
from geoportal.models import Area, AreaKind
from reports import demo, services
from reports.models import Category, Office, RoutingRule

DOM = (6.9581, 50.9413)  # Kölner Dom, Stadtbezirk Innenstadt
EHRENFELD = (6.9175, 50.9515)  # Bahnhof Ehrenfeld


@pytest.fixture
def koeln():
    """Offices, the category tree and routing rules of the demo city."""
    return demo.configure()


@pytest.fixture
def lonlat():
    def make(lon: float, lat: float):
        return point_from_lonlat(lon=lon, lat=lat)

    return make


@pytest.fixture
def category():
    def get(code: str) -> Category:
        return Category.objects.get(code=code)

    return get


@pytest.fixture
def make_report(koeln, lonlat, category):
    def make(
        lon: float = DOM[0],
        lat: float = DOM[1],
        code: str = "schlagloch",
        description: str = "Ein tiefes Loch in der Fahrbahn.",
        email: str = "melder@example.org",
        name: str = "",
        phone: str = "",
        photos=(),
        publish: bool = True,
    ):
        report = services.report_create(
            category=category(code),
            point=lonlat(lon, lat),
            description=description,
            contact=services.ContactData(email=email, name=name, phone=phone),
            photos=list(photos),
        )
        if publish and not report.is_public:
            report = services.report_confirm(token=report.reporter.confirm_token)
        return report

    return make


@pytest.fixture
def sindelfingen(koeln, fixtures_dir):
    """Sindelfingen (AGS 08115045) inside a Landkreis Böblingen drawn as a 3 km buffer around it,
    with a Landratsamt responsible for Kreisstraßen and the town's own offices."""
    path = fixtures_dir / "gemeinden" / "vg250_2026_sindelfingen_heidelberg_gera.geojson"
    feature = next(
        f for f in json.loads(path.read_text())["features"] if f["properties"]["ags8"] == "08115045"
    )
    geom = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
    geom.transform(25832)
    county = Area.objects.create(
        kind=AreaKind.COUNTY,
        code="08115",
        name="Landkreis Böblingen",
        geom=MultiPolygon(geom.buffer(3000), srid=25832),
    )
    town = Area.objects.create(
        kind=AreaKind.MUNICIPALITY,
        code="08115045",
        name="Sindelfingen",
        parent=county,
        geom=MultiPolygon(geom, srid=25832),
    )
    landratsamt = Office.objects.create(
        name="Landratsamt Böblingen, Straßenbauamt",
        email="strassen@lrabb.invalid",
        authority=county,
    )
    tiefbau = Office.objects.create(
        name="Tiefbauamt Sindelfingen", email="tiefbau@sindelfingen.invalid", authority=town
    )
    rathaus = Office.objects.create(
        name="Bürgeramt Sindelfingen", email="buergeramt@sindelfingen.invalid", authority=town
    )
    RoutingRule.objects.create(
        category=Category.objects.get(code="kreisstrasse"), area=county, office=landratsamt
    )
    RoutingRule.objects.create(
        category=Category.objects.get(code="strasse"), area=town, office=tiefbau
    )
    RoutingRule.objects.create(category=None, area=town, office=rathaus)
    inside = town.geom.point_on_surface
    inside.transform(4326)
    return {
        "county": county,
        "town": town,
        "landratsamt": landratsamt,
        "tiefbau": tiefbau,
        "rathaus": rathaus,
        "lonlat": (inside.x, inside.y),
    }


def jpeg_with_gps(lon: float, lat: float, size=(640, 480), orientation: int | None = None) -> bytes:
    """A JPEG as a phone writes it: EXIF with a GPS block, a camera model and an orientation."""
    image = Image.new("RGB", size, (200, 30, 30))
    for x in range(0, size[0], 4):
        image.putpixel((x, 0), (0, 0, 255))
    exif = Image.Exif()
    exif[0x0110] = "Secret Phone Model X"  # Model
    if orientation:
        exif[0x0112] = orientation

    def dms(value: float):
        value = abs(value)
        d = int(value)
        m = int((value - d) * 60)
        s = round(((value - d) * 60 - m) * 60 * 1000)
        return (IFDRational(d, 1), IFDRational(m, 1), IFDRational(s, 1000))

    gps = exif.get_ifd(0x8825)
    gps[1] = "N" if lat >= 0 else "S"
    gps[2] = dms(lat)
    gps[3] = "E" if lon >= 0 else "W"
    gps[4] = dms(lon)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"taken by Zacharias")
    return out.getvalue()


# --- A real SMTP server ------------------------------------------------------------------------


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    inbox = Inbox()
    servers = []

    class Server:
        messages = inbox.messages

        def start(self):
            controller = Controller(inbox, hostname="127.0.0.1", port=port)
            controller.start()
            servers.append(controller)

        def stop(self):
            servers.pop().stop()

    server = Server()
    server.start()
    yield server
    while servers:
        servers.pop().stop()
