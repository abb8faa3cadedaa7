"""The audit log refuses changes and deletions: in Python everywhere, and in the database
itself (triggers on SQLite and PostgreSQL), so raw SQL cannot remove a trace either."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from rehabit.audit.models import AppendOnlyError, AuditAction, AuditEntry
from rehabit.audit.services import record

pytestmark = pytest.mark.django_db


def entry() -> AuditEntry:
    return record(AuditAction.LOGIN, actor=None, subject=None)


def test_saving_an_existing_entry_is_refused() -> None:
    item = entry()
    item.action = AuditAction.LOGOUT
    with pytest.raises(AppendOnlyError):
        item.save()
    assert AuditEntry.objects.get(pk=item.pk).action == AuditAction.LOGIN


def test_deleting_is_refused() -> None:
    item = entry()
    with pytest.raises(AppendOnlyError):
        item.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=item.pk).update(action=AuditAction.LOGOUT)
    assert AuditEntry.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET action = 'auth.logout'",
        "DELETE FROM audit_auditentry",
        # Even an entry long past its retention goes only through the purge.
        "DELETE FROM audit_auditentry WHERE action = 'auth.logout'",
    ],
)
def test_the_database_refuses_update_and_delete_even_in_raw_sql(sql: str) -> None:
    item = entry()
    ancient = AuditEntry.objects.create(
        action=AuditAction.LOGOUT,
        actor_role="system",
        event_time=timezone.now() - timedelta(days=9999),
    )
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEntry.objects.get(pk=item.pk).action == AuditAction.LOGIN
    assert AuditEntry.objects.filter(pk=ancient.pk).exists()


@pytest.mark.postgres
def test_postgresql_refuses_truncate() -> None:
    item = entry()
    with (
        pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.filter(pk=item.pk).exists()
