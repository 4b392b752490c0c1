"""Backup and restore of the whole platform into an empty database and media folder."""

import io

import psycopg
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from PIL import Image

from reports import services
from reports.models import Report, ReportPhoto
from tests.reports.test_browser import AVAILABLE_APPS as REPORTS_APPS

from .conftest import DOM, EHRENFELD

AVAILABLE_APPS = [*REPORTS_APPS, "trust"]
# Committed data (pg_dump reads from its own connection); the flush afterwards only touches
# these apps, so the session's Köln core stays.
pytestmark = pytest.mark.django_db(transaction=True, available_apps=AVAILABLE_APPS)


def _jpeg(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def empty_database():
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restore"
    params = {
        "host": settings["HOST"],
        "port": settings["PORT"],
        "user": settings["USER"],
        "password": settings["PASSWORD"],
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = (
        f"postgres://{params['user']}:{params['password']}@{params['host']}:{params['port']}/{name}"
    )
    yield url, {**params, "dbname": name}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_restores_every_report_and_photo(make_report, empty_database, tmp_path):
    url, params = empty_database
    reports = [
        make_report(*DOM, photos=services.report_photos_clean(uploads=[_jpeg((255, 0, 0))])),
        make_report(*EHRENFELD, code="baum", photos=[]),
        make_report(
            *EHRENFELD,
            code="laterne-defekt",
            photos=services.report_photos_clean(uploads=[_jpeg((0, 0, 255)), _jpeg((0, 99, 0))]),
        ),
    ]
    photos = {
        p.image.name: default_storage.open(p.image.name).read()
        for r in reports
        for p in r.photos.all()
    }
    assert len(photos) == 3
    archive = tmp_path / "backup.tar"
    out = io.StringIO()
    call_command("backup_platform", str(archive), stdout=out)
    assert "3 reports, 3 photos" in out.getvalue()

    media = tmp_path / "restored-media"
    call_command(
        "restore_platform",
        str(archive),
        "--database-url",
        url,
        "--media-root",
        str(media),
        stdout=out,
    )
    with psycopg.connect(**params) as restored:
        reports, photos_table = Report._meta.db_table, ReportPhoto._meta.db_table
        numbers = {row[0] for row in restored.execute(f"SELECT number FROM {reports}")}
        names = {row[0] for row in restored.execute(f"SELECT image FROM {photos_table}")}
        quarters = restored.execute("SELECT count(*) FROM geoportal_area").fetchone()[0]
    assert numbers == set(Report.objects.values_list("number", flat=True))
    assert names == set(photos)
    assert quarters > 80, "the city core came along"
    for name, data in photos.items():
        assert (media / name).read_bytes() == data


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, make_report):
    from django.core.management import CommandError

    make_report(*DOM)
    archive = tmp_path / "backup.tar"
    call_command("backup_platform", str(archive), stdout=io.StringIO())
    s = connection.settings_dict
    own = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    with pytest.raises(CommandError, match="pg_restore failed"):
        call_command(
            "restore_platform",
            str(archive),
            "--database-url",
            own,
            "--media-root",
            str(tmp_path / "m"),
            stdout=io.StringIO(),
        )
