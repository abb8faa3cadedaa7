"""The time-of-day filter of booking: the pages' words for it, and the search that honours it.

Which times belong to which part of the day is one rule in the scheduling core
(``rehabit.scheduling.day_parts``: morning 06:00-12:00, afternoon 12:00-17:00, evening
17:00-22:00, night 22:00-06:00, and daytime 06:00-22:00, on the clock of the zone the page
or API answer shows times in; "any time" keeps everything). This module names the parts
for people and runs the therapist search with it: the search page, the therapist's week,
the move page and the slots API all call the same rule.

The search page and the therapist's week show the daytime unless asked otherwise
(``PAGE_DEFAULT``): a patient is not offered times in their own night first (a London
therapist's 09:00 is 04:00 in New York). The night's times are one choice away ("Show
night-time times too"), and a therapist free only at night says so. The move page and the
slots API keep every time unless asked (the API's answer is unchanged for old clients).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rehabit.booking import slots as engine
from rehabit.booking.models import Therapist
from rehabit.core.timefmt import TIME
from rehabit.scheduling import Slot, validate_zone
from rehabit.scheduling.day_parts import (
    BOUNDS,
    DayPart,
    earliest_in_part,
    in_day_part,
    may_start_in_part,
    slots_in_part,
    starts_in_part,
)

__all__ = [
    "PAGE_DEFAULT",
    "PARAMETER",
    "DayPart",
    "choices",
    "chosen",
    "during",
    "earliest",
    "in_day_part",
    "next_in_part",
    "note",
    "page_context",
    "search_therapists",
    "slots_in_part",
    "span",
    "starts_in_part",
]

# The query parameter of the pages and of the slots API.
PARAMETER = "time_of_day"
# What the search page and the therapist's week show when the address names no part.
PAGE_DEFAULT = DayPart.DAYTIME

# In the order the form offers them (the daytime first: the pages' default).
_NAMES: Mapping[DayPart, Any] = {
    DayPart.DAYTIME: gettext_lazy("Daytime"),
    DayPart.MORNING: gettext_lazy("Morning"),
    DayPart.AFTERNOON: gettext_lazy("Afternoon"),
    DayPart.EVENING: gettext_lazy("Evening"),
    DayPart.NIGHT: gettext_lazy("Night"),
}
_DURING: Mapping[DayPart, Any] = {
    # Translators: put into sentences such as "No free time %(part)s on this day."
    DayPart.DAYTIME: gettext_lazy("in the daytime"),
    DayPart.MORNING: gettext_lazy("in the morning"),
    DayPart.AFTERNOON: gettext_lazy("in the afternoon"),
    DayPart.EVENING: gettext_lazy("in the evening"),
    DayPart.NIGHT: gettext_lazy("at night"),
}


def _clock(value: time) -> str:
    return str(formats.time_format(value, TIME))


def span(part: DayPart) -> str:
    """ "06:00 to 12:00": the part's bounds on the viewer's clock ("" for any time)."""
    if part not in BOUNDS:
        return ""
    start, end = BOUNDS[part]
    return _("%(start)s to %(end)s") % {"start": _clock(start), "end": _clock(end)}


def choices() -> list[tuple[str, str]]:
    """The form's options, in the reader's language: each part with its bounds ("Daytime,
    06:00 to 22:00", "Morning, 06:00 to 12:00" ... "Night, 22:00 to 06:00"), then "Any
    time, day or night"."""
    return [
        (part.value, _("%(part)s, %(span)s") % {"part": _NAMES[part], "span": span(part)})
        for part in _NAMES
    ] + [(DayPart.ANY.value, _("Any time, day or night"))]


def during(part: DayPart) -> str:
    """ "in the morning", for sentences ("" for any time)."""
    return str(_DURING[part]) if part in _DURING else ""


def chosen(data: Mapping[str, Any], default: DayPart = DayPart.ANY) -> DayPart:
    """The part a valid form asked for (``cleaned_data``); ``default`` when none was."""
    value = data.get(PARAMETER) or default
    return DayPart(value)


def note(part: DayPart, zone_label: str) -> str:
    """What the page says it shows: "Only times that start in the morning (06:00 to 12:00,
    EST, America/New York) are shown.", or for the daytime, what it leaves out ("" for any
    time)."""
    if part is DayPart.ANY:
        return ""
    if part is DayPart.DAYTIME:
        return _("Times at night (%(span)s, %(zone)s) are not shown.") % {
            "span": span(DayPart.NIGHT),
            "zone": zone_label,
        }
    return _("Only times that start %(part)s (%(span)s, %(zone)s) are shown.") % {
        "part": during(part),
        "span": span(part),
        "zone": zone_label,
    }


def page_context(request: HttpRequest, part: DayPart, zone_label: str) -> dict[str, Any]:
    """What a page says about the filter: the part chosen ("" for any time) and its value
    for links (``part_value``, "any" too: a page whose default is another part must be
    told), the words for it, the note of what is shown, the address of the same page at
    any time of day (every other choice kept, back to the first page) and, for the
    daytime, the words of the link to it ("Show night-time times too (22:00 to 06:00)")."""
    chosen = part is not DayPart.ANY
    query = request.GET.copy()
    query[PARAMETER] = DayPart.ANY.value
    query.pop("page", None)
    return {
        "part": part.value if chosen else "",
        "part_value": part.value,
        "part_words": during(part),
        "part_note": note(part, zone_label),
        "any_time_url": f"{request.path}?{query.urlencode()}" if chosen else "",
        "daytime": part is DayPart.DAYTIME,
        "night_span": span(DayPart.NIGHT),
    }


def earliest(
    schedules: list[engine.Schedule],
    kind: str,
    now: datetime,
    part: DayPart,
    zone: str | ZoneInfo,
    n: int,
) -> dict[int, list[Slot]]:
    """``engine.earliest`` with the part of the day: each therapist's ``n`` earliest free
    slots in ``part`` on ``zone``'s clock, soonest therapist first."""
    candidates = [(s.therapist_id, s.rules, kind, s.busy) for s in schedules if s.offers(kind)]
    return earliest_in_part(candidates, now=now, part=part, zone=zone, per_therapist=n)


def next_in_part(
    schedule: engine.Schedule, kind: str, now: datetime, part: DayPart, zone: str
) -> list[Slot]:
    """The one earliest free slot of ``kind`` in ``part`` (empty when none in the horizon)."""
    return earliest([schedule], kind, now, part, zone, 1).get(schedule.therapist_id, [])


def search_therapists(
    *,
    specialty: str = "",
    language: str = "",
    kind: str,
    now: datetime,
    part: DayPart,
    zone: str,
    per_therapist: int = 3,
) -> tuple[list[Therapist], dict[int, list[Slot]]]:
    """``engine.search_therapists`` keeping only times in ``part`` on ``zone``'s clock.

    Any time is exactly the engine's search. With a part, every listed therapist matching
    the filters is still returned (so the count and the pages stay those of the same
    question without the part): those who can see the patient soonest in that part first,
    then those with no such time in their horizon, in name order, as the engine lists
    therapists with nothing free. Appointments are read only for the therapists whose hours
    can reach the part on ``zone``'s clock at all (``may_start_in_part``: a London office
    day never reaches a New York evening, booked or not), as the engine's search reads
    them (``engine.earliest_in_two_reads``: the first few days, then the whole horizon of
    those whose first times in the part are not all in them).
    """
    if part is DayPart.ANY:
        return engine.search_therapists(
            specialty=specialty,
            language=language,
            kind=kind,
            now=now,
            per_therapist=per_therapist,
        )
    viewer = validate_zone(zone)
    found = engine.listed_therapists(specialty, language)
    rules = engine.load_rules([t.id for t in found], now, therapists=found)
    reachable = {
        tid: r
        for tid, r in rules.items()
        if may_start_in_part(r, kind, now=now, part=part, zone=viewer)
    }
    slots = engine.earliest_in_two_reads(
        reachable,
        kind,
        now,
        per_therapist,
        lambda schedules: earliest(schedules, kind, now, part, viewer, per_therapist),
    )
    order = {tid: i for i, tid in enumerate(slots)}
    found.sort(key=lambda t: (order.get(t.id, len(order)), t.name))
    return found, slots
