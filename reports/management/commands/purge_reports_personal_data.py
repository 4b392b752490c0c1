"""Delete reporters' contact data of reports closed long ago (run daily, e.g. from cron)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from reports.services import reports_purge_personal_data


class Command(BaseCommand):
    help = "Delete name, email and phone of reports closed or rejected more than --days ago."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args, **options):
        n = reports_purge_personal_data(older_than=timedelta(days=options["days"]))
        self.stdout.write(f"Deleted the contact data of {n} reporter(s).")
