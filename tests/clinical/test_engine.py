"""assess(): the result shape and properties that must hold for any valid answers."""

from __future__ import annotations

import copy
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rehabit.clinical import AssessmentResult, assess, load_questionnaire
from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.datafiles import load_yaml
from rehabit.clinical.engine import load_model
from rehabit.clinical.levels import LEVELS, RANK
from rehabit.clinical.questionnaire_file import parse_questionnaire
from rehabit.clinical.redflags import flag_evidence, flag_urgency
from tests.clinical.answers import (
    DARK_URINE_ONSETS,
    PROPERTY,
    TENSE_THIGH_ONSETS,
    answer_sets,
    complete,
    strain,
)
from tests.clinical.reference import check_reasons, reference

QUESTIONNAIRE = load_questionnaire()
CONDITIONS = load_conditions()


def always_asked_gaps(result: AssessmentResult) -> list[str]:
    """Optional questions asked on every path through the pages that were left out."""
    return [
        qid
        for qid, q in QUESTIONNAIRE.questions.items()
        if not q.required
        and q.ask == "always"
        and qid not in result.answers
        and (q.show_if is None or q.show_if.holds(result.answers))
    ]


def check_result(result: AssessmentResult) -> None:
    out = result.to_dict()
    assert list(out) == [
        "questionnaire_version",
        "disposition",
        "red_flags",
        "causes",
        "confidence",
        "unanswered",
    ]
    json.dumps(out)
    disposition = out["disposition"]
    assert set(disposition) == {"level", "headline", "reasons", "advice"}  # type: ignore[arg-type]
    assert disposition["level"] in LEVELS  # type: ignore[index]
    assert disposition["reasons"] and disposition["advice"]  # type: ignore[index]
    causes = out["causes"]
    assert [set(c) for c in causes] == [  # type: ignore[union-attr]
        {"id", "name", "probability", "why_for", "why_against", "red_flag"}
    ] * len(CONDITIONS)
    assert {c["id"] for c in causes} == set(CONDITIONS)  # type: ignore[union-attr,index]
    assert math.isclose(sum(c["probability"] for c in causes), 1.0, abs_tol=1e-9)  # type: ignore[union-attr,index]
    # A cause linked to a fired urgent or emergency flag is never outranked, and the most
    # urgent flag's cause comes first.
    urgency = flag_urgency(result.red_flags)
    order = [urgency.get(c["id"], 0) for c in causes]  # type: ignore[union-attr,index]
    assert order == sorted(order, reverse=True), "a red-flag cause was outranked"
    assert [c["red_flag"] for c in causes] == [u > 0 for u in order]  # type: ignore[union-attr,index]
    for flag in out["red_flags"]:  # type: ignore[union-attr]
        assert set(flag) == {"id", "label", "disposition", "advice"}
        # No likely cause ever lowers the disposition a red flag has set.
        assert RANK[disposition["level"]] >= RANK[flag["disposition"]]  # type: ignore[index]
    # A can't-miss cause at one of its floors sets at least that level.
    for cause in result.causes:
        floor = CONDITIONS[cause.id].floor(cause.probability)
        if floor is not None:
            assert RANK[result.disposition.level] >= RANK[floor], (cause.id, cause.probability)
    confidence = out["confidence"]
    assert confidence["level"] in ("high", "moderate", "low")  # type: ignore[index]
    assert 0 <= confidence["score"] <= 1  # type: ignore[index]
    assert out["unanswered"] == always_asked_gaps(result)
    for qid in out["unanswered"]:  # type: ignore[union-attr]
        assert not QUESTIONNAIRE.questions[qid].required and qid not in result.answers


def test_to_dict_shape_and_version() -> None:
    result = assess(strain())
    check_result(result)
    out = result.to_dict()
    assert out["questionnaire_version"] == QUESTIONNAIRE.version
    assert out["causes"][0]["id"] == "hamstring_strain"  # type: ignore[index]
    # Every optional question is asked only when useful, so leaving one out is no gap.
    assert out["unanswered"] == []
    assert "sitting_test" not in result.answers


def test_unanswered_lists_the_optional_questions_always_asked_and_left_out() -> None:
    raw = copy.deepcopy(load_yaml("questionnaire.yaml"))
    for section in raw["sections"]:
        for question in section["questions"]:
            if question["id"] in ("sitting_test", "pain_quality", "hop_test"):
                question.pop("ask")
    questionnaire = parse_questionnaire(raw)
    result = assess(strain(), questionnaire=questionnaire)
    # pain_quality was answered; hop_test does not apply after a sprint.
    assert result.unanswered == ("sitting_test",)
    assert assess(strain()).unanswered == ()


def test_explicit_questionnaire_gives_the_same_result() -> None:
    assert assess(strain(), questionnaire=QUESTIONNAIRE).to_dict() == assess(strain()).to_dict()


def test_result_is_immutable_and_keeps_cleaned_answers() -> None:
    result = assess(strain())
    assert result.answers["worse"] == ["walking", "running", "stretching"]
    try:
        result.unanswered = ()  # type: ignore[misc]
    except AttributeError:
        pass
    else:  # pragma: no cover - a frozen dataclass must refuse
        raise AssertionError("AssessmentResult must be frozen")


def test_confidence_reads_the_first_causes_probability_against_its_measured_band() -> None:
    """The statement is about the first cause shown, as its band was measured (the first
    cause shown on the tuning part), also when a warning sign puts a less likely cause
    first."""
    differential = load_model().differential
    fever = {**strain(), "fever": "yes", "very_unwell": "no"}
    for answers in (
        strain(),
        {k: v for k, v in strain().items() if QUESTIONNAIRE.questions[k].required},
        fever,
    ):
        result = assess(answers)
        top = result.causes[0].probability
        band = differential.band(top)
        assert result.confidence.score == round(top, 3)
        assert result.confidence.level == band.level
        assert f"about {band.right_in_10} of 10" in result.confidence.explanation
    flagged = assess(fever)
    assert flagged.causes[0].id == "infection"
    assert flagged.causes[0].probability < max(c.probability for c in flagged.causes)
    full = assess(strain()).confidence
    minimal = assess(
        {k: v for k, v in strain().items() if QUESTIONNAIRE.questions[k].required}
    ).confidence
    assert minimal.score < full.score  # fewer answers that agree: less sure


@PROPERTY
@given(answer_sets())
def test_any_valid_answers_give_a_valid_result(answers: dict[str, Any]) -> None:
    check_result(assess(answers))


@PROPERTY
@given(answer_sets(), st.randoms(use_true_random=False))
def test_answer_order_never_matters(answers: dict[str, Any], rnd: Any) -> None:
    items = list(answers.items())
    rnd.shuffle(items)
    shuffled = {k: (rnd.sample(v, len(v)) if isinstance(v, list) else v) for k, v in items}
    assert assess(shuffled).to_dict() == assess(answers).to_dict()


NO = st.just("no")
ADULT = st.integers(16, 120)


def _red_flag_answers() -> list[tuple[dict[str, Any], dict[str, st.SearchStrategy[Any]]]]:
    """Warning-sign answers that fire a flag whatever else was answered, each with how the
    person answered before (a follow-up comes with the screening answer that opens it, a
    warning sign asked only at some ages, times or starts is drawn only where it is asked,
    and the last key is the warning sign itself)."""
    out: list[tuple[dict[str, Any], dict[str, st.SearchStrategy[Any]]]] = []
    for qid in (
        "saddle_numbness",
        "bladder_trouble",
        "bladder_bowel_leak",
        "sexual_function_change",
    ):
        for v in ("yes", "not_sure"):
            out.append(({"pelvic_changes": "yes", qid: v}, {qid: NO, "age": ADULT}))
    # The answers under which a warning sign with a window is asked at all.
    windows: dict[str, dict[str, st.SearchStrategy[Any]]] = {
        "foot_sore": {"age": st.integers(50, 120)},
        "thigh_tense_hard": {
            "days_since_onset": st.integers(0, 7),
            "onset": st.sampled_from(TENSE_THIGH_ONSETS),
        },
        "dark_urine": {
            "days_since_onset": st.integers(0, 14),
            "onset": st.sampled_from(DARK_URINE_ONSETS),
        },
    }
    for qid in (
        "both_legs_numb_weak",
        "whole_leg_swelling",
        "leg_red_warm",
        "fever",
        "breathless_or_chest_pain",
        "foot_sore",
        "thigh_tense_hard",
        "dark_urine",
    ):
        for v in ("yes", "not_sure"):
            out.append(({qid: v}, {qid: NO, **windows.get(qid, {})}))
    for v in ("suddenly", "slowly", "not_sure"):
        out.append(
            ({"leg_weakness": v}, {"leg_weakness": st.sampled_from(["no", "weak_not_worse"])})
        )
    for v in ("suddenly", "for_a_while", "not_sure"):
        out.append(({"leg_cold_pale": v}, {"leg_cold_pale": NO}))
    for v in ("no", "not_sure"):
        out.append(({"bear_weight": v}, {"bear_weight": st.sampled_from(["yes", "with_aid"])}))
    for v in ("yes", "not_sure"):
        out.append(({"numbness": "yes", "numbness_spreading": v}, {"numbness_spreading": NO}))
        out.append(({"fever": "yes", "very_unwell": v}, {"very_unwell": NO}))
    for v in ("growing", "pulsing", "hard"):  # one more feature of a lump (or a new lump)
        out.append(({"lump": "yes", "lump_features": [v]}, {}))
    return out


RED_FLAG_ANSWERS = _red_flag_answers()


@pytest.mark.parametrize(
    ("change", "before"),
    RED_FLAG_ANSWERS,
    ids=["-".join(f"{k}={v}" for k, v in change.items()) for change, _ in RED_FLAG_ANSWERS],
)
@settings(PROPERTY, max_examples=20)
@given(data=st.data())
def test_adding_a_red_flag_answer_never_lowers_the_disposition(
    change: dict[str, Any], before: dict[str, st.SearchStrategy[Any]], data: st.DataObject
) -> None:
    answers = data.draw(answer_sets(override=before))
    *_, qid = change
    value = change[qid]
    if qid == "lump_features" and answers.get(qid) not in (None, ["none"]):
        value = sorted({*answers[qid], *value})
    changed = complete({**answers, **change, qid: value})
    assert changed[qid] == value  # the question applies to this person
    was = assess(answers)
    now = assess(changed)
    assert RANK[now.disposition.level] >= RANK[was.disposition.level], (change, now.red_flags)
    assert any(qid in f.rule.refs for f in now.red_flags), f"{change} should fire a red flag"


@PROPERTY
@given(answer_sets())
def test_probabilities_sum_to_one_and_stay_below_the_calibration_cap(
    answers: dict[str, Any],
) -> None:
    causes = assess(answers).causes
    assert abs(math.fsum(c.probability for c in causes) - 1.0) < 1e-9
    cap = load_model().differential.max_probability
    assert all(0 < c.probability <= cap for c in causes)


@PROPERTY
@given(answer_sets(optional=False))
def test_only_required_answers_still_work(answers: dict[str, Any]) -> None:
    result = assess(answers)
    check_result(result)
    assert result.unanswered == ()


def test_determinism_across_calls() -> None:
    first = json.dumps(assess(strain()).to_dict(), sort_keys=False)
    assert all(json.dumps(assess(strain()).to_dict()) == first for _ in range(5))


@PROPERTY
@given(answer_sets())
def test_fast_paths_match_plain_rule_evaluation(answers: dict[str, Any]) -> None:
    """The tabulated dispatch gives exactly what evaluating every rule one by one gives:
    the same flags, probabilities and reasons (group caps and calibration included)."""
    from rehabit.clinical.redflags import screen
    from rehabit.clinical.validation import validate_answers

    model = load_model(None)
    cleaned = validate_answers(QUESTIONNAIRE, answers)
    plain_flags = tuple(f for f in model.red_flags if f.rule.evaluate(cleaned) is True)
    fired = screen(model.red_flags, cleaned)
    assert fired == plain_flags
    differential = model.differential
    info = differential.informative(cleaned)
    evidence = flag_evidence(fired, differential.warning_sign_lr)  # as the engine does
    expected = reference(differential, info, evidence)
    flagged = flag_urgency(fired)
    for cause in differential.rank(info, flagged, evidence):
        assert math.isclose(
            cause.probability, expected.probabilities[cause.id], rel_tol=1e-9, abs_tol=1e-300
        ), cause.id
        check_reasons(differential, cause, expected, flagged)


def _no_information_answers() -> list[tuple[str, Any]]:
    """Optional answers that carry no information for the ranking ("not sure", "did not
    try", "I don't know"...): they cannot move any cause's probability."""
    differential = load_model().differential
    return [
        (qid, value)
        for qid, question in QUESTIONNAIRE.questions.items()
        if not question.required
        for value in sorted(differential.no_information.get(qid, ()))
    ]


NO_INFORMATION = _no_information_answers()


@PROPERTY
@given(answer_sets(), st.lists(st.sampled_from(NO_INFORMATION), min_size=1, max_size=6))
def test_a_cant_miss_floor_is_never_lowered_by_answers_that_say_nothing(
    answers: dict[str, Any], extra: list[tuple[str, Any]]
) -> None:
    """Answers that leave every probability where it was cannot lower the advice: a
    can't-miss cause keeps its floor, and red flags only add (a "not sure" counts as yes)."""
    added = dict(answers)
    for qid, value in extra:
        question = QUESTIONNAIRE.questions[qid]
        if qid not in answers and (question.show_if is None or question.show_if.holds(added)):
            added[qid] = [value] if question.type == "multi" else value
    before, after = assess(answers), assess(added)
    assert {c.id: c.probability for c in after.causes} == {
        c.id: c.probability for c in before.causes
    }
    for cause in after.causes:
        floor = CONDITIONS[cause.id].floor(cause.probability)
        if floor is not None:
            assert RANK[after.disposition.level] >= RANK[floor], cause.id
    assert RANK[after.disposition.level] >= RANK[before.disposition.level]
