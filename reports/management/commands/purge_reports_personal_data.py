"""Delete reporters' contact data of reports closed long ago, and photos of reports never
confirmed (run daily, e.g. from cron)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from reports import conf
from reports.services import report_photos_purge_unconfirmed, reports_purge_personal_data


class Command(BaseCommand):
    help = "Delete name, email and phone of reports closed or rejected more than --days ago."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="retention in days (default: REPORTS_RETENTION_DAYS, env of that name)",
        )

    def handle(self, *args, **options):
        days = options["days"] if options["days"] is not None else conf.REPORTS_RETENTION_DAYS
        if days < 1:
            raise CommandError("--days must be at least 1.")
        n = reports_purge_personal_data(older_than=timedelta(days=days))
        self.stdout.write(f"Deleted the contact data of {n} reporter(s).")
        hours = conf.REPORTS_UNCONFIRMED_PHOTO_HOURS
        photos = report_photos_purge_unconfirmed(older_than=timedelta(hours=hours))
        self.stdout.write(f"Deleted {photos} photo(s) of reports unconfirmed for {hours} h.")
