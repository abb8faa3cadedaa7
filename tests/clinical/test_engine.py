"""assess(): the result shape and properties that must hold for any valid answers."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rehabit.clinical import AssessmentResult, assess, load_questionnaire
from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.questionnaire import Question, parse_yaml
from rehabit.clinical.triage import LEVELS, RANK

QUESTIONNAIRE = load_questionnaire()
CONDITIONS = load_conditions()
PROPERTY = settings(max_examples=100, deadline=None)


def value_for(question: Question) -> st.SearchStrategy[Any]:
    if question.type in ("integer", "scale"):
        assert question.min is not None and question.max is not None
        return st.integers(question.min, question.max)
    if question.type in ("single", "yes_no"):
        return st.sampled_from(question.option_values)
    plain = [v for v in question.option_values if v not in question.exclusive]
    choices = st.lists(st.sampled_from(plain), min_size=1, max_size=len(plain), unique=True)
    if question.exclusive:
        return st.one_of(choices, st.sampled_from([[v] for v in sorted(question.exclusive)]))
    return choices


@st.composite
def answer_sets(draw: st.DrawFn, optional: bool = True) -> dict[str, Any]:
    """Any valid answers: every shown required question, some shown optional ones."""
    answers: dict[str, Any] = {}
    for qid, question in QUESTIONNAIRE.questions.items():
        if question.show_if is not None and not question.show_if.holds(answers):
            continue
        if not question.required and not (optional and draw(st.booleans())):
            continue
        answers[qid] = draw(value_for(question))
    return answers


@lru_cache(maxsize=1)
def _first_vignette() -> tuple[tuple[str, Any], ...]:
    data = parse_yaml((Path(__file__).parent / "vignettes.yaml").read_text(encoding="utf-8"))
    answers = dict(data["defaults"])
    answers.update(data["vignettes"][0]["answers"])
    return tuple(answers.items())


def strain() -> dict[str, Any]:
    return {k: list(v) if isinstance(v, list) else v for k, v in _first_vignette()}


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
    flagged = [c["red_flag"] for c in causes]  # type: ignore[union-attr,index]
    assert flagged == sorted(flagged, reverse=True), "a red-flag cause was outranked"
    for flag in out["red_flags"]:  # type: ignore[union-attr]
        assert set(flag) == {"id", "label", "disposition", "advice"}
        assert RANK[disposition["level"]] >= RANK[flag["disposition"]]  # type: ignore[index]
    confidence = out["confidence"]
    assert confidence["level"] in ("high", "moderate", "low")  # type: ignore[index]
    assert 0 <= confidence["score"] <= 1  # type: ignore[index]
    for qid in out["unanswered"]:  # type: ignore[union-attr]
        assert not QUESTIONNAIRE.questions[qid].required and qid not in result.answers


def test_to_dict_shape_and_version() -> None:
    result = assess(strain())
    check_result(result)
    out = result.to_dict()
    assert out["questionnaire_version"] == QUESTIONNAIRE.version
    assert out["causes"][0]["id"] == "hamstring_strain"  # type: ignore[index]
    expected = [
        qid
        for qid, q in QUESTIONNAIRE.questions.items()
        if not q.required
        and qid not in result.answers
        and (q.show_if is None or q.show_if.holds(result.answers))
    ]
    assert out["unanswered"] == expected
    assert "pain_quality" not in out["unanswered"]  # type: ignore[operator]
    assert "sitting_test" in out["unanswered"]  # type: ignore[operator]


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


def test_confidence_drops_when_optional_answers_are_missing() -> None:
    full = assess(strain()).confidence
    minimal = {k: v for k, v in strain().items() if QUESTIONNAIRE.questions[k].required}
    sparse = assess(minimal).confidence
    assert sparse.score < full.score
    assert "optional questions" in sparse.explanation


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


RED_FLAG_ANSWERS = [
    (q.id, "yes" if q.type == "yes_no" else v)
    for q in QUESTIONNAIRE.questions.values()
    if q.section == "warning_signs" and q.id != "bear_weight"
    for v in q.option_values
    if v not in ("no", "not_sure") and (q.type == "yes_no") == (v == "yes")
] + [("bear_weight", "no")]


@PROPERTY
@given(answer_sets(), st.sampled_from(RED_FLAG_ANSWERS))
def test_adding_a_red_flag_answer_never_lowers_the_disposition(
    answers: dict[str, Any], change: tuple[str, str]
) -> None:
    qid, value = change
    question = QUESTIONNAIRE.questions[qid]
    if question.show_if is not None and not question.show_if.holds(answers):
        return  # the question does not apply to this person
    before = assess(answers).disposition.level
    changed = {**answers, qid: value}
    if qid == "fever":
        changed.setdefault("very_unwell", "no")
    if qid == "bear_weight":  # self-tests that need standing no longer apply
        for test in ("walk_test", "bridge_test", "hamstring_stretch_test"):
            changed.pop(test, None)
    after = assess(changed)
    assert RANK[after.disposition.level] >= RANK[before]
    assert after.red_flags, f"{qid}={value} should fire a red flag"


@PROPERTY
@given(answer_sets())
def test_probabilities_sum_to_one(answers: dict[str, Any]) -> None:
    total = math.fsum(c.probability for c in assess(answers).causes)
    assert abs(total - 1.0) < 1e-9


@PROPERTY
@given(answer_sets(optional=False))
def test_only_required_answers_still_work_and_list_what_is_missing(answers: dict[str, Any]) -> None:
    result = assess(answers)
    check_result(result)
    assert set(result.unanswered) >= {"pain_worst", "pain_quality", "sitting_test"}


def test_determinism_across_calls() -> None:
    first = json.dumps(assess(strain()).to_dict(), sort_keys=False)
    assert all(json.dumps(assess(strain()).to_dict()) == first for _ in range(5))


@PROPERTY
@given(answer_sets())
def test_fast_paths_match_plain_rule_evaluation(answers: dict[str, Any]) -> None:
    """The tabulated dispatch gives exactly what evaluating every rule one by one gives."""
    from rehabit.clinical.engine import load_model
    from rehabit.clinical.redflags import screen
    from rehabit.clinical.validation import validate_answers

    model = load_model(None)
    cleaned = validate_answers(QUESTIONNAIRE, answers)
    plain_flags = tuple(f for f in model.red_flags if f.rule.evaluate(cleaned) is True)
    assert screen(model.red_flags, cleaned) == plain_flags
    differential = model.differential
    info = differential.informative(cleaned)
    weights = list(differential.priors)
    for item in differential.contexts + differential.findings:
        state = item.rule.evaluate(info)
        effects = item.present if state is True else item.absent if state is False else None
        if effects is not None:
            weights = [w * lr for w, lr in zip(weights, effects.lrs, strict=True)]
    total = math.fsum(weights)
    fast = {c.id: c.probability for c in differential.rank(info)}
    for cid, weight in zip(differential.ids, weights, strict=True):
        assert math.isclose(fast[cid], weight / total, rel_tol=1e-9, abs_tol=1e-300)
