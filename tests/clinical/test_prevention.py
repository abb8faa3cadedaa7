"""The prevention programme's core: routines from the exercise library, the Nordic curl's
week-by-week plan as in the trial, and the checks on the data."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from rehabit.care.player import session_steps
from rehabit.clinical.datafiles import load_yaml
from rehabit.clinical.exercises import get_exercise
from rehabit.clinical.prevention import (
    MAX_WEEK,
    PreventionDataError,
    load_prevention,
    parse_prevention,
    week_of_plan,
)


def test_routines_cover_warm_up_nordic_hip_extension_and_sitting_breaks() -> None:
    program = load_prevention()
    assert set(program.routines) == {"warm_up", "strength", "desk_break"}
    ids = {r: [i.exercise_id for i in program.routines[r].items] for r in program.routines}
    assert {"easy_jog", "build_up_runs", "leg_swings", "forward_lunge"} == set(ids["warm_up"])
    assert ids["strength"][0] == "nordic_hamstring_curl"
    assert {"single_leg_bridge", "hip_hinge"} <= set(ids["strength"])  # hip extensors
    assert "walking_programme" in ids["desk_break"]
    for routine in program.routines.values():
        for item in routine.items:
            get_exercise(item.exercise_id)  # every exercise is in the library


def test_the_nordic_plan_follows_the_trial_week_by_week() -> None:
    """[57]: one session of 2 x 5 in week one, up to three sessions of 12, 10 and 8, 27
    sessions over ten weeks, then one session a week to keep the effect."""
    program = load_prevention()
    assert program.nordic_dosage(1)["reps_per_set"] == [5, 5]
    assert program.nordic_dosage(1)["days_per_week"] == 1
    assert program.nordic_dosage(2)["reps_per_set"] == [6, 6]
    for week in range(5, 11):
        assert program.nordic_dosage(week)["reps_per_set"] == [12, 10, 8]
        assert program.nordic_dosage(week)["days_per_week"] == 3
    assert sum(program.nordic_stage(w).sessions_per_week for w in range(1, 11)) == 27
    for week in (11, 52, MAX_WEEK):
        assert program.nordic_dosage(week)["days_per_week"] == 1
    assert program.nordic_source == "[57]"


@pytest.mark.parametrize("week", [0, -1, MAX_WEEK + 1, True, "3"])
def test_a_week_outside_the_plan_is_refused(week: Any) -> None:
    with pytest.raises(ValueError, match="week must be"):
        load_prevention().nordic_stage(week)


def test_the_player_counts_each_set_of_the_week() -> None:
    steps = session_steps(load_prevention().nordic_dosage(6))
    counted = [s["reps"] for s in steps if s["kind"] == "reps"]
    assert counted == [12, 10, 8]
    assert [s["kind"] for s in steps] == ["reps", "rest", "reps", "rest", "reps"]


@pytest.mark.parametrize(
    ("first", "today", "week"),
    [
        (None, date(2027, 1, 13), 1),
        (date(2027, 1, 13), date(2027, 1, 13), 1),
        (date(2027, 1, 13), date(2027, 1, 19), 1),
        (date(2027, 1, 13), date(2027, 1, 20), 2),
        (date(2027, 1, 13), date(2027, 3, 24), 11),
        (date(2027, 1, 14), date(2027, 1, 13), 1),  # a first session "tomorrow": week 1
        (date(1990, 1, 1), date(2027, 1, 13), MAX_WEEK),
    ],
)
def test_week_of_plan(first: date | None, today: date, week: int) -> None:
    assert week_of_plan(first, today) == week


@pytest.fixture
def raw() -> dict[str, Any]:
    return copy.deepcopy(load_yaml("prevention.yaml"))


def _refused(data: dict[str, Any]) -> str:
    with pytest.raises(PreventionDataError) as caught:
        parse_prevention(data)
    return str(caught.value)


def test_a_gap_in_the_nordic_plan_is_refused(raw: dict[str, Any]) -> None:
    raw["nordic_progression"]["stages"][1]["first_week"] = 3
    assert "without gaps" in _refused(raw)


def test_an_unknown_exercise_is_refused(raw: dict[str, Any]) -> None:
    raw["routines"][0]["exercises"][0]["exercise"] = "cartwheel"
    assert "cartwheel" in _refused(raw)


def test_an_own_dosage_needs_its_source(raw: dict[str, Any]) -> None:
    del raw["routines"][2]["exercises"][0]["dosage_source"]
    assert "dosage_source" in _refused(raw)


def test_an_evidence_claim_without_a_grade_is_refused(raw: dict[str, Any]) -> None:
    del raw["evidence"][0]["grade"]
    assert "grade" in _refused(raw)


def test_the_nordic_plan_is_only_for_the_nordic_curl(raw: dict[str, Any]) -> None:
    raw["routines"][1]["exercises"][1]["nordic_plan"] = True
    assert "only for the Nordic curl" in _refused(raw)
