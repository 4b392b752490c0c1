"""Write a backup tar: database dump (pg_dump), media folder (photos), manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trust.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and MEDIA_ROOT into one tar file."

    def add_arguments(self, parser):
        parser.add_argument("target", type=Path, help="the .tar file to write")

    def handle(self, *args, **options):
        try:
            manifest = backup_create(target=options["target"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{v} {k}" for k, v in manifest.items() if k != "created_at")
        self.stdout.write(f"Wrote {options['target']}: {counts}.")
