"""A month of a therapist's dates, each marked with what differs from the usual week:
other hours, a day off, time off. Server-rendered as a table (``booking/_month.html``);
every mark is words, never colour alone."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils.translation import gettext as _

from rehabit.booking.timefmt import format_clock, format_day, format_month
from rehabit.booking.week_grid import ends_next_day
from rehabit.scheduling import format_zone_abbrev, validate_zone


@dataclass
class DayCell:
    day: date
    in_month: bool
    is_today: bool
    marks: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The date in words, for the cell's accessible name."""
        return format_day(self.day)


@dataclass
class Month:
    first: date
    weeks: list[list[DayCell]]

    @property
    def title(self) -> str:
        return format_month(self.first)

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)


def month_of(value: date) -> date:
    return value.replace(day=1)


def _clock_with_zone(moment: datetime) -> str:
    """ "14:00 IST", "2:00 PM BST": a moment already on the therapist's clock, with the
    abbreviation in force at that moment (so one either side of a clock change reads right)."""
    return f"{format_clock(moment)} {format_zone_abbrev(moment)}"


def _span_with_zone(start: datetime, end: datetime) -> tuple[str, str]:
    """The two ends of a span on one day, the zone said once after the end when both are
    on one offset ("16:30", "18:00 GMT"), after each when a clock change falls between them
    ("00:30 GMT", "03:00 BST")."""
    if format_zone_abbrev(start) == format_zone_abbrev(end):
        return format_clock(start), _clock_with_zone(end)
    return _clock_with_zone(start), _clock_with_zone(end)


def _hours_with_zone(day: date, start: time, end: time, tz: Any) -> str:
    """A day's other working hours on the therapist's clock, with the zone: "09:00–13:00
    GMT"; a span a clock change falls in says each end's ("00:30 GMT–03:00 BST"), and one
    past midnight says "(next day)", as ``span_text`` does; midnight to midnight is "all
    day" (it read "00:00–00:00 (next day)")."""
    if start == end == time(0, 0):
        return _("all day")
    begins = datetime.combine(day, start, tz)
    ends_on = day if end != time(0, 0) and end > start else day + timedelta(days=1)
    finishes = datetime.combine(ends_on, end, tz)
    next_day = " " + _("(next day)") if ends_next_day(start, end) else ""
    if format_zone_abbrev(begins) == format_zone_abbrev(finishes):
        return f"{format_clock(start)}–{_clock_with_zone(finishes)}{next_day}"
    return f"{_clock_with_zone(begins)}–{_clock_with_zone(finishes)}{next_day}"


def _time_off_marks(
    time_off: Iterable[tuple[datetime, datetime, str]], zone: str, first: date, last: date
) -> dict[date, list[str]]:
    tz = validate_zone(zone)
    marks: dict[date, list[str]] = {}
    for start, end, reason in time_off:
        local_start, local_end = start.astimezone(tz), end.astimezone(tz)
        day = max(local_start.date(), first)
        while day <= last and datetime.combine(day, time(0, 0), tz) < local_end:
            begins = local_start if local_start.date() == day else None
            finishes = local_end if local_end.date() == day else None
            if finishes is not None and finishes.time() == time(0, 0):
                break  # ends at this day's midnight: nothing of this day
            if begins is None and finishes is None:
                text = _("Time off all day")
            elif begins is not None and finishes is not None:
                shown_start, shown_end = _span_with_zone(begins, finishes)
                text = _("Time off %(start)s–%(end)s") % {"start": shown_start, "end": shown_end}
            elif begins is not None:
                text = (
                    _("Time off all day")
                    if begins.time() == time(0, 0)
                    else _("Time off from %(time)s") % {"time": _clock_with_zone(begins)}
                )
            else:
                assert finishes is not None
                text = _("Time off until %(time)s") % {"time": _clock_with_zone(finishes)}
            if reason:
                text += f" ({reason})"
            marks.setdefault(day, []).append(text)
            day += timedelta(days=1)
    return marks


def build_month(
    first: date,
    *,
    today: date,
    zone: str,
    overrides: dict[date, list[tuple[time, time]]],
    time_off: Iterable[tuple[datetime, datetime, str]],
) -> Month:
    """The weeks (Monday first) covering the month of ``first``, each date marked."""
    first = month_of(first)
    weeks_of_days = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    last_shown = weeks_of_days[-1][-1]
    leave = _time_off_marks(time_off, zone, weeks_of_days[0][0], last_shown)
    weeks = []
    for week in weeks_of_days:
        cells = []
        for day in week:
            cell = DayCell(day=day, in_month=day.month == first.month, is_today=day == today)
            if day in overrides:
                spans = overrides[day]
                if spans:
                    tz = validate_zone(zone)
                    hours = ", ".join(_hours_with_zone(day, s, e, tz) for s, e in spans)
                    cell.marks.append(_("Other hours: %(hours)s") % {"hours": hours})
                else:
                    cell.marks.append(_("Not working"))
            cell.marks.extend(leave.get(day, []))
            cells.append(cell)
        weeks.append(cells)
    return Month(first=first, weeks=weeks)


def overrides_by_day(rows: Iterable[tuple[date, Any, Any]]) -> dict[date, list[tuple[time, time]]]:
    """Stored override rows (day, start, end) grouped by date; a date without times is off."""
    found: dict[date, list[tuple[time, time]]] = {}
    for day, start, end in rows:
        found.setdefault(day, [])
        if start is not None and end is not None:
            found[day].append((start, end))
    for spans in found.values():
        spans.sort()
    return found
