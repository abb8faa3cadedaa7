"""The one bridge between stored availability and the slot engine (``rehabit.scheduling``).

Pages, the API and the booking write all ask here; nothing in the booking app computes a
slot by itself. The reads are ``rehabit.booking.loading``'s (``load_rules`` and
``load_busy``, also reached through here): a fixed number of queries however many
therapists are asked about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from rehabit.booking.loading import load_busy, load_rules
from rehabit.booking.models import Therapist
from rehabit.scheduling import (
    AvailabilityRules,
    Busy,
    Slot,
    Verdict,
    bookable_slots,
    earliest_slots,
    is_bookable,
    nearest_alternatives,
)


@dataclass(frozen=True)
class Schedule:
    """One therapist's rules and current appointments, ready for the engine."""

    therapist_id: int
    rules: AvailabilityRules
    busy: Busy

    def offers(self, kind: str) -> bool:
        return self.rules.session_type(kind) is not None


def _window(rules_by_id: dict[int, AvailabilityRules], now: datetime) -> tuple[datetime, datetime]:
    return now, now + timedelta(days=_horizon(rules_by_id) + 1)


def load_schedules(
    therapist_ids: Sequence[int],
    now: datetime,
    *,
    exclude: Any = None,
    therapists: Iterable[Therapist] | None = None,
) -> dict[int, Schedule]:
    rules = load_rules(therapist_ids, now, therapists=therapists)
    lo, hi = _window(rules, now)
    busy = load_busy(list(rules), lo, hi, exclude=exclude)
    return {tid: Schedule(tid, r, busy[tid]) for tid, r in rules.items()}


def schedule_of(
    therapist_id: int, now: datetime, *, exclude: Any = None, therapist: Therapist | None = None
) -> Schedule | None:
    """One therapist's schedule (``therapist``: their row, when the caller has it)."""
    rows = [therapist] if therapist is not None else None
    return load_schedules([therapist_id], now, exclude=exclude, therapists=rows).get(therapist_id)


def slots_between(
    schedule: Schedule,
    kind: str,
    first_day: date,
    last_day: date,
    viewer_zone: str,
    now: datetime,
) -> list[Slot]:
    """Free slots starting on the viewer's dates ``first_day``..``last_day``."""
    return bookable_slots(
        schedule.rules,
        kind,
        schedule.busy,
        range_start=first_day,
        range_end=last_day,
        viewer_zone=viewer_zone,
        now=now,
    )


def check(schedule: Schedule, kind: str, start: datetime, now: datetime) -> Verdict:
    """May a session of ``kind`` start at ``start``? (The engine's verdict, with reason.)"""
    return is_bookable(schedule.rules, kind, schedule.busy, start, now)


def alternatives(
    schedule: Schedule, kind: str, around: datetime, now: datetime, n: int = 3
) -> list[Slot]:
    return nearest_alternatives(schedule.rules, kind, schedule.busy, around, now, n=n)


def earliest(
    schedules: Iterable[Schedule],
    kind: str,
    now: datetime,
    *,
    per_therapist: int = 3,
    not_before: datetime | None = None,
) -> dict[int, list[Slot]]:
    """Each therapist's earliest free slots, ordered by who can see the patient soonest."""
    candidates = [(s.therapist_id, s.rules, kind, s.busy) for s in schedules if s.offers(kind)]
    return earliest_slots(candidates, now=now, per_therapist=per_therapist, not_before=not_before)


SEARCH_FIRST_WINDOW = timedelta(days=3)


def listed_therapists(specialty: str | None, language: str | None) -> list[Therapist]:
    """The listed therapists who help with ``specialty`` and speak ``language`` (either
    left out: any), in name order."""
    therapists = Therapist.objects.filter(is_listed=True)
    if specialty:
        therapists = therapists.filter(specialties__specialty=specialty)
    if language:
        therapists = therapists.filter(languages__language=language)
    return list(therapists.distinct().order_by("name", "id"))


def search_therapists(
    *,
    specialty: str = "",
    language: str = "",
    kind: str,
    now: datetime,
    per_therapist: int = 3,
) -> tuple[list[Therapist], dict[int, list[Slot]]]:
    """Listed therapists matching the filters, soonest first, with their earliest slots.

    Appointments are read for the first few days only (``earliest_in_two_reads``), and the
    answer is always the engine's answer over the whole horizon. Therapists with nothing
    free come last (in name order) so a patient can still join their waitlist.
    """
    found = listed_therapists(specialty, language)
    rules = load_rules([t.id for t in found], now, therapists=found)
    slots = earliest_in_two_reads(
        rules,
        kind,
        now,
        per_therapist,
        lambda schedules: earliest(schedules, kind, now, per_therapist=per_therapist),
    )
    order = {tid: i for i, tid in enumerate(slots)}
    found.sort(key=lambda t: (order.get(t.id, len(order)), t.name))
    return found, slots


def earliest_in_two_reads(
    rules: dict[int, AvailabilityRules],
    kind: str,
    now: datetime,
    per_therapist: int,
    earliest_of: Callable[[list[Schedule]], dict[int, list[Slot]]],
) -> dict[int, list[Slot]]:
    """``earliest_of`` the therapists of ``rules`` (their ``per_therapist`` earliest slots,
    soonest first, ties in the order of ``rules``), reading their appointments in at most
    two queries.

    Appointments are read for the first few days only; a therapist with fewer slots than
    asked, or whose last one falls beyond those days, is asked again with all their
    appointments. Slots before the end of the first days are exact (the read reaches two
    days further, past any buffer and any day counted for the daily maximum), so the
    answer is always the one over the whole horizon.
    """
    first_window = now + SEARCH_FIRST_WINDOW
    busy = load_busy(list(rules), now, first_window)
    slots = earliest_of([Schedule(tid, r, busy[tid]) for tid, r in rules.items()])
    unsure = [
        tid
        for tid in rules
        if rules[tid].session_type(kind) is not None
        and (len(slots.get(tid, [])) < per_therapist or slots[tid][-1].start >= first_window)
    ]
    if not unsure:
        return slots
    full = load_busy(unsure, now, now + timedelta(days=_horizon(rules) + 1))
    again = earliest_of([Schedule(tid, rules[tid], full[tid]) for tid in unsure])
    merged = {tid: v for tid, v in slots.items() if tid not in full}
    merged.update(again)
    position = {tid: i for i, tid in enumerate(rules)}
    return dict(sorted(merged.items(), key=lambda item: (item[1][0].start, position[item[0]])))


def _horizon(rules_by_id: dict[int, AvailabilityRules]) -> int:
    return max((r.horizon_days for r in rules_by_id.values()), default=1)
