"""The questionnaire data file and its loader."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from rehabit.clinical import load_questionnaire
from rehabit.clinical.questionnaire import (
    QuestionnaireError,
    load_yaml,
    parse_questionnaire,
    parse_yaml,
)

SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


@pytest.fixture(scope="module")
def raw() -> Any:
    return load_yaml("questionnaire.yaml")


def test_load_is_cached_and_versioned() -> None:
    q = load_questionnaire()
    assert q is load_questionnaire()
    assert re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", q.version)


def test_sections_follow_the_assessment_order() -> None:
    ids = [s.id for s in load_questionnaire().sections]
    assert ids == ["history", "warning_signs", "pain", "symptoms", "self_tests"]


def test_ids_are_stable_snake_case_and_unique() -> None:
    q = load_questionnaire()
    ids = [question.id for s in q.sections for question in s.questions]
    assert len(ids) == len(set(ids)) == len(q.questions)
    assert all(SNAKE.match(i) for i in ids)
    for question in q.questions.values():
        assert all(SNAKE.match(v) for v in question.option_values)


def test_types_and_bounds() -> None:
    q = load_questionnaire()
    for question in q.questions.values():
        if question.type == "scale":
            assert (question.min, question.max) == (0, 10)
        if question.type == "integer":
            assert question.min is not None and question.max is not None
        if question.type in ("single", "multi", "yes_no"):
            assert question.options
        if question.type == "yes_no":
            assert question.option_values == ("yes", "no", "not_sure")
    assert (q.questions["age"].min, q.questions["age"].max) == (12, 110)
    assert q.questions["days_since_onset"].type == "integer"


def test_yes_and_no_stay_text_not_booleans(raw: Any) -> None:
    # YAML 1.1 would turn `no` into False; the loader uses YAML 1.2 booleans.
    assert parse_yaml("a: [yes, no, on, off]\nb: true") == {
        "a": ["yes", "no", "on", "off"],
        "b": True,
    }
    cancer = next(
        question
        for s in raw["sections"]
        for question in s["questions"]
        if question["id"] == "cancer_history"
    )
    assert cancer["options"][0]["value"] == "no"


def test_warning_signs_are_required_and_never_skipped_for_adults() -> None:
    section = next(s for s in load_questionnaire().sections if s.id == "warning_signs")
    for question in section.questions:
        assert question.required, question.id
        assert question.type in ("yes_no", "single")
        assert "not_sure" in question.option_values, question.id
    conditional = {q.id for q in section.questions if q.show_if is not None}
    # Only follow-ups or age-dependent items may be conditional.
    assert conditional == {"very_unwell", "sexual_function_change"}


def test_self_tests_explain_how_to_do_them_and_allow_opting_out() -> None:
    section = next(s for s in load_questionnaire().sections if s.id == "self_tests")
    assert section.intro and "stop" in section.intro.lower()
    for question in section.questions:
        assert question.help and len(question.help) > 60, question.id
        assert {"could_not", "not_tried"} <= set(question.option_values), question.id
        assert not question.required


def test_unsafe_self_tests_are_skipped() -> None:
    q = load_questionnaire()
    cannot_stand = {"bear_weight": "no"}
    for qid in ("walk_test", "bridge_test", "hamstring_stretch_test"):
        assert q.questions[qid].show_if is not None
        assert q.questions[qid].show_if.holds(cannot_stand) is False  # type: ignore[union-attr]
    suspected_avulsion = {
        "bear_weight": "yes",
        "pop": "yes",
        "bruising": "large",
        "onset": "gradually",
    }
    for qid in ("bridge_test", "knee_bend_test", "nerve_stretch_test", "hamstring_stretch_test"):
        assert q.questions[qid].show_if.holds(suspected_avulsion) is False  # type: ignore[union-attr]


def test_show_if_uses_earlier_questions_only() -> None:
    q = load_questionnaire()
    order = {qid: i for i, qid in enumerate(q.questions)}
    for qid, question in q.questions.items():
        if question.show_if is not None:
            assert all(order[ref] < order[qid] for ref in question.show_if.refs), qid


def test_to_dict_keeps_the_schema_and_is_json(raw: Any) -> None:
    out = load_questionnaire().to_dict()
    json.dumps(out)
    assert out["version"] == raw["version"]
    first = out["sections"][0]["questions"][0]  # type: ignore[index]
    assert first == {
        "id": "age",
        "text": "How old are you?",
        "type": "integer",
        "min": 12,
        "max": 110,
        "unit": "years",
        "required": True,
        "ask": "always",
    }
    pop = next(
        item
        for s in out["sections"]  # type: ignore[attr-defined]
        for item in s["questions"]
        if item["id"] == "pop"
    )
    assert pop["show_if"] == {
        "q": "onset",
        "in": ["sprinting", "stretch_kick_split", "fall_or_blow"],
    }
    assert [o["value"] for o in pop["options"]] == ["yes", "no", "not_sure"]


def _broken(raw: Any, change: Any) -> Any:
    data = copy.deepcopy(raw)
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("version"), "'version'"),
        (lambda d: d["sections"][0]["questions"][0].update(id="Age"), "snake_case"),
        (lambda d: d["sections"][0]["questions"][0].update(type="number"), "type must be"),
        (lambda d: d["sections"][0]["questions"][0].update(min=200), "min <= max"),
        (lambda d: d["sections"][0]["questions"][0].update(colour="red"), "unknown keys"),
        (lambda d: d["sections"][0]["questions"][1].update(options=[]), "non-empty list"),
        (
            lambda d: d["sections"][0]["questions"][1]["options"].append(
                {"value": "male", "label": "x"}
            ),
            "duplicate",
        ),
        (lambda d: d["sections"][0]["questions"][1].update(exclusive=["female"]), "only multi"),
        (
            lambda d: d["sections"][1]["questions"][0].update(show_if={"q": "pop", "in": ["yes"]}),
            "earlier questions",
        ),
        (
            lambda d: d["sections"][1]["questions"][0].update(show_if={"q": "age", "in": ["yes"]}),
            "needs a choice question",
        ),
        (
            lambda d: d["sections"][1]["questions"].append(d["sections"][1]["questions"][0]),
            "duplicate id",
        ),
    ],
)
def test_malformed_questionnaire_fails_loudly(raw: Any, change: Any, message: str) -> None:
    with pytest.raises(QuestionnaireError, match=message):
        parse_questionnaire(_broken(raw, change))
