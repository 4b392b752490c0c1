"""`make deploy-check`: Django's deployment checks, then a probe of every service this
configuration names (primary, replicas, mail server, media storage, collected static files).
Exits non-zero and names the first thing that does not work."""

import smtplib
import uuid

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from geoportal.replicas import replica_aliases


class Command(BaseCommand):
    help = "check --deploy plus probes of the database(s), mail server, storage and static files."

    def handle(self, *args, **options):
        call_command("check", deploy=True, fail_level="WARNING")
        failures = []
        for name, probe in self.probes():
            try:
                detail = probe()
            except Exception as error:  # noqa: BLE001 - every failure is reported, none hidden
                failures.append(name)
                self.stdout.write(f"FAIL {name}: {error}")
            else:
                self.stdout.write(f"ok   {name}: {detail}")
        if failures:
            raise CommandError(f"Not ready for production: {', '.join(failures)}")
        self.stdout.write("Ready: every configured service answered.")

    def probes(self):
        yield "database", self.primary
        for alias in replica_aliases():
            yield f"replica {alias}", lambda alias=alias: self.replica(alias)
        if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):
            yield "mail server", self.smtp
        yield "media storage", self.media
        yield "static files", self.static

    def primary(self) -> str:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT postgis_lib_version(), pg_is_in_recovery()")
            postgis, in_recovery = cursor.fetchone()
        if in_recovery:
            raise RuntimeError("the primary DATABASE_URL points at a standby")
        return f"PostGIS {postgis}"

    def replica(self, alias: str) -> str:
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(), "
                "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())"
            )
            in_recovery, age = cursor.fetchone()
        if not in_recovery:
            raise RuntimeError("not a standby (pg_is_in_recovery() is false)")
        return f"standby, last replayed transaction {age or 0:.0f} s old"

    def smtp(self) -> str:
        with smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=10) as smtp:
            code, _ = smtp.noop()
        return f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT} answers {code}"

    def media(self) -> str:
        name = default_storage.save(f"deploy-check/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
        try:
            with default_storage.open(name) as stored:
                assert stored.read() == b"ok"
        finally:
            default_storage.delete(name)
        return f"{type(default_storage).__name__} writes, reads and deletes"

    def static(self) -> str:
        url = staticfiles_storage.url("geoportal/portal.css")  # raises without collectstatic
        return f"collected ({url})"
