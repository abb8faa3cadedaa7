"""The questionnaire data file and its loader."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from rehabit.clinical import load_questionnaire
from rehabit.clinical.datafiles import load_yaml, parse_yaml
from rehabit.clinical.questionnaire import QuestionnaireError
from rehabit.clinical.questionnaire_file import parse_questionnaire
from rehabit.clinical.validation import validate_and_show
from tests.clinical.answers import DARK_URINE_ONSETS, TENSE_THIGH_ONSETS, strain

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
    assert ids == [
        "about_you",
        "pain",
        "warning_signs",
        "history",
        "pain_details",
        "symptoms",
        "self_tests",
    ]


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
    assert (q.questions["age"].min, q.questions["age"].max) == (0, 120)
    days = q.questions["days_since_onset"]
    assert days.type == "integer" and (days.min, days.max) == (0, 36500)
    assert q.questions["bear_weight"].type == "single"
    assert q.questions["bear_weight"].option_values == (
        "yes",
        "limping",
        "with_aid",
        "no",
        "not_sure",
    )
    assert q.questions["tenderness"].option_values == (
        "no",
        "one_spot",
        "all_along",
        "bone",
        "not_sure",
    )


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


# Warning signs without a "Not sure" option, and why: both describe something the person
# has already told us about (the pain, a lump), and offer "No" / "None of these" instead.
NO_NOT_SURE = {"night_pain", "lump_features"}
# Follow-up warning signs: asked whenever their screening question is "yes" or "not sure".
FOLLOW_UPS = {
    "saddle_numbness": "pelvic_changes",
    "bladder_trouble": "pelvic_changes",
    "bladder_bowel_leak": "pelvic_changes",
    "sexual_function_change": "pelvic_changes",
    "numbness_spreading": "numbness",
    "very_unwell": "fever",
    "lump_features": "lump",
}
# Warning signs that only mean something at some ages, some times since the pain began and
# after some starts, or for someone who can walk: (answers where they are asked, answers
# where they are not).
ONSETS = load_questionnaire().questions["onset"].option_values
WINDOWS: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {
    "sexual_function_change": (
        [{"pelvic_changes": "yes", "age": 16}, {"pelvic_changes": "not_sure", "age": 90}],
        [{"pelvic_changes": "yes", "age": 15}, {"pelvic_changes": "yes"}],
    ),
    "foot_sore": ([{"age": 50}, {"age": 120}], [{"age": 49}, {}]),
    "weight_loss": ([{"days_since_onset": 14}], [{"days_since_onset": 13}, {}]),
    # Within a week of an injury or hard effort: every such start, on day 0 and day 7.
    "thigh_tense_hard": (
        [{"days_since_onset": d, "onset": o} for o in TENSE_THIGH_ONSETS for d in (0, 7)],
        [{"days_since_onset": 8, "onset": o} for o in TENSE_THIGH_ONSETS]
        + [{"days_since_onset": 0, "onset": o} for o in ONSETS if o not in TENSE_THIGH_ONSETS]
        + [{"days_since_onset": 0}, {"onset": "sprinting"}, {}],
    ),
    # Within two weeks of hard or new exercise, a start without a clear reason, or a crush.
    "dark_urine": (
        [{"days_since_onset": d, "onset": o} for o in DARK_URINE_ONSETS for d in (0, 14)],
        [{"days_since_onset": 15, "onset": o} for o in DARK_URINE_ONSETS]
        + [{"days_since_onset": 0, "onset": o} for o in ONSETS if o not in DARK_URINE_ONSETS]
        + [{"days_since_onset": 0}, {"onset": "gradually"}, {}],
    ),
}


def test_warning_signs_are_required_and_offer_not_sure() -> None:
    section = next(s for s in load_questionnaire().sections if s.id == "warning_signs")
    for question in section.questions:
        assert question.required, question.id
        assert question.ask == "always", question.id
        assert question.type in ("yes_no", "single", "multi"), question.id
        if question.id not in NO_NOT_SURE:
            assert "not_sure" in question.option_values, question.id
    assert "none" in load_questionnaire().questions["lump_features"].exclusive


def test_warning_signs_are_only_skipped_by_their_screening_question_or_a_window() -> None:
    section = next(s for s in load_questionnaire().sections if s.id == "warning_signs")
    conditional = {q.id for q in section.questions if q.show_if is not None}
    assert conditional == set(FOLLOW_UPS) | set(WINDOWS)


@pytest.mark.parametrize(("qid", "screener"), sorted(FOLLOW_UPS.items()))
def test_follow_ups_are_asked_on_yes_and_on_not_sure(qid: str, screener: str) -> None:
    rule = load_questionnaire().questions[qid].show_if
    assert rule is not None and rule.refs >= {screener}
    adult = {"age": 40}
    for value in ("yes", "not_sure"):  # "we will play it safe"
        assert rule.holds({**adult, screener: value}), (qid, value)
    assert not rule.holds({**adult, screener: "no"})
    assert not rule.holds(adult)  # never asked before the screening question is answered


@pytest.mark.parametrize("qid", sorted(WINDOWS))
def test_warning_sign_windows(qid: str) -> None:
    rule = load_questionnaire().questions[qid].show_if
    assert rule is not None
    shown, hidden = WINDOWS[qid]
    for answers in shown:
        assert rule.holds(answers), (qid, answers)
    for answers in hidden:
        assert not rule.holds(answers), (qid, answers)


def test_self_tests_explain_how_to_do_them_and_allow_opting_out() -> None:
    section = next(s for s in load_questionnaire().sections if s.id == "self_tests")
    assert section.intro and "stop" in section.intro.lower()
    for question in section.questions:
        assert question.help and len(question.help) > 60, question.id
        assert {"could_not", "not_tried"} <= set(question.option_values), question.id
        assert not question.required


def test_unsafe_self_tests_are_skipped() -> None:
    q = load_questionnaire()
    standing_tests = ("walk_test", "hop_test", "bridge_test", "hamstring_stretch_test")
    for bear_weight in ("no", "with_aid", "not_sure"):  # "yes" or "limping": standing unaided
        cannot_stand = {"bear_weight": bear_weight, "onset": "gradually", "pop": "no"}
        for qid in standing_tests:
            assert q.questions[qid].show_if is not None
            assert q.questions[qid].show_if.holds(cannot_stand) is False, (qid, bear_weight)  # type: ignore[union-attr]
    for pop in ("yes", "not_sure"):  # a possible avulsion is never loaded or stretched
        suspected_avulsion = {
            "bear_weight": "yes",
            "pop": pop,
            "bruising": "large",
            "onset": "stretch_kick_split",
            "days_since_onset": 30,
        }
        for qid in (
            "bridge_test",
            "knee_bend_test",
            "nerve_stretch_test",
            "hamstring_stretch_test",
        ):
            assert q.questions[qid].show_if.holds(suspected_avulsion) is False, (qid, pop)  # type: ignore[union-attr]
    # No stretching into a fresh sudden injury (the first 3 days; 2 weeks for the strong one).
    fresh = {"bear_weight": "yes", "onset": "sprinting", "pop": "no", "days_since_onset": 3}
    for qid in ("nerve_stretch_test", "hamstring_stretch_test"):
        assert q.questions[qid].show_if.holds(fresh) is False, qid  # type: ignore[union-attr]
    # Hopping is only for pain without a sudden injury.
    assert q.questions["hop_test"].show_if.holds(fresh) is False  # type: ignore[union-attr]
    # ... and not where a weakened or diseased bone is already the question (a phone walk:
    # a 71-year-old on steroids, with constant night pain, was asked to hop).
    hop = q.questions["hop_test"].show_if
    assert hop is not None
    runner = {"bear_weight": "yes", "onset": "gradually", "age": 34, "night_pain": "none"}
    assert hop.holds(runner) is True
    assert hop.holds({**runner, "weak_bones_or_steroids": "no"}) is True
    for risky in ({"age": 65}, {"weak_bones_or_steroids": "yes"}, {"night_pain": "constant"}):
        assert hop.holds({**runner, **risky}) is False, risky


def test_show_if_is_two_valued_a_question_never_asked_is_not_an_answer() -> None:
    """Like FHIR's enableWhen: a condition about an unanswered question is false, so
    "not (pop is yes or not sure)" holds when pop was never asked (a gradual onset)."""
    q = load_questionnaire().questions
    gradual = {"onset": "gradually", "bear_weight": "yes", "days_since_onset": 30}
    assert not q["pop"].show_if.holds(gradual)  # type: ignore[union-attr]
    for qid in ("bridge_test", "knee_bend_test", "nerve_stretch_test", "hamstring_stretch_test"):
        rule = q[qid].show_if
        assert rule is not None
        assert rule.evaluate(gradual) is True, qid  # True, not "unknown"
        assert rule.evaluate({**gradual, "onset": "sprinting", "pop": "no"}) is True, qid
        assert rule.evaluate({**gradual, "onset": "sprinting", "pop": "yes"}) is False, qid
    # ... and a plain condition on an unanswered question is false, never unknown.
    assert q["walk_test"].show_if.evaluate({}) is False  # type: ignore[union-attr]
    assert q["knee_bend_test"].show_if.evaluate({}) is True  # type: ignore[union-attr]
    # The server accepts exactly what the rule shows: the self-tests of a gradual onset (and
    # its warning signs: dark urine is asked after a gradual start, a tense thigh is not).
    answers = {**strain(), "onset": "gradually", "bridge_test": "pain", "dark_urine": "no"}
    for key in ("pop", "earlier_pain", "knee_bend_test", "thigh_tense_hard"):
        answers.pop(key, None)
    cleaned, shown = validate_and_show(load_questionnaire(), answers)
    assert cleaned["bridge_test"] == "pain"
    assert {"bridge_test", "knee_bend_test", "hop_test"} <= shown and "pop" not in shown
    assert "dark_urine" in shown and "thigh_tense_hard" not in shown


def test_ask_when_useful_marks_only_optional_questions() -> None:
    q = load_questionnaire()
    useful = {qid for qid, question in q.questions.items() if question.ask == "when_useful"}
    assert useful, "the guided pages skip nothing"
    for qid, question in q.questions.items():
        assert question.ask in ("always", "when_useful"), qid
        if question.required:
            assert question.ask == "always", qid
    # Safety screening and the basic story are always asked.
    for section in q.sections:
        if section.id in ("about_you", "pain", "warning_signs"):
            assert all(question.ask == "always" for question in section.questions), section.id
    assert {"activity_level", "tenderness", "walk_test", "hop_test"} <= useful


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
        "help": load_questionnaire().questions["age"].help,
        "min": 0,
        "max": 120,
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
        "in": [
            "sprinting",
            "stretch_kick_split",
            "jumping_landing",
            "fall_or_blow",
            "ordinary_movement",
        ],
    }
    assert [o["value"] for o in pop["options"]] == ["yes", "no", "not_sure"]
    assert pop["ask"] == "always"
    items = {
        item["id"]: item
        for s in out["sections"]  # type: ignore[attr-defined]
        for item in s["questions"]
    }
    assert items["tenderness"]["ask"] == "when_useful"
    assert items["bridge_test"]["show_if"] == {
        "all": [
            {"q": "bear_weight", "in": ["yes", "limping"]},
            {"not": {"q": "pop", "in": ["yes", "not_sure"]}},
        ]
    }
    assert all(item["ask"] in ("always", "when_useful") for item in items.values())


def _broken(raw: Any, change: Any) -> Any:
    data = copy.deepcopy(raw)
    change(data)
    return data


def _sex(data: dict[str, Any]) -> dict[str, Any]:
    """The raw sex question (a required single choice), wherever its section puts it."""
    return next(q for s in data["sections"] for q in s["questions"] if q["id"] == "sex")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("version"), "'version'"),
        (lambda d: d["sections"][0]["questions"][0].update(id="Age"), "snake_case"),
        (lambda d: d["sections"][0]["questions"][0].update(type="number"), "type must be"),
        (lambda d: d["sections"][0]["questions"][0].update(min=200), "min <= max"),
        (lambda d: d["sections"][0]["questions"][0].update(colour="red"), "unknown keys"),
        (lambda d: _sex(d).update(options=[]), "non-empty list"),
        (
            lambda d: _sex(d)["options"].append({"value": "male", "label": "x"}),
            "duplicate",
        ),
        (lambda d: _sex(d).update(exclusive=["female"]), "only multi"),
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
        (lambda d: _sex(d).update(ask="sometimes"), "ask must be"),
        (
            lambda d: _sex(d).update(ask="when_useful"),
            "asked only when useful must be optional",
        ),
        (
            lambda d: _sex(d).update(loads_the_leg="yes"),
            "loads_the_leg must be true or false",
        ),
        (
            lambda d: _sex(d).update(loads_the_leg=True),
            "loads the leg must be optional",
        ),
        (
            lambda d: _sex(d).update(asked_first="yes"),
            "asked_first must be true or false",
        ),
        (
            lambda d: _sex(d).update(for_a_child={}),
            "for_a_child: a mapping with text, help, options or some of them",
        ),
        (
            lambda d: _sex(d).update(for_a_child={"label": "x"}),
            "for_a_child: a mapping with text, help, options or some of them",
        ),
        (
            lambda d: _sex(d).update(for_a_child={"text": " "}),
            "'text' must be non-empty text",
        ),
    ],
)
def test_malformed_questionnaire_fails_loudly(raw: Any, change: Any, message: str) -> None:
    with pytest.raises(QuestionnaireError, match=message):
        parse_questionnaire(_broken(raw, change))


def test_a_child_s_parent_reads_the_child_wording() -> None:
    questions = load_questionnaire().questions
    screener = questions["pelvic_changes"]
    # Under 16 a parent answers, and the follow-up about sex is asked only from 16: the
    # screening question does not name sex for a child.
    for age in (5, 9, 15):
        child = screener.worded_for(age)
        assert "sex" not in child.text and "peeing or pooing" in child.text
        assert "wetting again" in (child.help or "")
    for age in (16, 40, None, "9", True):  # an adult, no age yet, or not a whole number
        assert screener.worded_for(age) is screener
        assert "sex" in screener.text
    # A hint only for children: a parent reads it, an adult does not.
    fever = questions["fever"]
    assert fever.help is None
    assert "your child" in (fever.worded_for(9).help or "")
    assert fever.worded_for(9).text.startswith("Does your child have a fever")
    # A parent is not asked whether a young child smokes or injects drugs, or told of
    # causes "more common in men or in women" (the sex question is worded for anyone).
    assert "smoke" not in questions["smoking_or_diabetes"].worded_for(9).text
    assert "Injecting" not in (questions["weak_immune_system"].worded_for(9).help or "")
    assert "men or in women" not in (questions["sex"].help or "")
    # The sex is asked once the age is known (2026.12.11), in the parent's words.
    assert questions["sex"].worded_for(9).text == "What sex was your child given at birth?"
    assert "Injecting" in (questions["weak_immune_system"].worded_for(30).help or "")
    # Phone walk 5: a 9-year-old's parent was asked "since you last exercised" and told to
    # "use a mirror or ask someone to look".
    assert "exercised" not in questions["dark_urine"].worded_for(9).text
    assert "your child" in (questions["bruising"].worded_for(9).help or "")
    assert "mirror" in (questions["bruising"].worded_for(30).help or "")
    # A question with no child wording is itself at any age.
    assert questions["side"].worded_for(9) is questions["side"]


def test_the_child_wording_is_in_the_schema() -> None:
    items = {
        item["id"]: item
        for s in load_questionnaire().to_dict()["sections"]  # type: ignore[attr-defined]
        for item in s["questions"]
    }
    assert set(items["pelvic_changes"]["for_a_child"]) == {"text", "help"}
    assert set(items["fever"]["for_a_child"]) == {"text", "help"} and "help" not in items["fever"]
    assert "for_a_child" not in items["side"]
