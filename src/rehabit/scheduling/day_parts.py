"""Parts of the day a patient may ask for: morning, afternoon, evening or night (and the
whole daytime, or the night), on their clock.

A patient in New York looking at a therapist whose hours are in London sees the London
mornings at 04:00; asking for "morning" they mean morning in New York. So a part of the day
is a span of wall-clock time in the *viewer's* zone (the zone the page or the API answer
shows times in), never the therapist's, and a slot belongs to the part its start falls in
(a session starting at 21:45 is an evening one, whenever it ends).

The bounds, start included and end left out (so 12:00 is afternoon, not morning):

* morning: 06:00 to 12:00
* afternoon: 12:00 to 17:00
* evening: 17:00 to 22:00
* night: 22:00 to 06:00 the next morning (a 02:00 start is in the night that began the
  evening before)
* daytime: 06:00 to 22:00 (morning, afternoon and evening together: what a patient
  expects to be offered first, so their night's times are not)

"Any time" (every slot, as without the filter) keeps them all. The bounds are wall-clock
times, so they follow the viewer's clock through daylight-saving changes and half-hour
offsets alike.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Iterable, Mapping
from datetime import datetime, time
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import TypeVar
from zoneinfo import ZoneInfo

from .rules import AvailabilityRules, BusyLike, SessionType
from .search import earliest_slots, soonest_first
from .slots import Slot, first_free_slots, slot_engine
from .zones import (
    EPOCH_ORDINAL,
    US_PER_DAY,
    US_PER_MINUTE,
    WallKind,
    clock_change,
    from_us,
    local_date,
    offset_us,
    resolve_wall,
    to_us,
    validate_zone,
)

__all__ = [
    "BOUNDS",
    "DayPart",
    "earliest_in_part",
    "first_slots_in_part",
    "in_day_part",
    "may_start_in_part",
    "slots_in_part",
    "starts_in_part",
]

TherapistId = TypeVar("TherapistId", bound=Hashable)


class DayPart(StrEnum):
    """A part of the day on the viewer's clock; "any" keeps every time."""

    ANY = "any"
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    NIGHT = "night"
    DAYTIME = "daytime"


BOUNDS: Mapping[DayPart, tuple[time, time]] = MappingProxyType(
    {
        DayPart.MORNING: (time(6, 0), time(12, 0)),
        DayPart.AFTERNOON: (time(12, 0), time(17, 0)),
        DayPart.EVENING: (time(17, 0), time(22, 0)),
        # Ends the next morning: a bound's end earlier than its start passes midnight.
        DayPart.NIGHT: (time(22, 0), time(6, 0)),
        DayPart.DAYTIME: (time(6, 0), time(22, 0)),
    }
)

# How far around a part's bounds starts are looked at: more than any clock change (at most
# two hours). One date's window may then reach into the next date's (the daytime lasts
# sixteen hours, the night passes midnight): no start is read twice all the same.
_SLACK = 3 * 60 * 60 * 1_000_000


def _minutes(part: DayPart) -> tuple[int, int]:
    """(opens, closes): the part's bounds in minutes after its date's midnight; closes
    passes 1440 for a part that ends the next day (the night)."""
    opens, closes = (t.hour * 60 + t.minute for t in BOUNDS[part])
    return opens, closes if closes > opens else closes + 1440


def in_day_part(local: time, part: DayPart | str) -> bool:
    """Does the wall-clock time ``local`` fall in ``part`` (start included, end not)?

    ``part`` may be given by its value ("morning"); an unknown one raises ``ValueError``.
    """
    chosen = DayPart(part)
    if chosen is DayPart.ANY:
        return True
    start, end = BOUNDS[chosen]
    local = local.replace(tzinfo=None)
    if end <= start:  # passes midnight
        return local >= start or local < end
    return start <= local < end


def _zone(zone: str | ZoneInfo) -> ZoneInfo:
    return zone if isinstance(zone, ZoneInfo) else validate_zone(zone)


def starts_in_part(start: datetime, part: DayPart | str, zone: str | ZoneInfo) -> bool:
    """Does the instant ``start`` (aware) fall in ``part`` on the clock of ``zone``?"""
    if DayPart(part) is DayPart.ANY:
        return True
    return in_day_part(start.astimezone(_zone(zone)).time(), part)


def slots_in_part(slots: Iterable[Slot], part: DayPart | str, zone: str | ZoneInfo) -> list[Slot]:
    """The slots whose start falls in ``part`` on the clock of ``zone``, in their order."""
    if DayPart(part) is DayPart.ANY:
        return list(slots)
    tz = _zone(zone)
    return [slot for slot in slots if in_day_part(slot.start.astimezone(tz).time(), part)]


@lru_cache(maxsize=8192)
def _window(zone: ZoneInfo, ordinal: int, part: DayPart) -> tuple[int, int, bool]:
    """(lo, hi, exact): the instants around ``part`` on the date ``ordinal`` in ``zone``.

    With no clock change anywhere near, the part is exactly the instants in [lo, hi)
    (``exact``). Otherwise [lo, hi) is widened by ``_SLACK`` on both sides, and which of
    its starts are in the part is for ``in_day_part`` to say, start by start.
    """
    opens, closes = _minutes(part)
    lo, lo_kind, lo_offset = resolve_wall(zone, ordinal, opens)
    hi, hi_kind, hi_offset = resolve_wall(zone, ordinal, closes)
    around = (_offset_at(zone, lo - _SLACK), _offset_at(zone, hi + _SLACK))
    normal = lo_kind == hi_kind == WallKind.NORMAL
    if normal and around == (lo_offset, lo_offset) and hi_offset == lo_offset:
        return lo, hi, True  # (no zone changes its clocks twice within a few hours)
    return lo - _SLACK, hi + _SLACK, False


def _offset_at(zone: ZoneInfo, us: int) -> int:
    """``zone``'s UTC offset at the instant ``us``, in µs (as ``resolve_wall`` gives it)."""
    return offset_us(from_us(us).astimezone(zone).utcoffset())


# How far apart a zone's clock is read to find its changes over a horizon: the engine
# already takes it that no zone changes its clocks twice within a few hours.
_STRIDE = 12 * 60 * 60 * 1_000_000


@lru_cache(maxsize=1024)
def _offsets(zone: ZoneInfo, first_day: int, last_day: int) -> tuple[tuple[int, int], ...]:
    """(since, offset): ``zone``'s UTC offsets (µs) over the UTC dates ``first_day`` to
    ``last_day`` (ordinals), each from the instant it took effect (the first from the
    first date's midnight, every later one at a change of the clocks)."""
    at = (first_day - EPOCH_ORDINAL) * US_PER_DAY
    until = (last_day + 1 - EPOCH_ORDINAL) * US_PER_DAY
    found = [(at, _offset_at(zone, at))]
    while at < until:
        after = min(at + _STRIDE, until)
        offset = _offset_at(zone, after)
        if offset != found[-1][1]:
            found.append((clock_change(zone, at, after, offset), offset))
        at = after
    return tuple(found)


@lru_cache(maxsize=1024)
def _clock_differences(
    viewer: ZoneInfo, therapist: ZoneInfo, first_day: int, last_day: int
) -> frozenset[int]:
    """Every value the viewer's UTC offset less the therapist's takes at some instant of
    the UTC dates ``first_day`` to ``last_day`` (µs)."""
    ours, theirs = _offsets(viewer, first_day, last_day), _offsets(therapist, first_day, last_day)
    our_since, their_since = [at for at, _ in ours], [at for at, _ in theirs]
    return frozenset(
        ours[bisect_right(our_since, at) - 1][1] - theirs[bisect_right(their_since, at) - 1][1]
        for at in {*our_since, *their_since}
    )


def may_start_in_part(
    rules: AvailabilityRules,
    session_type: SessionType | str,
    *,
    now: datetime,
    part: DayPart | str,
    zone: str | ZoneInfo,
) -> bool:
    """Could the therapist's hours (weekly and every override) place a start of
    ``session_type`` in ``part`` on ``zone``'s clock between ``now`` and their horizon?

    ``False`` means no slot in the part exists whatever their appointments, leave or daily
    maximum (which only ever take starts away), so a search need not read their
    appointments at all; ``True`` only that one might. Any time: whether the session type
    is offered.

    Each working span's starts (its opening to its closing less the session, on the
    therapist's clock) are moved by every difference between the two clocks in that time:
    no reading per date or per start. Only a span with the therapist's own clock change
    inside it is placed date by date (its last start may then be later on their clock
    than the closing less the session).
    """
    chosen = DayPart(part)
    offered = rules.session_type(session_type)
    if offered is None or chosen is DayPart.ANY:
        return offered is not None
    viewer, therapist = _zone(zone), rules.tzinfo
    now_us = to_us(now)
    earliest = now_us + rules.minimum_notice_minutes * US_PER_MINUTE
    latest = now_us + rules.horizon_days * US_PER_DAY
    duration = offered.duration_minutes * US_PER_MINUTE
    # Two dates more on either side: a span opens at most a day before its first start and
    # closes at most two days after its date's midnight.
    first_day = earliest // US_PER_DAY + EPOCH_ORDINAL - 2
    last_day = latest // US_PER_DAY + EPOCH_ORDINAL + 2
    differences = _clock_differences(viewer, therapist, first_day, last_day)
    opens, closes = (m * US_PER_MINUTE for m in _minutes(chosen))
    # (open, close) minutes: each weekday's (the dates 8 to 14 January of the year 1 are a
    # Monday to a Sunday, and never an override's), then each override's.
    spans = {span for ordinal in range(8, 15) for span in rules.minutes_on(ordinal)}
    spans.update(span for o in rules.overrides for span in rules.minutes_on(o.day.toordinal()))
    for open_minute, close_minute in spans:
        first = open_minute * US_PER_MINUTE
        last = close_minute * US_PER_MINUTE - duration
        if last < first:
            continue  # the session never fits
        if last - first >= US_PER_DAY:
            return True
        for difference in differences:
            # The starts on the viewer's clock, as times of day: [low, high], where high
            # may pass midnight (then the next day's part counts too); the part of the day
            # before counts when it passes midnight (the night).
            low = (first + difference) % US_PER_DAY
            high = low + last - first
            if any(
                low < closes + days * US_PER_DAY and high >= opens + days * US_PER_DAY
                for days in (-1, 0, 1)
            ):
                return True
    # Spans with the therapist's clock change inside: placed as the engine places them.
    for change, _ in _offsets(therapist, first_day, last_day)[1:]:
        changed_on = local_date(therapist, change).toordinal()
        for ordinal in range(changed_on - 2, changed_on + 1):
            for open_minute, close_minute in rules.minutes_on(ordinal):
                start = max(earliest, resolve_wall(therapist, ordinal, open_minute)[0])
                end = min(latest, resolve_wall(therapist, ordinal, close_minute)[0] - duration)
                if start > end:
                    continue
                # (from the date before: its night reaches into the start's date)
                for day in range(
                    local_date(viewer, start).toordinal() - 1,
                    local_date(viewer, end).toordinal() + 1,
                ):
                    lo, hi, _ = _window(viewer, day, chosen)
                    if lo <= end and hi > start:
                        return True
    return False


def first_slots_in_part(
    rules: AvailabilityRules,
    session_type: SessionType | str,
    busy: BusyLike,
    *,
    now: datetime,
    part: DayPart | str,
    zone: str | ZoneInfo,
    n: int = 3,
) -> list[Slot]:
    """The ``n`` earliest free slots starting in ``part`` on ``zone``'s clock, by start
    (with ``DayPart.ANY``, exactly ``first_free_slots``).

    The engine's own offered starts (``slots.slot_engine``, as every other question asks it)
    are read a few of the viewer's dates at a time, more each round, as
    ``first_free_slots`` widens its window, and kept when they fall in each date's part:
    between the part's bounds placed on the viewer's clock, or, on a date whose clocks
    change near them, as ``in_day_part`` reads each start. So a part in which the
    therapist never works costs a pass over the horizon in whole numbers, not a clock
    reading per slot.
    """
    chosen = DayPart(part)
    if chosen is DayPart.ANY:
        return first_free_slots(rules, session_type, busy, now=now, n=n)
    engine = slot_engine(rules, session_type, busy, now)
    if engine is None or n <= 0:
        return []
    if not may_start_in_part(rules, session_type, now=now, part=chosen, zone=zone):
        return []  # hours that never reach the part: no pass over the horizon at all
    tz = _zone(zone)
    # From the day before "now"'s date: its window may reach past midnight.
    day = local_date(tz, engine.earliest).toordinal() - 1
    last_day = local_date(tz, engine.latest).toordinal()
    found: list[int] = []
    width = 1
    read_until = 0  # where the previous date's window ended: no start is read twice
    while day <= last_day and len(found) < n:
        until = min(day + width - 1, last_day)
        starts = engine.starts(_window(tz, day, chosen)[0], _window(tz, until, chosen)[1])
        for ordinal in range(day, until + 1):
            lo, hi, exact = _window(tz, ordinal, chosen)
            lo, read_until = max(lo, read_until), max(hi, read_until)
            for start in starts[bisect_left(starts, lo) : bisect_left(starts, hi)]:
                if exact or in_day_part(from_us(start).astimezone(tz).time(), chosen):
                    found.append(start)
                    if len(found) == n:
                        return engine.slots(found)
        day = until + 1
        width = min(2 * width, 32)
    return engine.slots(found)


def earliest_in_part(
    candidates: Iterable[tuple[TherapistId, AvailabilityRules, SessionType | str, BusyLike]],
    *,
    now: datetime,
    part: DayPart | str,
    zone: str | ZoneInfo,
    per_therapist: int = 3,
) -> dict[TherapistId, list[Slot]]:
    """``earliest_slots`` keeping only starts in ``part`` on ``zone``'s clock.

    Each therapist's ``per_therapist`` earliest such slots; the dict is ordered by each
    therapist's first one (ties keep the input order); therapists with none are left out.
    With ``DayPart.ANY`` this is exactly ``earliest_slots``.
    """
    if DayPart(part) is DayPart.ANY:
        return earliest_slots(candidates, now=now, per_therapist=per_therapist)
    return soonest_first(
        candidates,
        lambda rules, session_type, busy: first_slots_in_part(
            rules, session_type, busy, now=now, part=part, zone=zone, n=per_therapist
        ),
    )
