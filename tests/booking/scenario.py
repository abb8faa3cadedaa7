"""Scenarios run in their own process against a real database file or server.

pytest-django keeps the SQLite test database in memory, which other processes cannot
open and threads share only through SQLite's shared cache (table locks, not the real
file locking). The concurrency and worker tests therefore build a file database (or
use the PostgreSQL test database) and drive it from here:

    DATABASE_URL=... python -m tests.booking.scenario setup
    DATABASE_URL=... python -m tests.booking.scenario race --threads 8 --offsets 0,0,15
    DATABASE_URL=... python -m tests.booking.scenario reminders --count 4
    DATABASE_URL=... python -m tests.booking.scenario reminder-status
    DATABASE_URL=... python -m tests.booking.scenario cap-race --threads 8 --therapists 1
    DATABASE_URL=... python -m tests.booking.scenario throttle --limit 2

Each command prints one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from datetime import timedelta
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehabit.config.settings")


def _setup_django() -> None:
    import django

    django.setup()


def cmd_setup(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from tests.booking.support import make_patient, make_therapist

    therapist = make_therapist("Race Therapist")
    patients = [
        make_patient(f"racer{i}@example.org", f"Racer {i}").pk for i in range(args.patients)
    ]
    return {"therapist": therapist.pk, "patients": patients}


def race(
    therapist_id: int, patient_ids: list[int], starts: list[Any], kinds: list[str]
) -> dict[str, Any]:
    """One thread per patient, released together, each booking its own (start, kind)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from rehabit.booking import services
    from rehabit.booking.messages import BookingRefused

    users = list(get_user_model().objects.filter(pk__in=patient_ids).order_by("pk"))
    barrier = threading.Barrier(len(users))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(user: Any, start: Any, kind: str) -> None:
        try:
            barrier.wait()
            services.book(
                patient=user, therapist_id=therapist_id, kind=kind, start=start, share_record=False
            )
            result = "won"
        except BookingRefused as refused:
            result = refused.code
        except Exception as exc:  # noqa: BLE001 - reported, and fails the test
            result = f"error: {type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [
        threading.Thread(
            target=attempt, args=(user, starts[i % len(starts)], kinds[i % len(kinds)])
        )
        for i, user in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "won": outcomes.count("won"),
        "taken": outcomes.count("taken"),
        "other": [o for o in outcomes if o not in {"won", "taken"}],
    }


def cmd_race(args: argparse.Namespace) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from rehabit.booking.models import Appointment, Therapist
    from tests.booking.support import free_start

    therapist = Therapist.objects.get(name="Race Therapist")
    patients = list(
        get_user_model().objects.filter(email__startswith="racer").values_list("pk", flat=True)
    )[: args.threads]
    base = free_start(therapist)
    offsets = [int(x) for x in args.offsets.split(",")]
    kinds = args.kinds.split(",")
    starts = [base + timedelta(minutes=m) for m in offsets]
    result = race(therapist.pk, patients, starts, kinds)
    active = Appointment.objects.filter(therapist=therapist, status="booked").order_by("start")
    spans = [(a.start, a.end) for a in active]
    result["overlaps"] = sum(
        1 for (s1, e1), (s2, e2) in zip(spans, spans[1:], strict=False) if s2 < e1
    )
    result["active"] = len(spans)
    Appointment.objects.filter(therapist=therapist).update(status="cancelled")
    return result


def cap_race(patient_id: int, bookings: list[tuple[int, Any]]) -> dict[str, Any]:
    """One patient, one thread per (therapist, start), released together (finding 4)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from rehabit.booking import services
    from rehabit.booking.messages import BookingRefused

    patient = get_user_model().objects.get(pk=patient_id)
    barrier = threading.Barrier(len(bookings))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(therapist_id: int, start: Any) -> None:
        try:
            barrier.wait()
            services.book(
                patient=patient,
                therapist_id=therapist_id,
                kind="first_assessment",
                start=start,
                share_record=False,
            )
            result = "won"
        except BookingRefused as refused:
            result = refused.code
        except Exception as exc:  # noqa: BLE001 - reported, and fails the test
            result = f"error: {type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=booking) for booking in bookings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "won": outcomes.count("won"),
        "too_many": outcomes.count("too_many_bookings"),
        "other": [o for o in outcomes if o not in {"won", "too_many_bookings"}],
    }


def cmd_cap_race(args: argparse.Namespace) -> dict[str, Any]:
    """``--threads`` bookings by one patient at once, spread over ``--therapists``."""
    from django.contrib.auth import get_user_model

    from rehabit.booking.models import Appointment, Therapist
    from tests.booking.support import free_start, make_therapist

    patient = get_user_model().objects.get(email="racer0@example.org")
    therapists = list(Therapist.objects.filter(name__startswith="Cap Therapist"))
    for index in range(len(therapists), args.therapists):
        therapists.append(make_therapist(f"Cap Therapist {index}"))
    bookings = []
    for index in range(args.threads):
        therapist = therapists[index % args.therapists]
        base = free_start(therapist)
        bookings.append((therapist.pk, base + timedelta(hours=index // args.therapists)))
    result = cap_race(patient.pk, bookings)
    active = Appointment.objects.filter(patient=patient, status="booked")
    result["active"] = active.count()
    result["most_with_one"] = max(
        (active.filter(therapist=t).count() for t in therapists), default=0
    )
    active.update(status="cancelled")
    return result


def cmd_throttle(args: argparse.Namespace) -> dict[str, Any]:
    """One counted action in this process (finding 4: counts are shared between processes)."""
    from rehabit.core import throttle

    wait = throttle.hit("scenario", "one person", limit=args.limit, window=3600)
    return {"wait": wait}


def cmd_reminders(args: argparse.Namespace) -> dict[str, Any]:
    """Book ``count`` appointments and make their 24-hour reminders due now."""
    from django.utils import timezone

    from rehabit.booking.models import Appointment, Reminder, Therapist
    from tests.booking.support import book, free_start, make_patient

    therapist = Therapist.objects.get(name="Race Therapist")
    ids = []
    for i in range(args.count):
        patient = make_patient(f"reminded{i}@example.org", f"Reminded {i}")
        appointment = book(patient, therapist, free_start(therapist, after=timedelta(days=2 + i)))
        ids.append(str(appointment.pk))
    Reminder.objects.filter(appointment_id__in=ids, kind="24h").update(
        due_at=timezone.now() - timedelta(seconds=1)
    )
    cancelled = None
    if args.cancel_one:
        victim = Appointment.objects.filter(pk__in=ids).first()
        assert victim is not None
        from rehabit.booking import services

        services.cancel(victim.pk, actor=therapist.user)
        Reminder.objects.filter(appointment=victim).update(due_at=timezone.now())
        cancelled = str(victim.pk)
    return {"appointments": ids, "cancelled": cancelled}


def cmd_reminder_status(args: argparse.Namespace) -> dict[str, Any]:
    from rehabit.booking.models import Reminder

    rows = Reminder.objects.filter(kind="24h").values_list(
        "pk", "status", "attempts", "recipient__email"
    )
    return {"reminders": [list(r) for r in rows]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scenario")
    sub = parser.add_subparsers(dest="command", required=True)
    setup = sub.add_parser("setup")
    setup.add_argument("--patients", type=int, default=12)
    setup.set_defaults(func=cmd_setup)
    race_cmd = sub.add_parser("race")
    race_cmd.add_argument("--threads", type=int, default=8)
    race_cmd.add_argument("--offsets", default="0")
    race_cmd.add_argument("--kinds", default="first_assessment")
    race_cmd.set_defaults(func=cmd_race)
    cap = sub.add_parser("cap-race")
    cap.add_argument("--threads", type=int, default=8)
    cap.add_argument("--therapists", type=int, default=1)
    cap.set_defaults(func=cmd_cap_race)
    hit = sub.add_parser("throttle")
    hit.add_argument("--limit", type=int, default=2)
    hit.set_defaults(func=cmd_throttle)
    reminders = sub.add_parser("reminders")
    reminders.add_argument("--count", type=int, default=4)
    reminders.add_argument("--cancel-one", action="store_true")
    reminders.set_defaults(func=cmd_reminders)
    status = sub.add_parser("reminder-status")
    status.set_defaults(func=cmd_reminder_status)
    args = parser.parse_args(argv)
    _setup_django()
    from tests.clock import at_test_clock

    with at_test_clock():
        result = args.func(args)
    sys.stdout.write(json.dumps(result, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
