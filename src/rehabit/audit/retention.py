"""The one way audit entries leave the log: the retention purge.

The database refuses UPDATE, DELETE and TRUNCATE on ``audit_auditentry`` (migration
0003). A DELETE passes only inside ``removal_permitted(before)``, and only for rows older
than ``before``:

- PostgreSQL: a transaction-local setting, ``rehabit.audit_purge_before``, read by the
  trigger; it is cleared again before the block ends and rolled back with it on error.
- SQLite: a row in ``audit_purge_permit`` (not a Django model), inserted and removed
  inside the same transaction, so no other connection ever sees it.

``purge_expired`` is the only caller outside the test profile's ``flush``; it writes an
entry of its own with the number of rows removed. ``rehabit worker`` runs
``purge_if_due`` every round, which purges at most once a day across all workers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.utils import timezone

from rehabit.audit.models import AuditAction, AuditEntry
from rehabit.audit.services import record

PURGE_EVERY = timedelta(days=1)
PG_SETTING = "rehabit.audit_purge_before"
SQLITE_GRANT = "INSERT INTO audit_purge_permit (purge_before) VALUES (%s)"
SQLITE_REVOKE = "DELETE FROM audit_purge_permit"
# "Everything may go": only the test profile's flush asks for it.
_END_OF_TIME = datetime(9999, 12, 31, tzinfo=UTC)
# pg_advisory_xact_lock key: b"rehabitA" as a signed 64-bit number.
_PG_LOCK_KEY = int.from_bytes(b"rehabitA", "big", signed=True)


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Entries before this instant are past the retention period."""
    days = settings.REHABIT_AUDIT_RETENTION_DAYS
    if days < 1:
        raise ImproperlyConfigured(
            f"REHABIT_AUDIT_RETENTION_DAYS must be at least 1, not {days}: "
            "the audit log is never emptied."
        )
    return (now or timezone.now()) - timedelta(days=days)


@contextmanager
def removal_permitted(before: datetime | None, *, using: str = "default") -> Iterator[None]:
    """Inside this block (its own transaction or savepoint), rows older than ``before``
    may be deleted. ``before=None`` permits emptying the table (test databases only:
    ``flush`` in the test profile)."""
    connection = connections[using]
    vendor = connection.vendor
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            if vendor == "postgresql":
                value = "infinity" if before is None else before.isoformat()
                cursor.execute("SELECT set_config(%s, %s, true)", [PG_SETTING, value])
            elif vendor == "sqlite":
                limit = _END_OF_TIME if before is None else before
                cursor.execute(SQLITE_GRANT, [connection.ops.adapt_datetimefield_value(limit)])
        yield
        # Normal exit: withdraw the permit before anything else runs in this transaction
        # (on error the savepoint's rollback withdraws it).
        with connection.cursor() as cursor:
            if vendor == "postgresql":
                cursor.execute("SELECT set_config(%s, '', true)", [PG_SETTING])
            elif vendor == "sqlite":
                cursor.execute(SQLITE_REVOKE)


def _delete_before(cutoff: datetime, using: str) -> int:
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(AuditEntry._meta.db_table)
    column = quote(AuditEntry._meta.get_field("event_time").column)
    with removal_permitted(cutoff, using=using), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE {column} < %s",  # noqa: S608 - quoted model names
            [connection.ops.adapt_datetimefield_value(cutoff)],
        )
        return max(cursor.rowcount, 0)


def expired_count(now: datetime | None = None) -> int:
    return AuditEntry.objects.filter(event_time__lt=retention_cutoff(now)).count()


def purge_expired(now: datetime | None = None, *, using: str = "default") -> AuditEntry:
    """Remove the entries past the retention period; returns the entry recording it."""
    cutoff = retention_cutoff(now)
    with transaction.atomic(using=using):
        removed = _delete_before(cutoff, using)
        return record(
            AuditAction.AUDIT_PURGED,
            actor=None,
            target_type="auditentry",
            details={
                "removed": removed,
                "before": cutoff.isoformat(),
                "retention_days": settings.REHABIT_AUDIT_RETENTION_DAYS,
            },
        )


def last_purge() -> Any:
    return (
        AuditEntry.objects.filter(action=AuditAction.AUDIT_PURGED)
        .order_by("-event_time")
        .values_list("event_time", flat=True)
        .first()
    )


def purge_if_due(now: datetime | None = None, *, using: str = "default") -> AuditEntry | None:
    """Purge when the last purge is a day old or more; None when it is not due yet.

    Workers on several nodes may call this at once: on PostgreSQL an advisory lock, on
    SQLite the write lock of the IMMEDIATE transaction, lets one of them purge and the
    others then see its entry.
    """
    now = now or timezone.now()
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        last = last_purge()
        if last is not None and last > now - PURGE_EVERY:
            return None
        return purge_expired(now, using=using)
