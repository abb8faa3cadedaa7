"""Answer validation: each kind of bad input gets its own precise, field-level message."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rehabit.clinical import AnswerErrors, assess, load_questionnaire, validate_answers
from rehabit.clinical.questionnaire import parse_yaml


@lru_cache(maxsize=1)
def _first_vignette() -> tuple[tuple[str, Any], ...]:
    data = parse_yaml((Path(__file__).parent / "vignettes.yaml").read_text(encoding="utf-8"))
    answers = dict(data["defaults"])
    answers.update(data["vignettes"][0]["answers"])
    return tuple(answers.items())


def valid_answers() -> dict[str, Any]:
    """A complete, valid set: a footballer with a fresh strain (a fresh copy each call)."""
    return {k: list(v) if isinstance(v, list) else v for k, v in _first_vignette()}


def errors_for(answers: Any) -> dict[str, list[str]]:
    with pytest.raises(AnswerErrors) as caught:
        validate_answers(load_questionnaire(), answers)
    return caught.value.errors


def with_(**changes: Any) -> dict[str, Any]:
    answers = valid_answers()
    answers.update(changes)
    return answers


def without(*keys: str) -> dict[str, Any]:
    answers = valid_answers()
    for key in keys:
        answers.pop(key)
    return answers


def test_valid_answers_are_cleaned_in_questionnaire_order() -> None:
    answers = valid_answers()
    shuffled = dict(reversed(list(answers.items())))
    cleaned = validate_answers(load_questionnaire(), shuffled)
    assert list(cleaned) == [q for q in load_questionnaire().questions if q in cleaned]
    assert cleaned == validate_answers(load_questionnaire(), answers)


def test_answers_must_be_an_object() -> None:
    for bad in (["age", 30], "age=30", None, 42):
        assert errors_for(bad) == {
            "__all__": ["Answers must be an object that maps question ids to answers."]
        }


def test_non_text_keys_are_a_general_error() -> None:
    answers: dict[Any, Any] = valid_answers()
    answers[3] = "x"
    assert errors_for(answers) == {"__all__": ["Question ids must be text, got 3."]}


def test_unknown_question() -> None:
    assert errors_for(with_(foo=1)) == {"foo": ["Unknown question 'foo'."]}


@pytest.mark.parametrize("bad", ["30", 30.5, True, False, [30], {"v": 30}])
def test_integer_must_be_a_whole_number(bad: Any) -> None:
    assert errors_for(with_(age=bad)) == {"age": ["Expected a whole number."]}


def test_integral_float_is_accepted_as_an_integer() -> None:
    cleaned = validate_answers(load_questionnaire(), with_(age=30.0))
    assert cleaned["age"] == 30 and type(cleaned["age"]) is int


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("age", 11, "Must be between 12 and 110."),
        ("age", 111, "Must be between 12 and 110."),
        ("pain_now", 11, "Must be between 0 and 10."),
        ("pain_now", -1, "Must be between 0 and 10."),
        ("days_since_onset", -1, "Must be between 0 and 3650."),
    ],
)
def test_out_of_range(field: str, value: int, message: str) -> None:
    assert errors_for(with_(**{field: value})) == {field: [message]}


def test_unknown_option_lists_the_allowed_values() -> None:
    assert errors_for(with_(side="middle")) == {
        "side": ["Unknown option 'middle'. Allowed values: left, right, both."]
    }
    assert errors_for(with_(fever="maybe")) == {
        "fever": ["Unknown option 'maybe'. Allowed values: yes, no, not_sure."]
    }


def test_single_choice_must_be_text() -> None:
    assert errors_for(with_(side=["left"])) == {
        "side": ["Expected one option as text. Allowed values: left, right, both."]
    }


def test_multi_must_be_a_list_of_unique_known_options() -> None:
    allowed = "ache, sharp, burning, shooting, tight, cramping, throbbing"
    assert errors_for(with_(pain_quality="ache")) == {
        "pain_quality": [f"Expected a list of options as text. Allowed values: {allowed}."]
    }
    assert errors_for(with_(pain_quality=["ache", 3])) == {
        "pain_quality": [f"Expected a list of options as text. Allowed values: {allowed}."]
    }
    assert errors_for(with_(pain_quality=[])) == {"pain_quality": ["Choose at least one option."]}
    assert errors_for(with_(pain_quality=["ache", "ache"])) == {
        "pain_quality": ["Option 'ache' is chosen more than once."]
    }
    assert errors_for(with_(pain_quality=["ache", "itchy"])) == {
        "pain_quality": [f"Unknown option 'itchy'. Allowed values: {allowed}."]
    }


def test_exclusive_options_cannot_be_combined() -> None:
    assert errors_for(with_(worse=["none", "sitting"])) == {
        "worse": ["'none' (Nothing in particular) cannot be combined with other options."]
    }
    assert errors_for(with_(sports=["none", "cycling_rowing"])) == {
        "sports": ["'none' (None of these) cannot be combined with other options."]
    }


def test_multi_values_are_returned_in_option_order() -> None:
    cleaned = validate_answers(load_questionnaire(), with_(worse=["stretching", "sitting"]))
    assert cleaned["worse"] == ["sitting", "stretching"]


def test_required_question_missing() -> None:
    assert errors_for(without("onset", "pop")) == {"onset": ["This question is required."]}
    assert errors_for(without("saddle_numbness")) == {
        "saddle_numbness": ["This question is required."]
    }


def test_none_counts_as_not_answered() -> None:
    assert errors_for(with_(fever=None)) == {"fever": ["This question is required."]}
    cleaned = validate_answers(load_questionnaire(), with_(pain_worst=None))
    assert "pain_worst" not in cleaned


def test_required_only_when_shown() -> None:
    # pop is required, but only shown after a sudden start.
    answers = without("pop")
    answers.update(onset="gradually")
    assert "pop" not in validate_answers(load_questionnaire(), answers)
    assert errors_for(without("pop")) == {"pop": ["This question is required."]}


def test_answer_to_a_question_that_does_not_apply() -> None:
    answers = with_(onset="gradually", pop="yes")
    assert errors_for(answers) == {
        "pop": [
            'This question only applies when your answer to "How did the pain begin?" is '
            '"Suddenly, while running fast or sprinting" or "Suddenly, during a big stretch, a '
            'high kick or the splits" or "After a fall, a crash or a blow to the leg"; '
            "remove this answer."
        ]
    }


def test_self_test_skipped_when_the_person_cannot_stand() -> None:
    errors = errors_for(with_(bear_weight="no", walk_test="normal"))
    assert list(errors) == ["walk_test"]
    assert errors["walk_test"][0].startswith(
        'This question only applies when your answer to "Can you stand on the painful leg'
    )


def test_no_cascade_of_errors_from_one_bad_answer() -> None:
    # An invalid onset must not also produce a skip-logic error for pop.
    assert errors_for(with_(onset="slowly")) == {
        "onset": [
            "Unknown option 'slowly'. Allowed values: sprinting, stretch_kick_split, "
            "fall_or_blow, gradually, after_sitting, after_more_training, no_clear_reason."
        ]
    }


def test_every_problem_is_reported_at_once() -> None:
    errors = errors_for({**without("side"), "age": 5, "foo": 1, "pain_now": "bad"})
    assert errors == {
        "foo": ["Unknown question 'foo'."],
        "age": ["Must be between 12 and 110."],
        "side": ["This question is required."],
        "pain_now": ["Expected a whole number."],
    }


def test_assess_raises_the_same_errors() -> None:
    with pytest.raises(AnswerErrors) as caught:
        assess(with_(age=5))
    assert caught.value.errors == {"age": ["Must be between 12 and 110."]}
    assert "age: Must be between 12 and 110." in str(caught.value)


def test_sexual_function_question_only_from_16() -> None:
    answers = with_(age=14)
    errors = errors_for(answers)
    assert list(errors) == ["sexual_function_change"]
    answers.pop("sexual_function_change")
    assert "sexual_function_change" not in validate_answers(load_questionnaire(), answers)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 4000)
    | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
KEYS = st.sampled_from([*load_questionnaire().questions, "foo", ""])


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(KEYS, JSON, max_size=12), st.booleans())
def test_any_json_input_gives_a_result_or_field_errors(noise: dict[str, Any], merge: bool) -> None:
    """Arbitrary JSON never crashes validation: it is either valid or explained per field."""
    answers = {**valid_answers(), **noise} if merge else noise
    try:
        validate_answers(load_questionnaire(), answers)
    except AnswerErrors as exc:
        assert exc.errors
        for key, messages in exc.errors.items():
            assert key == "__all__" or key in answers or key in load_questionnaire().questions
            assert messages and all(isinstance(m, str) and m.endswith(".") for m in messages)
