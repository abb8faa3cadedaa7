"""Benchmark of the pure-Python slot engine (rehabit.scheduling), no database.

Run:  .venv/bin/python bench/slots_core.py   (or import and call ``run()``)

(a) 200 therapists x 14 days, 5,000 existing appointments in total: the time to compute
    every therapist's bookable slots (p50/p95 over repeated runs), and the time of an
    "earliest 3 slots per therapist" search over the same data.
(b) one therapist over 14 days with 0, 100, 1,000 and 10,000 appointments, to show the
    cost grows linearly with appointments (µs per appointment).

Set-up as in engineering.md §3.2: Mon-Fri 09:00-12:30 and 13:30-17:30, 15-minute step,
45-minute sessions, 10-minute buffers, 12 h notice, one day off and one partial override;
zones Kolkata, London, New York and Sydney; the window spans the 2026 EU (29 March) and
AU (5 April) clock changes. Fixed random seed. Timings include building ``Busy`` from
(start, end) datetimes, as a request would after fetching the rows.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from rehabit.scheduling import (
    AvailabilityRules,
    Busy,
    DateOverride,
    SessionType,
    WeeklyHours,
    WorkingInterval,
    bookable_slots,
    earliest_slots,
)

SEED = 20260329
ZONES = ("Asia/Kolkata", "Europe/London", "America/New_York", "Australia/Sydney")
FIRST_DAY = date(2026, 3, 23)
DAYS = 14
NOW = datetime(2026, 3, 22, 12, 0, tzinfo=UTC)
SESSION = SessionType("first-assessment", 45)
Appointments = list[tuple[datetime, datetime]]


def make_rules(zone: str, rng: random.Random) -> AvailabilityRules:
    day_off = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    partial = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    overrides = [DateOverride(day_off)]
    if partial != day_off:
        overrides.append(DateOverride(partial, (WorkingInterval.of("10:00", "13:00"),)))
    return AvailabilityRules(
        zone=zone,
        weekly_hours=WeeklyHours.same_days([("09:00", "12:30"), ("13:30", "17:30")], range(5)),
        session_types=(SESSION, SessionType("follow-up", 30)),
        overrides=tuple(overrides),
        buffer_before_minutes=10,
        buffer_after_minutes=10,
        minimum_notice_minutes=12 * 60,
        horizon_days=30,
        slot_step_minutes=15,
    )


def make_appointments(count: int, rng: random.Random, span_days: int = DAYS) -> Appointments:
    """``count`` sessions at random 5-minute starts over ``span_days`` (UTC), 30-60 min."""
    start = datetime.combine(FIRST_DAY, datetime.min.time(), tzinfo=UTC)
    result = []
    for _ in range(count):
        begin = start + timedelta(minutes=5 * rng.randrange(span_days * 288))
        result.append((begin, begin + timedelta(minutes=rng.choice((30, 45, 60)))))
    return result


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _all_slots(therapists: list[tuple[int, AvailabilityRules, Appointments]]) -> int:
    last_day = FIRST_DAY + timedelta(days=DAYS - 1)
    total = 0
    for index, rules, appointments in therapists:
        total += len(
            bookable_slots(
                rules,
                SESSION,
                Busy(appointments),
                range_start=FIRST_DAY,
                range_end=last_day,
                viewer_zone=ZONES[(index + 1) % len(ZONES)],
                now=NOW,
            )
        )
    return total


def _search(therapists: list[tuple[int, AvailabilityRules, Appointments]]) -> int:
    found = earliest_slots(
        ((i, rules, SESSION, Busy(appts)) for i, rules, appts in therapists),
        now=NOW,
        per_therapist=3,
    )
    return len(found)


def _timed(fn: Any, *args: Any, repeat: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - began)
    return times, result


def run(repeat: int = 50) -> dict[str, Any]:
    rng = random.Random(SEED)
    # (a) 200 therapists, 5,000 appointments shared out at random.
    rules = [make_rules(ZONES[i % len(ZONES)], rng) for i in range(200)]
    appointments = make_appointments(5_000, rng)
    per: list[Appointments] = [[] for _ in rules]
    for appointment in appointments:
        per[rng.randrange(len(rules))].append(appointment)
    therapists = [(i, rules[i], per[i]) for i in range(len(rules))]
    _all_slots(therapists)  # warm caches (zone look-ups), as a running server would be
    all_times, slot_count = _timed(_all_slots, therapists, repeat=repeat)
    search_times, found = _timed(_search, therapists, repeat=repeat)

    # (b) one therapist, growing appointment counts (the same window, 4 weeks of history).
    one = make_rules("Europe/London", rng)
    growth = []
    for count in (0, 100, 1_000, 10_000):
        appts = make_appointments(count, random.Random(SEED + count), span_days=2 * DAYS)
        times, _ = _timed(_all_slots, [(0, one, appts)], repeat=max(5, repeat // 3))
        busy = Busy(appts)
        engine_times, _ = _timed(
            lambda b=busy: bookable_slots(
                one,
                SESSION,
                b,
                range_start=FIRST_DAY,
                range_end=FIRST_DAY + timedelta(days=DAYS - 1),
                viewer_zone="Europe/London",
                now=NOW,
            ),
            repeat=max(5, repeat // 3),
        )
        growth.append((count, statistics.median(times), statistics.median(engine_times)))
    return {
        "all_slots": all_times,
        "slot_count": slot_count,
        "search": search_times,
        "therapists_found": found,
        "growth": growth,
    }


def _summary(times: list[float]) -> str:
    ms = 1_000
    return (
        f"p50 {statistics.median(times) * ms:.1f} ms, p95 {_percentile(times, 0.95) * ms:.1f} ms,"
        f" min {min(times) * ms:.1f} ms ({len(times)} runs)"
    )


def main() -> None:
    print(f"Python {sys.version.split()[0]}; seed {SEED}")
    result = run()
    print(
        f"(a) 200 therapists x {DAYS} days, 5,000 appointments, {result['slot_count']:,} slots:"
        f" {_summary(result['all_slots'])}"
    )
    print(
        f"    earliest 3 slots per therapist ({result['therapists_found']} therapists):"
        f" {_summary(result['search'])}"
    )
    print("(b) one therapist, 14 days (p50):")
    print("    appointments   total (ms)  engine only (ms)  µs per appointment")
    base = result["growth"][0][1]
    for count, total, engine in result["growth"]:
        per = f"{(total - base) / count * 1e6:.2f}" if count else "-"
        print(f"    {count:>12,}   {total * 1_000:>10.3f}  {engine * 1_000:>16.3f}  {per:>18}")
    print("    total = Busy built from datetimes + slots; engine only = Busy built beforehand")


if __name__ == "__main__":
    main()
