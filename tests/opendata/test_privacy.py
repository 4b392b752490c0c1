"""No open-data download or statistic carries the reporter's name, email or phone. The seeded
report IS in the reports dataset, so the scan would see the data if it leaked."""

import pytest
from django.test import Client

from opendata.datasets import FORMATS
from opendata.metadata import OPEN_DATA
from opendata.statistics import TABLES
from reports.models import Status
from reports.services import report_status_change

pytestmark = pytest.mark.django_db

NAME = "Zacharias Quellenbrunn"
EMAIL = "zq.geheim-7731@example.org"
PHONE = "+49 170 9998887"
NEEDLES = [NAME, "Quellenbrunn", EMAIL, "zq.geheim", "9998887", "170 999", "Zacharias"]
SECRET_TEXT = "Unter der Brücke wohnt Herr Geheimnisvoll"


def _body(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_no_download_or_statistic_carries_personal_data(client, make_report):
    report = make_report(name=NAME, email=EMAIL, phone=PHONE, description=SECRET_TEXT)
    report_status_change(report=report, status=Status.IN_PROGRESS, note="Wird geprüft")
    hidden = make_report(email="hidden@example.org", publish=False)
    urls = [f"/opendata/{name}.{ext}" for name in OPEN_DATA for ext in FORMATS]
    urls += ["/opendata/", "/opendata/reports/", "/opendata/catalog.jsonld", "/statistik/"]
    urls += [f"/statistik/{name}.{fmt}" for name in TABLES for fmt in ("csv", "json")]
    urls += ["/statistik/bezirke.geojson"]
    bodies = {url: _body(client, url) for url in urls}
    for url, body in bodies.items():
        for needle in [*NEEDLES, SECRET_TEXT, "hidden@example.org"]:
            assert needle.encode() not in body, f"{needle!r} leaked in {url}"
    for ext in FORMATS:
        body = bodies[f"/opendata/reports.{ext}"]
        assert report.number.encode() in body, f"the report is missing from {ext}"
        assert hidden.number.encode() not in body, "an unpublished report is in the open data"
