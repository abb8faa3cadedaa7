"""Write everything Rehabit holds about one person to a JSON file (or stdout)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rehabit.accounts.data_rights import export_personal_data


class Command(BaseCommand):
    help = "Export one person's data (format_version 1) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the person's e-mail address")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {options['email']}.")
        text = json.dumps(export_personal_data(user), indent=2, ensure_ascii=False, sort_keys=True)
        if options["output"]:
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"Wrote {options['output']}")
        else:
            self.stdout.write(text)
