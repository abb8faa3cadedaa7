"""Print the admin site's address (its path comes from REHABIT_ADMIN_PATH)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the URL of the admin site."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{settings.SITE_URL}/{settings.REHABIT_ADMIN_PATH}")
