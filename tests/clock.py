"""The one clock every test runs at, so no test depends on the hour it is run.

Every test (and every process a test starts: scenarios, workers, servers) runs with time
travelled to a fixed instant that then ticks on normally. ``REHABIT_TEST_CLOCK`` picks it,
by name or as an ISO 8601 instant; ``scripts/test`` runs the booking and scheduling tests
again at each of the awkward clocks below, so a test that only passes at some hours fails
in CI instead of on somebody's laptop in the evening.

    python -m tests.clock rehabit.cli worker --once   # run a module at the test clock
"""

from __future__ import annotations

import os
import runpy
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import time_machine

ENV = "REHABIT_TEST_CLOCK"
CLOCKS = {
    # An ordinary weekday morning in UTC (the default).
    "weekday": "2027-01-13T09:30:00+00:00",
    # Saturday night in UTC: "two days from now" is Monday's first hour.
    "saturday-night": "2027-01-02T22:40:00+00:00",
    # 30 minutes before London's clocks go forward (01:00 UTC, 28 March 2027).
    "london-dst": "2027-03-28T00:30:00+00:00",
    # 30 minutes before Sydney's clocks go forward (16:00 UTC, 2 October 2027).
    "sydney-dst": "2027-10-02T15:30:00+00:00",
    # New Year's Eve, half an hour before midnight UTC.
    "new-years-eve": "2026-12-31T23:30:00+00:00",
}
DEFAULT = "weekday"


def test_clock() -> datetime:
    """The instant tests start at: ``REHABIT_TEST_CLOCK`` (a name above or ISO 8601)."""
    raw = os.environ.get(ENV, "") or DEFAULT
    value = datetime.fromisoformat(CLOCKS.get(raw, raw))
    if value.tzinfo is None:
        raise ValueError(f"{ENV} must name a clock or give an instant with its offset: {raw!r}")
    return value


@contextmanager
def at_test_clock() -> Iterator[datetime]:
    """Travel to the test clock; time then moves on at its normal pace."""
    start = test_clock()
    with time_machine.travel(start, tick=True):
        yield start


def main() -> None:
    """``python -m tests.clock MODULE ARGS...``: run MODULE as __main__ at the test clock."""
    if len(sys.argv) < 2:
        raise SystemExit("usage: python -m tests.clock MODULE [ARGS...]")
    module, sys.argv = sys.argv[1], sys.argv[1:]
    with at_test_clock():
        runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
