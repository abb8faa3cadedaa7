"""Scheduling core: availability rules -> bookable slots. Pure Python, no Django.

Instants are aware UTC datetimes; working hours are wall-clock times in the therapist's
IANA zone; the viewer's zone only decides how times are shown and which dates a range
covers, never which slots exist.
"""

from __future__ import annotations

from .rules import (
    AvailabilityRules,
    Busy,
    DateOverride,
    RulesError,
    SessionType,
    TimeOff,
    WeeklyHours,
    WorkingInterval,
)
from .search import SearchCandidate, earliest_slots
from .slots import (
    Reason,
    Slot,
    Verdict,
    bookable_slots,
    first_free_slots,
    is_bookable,
    nearest_alternatives,
)
from .zones import UnknownTimeZone, format_utc_offset, format_zone_abbrev, validate_zone

__all__ = [
    "AvailabilityRules",
    "Busy",
    "DateOverride",
    "Reason",
    "RulesError",
    "SearchCandidate",
    "SessionType",
    "Slot",
    "TimeOff",
    "UnknownTimeZone",
    "Verdict",
    "WeeklyHours",
    "WorkingInterval",
    "bookable_slots",
    "earliest_slots",
    "first_free_slots",
    "format_utc_offset",
    "format_zone_abbrev",
    "is_bookable",
    "nearest_alternatives",
    "validate_zone",
]
