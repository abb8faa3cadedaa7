"""Give an account a role: patient, therapist or admin."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rehabit.accounts.roles import ROLES, assign_role


class Command(BaseCommand):
    help = "Set the role of an account. Staff roles must then set up two-factor authentication."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("role", choices=ROLES)

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {options['email']}.")
        assign_role(user, options["role"])
        self.stdout.write(f"{options['email']} is now {options['role']}.")
