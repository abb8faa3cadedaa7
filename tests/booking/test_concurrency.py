"""No double booking under real concurrency: many clients try the same or overlapping
times at once and exactly one wins; the losers get "taken", never an error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from rehabit.booking.models import Appointment
from tests.booking.scenario import race
from tests.booking.support import FIRST, FOLLOW_UP, free_start, make_patient, make_therapist

ROOT = Path(__file__).resolve().parents[2]


def run_scenario(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.booking.scenario", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.fixture
def sqlite_file_env(tmp_path: Path) -> dict[str, str]:
    """A migrated SQLite database file (WAL, IMMEDIATE transactions) for other processes."""
    env = {
        **os.environ,
        "REHABIT_ENV": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "PYTHONPATH": str(ROOT),
    }
    return env


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite file scenario")
def test_sqlite_many_threads_one_slot_exactly_one_wins(sqlite_file_env: dict[str, str]) -> None:
    run_scenario(sqlite_file_env, "setup", "--patients", "12")
    same = run_scenario(sqlite_file_env, "race", "--threads", "12", "--offsets", "0")
    assert same["won"] == 1 and same["taken"] == 11, same
    assert same["other"] == [] and same["overlaps"] == 0
    mixed = run_scenario(
        sqlite_file_env,
        "race",
        "--threads",
        "9",
        "--offsets",
        "0,15,-15",
        "--kinds",
        f"{FIRST},{FOLLOW_UP},{FIRST}",
    )
    assert mixed["won"] == 1 and mixed["taken"] == 8, mixed
    assert mixed["other"] == [] and mixed["overlaps"] == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_many_threads_one_slot_exactly_one_wins() -> None:
    therapist = make_therapist("Race Therapist")
    for round_number in range(3):
        # Fresh racers each round: a patient who won two rounds would meet the cap on
        # sessions with one therapist in the third, which would depend on who won (luck).
        patients = [
            make_patient(f"pg{round_number}-{i}@example.org", f"Racer {round_number}-{i}").pk
            for i in range(16)
        ]
        start = free_start(therapist, after=timedelta(days=2 + round_number))
        result = race(therapist.pk, patients, [start], [FIRST])
        assert result == {"won": 1, "taken": 15, "other": []}
        assert (
            Appointment.objects.filter(therapist=therapist, start=start, status="booked").count()
            == 1
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_overlapping_lengths_race_exactly_one_wins() -> None:
    therapist = make_therapist("Race Therapist")
    patients = [make_patient(f"pg{i}@example.org", f"Racer {i}").pk for i in range(12)]
    start = free_start(therapist)
    # Every pair of these overlaps: 45 min at S, 30 min at S+15, 45 min at S-15 and S+15.
    starts = [
        start,
        start + timedelta(minutes=15),
        start - timedelta(minutes=15),
        start + timedelta(minutes=15),
    ]
    kinds = [FIRST, FOLLOW_UP, FIRST, FIRST]
    result = race(therapist.pk, patients, starts, kinds)
    assert result["won"] == 1 and result["taken"] == 11 and result["other"] == [], result
    active = list(Appointment.objects.filter(therapist=therapist, status="booked"))
    assert len(active) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_the_exclusion_constraint_holds_without_the_lock() -> None:
    """The backstop alone: raw concurrent inserts of overlapping rows, no Python check."""
    import threading

    from django.db import IntegrityError, OperationalError, transaction

    therapist = make_therapist("Race Therapist")
    patients = [make_patient(f"raw{i}@example.org", f"Raw {i}") for i in range(8)]
    session = therapist.session_types.get(kind=FIRST)
    start = free_start(therapist)
    barrier = threading.Barrier(len(patients))
    results: list[str] = []

    def insert(i: int, user: Any) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                Appointment.objects.create(
                    therapist=therapist,
                    patient=user,
                    session_type=session,
                    start=start + timedelta(minutes=5 * i),
                    end=start + timedelta(minutes=5 * i + 45),
                )
            results.append("inserted")
        except (IntegrityError, OperationalError):
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=insert, args=(i, u)) for i, u in enumerate(patients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("inserted") == 1 and results.count("refused") == 7
