"""Stored availability read for the slot engine: rules and appointments per therapist.

``rehabit.booking.slots`` builds schedules and searches from what is read here. Reads are
a fixed number of queries however many therapists are asked about (``values_list`` rows,
no model instances on the hot path; engineering.md §3.2), and the therapists are named by
one parameter, not one per therapist (``InIds``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from operator import attrgetter
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import CharField, F, FloatField, Func, Lookup
from django.db.models.functions import Cast
from django.utils.dateparse import parse_datetime, parse_time

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
from rehabit.scheduling import AvailabilityRules, Busy, RulesError
from rehabit.scheduling import DateOverride as RuleOverride
from rehabit.scheduling import SessionType as RuleSessionType
from rehabit.scheduling import TimeOff as RuleTimeOff
from rehabit.scheduling import WeeklyHours as RuleWeeklyHours

# Busy intervals are read this far either side of the window: covers buffers and the
# daily maximum, which counts whole therapist-local days.
MARGIN = timedelta(days=2)

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
_therapist_row = attrgetter(*THERAPIST_RULE_FIELDS)


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
    # Django's SQLite converters already give dates and times of plain columns; datetimes
    # come naive (stored in UTC), and a column read as text comes as text.
    columns = [(i, _PARSERS[kind]) for i, kind in enumerate(kinds) if kind in _PARSERS]
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


@lru_cache(maxsize=4096)
def _parse_wall(text: str) -> time:
    # Django's own SQLite converter for a time column, once per distinct stored text.
    parsed = parse_time(text)
    if parsed is None:
        raise ValueError(f"{text!r} is not a stored time of day")
    return parsed


def _time(value: Any) -> Any:
    """A stored time of day: text (SQLite, read as text) parsed as Django parses it."""
    return _parse_wall(value) if isinstance(value, str) else value


_PARSERS: dict[str, Any] = {"datetime": _datetime, "date": _date, "time": _time}


class InIds(Lookup):
    """``column IN ids`` with the ids as one parameter (an array on PostgreSQL, a JSON
    list on SQLite): Django would prepare, and psycopg quote, a parameter per therapist,
    about a millisecond per query for a search's 200."""

    lookup_name = "in_ids"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = compiler.compile(self.lhs)  # a column: the ids are parameters
        ids = [int(i) for i in self.rhs]
        if not ids:
            raise EmptyResultSet  # as ``__in`` an empty list: no query at all
        if connection.vendor == "postgresql":
            # The array as its text: psycopg checks each item of a list for quoting.
            return f"{lhs} = ANY(%s::bigint[])", [*params, f"{{{','.join(map(str, ids))}}}"]
        if connection.vendor == "sqlite":
            sql = f"{lhs} IN (SELECT value FROM json_each(%s))"  # noqa: S608
            return sql, [*params, json.dumps(ids)]
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*params, *ids]


def _of(ids: list[int]) -> InIds:
    """Rows of the therapists ``ids``."""
    return InIds(F("therapist_id"), ids)


def _wall_times(model: Any, *names: str) -> list[Any]:
    """Time-of-day columns as SQLite stores them (text, parsed once per distinct value
    when rules are built) rather than through Django's converter for every row."""
    if connections[model.objects.db].vendor == "sqlite":
        return [Cast(name, CharField()) for name in names]
    return [F(name) for name in names]


def build_rules(
    row: dict[str, Any],
    hours: Iterable[tuple[int, time | str, time | str]],
    overrides: Iterable[tuple[date, time | str | None, time | str | None]],
    time_off: Iterable[tuple[datetime, datetime]],
    session_types: Iterable[tuple[str, int]],
) -> AvailabilityRules:
    """Engine rules from stored rows (raises ``RulesError`` for rows that do not fit).
    Times of day may come as the text SQLite stores."""
    weekly: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for weekday, start, end in hours:
        weekly[weekday].append((_time(start), _time(end)))
    by_day: dict[date, list[tuple[time, time]]] = defaultdict(list)
    for day, start, end in overrides:
        by_day.setdefault(day, [])
        if start is not None and end is not None:
            by_day[day].append((_time(start), _time(end)))
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
    nothing (left out) rather than breaking the page.

    The rows are read unordered (the models' default orders join the therapists' table to
    sort by name) and each therapist's are sorted here; times of day stay as stored until
    rules are built, which ``_cached_rules`` skips for rows it has seen."""
    ids = list(therapist_ids)
    if therapists is not None:
        rows = {t.pk: _therapist_row(t) for t in therapists}
    else:
        query = Therapist.objects.filter(InIds(F("id"), ids)).order_by()
        rows = {r[0]: r for r in fast_rows(query.values_list(*THERAPIST_RULE_FIELDS))}
    hours: dict[int, list[tuple[int, Any, Any]]] = defaultdict(list)
    query = WorkingHours.objects.filter(_of(ids)).order_by()
    columns = ("therapist_id", "weekday", *_wall_times(WorkingHours, "start", "end"))
    for tid, weekday, start, end in fast_rows(query.values_list(*columns)):
        hours[tid].append((weekday, start, end))
    since = (now - MARGIN).date()
    overrides: dict[int, list[tuple[date, Any, Any]]] = defaultdict(list)
    query = DateOverride.objects.filter(_of(ids), day__gte=since).order_by()
    columns = ("therapist_id", "day", *_wall_times(DateOverride, "start", "end"))
    for tid, day, start, end in fast_rows(query.values_list(*columns), "int", "date"):
        overrides[tid].append((day, start, end))
    leave: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    query = TimeOff.objects.filter(_of(ids), end__gt=now - MARGIN).order_by()
    for tid, start, end in fast_rows(
        query.values_list("therapist_id", "start", "end"), "int", "datetime", "datetime"
    ):
        leave[tid].append((start, end))
    kinds: dict[int, list[tuple[str, int]]] = defaultdict(list)
    query = SessionType.objects.filter(_of(ids), is_offered=True).order_by("kind")
    for tid, kind, minutes in fast_rows(
        query.values_list("therapist_id", "kind", "duration_minutes"), "int", "", "int"
    ):
        kinds[tid].append((kind, minutes))
    rules: dict[int, AvailabilityRules] = {}
    none: tuple[Any, ...] = ()
    for tid in ids:
        row = rows.get(tid)
        if row is None:
            continue
        found = overrides.get(tid)
        away = leave.get(tid)
        try:
            rules[tid] = _cached_rules(
                row,
                tuple(sorted(hours[tid])) if tid in hours else none,
                tuple(sorted(found, key=repr)) if found else none,
                tuple(sorted(away)) if away else none,
                tuple(kinds[tid]) if tid in kinds else none,
            )
        except RulesError:
            continue
    return rules


@lru_cache(maxsize=4096)
def _cached_rules(
    row: tuple[Any, ...],
    hours: tuple[tuple[int, Any, Any], ...],
    overrides: tuple[tuple[date, Any, Any], ...],
    time_off: tuple[tuple[datetime, datetime], ...],
    session_types: tuple[tuple[str, int], ...],
) -> AvailabilityRules:
    """``build_rules``, remembered per process. The key *is* the stored data just read
    (every row that shapes the rules, times of day as stored), so a change anywhere is a
    new key: the cache can never serve stale rules, it only skips rebuilding identical
    ones (~0.5 ms each)."""
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
        _of(list(therapist_ids)),
        status=AppointmentStatus.BOOKED,
        start__lt=hi + MARGIN,
        end__gt=lo - MARGIN,
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
        # SQLite: the stored UTC text, parsed once per distinct time (bookings share the
        # quarter hours) instead of through Django's converter for every row.
        text = [Cast(name, CharField()) for name in ("start", "end")]
        for tid, start, end in fast_rows(query.values_list("therapist_id", *text)):
            spans[tid].append((_utc_text(start), _utc_text(end)))
    return {tid: Busy(spans.get(tid, ())) for tid in therapist_ids}


@lru_cache(maxsize=8192)
def _utc_text(text: str) -> datetime:
    """A datetime as SQLite stores it (UTC, no offset), as Django's converter reads it."""
    return _datetime(parse_datetime(text))
