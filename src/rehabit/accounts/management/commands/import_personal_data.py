"""Recreate an account from a personal-data export file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rehabit.accounts.data_rights import DataImportError, import_personal_data


class Command(BaseCommand):
    help = (
        "Import a personal-data export (format_version 1). The account gets no password: "
        "the person sets one with 'forgot password'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the JSON file written by export_personal_data")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc.strerror}") from None
        except json.JSONDecodeError as exc:
            raise CommandError(f"{options['file']} is not valid JSON: {exc}") from None
        try:
            user = import_personal_data(data)
        except DataImportError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Imported account {user.pk} ({user.email}).")
