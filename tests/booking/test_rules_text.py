"""The scheduling engine's refusals reach a therapist in words made from translatable
strings (``rehabit.booking.rules_text``), never as the engine's English sentence: every
code the engine raises has a message, filled from the parameters a real refusal carries."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from rehabit.booking.rules_text import MESSAGES, explain
from rehabit.scheduling import RulesError, rules
from rehabit.scheduling.rules import (
    AvailabilityRules,
    DateOverride,
    SessionType,
    TimeOff,
    WeeklyHours,
    parse_wall_time,
)

MONDAY_9_TO_5 = WeeklyHours.from_mapping({0: [("09:00", "17:00")]})
ONE_KIND = (SessionType("first", 45),)


def _rules(**changes: Any) -> AvailabilityRules:
    fields: dict[str, Any] = {
        "zone": "Europe/London",
        "weekly_hours": MONDAY_9_TO_5,
        "session_types": ONE_KIND,
    }
    return AvailabilityRules(**{**fields, **changes})


# One real refusal of each kind, and what the therapist reads for it.
REFUSALS: list[tuple[Callable[[], object], str]] = [
    (lambda: parse_wall_time("25:00"), "“25:00” is not a time of day; write it like 09:00."),
    (lambda: parse_wall_time(time(9, 0, tzinfo=UTC)), "times on your own clock"),
    (lambda: parse_wall_time(time(9, 0, 30)), "leave out the seconds"),
    (lambda: WeeklyHours.from_mapping({0: ["09:00"]}), "“09:00” is not a time span"),
    (
        lambda: WeeklyHours.from_mapping({2: [("09:00", "12:00"), ("11:00", "13:00")]}),
        "The hours 09:00-12:00 and 11:00-13:00 on Wednesday overlap.",
    ),
    (
        lambda: DateOverride(date(2026, 12, 24), (("09:00", "12:00"), ("10:00", "11:00"))),
        "on 24 Dec 2026 overlap.",
    ),
    (lambda: WeeklyHours(((),) * 6), "an entry for each day of the week"),
    (lambda: WeeklyHours.from_mapping({7: []}), "“7” is not a day of the week."),
    (lambda: DateOverride(datetime(2026, 12, 24, 9, 0)), "for a calendar date"),  # type: ignore[arg-type]
    (
        lambda: TimeOff(datetime(2026, 12, 24, 9), datetime(2026, 12, 25, 9)),
        "with their time zone",
    ),
    (
        lambda: TimeOff(datetime(2026, 12, 25, 9, tzinfo=UTC), datetime(2026, 12, 24, tzinfo=UTC)),
        "Time off must end after it starts.",
    ),
    (lambda: SessionType("", 45), "a name of its own"),
    (lambda: SessionType("first", 0), "A session's length must be a whole number from 1 to 1440."),
    (lambda: _rules(buffer_before_minutes=-5), "The break before a session must be"),
    (lambda: _rules(buffer_after_minutes=2000), "The break after a session must be"),
    (lambda: _rules(minimum_notice_minutes=-1), "The minimum notice must be"),
    (lambda: _rules(horizon_days=0), "How far ahead sessions can be booked (days) must be"),
    (lambda: _rules(slot_step_minutes=0), "The step between start times must be"),
    (lambda: _rules(daily_maximum=0), "The most sessions in a day must be"),
    (lambda: _rules(weekly_hours={}), "an entry for each day of the week"),
    (lambda: _rules(session_types=ONE_KIND * 2), "a name of its own"),
    (
        lambda: _rules(overrides=(DateOverride(date(2026, 12, 24)),) * 2),
        "There are two sets of changed hours for 24 Dec 2026.",
    ),
]


def _codes_in_the_engine() -> set[str]:
    """Every code given to RulesError in scheduling/rules.py (its second argument)."""
    tree = ast.parse(inspect.getsource(rules))
    codes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "RulesError":
            assert len(node.args) >= 2, f"line {node.lineno}: a RulesError without a code"
            assert isinstance(node.args[1], ast.Constant)
            codes.add(node.args[1].value)
    return codes


def test_every_code_the_engine_raises_has_a_message_and_a_test() -> None:
    codes = _codes_in_the_engine()
    assert codes == set(MESSAGES)
    seen = set()
    for make, _wanted in REFUSALS:
        with pytest.raises(RulesError) as refused:
            make()
        seen.add(refused.value.code)
    assert seen == codes


@pytest.mark.parametrize(("make", "wanted"), REFUSALS)
def test_each_refusal_is_told_in_words_from_the_catalogue(
    make: Callable[[], object], wanted: str
) -> None:
    with pytest.raises(RulesError) as refused:
        make()
    assert wanted in explain(refused.value)


def test_a_refusal_the_booking_app_made_is_shown_as_it_is() -> None:
    assert explain(RulesError("Already in your language.")) == "Already in your language."
