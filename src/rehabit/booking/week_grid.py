"""Working hours as rows of time ranges: read from a grid of time pickers or from pasted
text, checked with one message per field, and turned into the spans the slot engine uses.

A range is a start and an end on the therapist's wall clock. An end of 00:00 is
midnight; a range that runs past midnight says so explicitly (``next_day``), so an end
typed before the start by mistake is caught instead of silently becoming a night shift.
The same checks serve the availability page, onboarding and the API: what one accepts,
all accept. Nothing here touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import time

from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from rehabit.core.inputs import InputRefused, parse_time
from rehabit.core.timefmt import format_clock

MAX_RANGES_PER_DAY = 12
MINUTES_PER_DAY = 24 * 60
MIDNIGHT = time(0, 0)
# Field names of a row: "<prefix><index>-start", "-end", "-next".
_ROW_FIELD = re.compile(r"^(?P<prefix>[a-z]+\d*)-(?P<row>\d{1,3})-(?P<part>start|end|next)$")


@dataclass(frozen=True)
class Range:
    """One row as typed: the texts are kept so a page can show them back unchanged."""

    start: str = ""
    end: str = ""
    next_day: bool = False

    @property
    def is_blank(self) -> bool:
        return not self.start.strip() and not self.end.strip()


@dataclass
class DayCheck:
    """The outcome of checking one day's rows: spans when all is well, else messages
    keyed by (row index, "start" | "end" | "row"); row -1 is the whole day."""

    ranges: list[Range]
    spans: list[tuple[time, time]] = field(default_factory=list)
    errors: dict[tuple[int, str], list[str]] = field(default_factory=dict)

    def add(self, row: int, part: str, message: str) -> None:
        self.errors.setdefault((row, part), []).append(message)

    @property
    def ok(self) -> bool:
        return not self.errors

    def messages(self) -> list[str]:
        return [m for key in sorted(self.errors) for m in self.errors[key]]


def day_name(weekday: int) -> str:
    return str(WEEKDAYS[weekday])


def _clock(value: time) -> str:
    """ "16:30": a time picker's value (``<input type="time">`` reads and sends 24-hour
    "HH:MM" whatever the reader's clock), never shown as text."""
    return value.strftime("%H:%M")


def _shown(value: time) -> str:
    """ "16:30", or "4:30 PM" in American English: a time in a sentence or a list."""
    return format_clock(value)


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def span_text(start: time, end: time) -> str:
    """ "09:00–12:00" ("9:00 AM–12:00 PM" in American English); a span past midnight ends
    "…–02:00 (next day)"."""
    text = f"{_shown(start)}–{_shown(end)}"
    if ends_next_day(start, end):
        text += " " + _("(next day)")
    return text


def hours_text(start: time, end: time) -> str:
    """A span of working hours as shown: "All day" for midnight to midnight (it read
    "00:00–00:00 (next day)"), else ``span_text``."""
    if start == end == MIDNIGHT:
        return _("All day")
    return span_text(start, end)


def ends_next_day(start: time, end: time) -> bool:
    """Does a span of hours end on the next day's clock (past midnight, not at it)?"""
    return end != MIDNIGHT and _minutes(end) <= _minutes(start) or start == end == MIDNIGHT


def _parse(value: str, which: str, row_label: str, check: DayCheck, row: int) -> time | None:
    try:
        parsed = parse_time(value)
    except InputRefused as refused:
        check.add(row, which, f"{row_label}: {refused.message}")
        return None
    if parsed.second or parsed.microsecond:
        check.add(row, which, _("%(row)s: give whole minutes (HH:MM).") % {"row": row_label})
        return None
    return parsed


def _row_label(where: str, row: int) -> str:
    return _("%(where)s, range %(number)d") % {"where": where, "number": row + 1}


def check_day(
    ranges: Iterable[Range], where: str, *, spill_until: int = 0, spill_from: str = ""
) -> DayCheck:
    """Check one day's rows (``where`` names the day in messages).

    ``spill_until``: minutes after midnight until which the previous day's range past
    midnight still runs (``spill_from`` says which), so this day may not start before.
    """
    rows = list(ranges)
    check = DayCheck(ranges=rows)
    filled = [(i, r) for i, r in enumerate(rows) if not r.is_blank or r.next_day]
    if len(filled) > MAX_RANGES_PER_DAY:
        check.add(
            -1,
            "row",
            _("%(where)s: at most %(count)d ranges a day.")
            % {"where": where, "count": MAX_RANGES_PER_DAY},
        )
        return check
    good: list[tuple[int, int, int, time, time]] = []  # (start min, end min, row, start, end)
    for index, item in filled:
        label = _row_label(where, index)
        if not item.start.strip() or not item.end.strip():
            missing = "start" if not item.start.strip() else "end"
            check.add(
                index,
                missing,
                _("%(row)s: give both a start and an end, or leave both empty.") % {"row": label},
            )
            continue
        start = _parse(item.start, "start", label, check, index)
        end = _parse(item.end, "end", label, check, index)
        if start is None or end is None:
            continue
        begin, finish = _minutes(start), _minutes(end)
        if item.next_day:
            if finish > begin:
                check.add(
                    index,
                    "end",
                    _(
                        "%(row)s: a range that ends the next day must end by %(start)s, "
                        "or it would last more than 24 hours. Untick “ends the next day” "
                        "if it ends on the same day."
                    )
                    % {"row": label, "start": _shown(start)},
                )
                continue
            finish += MINUTES_PER_DAY
        elif end == MIDNIGHT and begin > 0:
            finish = MINUTES_PER_DAY
        elif finish == begin:
            check.add(
                index,
                "end",
                _("%(row)s: it ends when it starts (%(time)s). Give an end after the start.")
                % {"row": label, "time": _shown(start)},
            )
            continue
        elif finish < begin:
            check.add(
                index,
                "end",
                _(
                    "%(row)s: the end (%(end)s) is before the start (%(start)s). For hours "
                    "past midnight, tick “ends the next day”."
                )
                % {"row": label, "end": _shown(end), "start": _shown(start)},
            )
            continue
        good.append((begin, finish, index, start, end))
    good.sort()
    if good and spill_until and good[0][0] < spill_until:
        begin, _finish, index, start, end = good[0]
        check.add(
            index,
            "start",
            _("%(row)s: %(span)s starts before %(other)s ends.")
            % {"row": _row_label(where, index), "span": span_text(start, end), "other": spill_from},
        )
    for before, after in zip(good, good[1:], strict=False):
        if after[0] < before[1]:
            check.add(
                after[2],
                "start",
                _("%(row)s: %(span)s overlaps %(other)s. Ranges on one day must not overlap.")
                % {
                    "row": _row_label(where, after[2]),
                    "span": span_text(after[3], after[4]),
                    "other": span_text(before[3], before[4]),
                },
            )
    if check.ok:
        check.spans = [(start, end) for _b, _f, _i, start, end in good]
    return check


def check_week(days: Mapping[int, list[Range]]) -> dict[int, DayCheck]:
    """Check all seven days, including a range past midnight running into the next day
    (Sunday's runs into Monday)."""
    checks: dict[int, DayCheck] = {}
    for weekday in range(7):
        checks[weekday] = check_day(days.get(weekday, []), day_name(weekday))
    for weekday in range(7):
        before = checks[(weekday - 1) % 7]
        spill = [(s, e) for s, e in before.spans if _past_midnight(s, e)]
        if not spill or not checks[weekday].ok:
            continue
        start, end = spill[-1]
        checks[weekday] = check_day(
            days.get(weekday, []),
            day_name(weekday),
            spill_until=_minutes(end),
            spill_from=_("%(day)s's %(span)s")
            % {"day": day_name((weekday - 1) % 7), "span": span_text(start, end)},
        )
    return checks


def _past_midnight(start: time, end: time) -> bool:
    return end != MIDNIGHT and _minutes(end) <= _minutes(start) or start == end == MIDNIGHT


def rows_of(spans: Iterable[tuple[time, time]]) -> list[Range]:
    """Stored spans as rows (the engine's convention: an end at or before the start is the
    next day, except 00:00, which is midnight)."""
    return [
        Range(_clock(start), _clock(end), next_day=_past_midnight(start, end))
        for start, end in sorted(spans, key=lambda s: _minutes(s[0]))
    ]


# --- Reading rows from a form ---------------------------------------------------------


def rows_from_post(data: Mapping[str, object], prefix: str) -> list[Range]:
    """The rows a grid posted under ``prefix`` ("d0", "d1" … for weekdays, "o" for a
    date), in the order of their indexes."""
    found: dict[int, dict[str, str]] = {}
    for name in data:
        match = _ROW_FIELD.match(str(name))
        if match is None or match["prefix"] != prefix:
            continue
        value = data.get(name)  # type: ignore[call-overload]
        found.setdefault(int(match["row"]), {})[match["part"]] = str(value or "")
    return [
        Range(
            row.get("start", "").strip(),
            row.get("end", "").strip(),
            next_day=bool(row.get("next")),
        )
        for _index, row in sorted(found.items())
    ][: MAX_RANGES_PER_DAY * 2]


# --- Pasted text ----------------------------------------------------------------------

_SPAN = re.compile(r"^\s*(\d{1,2}[:.]\d{2})\s*(?:-|–|—|to)\s*(\d{1,2}[:.]\d{2})\s*$", re.IGNORECASE)
_OFF_WORDS = {"off", "closed", "none", "-", "—", "not working"}


def _day_names() -> dict[str, int]:
    names: dict[str, int] = {}
    english = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    for index, word in enumerate(english):
        names[word] = names[word[:3]] = index
        names[str(WEEKDAYS[index]).lower()] = index
        names[str(WEEKDAYS_ABBR[index]).lower().rstrip(".")] = index
    names["tues"], names["thur"], names["thurs"] = 1, 3, 3
    return names


def _days_in(text: str, names: dict[str, int]) -> list[int] | None:
    """ "Monday", "mon", "Mon-Fri", "Sat, Sun" as weekday numbers (None: not days)."""
    days: list[int] = []
    for part in re.split(r"\s*(?:,|&|\band\b)\s*", text.strip().lower()):
        if not part:
            continue
        bounds = re.split(r"\s*(?:-|–|—|\bto\b)\s*", part)
        if len(bounds) == 2 and bounds[0] in names and bounds[1] in names:
            first, last = names[bounds[0]], names[bounds[1]]
            days.extend((first + step) % 7 for step in range((last - first) % 7 + 1))
        elif part in names:
            days.append(names[part])
        else:
            return None
    return days or None


def _split_line(line: str, names: dict[str, int]) -> tuple[list[int] | None, str]:
    if ":" in line and _days_in(line.split(":", 1)[0], names) is not None:
        head, rest = line.split(":", 1)
        return _days_in(head, names), rest
    match = re.match(r"^\s*([^\d]+?)\s+(?=\d|off\b|closed\b|none\b)(.*)$", line, re.IGNORECASE)
    if match and _days_in(match[1], names) is not None:
        return _days_in(match[1], names), match[2]
    bare = _days_in(line, names)
    if bare is not None:
        return bare, ""
    return None, line


@dataclass
class PastedWeek:
    """Rows per weekday read from pasted text, or the problems with it (one per line)."""

    days: dict[int, list[Range]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def parse_pasted_week(text: str) -> PastedWeek:
    """Read hours written one day (or a run of days) per line::

        Monday: 09:00-12:00, 13:00-17:00
        Tue-Thu 08:30-16:00
        Saturday 22:00-02:00      (past midnight: ends the next day)
        Sunday: off

    Seven lines without day names are Monday to Sunday, in order (the older format).
    Days not named are days off. Nothing is filled when any line has a problem.
    """
    names = _day_names()
    lines = [(n, raw.strip()) for n, raw in enumerate(text.splitlines(), 1) if raw.strip()]
    result = PastedWeek()
    if not lines:
        result.errors.append(_("Paste your hours first: one day per line."))
        return result
    unnamed = all(_split_line(line, names)[0] is None for _n, line in lines)
    for position, (number, line) in enumerate(lines):
        days, rest = _split_line(line, names)
        if days is None and unnamed and len(lines) == 7:
            days, rest = [position], line
        if days is None:
            result.errors.append(
                _(
                    "Line %(number)d (“%(line)s”): start it with a day, for example "
                    "“Monday: 09:00-17:00”."
                )
                % {"number": number, "line": line[:60]}
            )
            continue
        ranges = _ranges_in(rest, number, line, result)
        if ranges is None:
            continue
        for day in days:
            if day in result.days:
                result.errors.append(
                    _("Line %(number)d: %(day)s is given twice.")
                    % {"number": number, "day": day_name(day)}
                )
            result.days[day] = list(ranges)
    if result.errors:
        result.days = {}
    return result


def _ranges_in(rest: str, number: int, line: str, result: PastedWeek) -> list[Range] | None:
    rest = rest.strip()
    if rest.lower() in _OFF_WORDS or not rest:
        return []
    ranges: list[Range] = []
    for part in (p for p in re.split(r"[,;]", rest) if p.strip()):
        match = _SPAN.match(part)
        if match is None:
            result.errors.append(
                _(
                    "Line %(number)d (“%(line)s”): “%(part)s” is not a time range; "
                    "write it like 09:00-12:00."
                )
                % {"number": number, "line": line[:60], "part": part.strip()[:30]}
            )
            return None
        start, end = (value.replace(".", ":").zfill(5) for value in match.groups())
        if end == "24:00":
            end = "00:00"
        try:
            begin, finish = parse_time(start), parse_time(end)
        except InputRefused as refused:
            result.errors.append(
                _("Line %(number)d: %(problem)s") % {"number": number, "problem": refused.message}
            )
            return None
        ranges.append(Range(start, end, next_day=_past_midnight(begin, finish)))
    return ranges
