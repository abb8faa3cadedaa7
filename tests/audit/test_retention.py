"""Audit entries leave the log only through the retention purge: once a day in the
worker, or `purge_audit_log`; the purge records itself, and nothing else can remove rows."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from rehabit.audit.models import AuditAction, AuditEntry
from rehabit.audit.retention import purge_expired, purge_if_due, removal_permitted

pytestmark = pytest.mark.django_db
RETENTION = 30


@pytest.fixture(autouse=True)
def _retention(settings: Any) -> None:
    settings.REHABIT_AUDIT_RETENTION_DAYS = RETENTION


def aged(days: float, action: str = AuditAction.LOGIN) -> AuditEntry:
    return AuditEntry.objects.create(
        action=action, actor_role="patient", event_time=timezone.now() - timedelta(days=days)
    )


def purges() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditAction.AUDIT_PURGED).order_by("event_time"))


def test_the_purge_removes_only_expired_entries_and_records_how_many() -> None:
    expired = [aged(RETENTION + 1), aged(RETENTION + 400)]
    kept = aged(RETENTION - 1)
    entry = purge_expired()
    assert not AuditEntry.objects.filter(pk__in=[e.pk for e in expired]).exists()
    assert AuditEntry.objects.filter(pk=kept.pk).exists()
    assert purges() == [entry]
    assert entry.details["removed"] == 2 and entry.details["retention_days"] == RETENTION
    assert entry.actor_id is None and entry.actor_role == "system"


def test_the_purge_runs_at_most_once_a_day() -> None:
    aged(RETENTION + 1)
    assert purge_if_due() is not None
    late = aged(RETENTION + 2)
    assert purge_if_due() is None  # same day: not due
    assert AuditEntry.objects.filter(pk=late.pk).exists()
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        again = purge_if_due()
    assert again is not None and again.details["removed"] == 1
    assert len(purges()) == 2


@pytest.mark.django_db(transaction=True)  # the worker opens its own transactions
def test_the_worker_purges_daily() -> None:
    expired, kept = aged(RETENTION + 5), aged(1)
    call_command("worker", once=True, verbosity=0)
    assert not AuditEntry.objects.filter(pk=expired.pk).exists()
    assert AuditEntry.objects.filter(pk=kept.pk).exists()
    (entry,) = purges()
    assert entry.details["removed"] == 1
    call_command("worker", once=True, verbosity=0)
    assert len(purges()) == 1  # not again the same day


def test_the_command_purges_and_says_how_many() -> None:
    aged(RETENTION + 3)
    aged(RETENTION + 4)
    out = io.StringIO()
    call_command("purge_audit_log", "--dry-run", stdout=out)
    assert "2 audit entries are older than" in out.getvalue() and not purges()
    out = io.StringIO()
    call_command("purge_audit_log", stdout=out)
    assert "Removed 2 audit entries older than" in out.getvalue()
    assert f"REHABIT_AUDIT_RETENTION_DAYS={RETENTION}" in out.getvalue()
    assert purges()[0].details["removed"] == 2


def test_a_retention_of_zero_days_is_refused(settings: Any) -> None:
    aged(1)
    settings.REHABIT_AUDIT_RETENTION_DAYS = 0
    with pytest.raises(ImproperlyConfigured):
        purge_expired()
    with pytest.raises(CommandError, match="at least 1"):
        call_command("purge_audit_log")
    assert AuditEntry.objects.count() == 1


def test_the_permit_covers_only_expired_rows_and_ends_with_its_block() -> None:
    old, recent = aged(RETENTION + 1), aged(1)
    cutoff = timezone.now() - timedelta(days=RETENTION)
    # Inside the permit a statement that would also take a recent row fails as a whole.
    with (
        pytest.raises(DatabaseError, match="append-only"),
        removal_permitted(cutoff),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.filter(pk__in=[old.pk, recent.pk]).count() == 2
    # After the block, even the expired row is protected again (same connection).
    with removal_permitted(cutoff):
        pass
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "DELETE FROM audit_auditentry WHERE event_time < %s",
            [connection.ops.adapt_datetimefield_value(cutoff)],
        )
    assert AuditEntry.objects.filter(pk=old.pk).exists()


def test_flush_is_refused_outside_the_test_profile(settings: Any) -> None:
    item = aged(1)
    settings.TESTING = False
    with pytest.raises(CommandError, match="append-only audit log"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.filter(pk=item.pk).exists()


def test_a_retention_below_one_day_stops_the_start(tmp_path: Any) -> None:
    from tests.config.test_production import run

    result = run(["manage", "check"], {"REHABIT_AUDIT_RETENTION_DAYS": "0"}, tmp_path)
    assert result.returncode == 2
    assert "REHABIT_AUDIT_RETENTION_DAYS must be at least 1" in result.stderr
