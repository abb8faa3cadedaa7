"""The player's script of steps and the weekly adherence count (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehabit.care.adherence import week_bounds, weekly_adherence, weekly_plan
from rehabit.care.player import SWITCH_SECONDS, session_steps, total_seconds
from rehabit.clinical.exercises import load_exercises
from rehabit.clinical.program import dosage_dict


def kinds(steps: list[dict]) -> list[str]:
    return [s["kind"] for s in steps]


def hold_dosage(**fields: object) -> dict[str, object]:
    """A hold dosage as the library stores it (``dosage_dict``)."""
    return {"kind": "hold", **fields}


def test_a_stretch_on_both_sides_alternates_sides_with_rests_between_sets() -> None:
    dosage = hold_dosage(sides="both", sets=2, reps=1, hold_seconds=30, rest_seconds=15,
                         per_day=1, days_per_week=5)  # fmt: skip
    steps = session_steps(dosage)
    assert kinds(steps) == ["hold", "switch", "hold", "rest", "hold", "switch", "hold"]
    assert [s.get("side") for s in steps if s["kind"] == "hold"] == ["left", "right"] * 2
    assert steps[1]["seconds"] == SWITCH_SECONDS and steps[3]["seconds"] == 15
    assert "Set 1 of 2" in steps[0]["detail"] and "Left side" in steps[0]["detail"]
    assert "30 seconds" in steps[0]["announce"]
    assert total_seconds(steps) == 4 * 30 + 2 * SWITCH_SECONDS + 15


def test_holds_repeated_on_the_sore_side_rest_between_repetitions() -> None:
    dosage = hold_dosage(sides="affected", sets=1, reps=3, hold_seconds=20, rest_seconds=10,
                         per_day=2, days_per_week=7)  # fmt: skip
    steps = session_steps(dosage)
    assert kinds(steps) == ["hold", "rest", "hold", "rest", "hold"]
    assert [s["detail"] for s in steps if s["kind"] == "hold"][2].startswith("Hold 3 of 3")
    assert all(s.get("side") == "affected" for s in steps if s["kind"] == "hold")


def test_repeated_holds_are_counted_as_holds_on_screen_and_aloud() -> None:
    """A hold dosage's "reps" are holds: "Hold 2 of 5", never "Rep 2 of 5" (phone walk)."""
    dosage = hold_dosage(sides="affected", sets=2, reps=5, hold_seconds=30, rest_seconds=30,
                         per_day=2, days_per_week=7)  # fmt: skip
    holds = [s for s in session_steps(dosage) if s["kind"] == "hold"]
    assert [s["detail"] for s in holds[:2]] == [
        "Hold 1 of 5 · Set 1 of 2 · Your sore side",
        "Hold 2 of 5 · Set 1 of 2 · Your sore side",
    ]
    assert holds[1]["title"] == "Hold"
    assert holds[1]["announce"] == "Hold 2 of 5, Set 1 of 2, Your sore side. 30 seconds."
    assert holds[-1]["announce"] == "Hold 5 of 5, Set 2 of 2, Your sore side. 30 seconds."
    # A single hold is not counted; the announcement still says what to do.
    once = session_steps({**dosage, "sets": 1, "reps": 1, "sides": "none"})
    assert once[0]["detail"] == "" and once[0]["announce"] == "Hold. Once. 30 seconds."
    # Every hold in the library reads as holds; exercises with repetitions keep theirs.
    for exercise in load_exercises():
        for step in session_steps(dosage_dict(exercise)):
            said = f"{step['title']} | {step['detail']} | {step['announce']}"
            assert "Rep " not in said, (exercise.id, said)
            if step["kind"] == "reps":
                assert said.startswith(f"Do {step['reps']} repetitions"), (exercise.id, said)


def test_repetitions_are_counted_per_set_and_side_and_a_walk_is_one_countdown() -> None:
    reps = {
        "kind": "reps",
        "sides": "both",
        "sets": 2,
        "reps": 8,
        "rest_seconds": 60,
        "per_day": 1,
        "days_per_week": 3,
    }
    assert kinds(session_steps(reps)) == [
        "reps",
        "switch",
        "reps",
        "rest",
        "reps",
        "switch",
        "reps",
    ]
    assert session_steps(reps)[0]["reps"] == 8
    walk = session_steps({"kind": "duration", "sides": "none", "minutes": 10})
    assert kinds(walk) == ["duration"] and walk[0]["seconds"] == 600


@pytest.mark.parametrize("exercise", load_exercises(), ids=lambda e: e.id)
def test_every_library_exercise_has_a_playable_script(exercise) -> None:
    dosage = dosage_dict(exercise)
    steps = session_steps(dosage)
    assert steps and steps[-1]["kind"] not in ("rest", "switch")  # never ends on a rest
    for step in steps:
        assert step["title"] and step["announce"]
        if step["kind"] in ("hold", "rest", "switch", "duration"):
            assert isinstance(step["seconds"], int) and step["seconds"] > 0
    work = [s for s in steps if s["kind"] in ("hold", "reps", "duration")]
    sides = 2 if dosage["sides"] == "both" else 1
    if dosage["kind"] == "hold":
        assert len(work) == dosage["sets"] * dosage["reps"] * sides
    elif dosage["kind"] == "reps":
        assert len(work) == dosage["sets"] * sides


def test_the_most_frequent_exercise_sets_the_sessions_planned() -> None:
    plan = weekly_plan(
        [
            {"per_day": 1, "days_per_week": 3},
            {"per_day": 2, "days_per_week": 7},
            {"per_day": 1, "days_per_week": 5},
        ]
    )
    assert (plan.sessions, plan.per_day, plan.days_per_week) == (14, 2, 7)
    assert weekly_plan([]).sessions == 0


def test_the_week_runs_monday_to_sunday_in_the_persons_zone() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    # Sunday 23:30 UTC is already Monday morning in Tokyo.
    now = datetime(2026, 3, 8, 23, 30, tzinfo=UTC)
    start, end = week_bounds(now, tokyo)
    assert start.date() == date(2026, 3, 9) and start.tzinfo == tokyo
    assert end - start == timedelta(days=7)
    utc_start, _ = week_bounds(now, UTC)
    assert utc_start.date() == date(2026, 3, 2)
    logged = [datetime(2026, 3, 8, 22, 0, tzinfo=UTC), datetime(2026, 3, 9, 1, 0, tzinfo=UTC)]
    dosages = [{"per_day": 1, "days_per_week": 5}]
    assert weekly_adherence(logged, dosages, now=now, zone=UTC).done == 1
    in_tokyo = weekly_adherence(logged, dosages, now=now, zone=tokyo)
    assert (in_tokyo.done, in_tokyo.planned) == (2, 5)  # both fall on Monday in Tokyo
    assert (in_tokyo.week_start, in_tokyo.week_end) == (date(2026, 3, 9), date(2026, 3, 15))


def test_the_week_a_program_began_plans_only_the_days_left() -> None:
    """A program started on a Saturday asks for two days' worth that week, not 14 sittings
    it can no longer reach; a week before it began plans nothing; later weeks all of it."""
    daily = [{"per_day": 2, "days_per_week": 7}]
    three_days = [{"per_day": 1, "days_per_week": 3}]
    saturday = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    sunday_night = datetime(2026, 12, 6, 21, 0, tzinfo=UTC)
    first = weekly_adherence([], daily, now=saturday, zone=UTC, began=saturday)
    assert (first.planned, first.days, first.began_on) == (4, 2, saturday.date())
    assert first.short_first_week  # the page says why it is 4, not 14
    assert weekly_adherence([], three_days, now=saturday, zone=UTC, began=saturday).planned == 1
    tuesday = saturday - timedelta(days=4)  # three days a week still fit from a Tuesday
    assert not weekly_adherence(
        [], three_days, now=saturday, zone=UTC, began=tuesday
    ).short_first_week
    # Saturday 12:00 UTC is already Sunday 01:00 in Auckland: one day left there.
    noon = saturday + timedelta(hours=2)
    auckland = ZoneInfo("Pacific/Auckland")
    assert weekly_adherence([], daily, now=noon, zone=auckland, began=noon).planned == 2
    later = sunday_night + timedelta(days=1)
    full = weekly_adherence([], daily, now=later, zone=UTC, began=saturday)
    assert (full.planned, full.days, full.began_on, full.short_first_week) == (14, 7, None, False)
    before = saturday - timedelta(days=7)
    assert weekly_adherence([], daily, now=before, zone=UTC, began=saturday).planned == 0
    monday = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # began at the very start of the week
    assert weekly_adherence([], daily, now=saturday, zone=UTC, began=monday).planned == 14


def test_a_week_across_a_clock_change_is_still_monday_to_monday() -> None:
    london = ZoneInfo("Europe/London")
    start, end = week_bounds(datetime(2026, 3, 28, 12, tzinfo=UTC), london)  # DST on the 29th
    assert start.date() == date(2026, 3, 23) and end.date() == date(2026, 3, 30)
    assert (end - start) == timedelta(days=7)  # wall-clock days; 167 real hours


@given(
    st.lists(
        st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31)), max_size=30
    ),
    st.integers(1, 6),
    st.integers(1, 7),
)
def test_done_counts_only_this_weeks_sessions(moments, per_day, days) -> None:
    now = datetime(2026, 6, 17, 12, tzinfo=UTC)
    logged = [m.replace(tzinfo=UTC) for m in moments]
    result = weekly_adherence(
        logged, [{"per_day": per_day, "days_per_week": days}], now=now, zone=UTC
    )
    start, end = week_bounds(now, UTC)
    assert result.done == sum(1 for m in logged if start <= m < end)
    assert result.planned == per_day * days
    assert 0 <= result.meter_value <= result.planned
