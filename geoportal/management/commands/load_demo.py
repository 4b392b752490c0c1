import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load the demo city (Köln) and each app's demo data, once; a second run changes nothing."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            try:
                demo = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            self.stdout.write(self.style.MIGRATE_HEADING(f"Demo data: {config.verbose_name}"))
            with transaction.atomic():
                demo.load(self.stdout)
