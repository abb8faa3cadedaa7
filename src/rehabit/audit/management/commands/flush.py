"""``flush`` would empty the append-only audit log, so it is refused outside the test
profile (the database's triggers would refuse it anyway; this says why). Test databases
are still reset between transactional tests, through the audit log's one removal permit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import flush


class Command(flush.Command):
    help = (
        "Removes ALL DATA from a test database. Refused outside REHABIT_ENV=test: the audit "
        "log is append-only (old entries go through purge_audit_log)."
    )

    def handle(self, **options: Any) -> None:
        from rehabit.audit.retention import removal_permitted

        if not settings.TESTING:
            raise CommandError(
                "flush is refused: it would erase the append-only audit log. Entries past "
                "REHABIT_AUDIT_RETENTION_DAYS are removed by `rehabit manage purge_audit_log`."
            )
        with removal_permitted(None, using=options["database"]):
            super().handle(**options)
