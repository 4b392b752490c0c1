"""Restore a backup tar into an empty database and a media folder."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from trust.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup_platform tar into an EMPTY database (DATABASE_URL) and MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)
        parser.add_argument("--database-url", required=True, help="the empty target database")
        parser.add_argument("--media-root", type=Path, default=None)

    def handle(self, *args, **options):
        media_root = options["media_root"] or Path(settings.MEDIA_ROOT)
        try:
            manifest = backup_restore(
                source=options["source"],
                database_url=options["database_url"],
                media_root=media_root,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{v} {k}" for k, v in manifest.items() if k != "created_at")
        self.stdout.write(f"Restored {counts} (backup of {manifest['created_at']}).")
