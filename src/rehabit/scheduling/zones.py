"""Time zones: validate IANA names, name a zone for display, and map wall clocks to UTC.

The second half of this module is the engine's clock arithmetic. It works on integer
microseconds since the Unix epoch ("µs") so that the slot engine can compare and step
times without building datetime objects in its inner loops. The rules it applies are
those of engineering.md §2.4:

* A wall-clock time is placed in its zone with ``zoneinfo`` and converted to UTC; local
  times are never shifted with a timedelta.
* A wall time that occurs twice (autumn) means its first occurrence (``fold=0``).
* A wall time that does not exist (spring gap) is reported as such; slot starts there are
  skipped, and a working-hours boundary there means the instant the clocks jump.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from enum import IntEnum
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

__all__ = [
    "UTC",
    "UnknownTimeZone",
    "format_utc_offset",
    "format_zone_abbrev",
    "validate_zone",
]

EXAMPLE_ZONE = "Europe/London"

# Files in a tz database that are not places a person lives in.
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+)*")


class UnknownTimeZone(ValueError):
    """A time-zone name that is not in the IANA database."""

    def __init__(self, name: object, suggestion: str | None = None) -> None:
        self.name = name
        self.suggestion = suggestion
        shown = name if isinstance(name, str) else str(name)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        message = f"Unknown time zone {shown!r}. Use an IANA name such as {EXAMPLE_ZONE}."
        if suggestion:
            message += f" Did you mean {suggestion}?"
        super().__init__(message)


@lru_cache(maxsize=1)
def _known_zones() -> dict[str, str]:
    """Lower-cased name -> canonical spelling, for every zone on this machine."""
    return {name.lower(): name for name in available_timezones() if name not in _NOT_ZONES}


def validate_zone(name: str) -> ZoneInfo:
    """The zone called ``name``, or :class:`UnknownTimeZone` with a message a person can act on.

    Only names from the IANA database are accepted ("Europe/London", "Asia/Kolkata",
    "UTC"); file-system tricks, ``localtime`` and mis-cased names are refused (a mis-cased
    name gets a "did you mean" hint).
    """
    if not isinstance(name, str) or not _ZONE_NAME.fullmatch(name) or name in _NOT_ZONES:
        raise UnknownTimeZone(name)
    known = _known_zones()
    if known:
        canonical = known.get(name.lower())
        if canonical != name:
            raise UnknownTimeZone(name, suggestion=canonical)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UnknownTimeZone(name) from None


def format_utc_offset(dt: datetime) -> str:
    """``dt``'s offset as "UTC", "UTC+05:30" or "UTC-03:00"."""
    offset = dt.utcoffset()
    if offset is None:
        raise ValueError("A time-zone-aware datetime is needed to name its zone.")
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def format_zone_abbrev(dt: datetime) -> str:
    """A short name for ``dt``'s zone at that instant: "BST", "EDT", "IST", or "UTC+05:45".

    The tz database gives numeric names such as "+0545" for many zones; those are shown as
    a UTC offset so that every label reads the same way.
    """
    name = dt.tzname()
    if dt.utcoffset() is None:
        raise ValueError("A time-zone-aware datetime is needed to name its zone.")
    if name and name.isalpha():
        return name
    return format_utc_offset(dt)


# --- Engine clock arithmetic (integer microseconds since the epoch) -----------------------

US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND
US_PER_DAY = 1440 * US_PER_MINUTE
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
ONE_US = timedelta(microseconds=1)


class WallKind(IntEnum):
    """How a wall-clock time exists on its day."""

    NORMAL = 0
    GAP = 1  # skipped by the clocks going forward
    REPEATED = 2  # occurs twice as the clocks go back; the first occurrence is meant


def to_us(dt: datetime) -> int:
    """An aware datetime as microseconds since the epoch (exact)."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{dt!r} has no time zone; pass an aware datetime (UTC preferred).")
    return (dt - EPOCH) // ONE_US


def from_us(us: int) -> datetime:
    """Microseconds since the epoch as an aware UTC datetime."""
    return EPOCH + timedelta(microseconds=us)


def offset_us(offset: timedelta | None) -> int:
    """A UTC offset (the ``timedelta`` that ``utcoffset()`` gives) in whole microseconds,
    the unit of every instant and offset here."""
    assert offset is not None  # ZoneInfo always knows its offset
    return (offset.days * 86_400 + offset.seconds) * US_PER_SECOND + offset.microseconds


def local_date(zone: ZoneInfo, us: int) -> date:
    """The calendar date in ``zone`` at the instant ``us``."""
    return from_us(us).astimezone(zone).date()


@lru_cache(maxsize=65_536)
def resolve_wall(zone: ZoneInfo, ordinal: int, minute: int) -> tuple[int, WallKind, int]:
    """Place minute ``minute`` after local midnight of day ``ordinal`` in ``zone``.

    ``minute`` may pass 1440 (an interval that ends after midnight): the calendar day is
    advanced, never the local time. Returns ``(utc_us, kind, offset_us)`` for the first
    occurrence of that wall time; for a time in a spring gap, ``utc_us`` is the instant the
    clocks jump (so it can serve as an interval boundary) and ``kind`` is ``GAP``.
    """
    extra_days, minute_of_day = divmod(minute, 1440)
    ordinal += extra_days
    day = date.fromordinal(ordinal)
    hour, mins = divmod(minute_of_day, 60)
    local = datetime(day.year, day.month, day.day, hour, mins, tzinfo=zone)
    first = offset_us(zone.utcoffset(local))
    second = offset_us(zone.utcoffset(local.replace(fold=1)))
    naive = (ordinal - EPOCH_ORDINAL) * US_PER_DAY + minute_of_day * US_PER_MINUTE
    if first == second:
        return naive - first, WallKind.NORMAL, first
    if first > second:  # clocks went back: the wall time is repeated
        return naive - first, WallKind.REPEATED, first
    return clock_change(zone, naive - second, naive - first, second), WallKind.GAP, second


def clock_change(zone: ZoneInfo, before: int, after: int, new_offset: int) -> int:
    """The first instant in (before, after] at which ``zone`` uses ``new_offset``: when its
    clocks change, to the second (``before`` and ``after`` in µs since the epoch)."""
    lo, hi = before // US_PER_SECOND, -(-after // US_PER_SECOND)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if offset_us(from_us(mid * US_PER_SECOND).astimezone(zone).utcoffset()) == new_offset:
            hi = mid
        else:
            lo = mid
    return hi * US_PER_SECOND


def start_of_day(zone: ZoneInfo, day: date) -> int:
    """The first instant of ``day`` in ``zone`` (its local midnight, or the jump past it)."""
    return resolve_wall(zone, day.toordinal(), 0)[0]
