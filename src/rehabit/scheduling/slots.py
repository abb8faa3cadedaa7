"""The slot engine: the session start times at which a therapist can be booked.

One engine answers every question the booking layer asks:

* :func:`bookable_slots` - every free start on a range of the viewer's dates;
* :func:`is_bookable` - may this exact start be booked now, and if not, why not;
* :func:`nearest_alternatives` / :func:`first_free_slots` - the closest or earliest starts.

All of them go through ``SlotEngine.starts``, so a start that is not offered cannot be booked
by editing a URL. Offered starts are the opening of each working interval plus whole slot
steps on the therapist's wall clock; durations are real elapsed time. Which starts exist
never depends on the viewer's zone: the viewer's dates only choose the window.

Times are integer microseconds since the epoch inside the engine (see ``zones``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from .rules import AvailabilityRules, Busy, BusyLike, SessionType
from .zones import (
    US_PER_DAY,
    US_PER_MINUTE,
    WallKind,
    from_us,
    local_date,
    resolve_wall,
    start_of_day,
    to_us,
    validate_zone,
)

__all__ = [
    "Reason",
    "Slot",
    "SlotEngine",
    "Verdict",
    "bookable_slots",
    "first_free_slots",
    "is_bookable",
    "nearest_alternatives",
    "slot_engine",
]


class Slot:
    """A session time that can be offered: aware UTC ``start`` and ``end`` plus its type."""

    __slots__ = ("_end", "_session_type_id", "_start")

    def __init__(self, start: datetime, end: datetime, session_type_id: str) -> None:
        self._start, self._end = to_us(start), to_us(end)
        if self._end <= self._start:
            raise ValueError("A slot must end after it starts.")
        self._session_type_id = session_type_id

    @classmethod
    def _of(cls, start: int, end: int, session_type_id: str) -> Slot:
        slot = cls.__new__(cls)
        slot._start, slot._end, slot._session_type_id = start, end, session_type_id
        return slot

    @property
    def start(self) -> datetime:
        return from_us(self._start)

    @property
    def end(self) -> datetime:
        return from_us(self._end)

    @property
    def session_type_id(self) -> str:
        return self._session_type_id

    @property
    def duration(self) -> timedelta:
        return timedelta(microseconds=self._end - self._start)

    def in_zone(self, zone: str | ZoneInfo) -> tuple[datetime, datetime]:
        """(start, end) as aware datetimes in ``zone``, e.g. the viewer's, for display."""
        tz = zone if isinstance(zone, ZoneInfo) else validate_zone(zone)
        return self.start.astimezone(tz), self.end.astimezone(tz)

    def _key(self) -> tuple[int, int, str]:
        return self._start, self._end, self._session_type_id

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Slot) and self._key() == other._key()

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Slot):
            return NotImplemented
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Slot(start={self.start.isoformat()}, end={self.end.isoformat()}, "
            f"session_type_id={self._session_type_id!r})"
        )


class Reason(StrEnum):
    """Why a start cannot be booked; the booking layer turns these into messages."""

    UNKNOWN_SESSION_TYPE = "unknown_session_type"
    IN_THE_PAST = "in_the_past"
    TOO_SOON = "too_soon"
    BEYOND_HORIZON = "beyond_horizon"
    NOT_OFFERED = "not_offered"
    TAKEN = "taken"
    DAILY_LIMIT = "daily_limit"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer of :func:`is_bookable`: truthy when bookable (then ``slot`` is set)."""

    reason: Reason | None = None
    slot: Slot | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None

    def __bool__(self) -> bool:
        return self.reason is None


class SlotEngine:
    """One therapist, one session type, one "now": computes offered starts (µs)."""

    def __init__(self, rules: AvailabilityRules, session: SessionType, busy: Busy, now: int):
        self.rules = rules
        self.zone = rules.tzinfo
        self.session_type_id = session.id
        self.duration = session.duration_minutes * US_PER_MINUTE
        self.step = rules.slot_step_minutes * US_PER_MINUTE
        # A slot widened by its buffers must miss every appointment, and must miss every
        # appointment widened by its buffers: together, a gap of the larger buffer.
        self.gap = max(rules.buffer_before_minutes, rules.buffer_after_minutes) * US_PER_MINUTE
        self.busy = busy
        self.now = now
        self.earliest = now + rules.minimum_notice_minutes * US_PER_MINUTE
        self.latest = now + rules.horizon_days * US_PER_DAY  # inclusive
        self._day_starts: dict[int, int] = {}

    def slots(self, starts: Iterable[int]) -> list[Slot]:
        duration, sid, make = self.duration, self.session_type_id, Slot._of
        return [make(start, start + duration, sid) for start in starts]

    def day_start(self, ordinal: int) -> int:
        found = self._day_starts.get(ordinal)
        if found is None:
            found = self._day_starts[ordinal] = start_of_day(self.zone, date.fromordinal(ordinal))
        return found

    def starts(self, lo: int, hi: int, *, hours_only: bool = False) -> list[int]:
        """Sorted offered starts in [lo, hi); ``hours_only`` ignores bookings, leave, limits."""
        lo, hi = max(lo, self.earliest), min(hi, self.latest + 1)
        if lo >= hi:
            return []
        blocked = ([], []) if hours_only else self.blocked(lo, hi + self.duration)
        found: list[int] = []
        ordered = True
        # An interval starts on its local date and may run into the next one.
        first_day = local_date(self.zone, lo).toordinal() - 1
        last_day = local_date(self.zone, hi - 1).toordinal()
        minutes_on, add = self.rules.minutes_on, self._interval_starts
        for ordinal in range(first_day, last_day + 1):
            for open_minute, close_minute in minutes_on(ordinal):
                before = len(found)
                add(ordinal, open_minute, close_minute, lo, hi, blocked, found)
                if 0 < before < len(found) and found[before] <= found[before - 1]:
                    ordered = False  # an evening shift overlaps the next day's hours
        if not ordered:
            found = sorted(set(found))
        if found and not hours_only and self.rules.daily_maximum is not None:
            found = self._drop_full_days(found)
        return found

    def blocked(self, lo: int, hi: int) -> tuple[list[int], list[int]]:
        """Merged spans (starts, ends) in which no session may run, around [lo, hi)."""
        gap = self.gap
        spans = [(s - gap, e + gap) for s, e in self.busy.overlapping(lo - gap, hi + gap)]
        leave = [(s, e) for s, e in self.rules.time_off_us if s < hi and e > lo]
        if leave:
            spans = sorted(spans + leave)
        starts: list[int] = []
        ends: list[int] = []
        for start, end in spans:
            if ends and start <= ends[-1]:
                if end > ends[-1]:
                    ends[-1] = end
            else:
                starts.append(start)
                ends.append(end)
        return starts, ends

    def _interval_starts(
        self,
        ordinal: int,
        open_minute: int,
        close_minute: int,
        lo: int,
        hi: int,
        blocked: tuple[list[int], list[int]],
        out: list[int],
    ) -> None:
        opens, open_kind, open_offset = resolve_wall(self.zone, ordinal, open_minute)
        closes, close_kind, close_offset = resolve_wall(self.zone, ordinal, close_minute)
        first = max(lo, opens)
        last = min(hi - 1, closes - self.duration)  # latest start that still fits
        if last < first:
            return
        bstarts, bends = blocked
        duration = self.duration
        if open_kind != WallKind.GAP and close_kind != WallKind.GAP and open_offset == close_offset:
            # No clock change inside the interval (no zone changes twice within 72 h), so
            # wall-clock steps are real steps from the opening instant: walk the free gaps
            # between blocked spans and emit whole runs of starts at once.
            step, count = self.step, len(bstarts)
            cursor = first
            i = bisect_right(bends, cursor)
            while cursor <= last:
                free_until = min(bstarts[i], closes) if i < count else closes
                top = min(last, free_until - duration)
                if top >= cursor:
                    k_first = -((opens - cursor) // step)
                    k_last = (top - opens) // step
                    if k_last >= k_first:
                        out.extend(range(opens + k_first * step, opens + k_last * step + 1, step))
                if i >= count:
                    break
                cursor = max(cursor, bends[i])
                i += 1
            return
        # The clocks change inside this interval: place each wall-clock step on its own,
        # skip steps in the spring gap, and take the first occurrence of repeated times.
        for minute in range(open_minute, close_minute, self.rules.slot_step_minutes):
            start, kind, _ = resolve_wall(self.zone, ordinal, minute)
            if kind == WallKind.GAP or not first <= start <= last:
                continue
            i = bisect_left(bstarts, start + duration) - 1
            if i < 0 or bends[i] <= start:
                out.append(start)

    def day_is_full(self, ordinal: int) -> bool:
        """Whether the therapist-local date already has its maximum of appointments."""
        limit = self.rules.daily_maximum
        if limit is None:
            return False
        day = (self.day_start(ordinal), self.day_start(ordinal + 1))
        return self.busy.count_starting(*day) >= limit

    def _drop_full_days(self, starts: list[int]) -> list[int]:
        first = local_date(self.zone, starts[0]).toordinal()
        last = local_date(self.zone, starts[-1]).toordinal()
        full = [
            (self.day_start(d), self.day_start(d + 1))
            for d in range(first, last + 1)
            if self.day_is_full(d)
        ]
        if not full:
            return starts
        return [s for s in starts if not any(a <= s < b for a, b in full)]


def slot_engine(
    rules: AvailabilityRules, session_type: SessionType | str, busy: BusyLike, now: datetime
) -> SlotEngine | None:
    """The engine that offers ``session_type``'s starts for one therapist (``rules``, with
    the appointments ``busy``) as of ``now``, which every question about slots asks; None
    when the therapist does not offer that session type."""
    offered = rules.session_type(session_type)
    now_us = to_us(now)
    if offered is None:
        return None
    return SlotEngine(rules, offered, busy if isinstance(busy, Busy) else Busy(busy), now_us)


def bookable_slots(
    rules: AvailabilityRules,
    session_type: SessionType | str,
    busy: BusyLike,
    *,
    range_start: date,
    range_end: date,
    viewer_zone: str | ZoneInfo,
    now: datetime,
) -> list[Slot]:
    """Free slots starting on the viewer's local dates ``range_start``..``range_end``.

    Respects working hours, overrides, time off, buffers, minimum notice, horizon and the
    daily maximum. An unknown session type offers nothing. Sorted by start.
    """
    viewer = viewer_zone if isinstance(viewer_zone, ZoneInfo) else validate_zone(viewer_zone)
    for value in (range_start, range_end):
        if isinstance(value, datetime) or not isinstance(value, date):
            raise TypeError(f"range_start and range_end are dates, not {value!r}.")
    if range_end < range_start:
        raise ValueError("range_end is before range_start.")
    engine = slot_engine(rules, session_type, busy, now)
    if engine is None:
        return []
    # Nothing outside now .. now + horizon is bookable: clip the dates (offsets are < 2 days).
    today = now.astimezone(UTC).date()
    range_start = max(range_start, today - timedelta(days=2))
    range_end = min(range_end, today + timedelta(days=rules.horizon_days + 2))
    if range_end < range_start:
        return []
    lo = start_of_day(viewer, range_start)
    hi = start_of_day(viewer, range_end + timedelta(days=1))
    return engine.slots(engine.starts(lo, hi))


def is_bookable(
    rules: AvailabilityRules,
    session_type: SessionType | str,
    busy: BusyLike,
    start_utc: datetime,
    now: datetime,
) -> Verdict:
    """Whether a session of this type may start at ``start_utc``, and if not, why not."""
    start = to_us(start_utc)
    engine = slot_engine(rules, session_type, busy, now)
    if engine is None:
        return Verdict(Reason.UNKNOWN_SESSION_TYPE)
    if start < engine.now:
        return Verdict(Reason.IN_THE_PAST)
    if start < engine.earliest:
        return Verdict(Reason.TOO_SOON)
    if start > engine.latest:
        return Verdict(Reason.BEYOND_HORIZON)
    if engine.starts(start, start + 1) == [start]:
        return Verdict(slot=engine.slots([start])[0])
    # Not offered: find out why, from the same pieces the engine used.
    if engine.starts(start, start + 1, hours_only=True) != [start]:
        return Verdict(Reason.NOT_OFFERED)
    end = start + engine.duration
    if any(s < end and e > start for s, e in rules.time_off_us):
        return Verdict(Reason.NOT_OFFERED)
    if engine.busy.overlapping(start - engine.gap, end + engine.gap):
        return Verdict(Reason.TAKEN)
    return Verdict(Reason.DAILY_LIMIT)


def nearest_alternatives(
    rules: AvailabilityRules,
    session_type: SessionType | str,
    busy: BusyLike,
    around_utc: datetime,
    now: datetime,
    n: int = 3,
) -> list[Slot]:
    """Up to ``n`` free slots nearest in time to ``around_utc`` (ties: the earlier), by start."""
    engine = slot_engine(rules, session_type, busy, now)
    if engine is None or n <= 0:
        return []
    around = to_us(around_utc)
    reach = US_PER_DAY
    while True:
        lo, hi = around - reach, around + reach + 1
        nearest = sorted(engine.starts(lo, hi), key=lambda s: (abs(s - around), s))[:n]
        if len(nearest) == n or (lo <= engine.earliest and hi > engine.latest):
            return engine.slots(sorted(nearest))
        reach *= 2


def first_free_slots(
    rules: AvailabilityRules,
    session_type: SessionType | str,
    busy: BusyLike,
    *,
    now: datetime,
    n: int = 3,
    not_before: datetime | None = None,
) -> list[Slot]:
    """The ``n`` earliest free slots (from ``not_before`` if given), by start."""
    engine = slot_engine(rules, session_type, busy, now)
    if engine is None or n <= 0:
        return []
    lo = max(engine.earliest, to_us(not_before) if not_before is not None else engine.earliest)
    found: list[int] = []
    width = US_PER_DAY
    while len(found) < n and lo <= engine.latest:
        found += engine.starts(lo, lo + width)
        lo += width
        width = min(2 * width, 32 * US_PER_DAY)
    return engine.slots(found[:n])
