"""Reminders 24 h and 1 h before, each sent exactly once, none for a cancelled session;
a worker killed mid-run and restarted sends no duplicate."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from rehabit.booking import reminders, services
from rehabit.booking.management.commands.worker import run_queued_tasks
from rehabit.booking.models import Reminder
from tests.booking.support import Mailbox, book, free_port, free_start, text_body
from tests.booking.test_concurrency import ROOT, run_scenario

pytestmark = pytest.mark.django_db


def make_due(appointment: Any, kind: str = "24h") -> None:
    Reminder.objects.filter(appointment=appointment, kind=kind).update(
        due_at=timezone.now() - timedelta(seconds=1)
    )


def test_due_reminders_are_sent_once_to_each_participant(
    mailbox: Mailbox, patient: Any, therapist: Any
) -> None:
    appointment = book(patient, therapist, free_start(therapist))
    assert reminders.sweep("w1") == 0, "nothing is due yet"
    make_due(appointment)
    assert reminders.sweep("w1") == 2
    assert reminders.sweep("w2") == 0
    run_queued_tasks("w1")  # the booking notices (the worker command runs both)
    assert sorted(m["To"] for m in mailbox.messages) == sorted(
        [patient.email, therapist.user.email]
    )
    body = text_body(mailbox.to(patient.email)[0])
    assert "your online session is tomorrow" in body
    assert "IST, Asia/Kolkata" in body
    assert set(Reminder.objects.filter(kind="24h").values_list("status", flat=True)) == {"sent"}
    # The hour-before reminder comes later, also once.
    make_due(appointment, "1h")
    assert reminders.sweep("w1") == 2
    assert reminders.sweep("w1") == 0
    assert len(mailbox.messages) == 4


def test_a_cancelled_session_gets_no_reminder(
    mailbox: Mailbox, patient: Any, therapist: Any
) -> None:
    appointment = book(patient, therapist, free_start(therapist))
    services.cancel(appointment.pk, actor=patient)
    Reminder.objects.filter(appointment=appointment).update(due_at=timezone.now())
    assert reminders.sweep("w1") == 0
    assert reminders.deliver(Reminder.objects.filter(appointment=appointment).first().pk, "w1") == (
        "not claimed"
    )
    assert mailbox.messages == []


def test_a_moved_session_is_reminded_at_its_new_time_only(
    mailbox: Mailbox, patient: Any, therapist: Any
) -> None:
    start = free_start(therapist)
    old = book(patient, therapist, start)
    new = services.reschedule(old.pk, actor=patient, start=start + timedelta(days=2))
    assert set(Reminder.objects.filter(appointment=old).values_list("status", flat=True)) == {
        "cancelled"
    }
    dues = sorted(set(Reminder.objects.filter(appointment=new).values_list("due_at", flat=True)))
    assert dues == [new.start - timedelta(hours=24), new.start - timedelta(hours=1)]


def test_only_one_of_two_racing_claims_wins(patient: Any, therapist: Any) -> None:
    appointment = book(patient, therapist, free_start(therapist))
    make_due(appointment)
    reminder = Reminder.objects.filter(appointment=appointment, kind="24h").first()
    assert reminders.claim(reminder.pk, "worker-a")
    assert not reminders.claim(reminder.pk, "worker-b")
    # A claim left by a worker that died is retried once its lease has expired.
    Reminder.objects.filter(pk=reminder.pk).update(claimed_at=timezone.now() - timedelta(hours=1))
    assert reminders.claim(reminder.pk, "worker-b")


def test_a_late_day_before_reminder_is_dropped(
    mailbox: Mailbox, patient: Any, therapist: Any
) -> None:
    appointment = book(patient, therapist, free_start(therapist, after=timedelta(hours=2)))
    # Booked less than a day ahead: no day-before reminder at all.
    assert not Reminder.objects.filter(appointment=appointment, kind="24h").exists()
    assert Reminder.objects.filter(appointment=appointment, kind="1h").count() == 2


def _worker_env(database_url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "REHABIT_ENV": "test",
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
        "REHABIT_EMAIL_HOST": "127.0.0.1",
        "REHABIT_EMAIL_PORT": str(port),
        "REHABIT_REMINDER_LEASE_SECONDS": "3",
    }


def _start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.clock", "rehabit.cli", "worker", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _database_url(tmp_path: Path) -> tuple[str, bool]:
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}", True
    return f"sqlite:///{tmp_path / 'worker.sqlite3'}", False


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_run_and_restarted_sends_no_duplicate(tmp_path: Path) -> None:
    database_url, shared = _database_url(tmp_path)
    box = Mailbox(delay=0.5)  # each message takes half a second to be accepted
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    env = _worker_env(database_url, port)
    try:
        if shared:  # PostgreSQL: the test database itself, already migrated
            from tests.booking.support import make_therapist

            make_therapist("Race Therapist")
        else:
            run_scenario(env, "setup", "--patients", "1")
        run_scenario(env, "reminders", "--count", "3", "--cancel-one")
        expected = {f"reminded{i}@example.org" for i in range(3)}
        expected.add("race.therapist@clinic.example")

        worker = _start_worker(env)
        deadline = time.monotonic() + 60
        while not box.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # now inside the next message's SMTP transaction
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        reminded_before_kill = [m for m in box.messages if m["Message-ID"].startswith("<reminder.")]
        assert 1 <= len(reminded_before_kill) < 4, "the kill must land mid-run"

        restarted = _start_worker(env)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            status = run_scenario(env, "reminder-status")["reminders"]
            if all(row[1] != "pending" for row in status):
                break
            time.sleep(0.5)
        restarted.send_signal(signal.SIGTERM)
        assert restarted.wait(timeout=20) == 0, restarted.stderr.read().decode()[-2000:]
    finally:
        controller.stop()

    sent = [m for m in box.messages if m["Message-ID"].startswith("<reminder.")]
    recipients = Counter(m["To"] for m in sent)
    # Two appointments remain: two patients and the therapist twice; the cancelled one none.
    assert all(count == 1 for address, count in recipients.items() if "reminded" in address), (
        recipients
    )
    assert recipients["race.therapist@clinic.example"] == 2, recipients
    assert sum(recipients.values()) == 4, recipients
    statuses = Counter(row[1] for row in status)
    assert statuses == {"sent": 4, "cancelled": 2}, status
    assert len({m["Message-ID"] for m in sent}) == 4
    assert set(recipients) <= expected


def test_idempotency_keys_are_purged_after_their_retention(patient: Any) -> None:
    from rehabit.booking import idempotency
    from rehabit.booking.models import IdempotencyKey

    old = IdempotencyKey.objects.create(
        user=patient, key="old", request_hash="x", status="completed", response_status=201
    )
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    IdempotencyKey.objects.create(user=patient, key="new", request_hash="x", status="completed")
    assert idempotency.purge() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
