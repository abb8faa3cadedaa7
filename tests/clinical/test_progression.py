"""Progression by pain monitoring (evidence.md 5.5): unit and property tests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehabit.clinical.progression import (
    MORNINGS,
    SessionOutcome,
    ceiling_for,
    load_progression,
    next_step,
)

GOOD = SessionOutcome(pain_during=2, next_morning="same", settled_within_24h=True)
AMBER = SessionOutcome(pain_during=4, next_morning="same", settled_within_24h=True)
HIGH = SessionOutcome(pain_during=7, next_morning="same", settled_within_24h=True)
WORSE = SessionOutcome(pain_during=2, next_morning="worse", settled_within_24h=True)
UNSETTLED = SessionOutcome(pain_during=2, next_morning="same", settled_within_24h=False)

sessions = st.builds(
    SessionOutcome,
    pain_during=st.integers(0, 10),
    next_morning=st.sampled_from(MORNINGS),
    settled_within_24h=st.booleans(),
)


@st.composite
def family(draw: st.DrawFn) -> tuple[list[int], int]:
    """A contiguous family ladder (1..top, or a slice of it) and a current level on it."""
    low = draw(st.integers(1, 3))
    top = draw(st.integers(low, 5))
    levels = list(range(low, top + 1))
    return levels, draw(st.sampled_from(levels))


def test_green_and_settled_steps_up_one_level_with_an_explanation() -> None:
    decision = next_step([GOOD], 1, [1, 2, 3], level_names={2: "Single-leg bridge"})
    assert (decision.action, decision.to_level, decision.zone) == ("step_up", 2, "green")
    assert decision.explanation == (
        "Your pain stayed at 2/10 during the exercise and had settled by the next morning, "
        "so we moved you up to level 2 (Single-leg bridge)."
    )
    assert decision.template.format(**decision.params) == decision.explanation


def test_amber_holds() -> None:
    decision = next_step([AMBER], 2, [1, 2, 3])
    assert (decision.action, decision.to_level, decision.zone) == ("hold", 2, "amber")
    assert "4/10" in decision.explanation


def test_regression_after_high_pain() -> None:
    decision = next_step([GOOD, HIGH], 3, [1, 2, 3])
    assert (decision.action, decision.to_level, decision.zone) == ("step_down", 2, "red")
    assert "7/10" in decision.explanation and "5/10" in decision.explanation


@pytest.mark.parametrize(
    ("outcome", "reason"), [(WORSE, "worse_morning"), (UNSETTLED, "not_settled")]
)
def test_worse_next_morning_or_not_settled_steps_down(outcome: SessionOutcome, reason: str) -> None:
    decision = next_step([GOOD, outcome], 2, [1, 2, 3])
    assert (decision.action, decision.to_level, decision.reason) == ("step_down", 1, reason)


def test_worse_twice_in_a_row_suggests_booking_a_physiotherapist() -> None:
    decision = next_step([WORSE, UNSETTLED], 3, [1, 2, 3])
    assert decision.action == "book_pt" and decision.book_pt
    assert decision.to_level == 2
    assert "physiotherapist" in decision.explanation
    lowest = next_step([WORSE, WORSE], 1, [1, 2, 3])
    assert (lowest.action, lowest.to_level, lowest.reason) == ("book_pt", 1, "book_pt_lowest")


def test_worse_once_then_good_does_not_book() -> None:
    assert next_step([WORSE, GOOD], 1, [1, 2]).action == "step_up"


def test_top_and_bottom_hold_instead_of_leaving_the_family() -> None:
    top = next_step([GOOD], 3, [1, 2, 3])
    assert (top.action, top.to_level, top.reason) == ("hold", 3, "top")
    bottom = next_step([HIGH], 1, [1, 2, 3])
    assert (bottom.action, bottom.to_level, bottom.reason) == ("hold", 1, "high_pain_lowest")


def test_no_history_holds() -> None:
    decision = next_step([], 2, [1, 2, 3])
    assert (decision.action, decision.to_level, decision.zone) == ("hold", 2, "none")


def test_stricter_ceiling_for_an_acute_strain() -> None:
    rules = load_progression()
    assert rules.acute_strain_ceiling < rules.default_ceiling  # evidence.md 5.5, [61]
    assert ceiling_for(acute_strain=True) == 3
    assert ceiling_for(acute_strain=False) == 5
    assert ceiling_for(acute_strain=False, exercise_max_pain=2) == 2
    four = SessionOutcome(pain_during=4, next_morning="better", settled_within_24h=True)
    assert next_step([four], 2, [1, 2, 3]).action == "hold"
    assert next_step([four], 2, [1, 2, 3], ceiling=3).action == "step_down"


def test_gaps_in_the_ladder_are_never_jumped() -> None:
    decision = next_step([GOOD], 1, [1, 3])
    assert decision.to_level == 1 and decision.action == "hold"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (([GOOD], 4, [1, 2, 3]), "not one of"),
        (([GOOD], 1, []), "family_levels"),
        (([GOOD], 0, [0, 1]), "family_levels"),
    ],
)
def test_invalid_levels_are_rejected(args: tuple[object, ...], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        next_step(*args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"pain_during": 11, "next_morning": "same", "settled_within_24h": True},
        {"pain_during": -1, "next_morning": "same", "settled_within_24h": True},
        {"pain_during": 2, "next_morning": "awful", "settled_within_24h": True},
        {"pain_during": 2, "next_morning": "same", "settled_within_24h": "yes"},
    ],
)
def test_invalid_sessions_are_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        SessionOutcome(**kwargs)  # type: ignore[arg-type]


@given(st.lists(sessions, max_size=6), family(), st.integers(0, 10))
def test_never_skips_a_level_or_leaves_the_family(
    history: list[SessionOutcome], fam: tuple[list[int], int], ceiling: int
) -> None:
    levels, current = fam
    decision = next_step(history, current, levels, ceiling=ceiling)
    assert abs(decision.to_level - current) <= 1
    assert decision.to_level in levels
    assert 1 <= decision.to_level <= max(levels)
    expected_move = {"step_up": 1, "step_down": -1, "hold": 0}
    if decision.action in expected_move:
        assert decision.to_level - current == expected_move[decision.action]
    assert decision.explanation and "{" not in decision.explanation


@given(st.lists(sessions, min_size=1, max_size=6), family(), st.integers(0, 10))
def test_pain_above_the_ceiling_never_steps_up(
    history: list[SessionOutcome], fam: tuple[list[int], int], ceiling: int
) -> None:
    levels, current = fam
    decision = next_step(history, current, levels, ceiling=ceiling)
    if history[-1].pain_during > ceiling or history[-1].worse:
        assert decision.to_level <= current
        assert decision.action != "step_up"
        if current - 1 in levels:
            assert decision.to_level == current - 1


@given(st.lists(sessions, max_size=4), sessions, sessions, family())
def test_two_worse_sessions_in_a_row_always_suggest_booking(
    before: list[SessionOutcome], a: SessionOutcome, b: SessionOutcome, fam: tuple[list[int], int]
) -> None:
    levels, current = fam
    decision = next_step([*before, a, b], current, levels)
    assert decision.book_pt == (a.worse and b.worse)


@given(st.lists(sessions, min_size=1, max_size=20))
def test_replaying_a_log_walks_the_ladder_one_step_at_a_time(log: list[SessionOutcome]) -> None:
    levels, level = [1, 2, 3, 4], 1
    for i in range(1, len(log) + 1):
        decision = next_step(log[:i], level, levels, ceiling=3)
        assert decision.from_level == level
        assert abs(decision.to_level - level) <= 1 and decision.to_level in levels
        level = decision.to_level


def test_deterministic() -> None:
    history = [GOOD, AMBER, WORSE]
    assert next_step(history, 2, [1, 2, 3]) == next_step(list(history), 2, (3, 2, 1))
    assert next_step(history, 2, [1, 2, 3]).to_dict() == next_step(history, 2, [1, 2, 3]).to_dict()
