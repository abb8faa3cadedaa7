"""The one bridge between stored availability and the slot engine (``rehabit.scheduling``).

Pages, the API and the booking write all ask here; nothing in the booking app computes a
slot by itself. Reads are a fixed number of queries however many therapists are asked
about (``values_list`` rows, no model instances on the hot path; engineering.md §3.2).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, FloatField, Func

from rehabit.booking import freshness  # noqa: F401 - connects the freshness signals
from rehabit.booking.models import (
    Appointment,
    AppointmentStatus,
    DateOverride,
    SessionType,
    Therapist,
    TimeOff,
    WorkingHours,
)
from rehabit.scheduling import (
    AvailabilityRules,
    Busy,
    RulesError,
    Slot,
    Verdict,
    bookable_slots,
    earliest_slots,
    is_bookable,
    nearest_alternatives,
)
from rehabit.scheduling import DateOverride as RuleOverride
from rehabit.scheduling import SessionType as RuleSessionType
from rehabit.scheduling import TimeOff as RuleTimeOff
from rehabit.scheduling import WeeklyHours as RuleWeeklyHours

# Busy intervals are read this far either side of the window: covers buffers and the
# daily maximum, which counts whole therapist-local days.
_MARGIN = timedelta(days=2)

THERAPIST_RULE_FIELDS = (
    "id",
    "time_zone",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "minimum_notice_minutes",
    "horizon_days",
    "daily_maximum",
    "slot_step_minutes",
)


@dataclass(frozen=True)
class Schedule:
    """One therapist's rules and current appointments, ready for the engine."""

    therapist_id: int
    rules: AvailabilityRules
    busy: Busy

    def offers(self, kind: str) -> bool:
        return self.rules.session_type(kind) is not None


def fast_rows(query: Any, *kinds: str) -> list[Any]:
    """Rows of a ``values_list`` query without Django's per-value converters.

    Converting every datetime through the ORM costs ~10 µs on SQLite, which was most of a
    search's time with thousands of appointments. PostgreSQL (psycopg) already returns
    typed, aware values; SQLite returns text or naive values, fixed up here. ``kinds``
    names each column: "datetime" (stored in UTC), "date", "time" or "" (as it comes).
    """
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # e.g. ``__in`` an empty list: nothing to read
        return []
    connection = connections[query.db]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if connection.vendor != "sqlite" or not rows:
        return rows
    # Django's SQLite converters already give dates and times; datetimes come naive
    # (stored in UTC). Convert only the columns that need it, decided on the first row.
    first = rows[0]
    columns = [
        (i, parser)
        for i, parser in enumerate(_PARSERS.get(kind) for kind in kinds)
        if parser is not None and (parser is _datetime or isinstance(first[i], str))
    ]
    if not columns:
        return rows
    converted = []
    for row in rows:
        values = list(row)
        for i, parser in columns:
            if values[i] is not None:
                values[i] = parser(values[i])
        converted.append(values)
    return converted


def _datetime(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _time(value: Any) -> time:
    return time.fromisoformat(value) if isinstance(value, str) else value


_PARSERS: dict[str, Any] = {"datetime": _datetime, "date": _date, "time": _time}


def build_rules(
    row: dict[str, Any],
    hours: Iterable[tuple[int, time, time]],
    overrides: Iterable[tuple[date, time | None, time | None]],
    time_off: Iterable[tuple[datetime, datetime]],
    session_types: Iterable[tuple[str, int]],
) -> AvailabilityRules:
    """Engine rules from stored rows (raises ``RulesError`` for rows that do not fit)."""
    weekly: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for weekday, start, end in hours:
        weekly[weekday].append((start, end))
    by_day: dict[date, list[tuple[time, time]]] = defaultdict(list)
    for day, start, end in overrides:
        by_day.setdefault(day, [])
        if start is not None and end is not None:
            by_day[day].append((start, end))
    return AvailabilityRules(
        zone=row["time_zone"],
        weekly_hours=RuleWeeklyHours.from_mapping(weekly),
        session_types=tuple(RuleSessionType(kind, minutes) for kind, minutes in session_types),
        overrides=tuple(RuleOverride(day, tuple(spans)) for day, spans in sorted(by_day.items())),
        time_off=tuple(RuleTimeOff(start, end) for start, end in time_off),
        buffer_before_minutes=row["buffer_before_minutes"],
        buffer_after_minutes=row["buffer_after_minutes"],
        minimum_notice_minutes=row["minimum_notice_minutes"],
        horizon_days=row["horizon_days"],
        daily_maximum=row["daily_maximum"],
        slot_step_minutes=row["slot_step_minutes"],
    )


def load_rules(
    therapist_ids: Sequence[int],
    now: datetime,
    *,
    therapists: Iterable[Therapist] | None = None,
) -> dict[int, AvailabilityRules]:
    """Rules of each therapist (five queries in all; four when the caller already has the
    ``therapists``' rows). A therapist whose stored rows do not make valid rules offers
    nothing (left out) rather than breaking the page."""
    ids = list(therapist_ids)
    if therapists is not None:
        rows = {t.pk: {f: getattr(t, f) for f in THERAPIST_RULE_FIELDS} for t in therapists}
    else:
        query = Therapist.objects.filter(id__in=ids)
        rows = {r["id"]: r for r in query.values(*THERAPIST_RULE_FIELDS)}
    hours: dict[int, list[tuple[int, time, time]]] = defaultdict(list)
    query = WorkingHours.objects.filter(therapist_id__in=ids)
    for tid, weekday, start, end in fast_rows(
        query.values_list("therapist_id", "weekday", "start", "end"), "int", "int", "time", "time"
    ):
        hours[tid].append((weekday, start, end))
    since = (now - _MARGIN).date()
    overrides: dict[int, list[tuple[date, time | None, time | None]]] = defaultdict(list)
    query = DateOverride.objects.filter(therapist_id__in=ids, day__gte=since)
    for tid, day, start, end in fast_rows(
        query.values_list("therapist_id", "day", "start", "end"), "int", "date", "time", "time"
    ):
        overrides[tid].append((day, start, end))
    leave: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    query = TimeOff.objects.filter(therapist_id__in=ids, end__gt=now - _MARGIN)
    for tid, start, end in fast_rows(
        query.values_list("therapist_id", "start", "end"), "int", "datetime", "datetime"
    ):
        leave[tid].append((start, end))
    kinds: dict[int, list[tuple[str, int]]] = defaultdict(list)
    query = SessionType.objects.filter(therapist_id__in=ids, is_offered=True).order_by("kind")
    for tid, kind, minutes in fast_rows(
        query.values_list("therapist_id", "kind", "duration_minutes"), "int", "", "int"
    ):
        kinds[tid].append((kind, minutes))
    rules: dict[int, AvailabilityRules] = {}
    for tid in ids:
        if tid not in rows:
            continue
        try:
            rules[tid] = _cached_rules(
                tuple(rows[tid][f] for f in THERAPIST_RULE_FIELDS),
                tuple(sorted(hours[tid])),
                tuple(sorted(overrides[tid], key=repr)),
                tuple(sorted(leave[tid])),
                tuple(kinds[tid]),
            )
        except RulesError:
            continue
    return rules


@lru_cache(maxsize=4096)
def _cached_rules(
    row: tuple[Any, ...],
    hours: tuple[tuple[int, time, time], ...],
    overrides: tuple[tuple[date, time | None, time | None], ...],
    time_off: tuple[tuple[datetime, datetime], ...],
    session_types: tuple[tuple[str, int], ...],
) -> AvailabilityRules:
    """``build_rules``, remembered per process. The key *is* the stored data just read
    (every row that shapes the rules), so a change anywhere is a new key: the cache can
    never serve stale rules, it only skips rebuilding identical ones (~0.5 ms each)."""
    return build_rules(
        dict(zip(THERAPIST_RULE_FIELDS, row, strict=True)),
        hours,
        overrides,
        time_off,
        session_types,
    )


def load_busy(
    therapist_ids: Sequence[int],
    lo: datetime,
    hi: datetime,
    *,
    exclude: Any = None,
) -> dict[int, Busy]:
    """Active appointments touching [lo, hi) per therapist, one query."""
    spans: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    query = Appointment.objects.filter(
        therapist_id__in=list(therapist_ids),
        status=AppointmentStatus.BOOKED,
        start__lt=hi + _MARGIN,
        end__gt=lo - _MARGIN,
    )
    if exclude is not None:
        query = query.exclude(pk=exclude)
    if connections[query.db].vendor == "postgresql":
        # psycopg parses timestamptz from text (~10 µs each), most of a search's time with
        # thousands of appointments; seconds since the epoch come back as plain floats.
        epoch = "EXTRACT(EPOCH FROM %(expressions)s)::float8"
        query = query.annotate(
            s=Func(F("start"), template=epoch, output_field=FloatField()),
            e=Func(F("end"), template=epoch, output_field=FloatField()),
        )
        at = datetime.fromtimestamp
        for tid, start_s, end_s in fast_rows(query.values_list("therapist_id", "s", "e")):
            spans[tid].append((at(start_s, UTC), at(end_s, UTC)))
    else:
        rows = fast_rows(
            query.values_list("therapist_id", "start", "end"), "int", "datetime", "datetime"
        )
        for tid, start, end in rows:
            spans[tid].append((start, end))
    return {tid: Busy(spans.get(tid, ())) for tid in therapist_ids}


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
