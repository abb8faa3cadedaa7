"""The outcome-measure core (rehabit.clinical.outcomes): scoring against published worked
examples, the meaningful-change thresholds, the schedule, and properties that a change
inside the threshold is never called improvement."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehabit.clinical.datafiles import citation_problem, load_yaml
from rehabit.clinical.outcome_rules import parse_outcomes
from rehabit.clinical.outcomes import (
    OutcomeDataError,
    Rating,
    baseline_pain,
    bridge_symmetry,
    compare,
    due_measures,
    first_and_latest,
    judge,
    load_outcomes,
    nprs_change,
    score_psfs,
    shown_score,
)

START = date(2027, 1, 4)


# --- The data file ------------------------------------------------------------------------


def test_every_threshold_and_decision_is_cited() -> None:
    data = load_yaml("outcomes.yaml")
    for measure, raw in data["measures"].items():
        assert citation_problem(raw) is None, measure
        for part in ("improvement", "worsening"):
            assert citation_problem(raw[part]) is None, (measure, part)
    assert citation_problem(data["measures"]["psfs"]["sizes"]) is None
    assert citation_problem(data["schedule"]) is None
    for name, entry in data["not_included"].items():
        assert citation_problem(entry) is None, name
        assert entry["decision"].startswith("Not included"), name


def test_published_thresholds_are_the_ones_in_evidence_md() -> None:
    rules = load_outcomes().measures
    # NPRS: about 2 points or about 30 % (Farrar [71]); PSFS: 1.3 / 2.3 / 2.7 [72].
    assert (rules["nprs"].improvement.points, rules["nprs"].improvement.percent) == (2, 30)
    assert dict(rules["psfs"].sizes) == {"small": 1.3, "medium": 2.3, "large": 2.7}
    assert load_outcomes().psfs_activities == (3, 5)


def test_lefs_and_fash_are_left_out_with_the_reason_recorded() -> None:
    excluded = load_outcomes().not_included
    assert set(excluded) == {"lefs", "fash"}
    assert "permission" in excluded["lefs"]["decision"]
    assert "permission" in excluded["fash"]["decision"]


def test_a_threshold_without_a_citation_is_refused() -> None:
    data: Any = load_yaml("outcomes.yaml")
    del data["measures"]["nprs"]["improvement"]["source"]
    del data["measures"]["nprs"]["improvement"]["expert"]
    with pytest.raises(OutcomeDataError, match="improvement"):
        parse_outcomes(data)


# --- Scoring against published worked examples -----------------------------------------


def test_psfs_is_the_mean_of_the_activity_ratings() -> None:
    # Stratford et al. 1995 [75]: each activity 0 (unable) to 10 (as before), the score is
    # the average; e.g. activities rated 3, 5 and 4 score 4.0.
    assert score_psfs([3, 5, 4]) == 4.0
    assert score_psfs([2, 5, 8, 7]) == 5.5
    assert score_psfs([1, 2, 2, 3, 4]) == 2.4
    for bad in ([3, 4], [1, 2, 3, 4, 5, 6], [3, 4, 11], [3, 4, -1], [3, 4, True]):
        with pytest.raises(ValueError):
            score_psfs(bad)


def test_nprs_farrar_thresholds() -> None:
    # Farrar [71]: from 6 to 4 is 2 points and 33 %: much improved.
    assert compare("nprs", 6, 4).verdict == "better"
    # From 8 to 6 is 2 points but only 25 %: both thresholds must be met, so not yet.
    assert compare("nprs", 8, 6).verdict == "no_change"
    assert compare("nprs", 8, 6).needed == 2.4
    assert compare("nprs", 8, 5.6).verdict == "better"
    # From 3 to 2 is 33 % but only 1 point: within day-to-day noise.
    assert compare("nprs", 3, 2).verdict == "no_change"
    assert compare("nprs", 3, 5).verdict == "worse"
    assert compare("nprs", 3, 4.9).verdict == "no_change"


def test_psfs_abbott_and_schmitt_sizes() -> None:
    # Abbott & Schmitt [72]: MID 1.3 small, 2.3 medium, 2.7 large for the mean score.
    assert compare("psfs", 4.0, 5.2).verdict == "no_change"
    assert (compare("psfs", 4.0, 5.3).verdict, compare("psfs", 4.0, 5.3).size) == (
        "better",
        "small",
    )
    assert compare("psfs", 4.0, 6.3).size == "medium"
    assert compare("psfs", 4.0, 6.7).size == "large"
    assert "large real improvement" in compare("psfs", 4.0, 6.7).text
    assert compare("psfs", 4.0, 2.7).verdict == "worse"


def test_bridge_needs_three_repetitions_and_a_fifth_of_the_first_count() -> None:
    assert compare("bridge", 10, 12).verdict == "no_change"
    assert compare("bridge", 10, 13).verdict == "better"
    assert compare("bridge", 25, 29).verdict == "no_change"  # 4 is less than 20 % of 25
    assert compare("bridge", 25, 30).verdict == "better"
    assert compare("bridge", 25, 20).verdict == "worse"
    assert bridge_symmetry(18, 20) == 90
    assert bridge_symmetry(5, 0) is None


def test_scores_are_compared_as_shown_to_one_decimal() -> None:
    # 2.55 shows as 2.6 and 0.55 as 0.6: a fall of 2 points, said and judged alike.
    change = compare("nprs", 2.55, 0.55)
    assert (change.before, change.now, change.verdict) == (2.6, 0.6, "better")
    assert "from 2.6 to 0.6" in change.text
    assert compare("nprs", 2.54, 0.55).verdict == "no_change"  # 2.5 to 0.6: 1.9 points


@pytest.mark.parametrize(
    ("score", "shown"),
    [
        (7.25, "7.3"),  # activities rated 7, 8, 8 and 6: Python's rounding said 7.2
        (7.35, "7.4"),  # the nearest float is a hair below 7.35: still rounded up
        (0.05, "0.1"),
        (2.45, "2.5"),
        (7.249, "7.2"),
        (4.0, "4"),  # a whole number without a decimal point
        (9.96, "10"),
        (0.04, "0"),
    ],
)
def test_a_score_is_shown_to_one_decimal_with_halves_rounded_up(score: float, shown: str) -> None:
    assert shown_score(score) == shown


def test_the_words_of_a_verdict_show_every_number_by_the_same_rule() -> None:
    """The score now, and the change it needs: 30 % of a starting 7.5 is 2.25, said "2.2"
    (a fall of 2.2 would not have been enough) where every other number rounds halves up."""
    change = compare("psfs", 4, 7.25)
    assert "from 4 to 7.3 out of 10" in change.text
    assert change.params["now"] == shown_score(7.25) == "7.3"
    assert compare("psfs", 0.05, 7.35).params["before"] == "0.1"
    assert compare("psfs", 0.05, 7.35).params["now"] == "7.4"
    needs = compare("nprs", 7.5, 7.0)
    assert needs.needed == 2.25 and "it needs to come down by 2.3 points" in needs.text


def test_missing_data_is_too_early_never_a_verdict() -> None:
    assert compare("nprs", None, 3).verdict == "too_early"
    assert compare("psfs", 4, None).verdict == "too_early"
    assert first_and_latest("psfs", [Rating(START, 4)])[0].verdict == "too_early"


# --- Properties: noise is never improvement --------------------------------------------

# Scores as they are compared and shown: to one decimal (weekly averages are rounded so).
scores = st.integers(min_value=0, max_value=100).map(lambda n: n / 10)


@given(before=scores, now=scores)
def test_a_pain_change_inside_the_threshold_is_never_improvement(before: float, now: float) -> None:
    change = compare("nprs", before, now)
    fall = round(before - now, 6)
    if fall < 2 or fall < 0.3 * before - 1e-9:
        assert change.verdict != "better"
    if change.verdict == "better":
        assert fall >= 2 and fall >= round(0.3 * before, 2) - 1e-9
    if round(now - before, 6) < 2:  # compared as shown: 3.3 - 1.3 is a rise of 2
        assert change.verdict != "worse"


@given(before=scores, now=scores)
def test_an_activities_change_inside_the_mid_is_never_improvement(
    before: float, now: float
) -> None:
    change = compare("psfs", before, now)
    if abs(round(now - before, 6)) < 1.3:
        assert change.verdict == "no_change"
    assert (change.verdict == "better") == (round(now - before, 6) >= 1.3)


@given(before=st.integers(min_value=0, max_value=100), now=st.integers(min_value=0, max_value=100))
def test_a_bridge_change_inside_the_threshold_is_never_improvement(before: int, now: int) -> None:
    change = compare("bridge", before, now)
    if now - before < max(3, 0.2 * before):
        assert change.verdict != "better"


@given(before=scores, now=scores, more=st.floats(min_value=0, max_value=5))
def test_a_bigger_fall_in_pain_is_never_judged_less_well(
    before: float, now: float, more: float
) -> None:
    rank = {"worse": 0, "no_change": 1, "better": 2}
    lower = max(0.0, round(now - more, 1))
    assert (
        rank[compare("nprs", before, lower).verdict] >= rank[compare("nprs", before, now).verdict]
    )


@given(
    daily=st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=21),
    start=st.integers(min_value=0, max_value=10),
)
def test_a_week_that_stays_within_two_points_is_no_real_change(
    daily: list[int], start: int
) -> None:
    ratings = [
        Rating(START + timedelta(days=n + 1), min(10, max(0, v))) for n, v in enumerate(daily)
    ]
    ratings = [Rating(r.on, start + max(-1, min(1, r.value - start))) for r in ratings]
    now, _ = nprs_change(start, ratings, baseline_day=START, today=ratings[-1].on)
    assert now.verdict in {"no_change", "too_early"}


# --- The week's average, the overall answer and the advice ------------------------------


def test_pain_is_the_average_of_the_last_seven_days_after_the_start() -> None:
    ratings = [
        Rating(START + timedelta(days=d), v)
        for d, v in [(0, 9), (1, 6), (5, 5), (8, 3), (9, 2), (10, 4)]
    ]
    now, earlier = nprs_change(6, ratings, baseline_day=START, today=START + timedelta(days=10))
    assert now.now == 3.5  # days 4-10: 5, 3, 2, 4 (day 0 is the start, not a follow-up)
    assert now.verdict == "better"
    assert earlier.now == 6  # days 1-3: only day 1
    # Without a starting score from the assessment, the first rating is the start.
    first, _ = nprs_change(None, ratings[1:], baseline_day=START, today=START + timedelta(days=10))
    assert first.before == 6 and first.verdict == "better"


def test_worse_brings_the_pain_monitoring_advice_and_the_warning_signs() -> None:
    worse = compare("nprs", 3, 6)
    progress = judge([worse, compare("psfs", 4, 6)], ceiling=5)
    assert progress.verdict == "worse" and progress.label == "Worse"
    assert [a.key for a in progress.advice] == ["step_back", "warning_signs"]
    assert "at or below 5 out of 10" in progress.advice[0].text
    twice = judge([worse], [compare("nprs", 3, 5.5)], ceiling=3)
    assert [a.key for a in twice.advice] == ["step_back", "book", "warning_signs"]
    mornings = judge([compare("nprs", 3, 3)], ceiling=5, mornings_worse_twice=True)
    assert mornings.verdict == "no_change"
    assert [a.key for a in mornings.advice] == ["book", "warning_signs"]
    assert judge([compare("nprs", 5, 2)], ceiling=5).verdict == "better"
    assert judge([compare("nprs", 5, None)], ceiling=5).verdict == "too_early"
    assert judge([compare("nprs", 5, 2)], ceiling=5).advice == ()


# --- Schedule and baseline --------------------------------------------------------------


def test_pain_daily_for_two_weeks_then_weekly_with_the_other_measures() -> None:
    none: dict[str, date | None] = {"nprs": None, "psfs": None, "bridge": None}
    assert due_measures(baseline_day=START, today=START, last_done=none, phase="middle") == (
        "nprs",
        "psfs",
        "bridge",
    )
    day3 = START + timedelta(days=3)
    done = {"nprs": START + timedelta(days=2), "psfs": START, "bridge": START}
    assert due_measures(baseline_day=START, today=day3, last_done=done, phase="middle") == ("nprs",)
    assert (
        due_measures(
            baseline_day=START, today=day3, last_done={**done, "nprs": day3}, phase="middle"
        )
        == ()
    )
    day15 = START + timedelta(days=15)
    weekly = {"nprs": START + timedelta(days=13), "psfs": START + timedelta(days=9), "bridge": None}
    assert due_measures(baseline_day=START, today=day15, last_done=weekly, phase="loading") == (
        "bridge",
    )
    day20 = START + timedelta(days=20)
    assert due_measures(baseline_day=START, today=day20, last_done=weekly, phase="loading") == (
        "nprs",
        "psfs",
        "bridge",
    )
    # No bridge test while an injury is in its first days, nor without a programme.
    assert "bridge" not in due_measures(
        baseline_day=START, today=START, last_done=none, phase="early"
    )
    assert "bridge" not in due_measures(baseline_day=START, today=START, last_done=none, phase=None)


def test_the_assessment_seeds_the_starting_pain() -> None:
    assert baseline_pain({"pain_now": 4, "pain_worst": 7}) == {"pain_now": 4, "pain_worst": 7}
    assert baseline_pain({"pain_now": 4}) == {"pain_now": 4, "pain_worst": None}
    assert baseline_pain({"pain_now": True, "pain_worst": 11}) == {
        "pain_now": None,
        "pain_worst": None,
    }
