"""The scheduling engine's refusals in the reader's language.

``rehabit.scheduling`` has no Django import, so its ``RulesError`` carries an English
sentence together with a ``code`` and ``params``; a page shows ``explain(error)``, made
here from translatable strings. A refusal the booking app raised itself (already
translated, code "invalid") is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django.utils import formats
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from rehabit.scheduling import RulesError


def _day(params: Mapping[str, Any]) -> str:
    day = params.get("day")
    if isinstance(day, date):
        return formats.date_format(day, "DATE_FORMAT")
    if isinstance(day, int) and day in WEEKDAYS:
        return str(WEEKDAYS[day])
    return str(params.get("where", ""))


def _setting(name: object) -> str:
    names = {
        "duration": _("A session's length"),
        "buffer_before": _("The break before a session"),
        "buffer_after": _("The break after a session"),
        "minimum_notice": _("The minimum notice"),
        "horizon": _("How far ahead sessions can be booked (days)"),
        "slot_step": _("The step between start times"),
        "daily_maximum": _("The most sessions in a day"),
    }
    return names.get(str(name), _("This setting"))


MESSAGES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "not_a_time": lambda p: (
        _("“%(value)s” is not a time of day; write it like 09:00.") % {"value": p["value"]}
    ),
    "zoned_time": lambda p: _("Working hours are times on your own clock, without a zone."),
    "seconds": lambda p: _("Working hours are whole minutes: leave out the seconds."),
    "not_an_interval": lambda p: (
        _("“%(value)s” is not a time span; write it like 09:00-12:00.") % {"value": p["value"]}
    ),
    "overlap": lambda p: (
        _("The hours %(first)s and %(second)s on %(day)s overlap.")
        % {"first": p["first"], "second": p["second"], "day": _day(p)}
    ),
    "week": lambda p: _("Working hours need an entry for each day of the week."),
    "weekday": lambda p: _("“%(value)s” is not a day of the week.") % {"value": p["value"]},
    "override_day": lambda p: _("Changed hours are for a calendar date."),
    "two_overrides": lambda p: (
        _("There are two sets of changed hours for %(day)s.") % {"day": _day(p)}
    ),
    "time_off_unzoned": lambda p: _("Time off needs a start and an end with their time zone."),
    "time_off_order": lambda p: _("Time off must end after it starts."),
    "session_id": lambda p: _("Each kind of session needs a name of its own."),
    "out_of_range": lambda p: (
        _("%(setting)s must be a whole number from %(low)s to %(high)s.")
        % {"setting": _setting(p.get("setting")), "low": p["low"], "high": p["high"]}
    ),
}


def explain(error: RulesError) -> str:
    """What to tell the therapist, in the active language."""
    message = MESSAGES.get(error.code)
    return message(error.params) if message is not None else str(error)
