"""Finding 7: abuse that cost nothing. "Ich auch" counted every fresh session; photos of
unconfirmed reports stayed; no daily cap on stored photos."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from reports.models import Report, ReportPhoto
from reports.services import report_photos_clean
from tests.reports.conftest import jpeg_with_gps

from .conftest import DOM, EHRENFELD

pytestmark = pytest.mark.django_db


def test_finding_7_one_supporter_per_report_per_address_and_day(limits, make_report):
    limits(support_ip=1)
    report = make_report(*DOM)
    other = make_report(*EHRENFELD)
    for _ in range(30):  # 30 fresh sessions from one address
        Client().post(f"/meldungen/{report.number}/unterstuetzen/", REMOTE_ADDR="203.0.113.5")
    again = Client().post(f"/meldungen/{report.number}/unterstuetzen/", REMOTE_ADDR="203.0.113.5")
    assert again.url.endswith("?unterstuetzt=schon")
    page = Client().get(again.url).content.decode()
    assert "heute schon unterstützt" in page
    Client().post(f"/meldungen/{report.number}/unterstuetzen/", REMOTE_ADDR="198.51.100.9")
    Client().post(f"/meldungen/{other.number}/unterstuetzen/", REMOTE_ADDR="203.0.113.5")
    assert Report.objects.get(pk=report.pk).supporters == 2
    assert Report.objects.get(pk=other.pk).supporters == 1


def test_finding_7_photos_of_unconfirmed_reports_are_deleted(make_report, settings):
    settings.REPORTS_UNCONFIRMED_PHOTO_HOURS = 24
    photos = report_photos_clean(uploads=[jpeg_with_gps(*DOM)])
    unconfirmed = make_report(*DOM, code="schlagloch", publish=False, photos=photos)
    assert unconfirmed.published_at is None
    published = make_report(*DOM, photos=report_photos_clean(uploads=[jpeg_with_gps(*DOM)]))
    files = [p.image.name for p in ReportPhoto.objects.all()]
    out = io.StringIO()
    call_command("purge_reports_personal_data", stdout=out)
    assert "Deleted 0 photo(s)" in out.getvalue(), "younger than the limit: kept"
    Report.objects.filter(pk=unconfirmed.pk).update(created_at=timezone.now() - timedelta(hours=25))
    call_command("purge_reports_personal_data", stdout=out)
    assert "Deleted 1 photo(s) of reports unconfirmed for 24 h" in out.getvalue()
    assert list(ReportPhoto.objects.values_list("report", flat=True)) == [published.pk]
    assert [default_storage.exists(f) for f in files] == [False, True]


def test_finding_7_daily_photo_budget_with_a_warning_first(client, koeln, make_report, settings):
    settings.REPORTS_PHOTOS_PER_DAY = 5
    for _ in range(4):
        make_report(*DOM, photos=report_photos_clean(uploads=[jpeg_with_gps(*DOM)]))
    status = client.get("/status.json").json()
    check = next(c for c in status["checks"] if c["key"] == "photos")
    assert check["status"] == "amber" and "4 von 5" in check["message"]

    def post(n_photos):
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = {
            "category": "schlagloch",
            "lat": DOM[1],
            "lon": DOM[0],
            "description": "Tiefes Loch in der Fahrbahn",
            "email": "b@example.org",
            "photos": [
                SimpleUploadedFile(f"{i}.jpg", jpeg_with_gps(*DOM)) for i in range(n_photos)
            ],
        }
        return client.post("/api/reports/", data, HTTP_X_API_KEY="demo-open311-key")

    refused = post(2)
    assert refused.status_code == 400, refused.content
    assert "Tageskontingent" in refused.json()["errors"]["photos"][0], refused.content
    assert post(1).status_code == 201
    assert post(0).status_code == 201, "reports without photos are always welcome"
    check = next(c for c in client.get("/status.json").json()["checks"] if c["key"] == "photos")
    assert check["status"] == "red"
