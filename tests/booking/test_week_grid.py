"""The rules of the usual-week grid and the pasted-hours import (rehabit.booking.week_grid),
which the availability page, onboarding and the API all use."""

from __future__ import annotations

from datetime import time

import pytest

from rehabit.booking.week_grid import (
    Range,
    check_day,
    check_week,
    parse_pasted_week,
    rows_from_post,
    rows_of,
    span_text,
)


def spans(*pairs: tuple[str, str]) -> list[tuple[time, time]]:
    return [(time.fromisoformat(a), time.fromisoformat(b)) for a, b in pairs]


def test_two_ranges_with_a_break_are_kept_in_order() -> None:
    check = check_day([Range("13:00", "17:00"), Range("09:00", "12:00")], "Monday")
    assert check.ok
    assert check.spans == spans(("09:00", "12:00"), ("13:00", "17:00"))


def test_blank_rows_are_ignored_and_an_empty_day_is_a_day_off() -> None:
    check = check_day([Range(), Range(" ", "")], "Sunday")
    assert check.ok and check.spans == []


@pytest.mark.parametrize(
    ("row", "part", "words"),
    [
        (Range("12:00", "09:00"), "end", "the end (09:00) is before the start (12:00)"),
        (Range("09:00", "09:00"), "end", "it ends when it starts (09:00)"),
        (Range("09:00", ""), "end", "give both a start and an end"),
        (Range("", "17:00"), "start", "give both a start and an end"),
        (Range("9 o'clock", "17:00"), "start", "Give a time as HH:MM"),
        (Range("09:00", "17:00:30"), "end", "whole minutes"),
        (Range("22:00", "23:00", next_day=True), "end", "must end by 22:00"),
    ],
)
def test_each_mistake_is_named_at_its_field(row: Range, part: str, words: str) -> None:
    check = check_day([Range("06:00", "07:00"), row], "Tuesday")
    assert not check.ok and check.spans == []
    messages = check.errors[(1, part)]
    assert any(words in m for m in messages), messages
    assert all(m.startswith("Tuesday, range 2") for m in messages)


def test_overlapping_ranges_are_refused_on_the_later_one() -> None:
    check = check_day([Range("09:00", "12:00"), Range("11:30", "14:00")], "Wednesday")
    assert list(check.errors) == [(1, "start")]
    assert "11:30–14:00 overlaps 09:00–12:00" in check.errors[(1, "start")][0]


def test_touching_ranges_are_fine() -> None:
    assert check_day([Range("09:00", "12:00"), Range("12:00", "14:00")], "Thursday").ok


def test_midnight_ends_a_day_and_a_night_range_must_say_so() -> None:
    assert check_day([Range("18:00", "00:00")], "Friday").spans == spans(("18:00", "00:00"))
    night = check_day([Range("22:00", "02:00", next_day=True)], "Saturday")
    assert night.spans == spans(("22:00", "02:00"))
    whole = check_day([Range("00:00", "00:00", next_day=True)], "Sunday")
    assert whole.spans == spans(("00:00", "00:00"))


def test_a_night_range_may_not_run_into_the_next_days_hours() -> None:
    checks = check_week({5: [Range("22:00", "03:00", next_day=True)], 6: [Range("02:00", "06:00")]})
    assert checks[5].ok and not checks[6].ok
    assert "starts before Saturday's 22:00–03:00" in checks[6].errors[(0, "start")][0]
    sunday_into_monday = check_week(
        {6: [Range("23:00", "01:00", next_day=True)], 0: [Range("00:30", "05:00")]}
    )
    assert not sunday_into_monday[0].ok


def test_stored_spans_come_back_as_the_same_rows() -> None:
    stored = spans(("09:00", "12:00"), ("22:00", "02:00"), ("00:00", "00:00"), ("13:00", "00:00"))
    rows = rows_of(stored)
    assert Range("22:00", "02:00", next_day=True) in rows
    assert Range("13:00", "00:00", next_day=False) in rows
    for row in rows:
        again = check_day([row], "Monday")
        assert again.ok, again.errors
    assert span_text(time(22), time(2)) == "22:00–02:00 (next day)"


def test_rows_are_read_from_a_form_by_prefix_and_index() -> None:
    data = {
        "d0-1-start": "13:00",
        "d0-1-end": "17:00",
        "d0-0-start": "09:00",
        "d0-0-end": "12:00",
        "d0-0-next": "1",
        "d1-0-start": "08:00",
        "o-0-start": "10:00",
        "csrfmiddlewaretoken": "x",
    }
    assert rows_from_post(data, "d0") == [
        Range("09:00", "12:00", next_day=True),
        Range("13:00", "17:00"),
    ]
    assert rows_from_post(data, "d1") == [Range("08:00", "")]
    assert rows_from_post(data, "d2") == []


def test_pasted_hours_fill_the_week() -> None:
    pasted = parse_pasted_week(
        "Monday: 09:00-12:00, 13:00-17:00\nTue-Thu 8:30–16:00\n\nsat 22:00 to 02:00\nSunday: off\n"
    )
    assert pasted.errors == []
    assert pasted.days[0] == [Range("09:00", "12:00"), Range("13:00", "17:00")]
    assert pasted.days[1] == pasted.days[2] == pasted.days[3] == [Range("08:30", "16:00")]
    assert pasted.days[5] == [Range("22:00", "02:00", next_day=True)]
    assert pasted.days[6] == [] and 4 not in pasted.days


def test_seven_lines_without_day_names_are_the_old_format() -> None:
    text = "09:00-17:00\n09:00-17:00\n10:00-14:00\n09:00-17:00\n09:00-13:00\n-\n-"
    pasted = parse_pasted_week(text)
    assert pasted.errors == [] and pasted.days[2] == [Range("10:00", "14:00")]
    assert pasted.days[5] == [] and pasted.days[6] == []


def test_pasted_text_with_a_problem_fills_nothing_and_names_the_line() -> None:
    pasted = parse_pasted_week("Monday: 09:00-12:00\nFunday: 09:00-17:00\nTuesday: nine to five")
    assert pasted.days == {}
    assert pasted.errors[0].startswith("Line 2 (“Funday: 09:00-17:00”)")
    assert "Line 3" in pasted.errors[1] and "not a time range" in pasted.errors[1]
    twice = parse_pasted_week("Mon-Wed 09:00-17:00\nWednesday 10:00-12:00")
    assert "Line 2: Wednesday is given twice." in twice.errors
    assert parse_pasted_week("   \n").errors == ["Paste your hours first: one day per line."]
