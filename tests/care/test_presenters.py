"""The progression sentences name a level as a person reads it."""

from __future__ import annotations

from rehabit.care.presenters import explain

START = "No session is logged yet, so you start at {level_name}."


def test_a_family_of_one_exercise_is_named_by_the_exercise_alone() -> None:
    # Phone walk 5 read "Progress: ... level 1 (Walking)" for an exercise with no levels.
    walking = explain(START, {"level_exercises": {"1": "walking_programme"}}, 1, 1)
    assert walking == "No session is logged yet, so you start at Walking."


def test_a_ladder_names_the_level_and_its_exercise() -> None:
    ladder = {"1": "seated_isometric_knee_flexion", "2": "isometric_heel_dig"}
    text = explain(START, {"level_exercises": ladder}, 1, 1)
    assert text == "No session is logged yet, so you start at level 1 (Seated heel press)."
    assert explain(START, {}, 2, 2) == "No session is logged yet, so you start at level 2."
