"""Seed demo content so a new installation can be tried at once."""

from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Seed demo content (therapists and their availability) into the database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="only seed when the database holds no demo-seeded content yet",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for dotted in getattr(settings, "REHABIT_DEMO_SEEDERS", []):
            module_name, _, func_name = dotted.rpartition(".")
            seeder = getattr(import_module(module_name), func_name)
            created = seeder(if_empty=options["if_empty"])
            if options["verbosity"]:
                self.stdout.write(f"{dotted}: {created} created")
