"""``rehabit manage purge_audit_log``: remove audit entries past their retention period now
(``rehabit worker`` does the same once a day)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Remove audit entries older than REHABIT_AUDIT_RETENTION_DAYS and record the purge "
        "in the audit log. The only way entries leave the log."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="only count the entries that would go"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from rehabit.audit.retention import expired_count, purge_expired, retention_cutoff

        days = settings.REHABIT_AUDIT_RETENTION_DAYS
        try:
            cutoff = retention_cutoff()
            if options["dry_run"]:
                count = expired_count()
                self.stdout.write(
                    f"{count} audit entries are older than {cutoff:%Y-%m-%d %H:%M} UTC "
                    f"(REHABIT_AUDIT_RETENTION_DAYS={days}); nothing removed."
                )
                return
            entry = purge_expired()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Removed {entry.details['removed']} audit entries older than "
            f"{cutoff:%Y-%m-%d %H:%M} UTC (REHABIT_AUDIT_RETENTION_DAYS={days}); "
            f"recorded as audit entry {entry.pk}."
        )
