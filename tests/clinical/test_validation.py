"""Answer validation: each kind of bad input gets its own precise, field-level message."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rehabit.clinical import AnswerErrors, assess, load_questionnaire, validate_answers
from tests.clinical.answers import PROPERTY, complete, strain

ONSETS = (
    "sprinting, stretch_kick_split, jumping_landing, lifting, bending_twisting, fall_or_blow, "
    "ordinary_movement, during_sport_no_moment, after_more_training, gradually, after_sitting, "
    "no_clear_reason"
)
CAUDA_EQUINA_ITEMS = (
    "saddle_numbness",
    "bladder_trouble",
    "bladder_bowel_leak",
    "sexual_function_change",
)


def valid_answers() -> dict[str, Any]:
    """A complete, valid set: a footballer with a fresh strain (a fresh copy each call)."""
    return strain()


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


def gradual(*keys: str) -> dict[str, Any]:
    """The valid set with a gradual start instead of a sprint, and without ``keys``. The
    start changes which warning signs are asked: dark urine is (the pain began a day ago),
    a tense, hard thigh is not."""
    answers = without("thigh_tense_hard", *keys)
    answers.update(onset="gradually", dark_urine="no")
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
        ("age", -1, "Must be between 0 and 120."),
        ("age", 121, "Must be between 0 and 120."),
        ("pain_now", 11, "Must be between 0 and 10."),
        ("pain_now", -1, "Must be between 0 and 10."),
        ("days_since_onset", -1, "Must be between 0 and 36500."),
        ("days_since_onset", 36501, "Must be between 0 and 36500."),
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
    assert errors_for(with_(worse=["dont_know", "none"])) == {
        "worse": [
            "'none' (Nothing in particular) cannot be combined with other options.",
            "'dont_know' (I don't know, or I haven't noticed) cannot be combined with other "
            "options.",
        ]
    }
    assert errors_for(with_(lump="yes", lump_features=["growing", "none"])) == {
        "lump_features": ["'none' (None of these) cannot be combined with other options."]
    }


def test_multi_values_are_returned_in_option_order() -> None:
    cleaned = validate_answers(load_questionnaire(), with_(worse=["stretching", "sitting"]))
    assert cleaned["worse"] == ["sitting", "stretching"]


def test_required_question_missing() -> None:
    # Without the onset, its follow-ups (pop, earlier_pain) cannot be judged: one error only.
    assert errors_for(without("onset", "pop", "earlier_pain")) == {
        "onset": ["This question is required."]
    }
    assert errors_for(without("pelvic_changes")) == {
        "pelvic_changes": ["This question is required."]
    }
    assert errors_for(without("numbness")) == {"numbness": ["This question is required."]}


@pytest.mark.parametrize("screener", ["yes", "not_sure"])
def test_cauda_equina_items_are_required_after_a_yes_or_not_sure_screener(screener: str) -> None:
    answers = with_(pelvic_changes=screener)
    assert errors_for(answers) == {
        qid: ["This question is required."] for qid in CAUDA_EQUINA_ITEMS
    }
    answers.update(dict.fromkeys(CAUDA_EQUINA_ITEMS, "no"))
    cleaned = validate_answers(load_questionnaire(), answers)
    assert all(cleaned[qid] == "no" for qid in CAUDA_EQUINA_ITEMS)


def test_cauda_equina_items_do_not_apply_after_a_no_screener() -> None:
    for qid in CAUDA_EQUINA_ITEMS:
        errors = errors_for(with_(**{qid: "no"}))
        assert list(errors) == [qid]
        assert errors[qid][0].startswith("This question only applies when your answer to")


def test_follow_ups_are_required_when_shown() -> None:
    assert errors_for(with_(numbness="not_sure")) == {
        "numbness_spreading": ["This question is required."]
    }
    assert errors_for(with_(fever="yes")) == {"very_unwell": ["This question is required."]}
    assert errors_for(with_(lump="yes")) == {"lump_features": ["This question is required."]}
    assert errors_for(with_(lump="no", lump_features=["none"])) == {
        "lump_features": [
            'This question only applies when your answer to "Can you see or feel a lump in '
            'your buttock, thigh, behind your knee or in your calf?" is "Yes" or "Not sure"; '
            "remove this answer."
        ]
    }


def test_none_counts_as_not_answered() -> None:
    assert errors_for(with_(fever=None)) == {"fever": ["This question is required."]}
    assert errors_for(with_(bear_weight=None, walk_test=None, knee_bend_test=None)) == {
        "bear_weight": ["This question is required."]
    }
    cleaned = validate_answers(load_questionnaire(), with_(pain_worst=None))
    assert "pain_worst" not in cleaned


def test_required_only_when_shown() -> None:
    # pop is required, but only shown after a sudden start.
    answers = gradual("pop", "earlier_pain")
    assert "pop" not in validate_answers(load_questionnaire(), answers)
    assert errors_for(without("pop")) == {"pop": ["This question is required."]}
    # numbness_spreading is required, but only asked of someone with numbness.
    answers = with_(numbness="no")
    answers.pop("numbness_spreading", None)
    assert "numbness_spreading" not in validate_answers(load_questionnaire(), answers)
    assert errors_for({**answers, "numbness": "yes"}) == {
        "numbness_spreading": ["This question is required."]
    }


def test_answer_to_a_question_that_does_not_apply() -> None:
    answers = {**gradual("earlier_pain"), "pop": "yes"}
    assert errors_for(answers) == {
        "pop": [
            'This question only applies when your answer to "How did the pain begin?" is '
            '"Suddenly, while running fast or sprinting" or "Suddenly, during a big stretch, a '
            'high kick, a slip or the splits" or "Suddenly, while jumping or landing" or '
            '"After a fall, a crash or a blow to the leg" or "Suddenly, during an ordinary '
            'movement, like getting up or walking"; remove this answer.'
        ]
    }


def test_warning_signs_asked_after_some_starts_are_required_exactly_then() -> None:
    # A sprint a day ago: a tense, hard thigh is asked, dark urine is not.
    assert errors_for(without("thigh_tense_hard")) == {
        "thigh_tense_hard": ["This question is required."]
    }
    (message,) = errors_for(with_(dark_urine="no"))["dark_urine"]
    assert message.startswith(
        'This question only applies when your answer to "How many days ago did the pain '
        'begin?" is 14 or less and your answer to "How did the pain begin?" is'
    )
    # A gradual start a day ago: the other way round.
    answers = gradual("pop", "earlier_pain")
    assert validate_answers(load_questionnaire(), answers)["dark_urine"] == "no"
    assert errors_for({k: v for k, v in answers.items() if k != "dark_urine"}) == {
        "dark_urine": ["This question is required."]
    }
    assert list(errors_for(answers | {"thigh_tense_hard": "no"})) == ["thigh_tense_hard"]
    # Dark urine is asked up to two weeks after the start, and no later (weight loss is
    # asked from two weeks).
    later = answers | {"weight_loss": "no"}
    assert validate_answers(load_questionnaire(), later | {"days_since_onset": 14})
    assert list(errors_for(later | {"days_since_onset": 15})) == ["dark_urine"]
    # A tense thigh is asked up to a week after a sprint, and no later.
    assert list(errors_for(with_(days_since_onset=8))) == ["thigh_tense_hard"]
    assert validate_answers(load_questionnaire(), with_(days_since_onset=7))


@pytest.mark.parametrize("bear_weight", ["no", "with_aid", "not_sure"])
def test_self_test_skipped_when_the_person_cannot_stand(bear_weight: str) -> None:
    answers = with_(bear_weight=bear_weight, walk_test="normal")
    errors = errors_for(answers)
    assert list(errors) == ["walk_test"]
    assert errors["walk_test"][0].startswith(
        'This question only applies when your answer to "Can you stand on the painful leg'
    )


def test_no_cascade_of_errors_from_one_bad_answer() -> None:
    # An invalid onset must not also produce a skip-logic error for pop.
    assert errors_for(with_(onset="slowly")) == {
        "onset": [f"Unknown option 'slowly'. Allowed values: {ONSETS}."]
    }
    # An invalid screening answer must not make its follow-ups "required" or "not asked".
    assert errors_for(with_(pelvic_changes="maybe", saddle_numbness="no")) == {
        "pelvic_changes": ["Unknown option 'maybe'. Allowed values: yes, no, not_sure."]
    }


def test_every_problem_is_reported_at_once() -> None:
    errors = errors_for({**without("side"), "age": 121, "foo": 1, "pain_now": "bad"})
    assert errors == {
        "foo": ["Unknown question 'foo'."],
        "age": ["Must be between 0 and 120."],
        "side": ["This question is required."],
        "pain_now": ["Expected a whole number."],
    }


def test_assess_raises_the_same_errors() -> None:
    with pytest.raises(AnswerErrors) as caught:
        assess(with_(age=121))
    assert caught.value.errors == {"age": ["Must be between 0 and 120."]}
    assert "age: Must be between 0 and 120." in str(caught.value)


def test_every_age_from_birth_is_valid() -> None:
    for age in (0, 4, 5, 120):  # (from 50 the foot-sore question is also asked)
        answers = complete(with_(age=age))
        assert validate_answers(load_questionnaire(), answers)["age"] == age


def test_sexual_function_question_only_from_16() -> None:
    answers = with_(age=14, pelvic_changes="yes", **dict.fromkeys(CAUDA_EQUINA_ITEMS, "no"))
    errors = errors_for(answers)
    assert list(errors) == ["sexual_function_change"]
    answers.pop("sexual_function_change")
    cleaned = validate_answers(load_questionnaire(), answers)
    assert "sexual_function_change" not in cleaned and cleaned["saddle_numbness"] == "no"


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


@settings(PROPERTY, max_examples=200)
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
