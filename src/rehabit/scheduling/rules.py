"""The slot engine's inputs: a therapist's availability rules and existing appointments.

Wall-clock times (working hours, overrides) are in the therapist's own IANA zone; instants
(time off, appointments) are aware datetimes. Every rule constructor checks its input and
raises :class:`RulesError` with a sentence that can be shown to the therapist editing them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import accumulate
from zoneinfo import ZoneInfo

from .zones import EPOCH, ONE_US, to_us, validate_zone

__all__ = [
    "AvailabilityRules",
    "Busy",
    "DateOverride",
    "RulesError",
    "SessionType",
    "TimeOff",
    "WeeklyHours",
    "WorkingInterval",
]

MINUTES_PER_DAY = 1440
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

TimeLike = time | str


class RulesError(ValueError):
    """Availability settings that cannot be used as given. ``str()`` is an English
    sentence (logs, the API of this module); ``code`` and ``params`` let a page say the
    same in the reader's language (``rehabit.booking.rules_text``)."""

    def __init__(self, message: str, code: str = "invalid", **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def parse_wall_time(value: TimeLike, *, end: bool = False) -> time:
    """A wall-clock time from a ``time`` or an "HH:MM" string; "24:00" is allowed as an end."""
    if isinstance(value, time):
        if value.tzinfo is not None:
            raise RulesError(
                f"Working hours are wall-clock times; {value} has a time zone.",
                "zoned_time",
                value=str(value),
            )
        if value.second or value.microsecond:
            raise RulesError(
                f"Working hours are whole minutes; {value} has seconds.",
                "seconds",
                value=str(value),
            )
        return value
    if isinstance(value, str):
        text = value.strip()
        if end and text in ("24:00", "24:00:00"):
            return time(0, 0)
        try:
            parsed = time.fromisoformat(text)
        except ValueError:
            raise RulesError(
                f"{value!r} is not a time of day; write it as HH:MM.", "not_a_time", value=text
            ) from None
        return parse_wall_time(parsed)
    raise RulesError(
        f"{value!r} is not a time of day; write it as HH:MM.", "not_a_time", value=str(value)
    )


def _minute(value: time) -> int:
    return value.hour * 60 + value.minute


def _label(minute: int) -> str:
    """HH:MM for a minute of the day; the end of the day is "24:00"."""
    if minute == MINUTES_PER_DAY:
        return "24:00"
    return f"{minute // 60 % 24:02d}:{minute % 60:02d}"


@dataclass(frozen=True, slots=True)
class WorkingInterval:
    """Wall-clock working time on one day, in the therapist's zone.

    An ``end`` at or before ``start`` is on the next day: 20:00-02:00 runs past midnight,
    09:00-00:00 ends at midnight ("24:00"), and 00:00-00:00 is the whole day.
    """

    start: time
    end: time

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", parse_wall_time(self.start))
        object.__setattr__(self, "end", parse_wall_time(self.end, end=True))

    @classmethod
    def of(cls, start: TimeLike, end: TimeLike) -> WorkingInterval:
        return cls(parse_wall_time(start), parse_wall_time(end, end=True))

    @property
    def start_minute(self) -> int:
        """Minutes after the day's local midnight."""
        return _minute(self.start)

    @property
    def end_minute(self) -> int:
        """Minutes after the same local midnight; above 1440 when the interval ends tomorrow."""
        end = _minute(self.end)
        return end if end > self.start_minute else end + MINUTES_PER_DAY

    def __str__(self) -> str:
        return f"{_label(self.start_minute)}-{_label(self.end_minute)}"


def _interval(item: object) -> WorkingInterval:
    if isinstance(item, WorkingInterval):
        return item
    if isinstance(item, tuple | list) and len(item) == 2:
        return WorkingInterval.of(item[0], item[1])
    raise RulesError(
        f"{item!r} is not a working interval; give (start, end).",
        "not_an_interval",
        value=str(item),
    )


def normalise_intervals(
    items: Iterable[object], where: str, *, day: int | date | None = None
) -> tuple[WorkingInterval, ...]:
    """Sorted intervals for one day (``where`` names it in the English message; ``day``, a
    weekday number or a date, lets a page name it in the reader's language); overlaps are
    refused, touching intervals joined."""
    result: list[WorkingInterval] = []
    for item in sorted((_interval(i) for i in items), key=lambda iv: iv.start_minute):
        if result and item.start_minute < result[-1].end_minute:
            raise RulesError(
                f"Working hours {result[-1]} and {item} on {where} overlap.",
                "overlap",
                first=str(result[-1]),
                second=str(item),
                where=where,
                day=day,
            )
        if (
            result
            and item.start_minute == result[-1].end_minute
            and item.end_minute - result[-1].start_minute <= MINUTES_PER_DAY
        ):
            result[-1] = WorkingInterval(result[-1].start, item.end)
        else:
            result.append(item)
    return tuple(result)


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """Working intervals for each weekday, Monday (0) to Sunday (6)."""

    by_weekday: tuple[tuple[WorkingInterval, ...], ...] = ((),) * 7

    def __post_init__(self) -> None:
        if len(self.by_weekday) != 7:
            raise RulesError("Weekly hours need an entry for each of the 7 weekdays.", "week")
        days = tuple(
            normalise_intervals(day, WEEKDAYS[i], day=i) for i, day in enumerate(self.by_weekday)
        )
        object.__setattr__(self, "by_weekday", days)

    @classmethod
    def from_mapping(cls, hours: Mapping[int, Iterable[object]]) -> WeeklyHours:
        """``{0: [("09:00", "12:00"), ("13:00", "17:00")], 4: [...]}``; missing days are off."""
        for weekday in hours:
            if weekday not in range(7):
                raise RulesError(
                    f"Weekday {weekday!r} is not 0 (Monday) to 6 (Sunday).",
                    "weekday",
                    value=str(weekday),
                )
        return cls(tuple(tuple(_interval(i) for i in hours.get(d, ())) for d in range(7)))

    @classmethod
    def same_days(cls, intervals: Iterable[object], weekdays: Iterable[int]) -> WeeklyHours:
        """The same intervals on each of ``weekdays`` (e.g. ``range(5)`` for Mon-Fri)."""
        day = tuple(intervals)
        return cls.from_mapping(dict.fromkeys(weekdays, day))

    def on(self, weekday: int) -> tuple[WorkingInterval, ...]:
        return self.by_weekday[weekday]


@dataclass(frozen=True, slots=True)
class DateOverride:
    """Hours for one local date that replace that weekday's usual hours; none = day off.

    Only intervals that *start* on ``day`` are replaced: an evening shift of the day
    before that runs past midnight still ends as planned.
    """

    day: date
    intervals: tuple[WorkingInterval, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.day, datetime) or not isinstance(self.day, date):
            raise RulesError(
                f"An override is for a calendar date, not {self.day!r}.",
                "override_day",
                value=str(self.day),
            )
        object.__setattr__(
            self,
            "intervals",
            normalise_intervals(self.intervals, self.day.isoformat(), day=self.day),
        )


@dataclass(frozen=True, slots=True)
class TimeOff:
    """An absolute period (holiday, sick leave) in which no session may take place."""

    start: datetime
    end: datetime
    reason: str = ""

    def __post_init__(self) -> None:
        try:
            start, end = to_us(self.start), to_us(self.end)
        except ValueError:
            raise RulesError(
                "Time off needs time-zone-aware start and end times.", "time_off_unzoned"
            ) from None
        if end <= start:
            raise RulesError("Time off must end after it starts.", "time_off_order")


@dataclass(frozen=True, slots=True)
class SessionType:
    """A kind of session a therapist offers, e.g. a 45-minute first assessment."""

    id: str
    duration_minutes: int
    name: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise RulesError("A session type needs a non-empty id.", "session_id")
        _check_minutes(
            "A session's duration", "duration", self.duration_minutes, 1, MINUTES_PER_DAY
        )


MinuteSpans = tuple[tuple[int, int], ...]


def _spans(intervals: tuple[WorkingInterval, ...]) -> MinuteSpans:
    return tuple((iv.start_minute, iv.end_minute) for iv in intervals)


def _check_minutes(what: str, setting: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RulesError(
            f"{what} must be a whole number from {low} to {high}, not {value!r}.",
            "out_of_range",
            setting=setting,
            low=low,
            high=high,
            value=str(value),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class AvailabilityRules:
    """Everything that decides when one therapist can be booked.

    * Buffers: no session may come within ``max(buffer_before, buffer_after)`` minutes of
      another (each existing appointment is widened by both buffers, and so is the new one).
    * ``minimum_notice_minutes``: a session must start at least this long after "now".
    * ``horizon_days``: a session may start at most this many days (of 24 h) after "now".
    * ``daily_maximum``: no new booking on a therapist-local date that already has this
      many appointments starting on it (``None`` = no limit).
    * ``slot_step_minutes``: offered starts are the start of each working interval plus
      whole steps, counted on the therapist's wall clock.
    """

    zone: str
    weekly_hours: WeeklyHours
    session_types: tuple[SessionType, ...]
    overrides: tuple[DateOverride, ...] = ()
    time_off: tuple[TimeOff, ...] = ()
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    minimum_notice_minutes: int = 0
    horizon_days: int = 60
    daily_maximum: int | None = None
    slot_step_minutes: int = 15
    tzinfo: ZoneInfo = field(init=False, repr=False, compare=False)
    _by_day: dict[date, tuple[WorkingInterval, ...]] = field(init=False, repr=False, compare=False)
    _minutes: dict[int, MinuteSpans] = field(init=False, repr=False, compare=False)
    time_off_us: tuple[tuple[int, int], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tzinfo", validate_zone(self.zone))
        if not isinstance(self.weekly_hours, WeeklyHours):
            raise RulesError("weekly_hours must be a WeeklyHours value.", "week")
        for name in ("session_types", "overrides", "time_off"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        ids = [s.id for s in self.session_types]
        if len(set(ids)) != len(ids):
            raise RulesError("Each session type needs its own id.", "session_id")
        by_day: dict[date, tuple[WorkingInterval, ...]] = {}
        for override in self.overrides:
            if override.day in by_day:
                raise RulesError(
                    f"There are two overrides for {override.day.isoformat()}.",
                    "two_overrides",
                    day=override.day,
                )
            by_day[override.day] = override.intervals
        object.__setattr__(self, "_by_day", by_day)
        # (open, close) minutes after local midnight: keys 0-6 are weekdays, larger keys
        # are date ordinals of overrides (ordinal 1 is a Monday, so they cannot collide).
        minutes = {d: _spans(self.weekly_hours.on(d)) for d in range(7)}
        minutes.update((day.toordinal(), _spans(ivs)) for day, ivs in by_day.items())
        object.__setattr__(self, "_minutes", minutes)
        spans = sorted((to_us(t.start), to_us(t.end)) for t in self.time_off)
        object.__setattr__(self, "time_off_us", tuple(spans))
        _check_minutes(
            "The buffer before a session", "buffer_before", self.buffer_before_minutes, 0, 1440
        )
        _check_minutes(
            "The buffer after a session", "buffer_after", self.buffer_after_minutes, 0, 1440
        )
        _check_minutes(
            "The minimum notice", "minimum_notice", self.minimum_notice_minutes, 0, 366 * 1440
        )
        _check_minutes("The booking horizon (days)", "horizon", self.horizon_days, 1, 3660)
        _check_minutes("The slot step", "slot_step", self.slot_step_minutes, 1, 1440)
        if self.daily_maximum is not None:
            _check_minutes(
                "The daily maximum of sessions", "daily_maximum", self.daily_maximum, 1, 1440
            )

    def session_type(self, session_type: SessionType | str) -> SessionType | None:
        """The offered session type with this id (or equal to this value), else ``None``."""
        wanted = session_type if isinstance(session_type, str) else session_type.id
        for offered in self.session_types:
            if offered.id == wanted:
                if isinstance(session_type, SessionType) and session_type != offered:
                    return None  # a stale copy with another duration: not what is offered
                return offered
        return None

    def minutes_on(self, ordinal: int) -> MinuteSpans:
        """``intervals_on`` for a date ordinal, as (open, close) minutes after midnight."""
        minutes = self._minutes
        found = minutes.get(ordinal)
        return found if found is not None else minutes[(ordinal - 1) % 7]

    def intervals_on(self, day: date) -> tuple[WorkingInterval, ...]:
        """The working intervals that start on the local date ``day``."""
        found = self._by_day.get(day)
        return found if found is not None else self.weekly_hours.on(day.weekday())


class Busy:
    """One therapist's existing appointments, sorted once for overlap tests and day counts.

    Give the appointments' own (start, end) as aware datetimes; the engine adds the buffers.
    Pass every appointment that still holds its time (booked, held, not cancelled): all of
    them count towards the daily maximum. Rows already ordered by start sort in linear
    time. Build it once and reuse it across calls for the same therapist.
    """

    __slots__ = ("_ends", "_max_ends", "_starts")

    def __init__(self, appointments: Iterable[tuple[datetime, datetime]] = ()) -> None:
        items = appointments if isinstance(appointments, list | tuple) else list(appointments)
        try:
            spans = sorted([((s - EPOCH) // ONE_US, (e - EPOCH) // ONE_US) for s, e in items])
        except TypeError:  # a naive datetime (or not a datetime at all)
            for start, end in items:
                to_us(start), to_us(end)  # raises a clear ValueError
            raise
        if any(e <= s for s, e in spans):
            raise ValueError("An appointment must end after it starts.")
        self._starts = [s for s, _ in spans]
        self._ends = [e for _, e in spans]
        self._max_ends = list(accumulate(self._ends, max))  # prefix maximum of ends

    def __len__(self) -> int:
        return len(self._starts)

    def overlapping(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """Appointments (µs) that start before ``hi`` and end after ``lo``, by start."""
        stop = bisect_left(self._starts, hi)
        first = bisect_right(self._max_ends, lo, 0, stop)
        starts, ends = self._starts, self._ends
        return [(starts[i], ends[i]) for i in range(first, stop) if ends[i] > lo]

    def count_starting(self, lo: int, hi: int) -> int:
        """How many appointments start in [lo, hi)."""
        return bisect_left(self._starts, hi) - bisect_left(self._starts, lo)


BusyLike = Busy | Iterable[tuple[datetime, datetime]]
