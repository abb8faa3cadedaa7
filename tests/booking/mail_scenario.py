"""Outbox scenarios in their own process, against a database file or server that the
worker processes share (see tests/booking/scenario.py for why):

    DATABASE_URL=... python -m tests.booking.mail_scenario book --count 3
    DATABASE_URL=... python -m tests.booking.mail_scenario outbox

Each command prints one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import timedelta
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehabit.config.settings")


def cmd_book(args: argparse.Namespace) -> dict[str, Any]:
    """Migrate (a no-op on a migrated database), then ``count`` patients each book a
    session with a new therapist; the notices go into the outbox when the booking commits."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from tests.booking.support import book, free_start, make_patient, make_therapist

    therapist = make_therapist("Outbox Therapist")
    booked = []
    for i in range(args.count):
        patient = make_patient(f"outbox{i}@example.org", f"Outbox Patient {i}")
        start = free_start(therapist, after=timedelta(days=2 + i))
        booked.append(str(book(patient, therapist, start).pk))
    return {"appointments": booked}


def cmd_outbox(args: argparse.Namespace) -> dict[str, Any]:
    from rehabit.mail.models import OutgoingMessage

    rows = OutgoingMessage.objects.order_by("pk").values_list("key", "status", "attempts", "to")
    return {"messages": [list(r) for r in rows]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mail_scenario")
    sub = parser.add_subparsers(dest="command", required=True)
    booking = sub.add_parser("book")
    booking.add_argument("--count", type=int, default=3)
    booking.set_defaults(func=cmd_book)
    sub.add_parser("outbox").set_defaults(func=cmd_outbox)
    args = parser.parse_args(argv)
    import django

    django.setup()
    from tests.clock import at_test_clock

    with at_test_clock():
        result = args.func(args)
    sys.stdout.write(json.dumps(result, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
