"""A child's check reads as a parent's: the option labels of ``for_a_child``.

Under 16 a parent or carer answers. A label that speaks of the person in the first person
("Yes, but I limp") is read by the parent about their child, so each has a parent's wording
("Yes, but my child limps"), and a new one cannot be added without one.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from rehabit.clinical import load_questionnaire
from rehabit.clinical.child_wording import speaks_to_you
from rehabit.clinical.datafiles import load_yaml
from rehabit.clinical.questionnaire import QuestionnaireError
from rehabit.clinical.questionnaire_file import parse_questionnaire

# I (also in I'm, I've, I'd), me, my, mine, myself as whole words, "I" only as a capital.
FIRST_PERSON = re.compile(r"\bI\b|\b(?i:me|my|mine|myself)\b")
# Labels that are about the person answering, not about the person in pain: a parent says
# them of themselves, so they read right as they are. Pinned to their words, so a changed
# label is looked at again.
PARENTS_OWN_WORDS = {
    # Asked beside the age, before a child's wording can be chosen; the parent's choice.
    ("sex", "prefer_not"): "I would rather not say",
    # What the parent knows or has noticed.
    ("worse", "dont_know"): "I don't know, or I haven't noticed",
    ("eases", "dont_know"): "I don't know, or I haven't noticed",
    # The help tells a child's parent to look at the bruise themselves.
    ("bruising", "not_sure"): "I cannot tell",
}


def _first_person(text: str) -> list[str]:
    return FIRST_PERSON.findall(text)


def test_the_scan_finds_first_person_words_as_whole_words_only() -> None:
    assert _first_person("Yes, but I limp") == ["I"]
    assert _first_person("I'm not sure, it wakes me") == ["I", "me"]
    assert _first_person("My usual pain at my sitting bone") == ["My", "my"]
    assert _first_person("Time, mystery, Mime, Italy, dismay, media, i.e.") == []


def test_every_first_person_label_has_a_parent_s_wording() -> None:
    missing = []
    for qid, question in load_questionnaire().questions.items():
        for option in question.options:
            if not _first_person(option.label):
                continue
            if (qid, option.value) in PARENTS_OWN_WORDS:
                assert PARENTS_OWN_WORDS[(qid, option.value)] == option.label
                continue
            if option.value not in question.child_labels:
                missing.append(f"{qid}.{option.value}: {option.label!r}")
    assert not missing, "first-person labels without for_a_child.options: " + "; ".join(missing)


def test_the_parent_s_wording_speaks_of_my_child_never_of_themselves() -> None:
    """A child's label names the child ("my child", "my child's") or "we" (a self-test
    done together); it never keeps an "I" or "me" about the child."""
    seen = 0
    for qid, question in load_questionnaire().questions.items():
        for value, label in question.child_labels.items():
            seen += 1
            rest = re.sub(r"\bmy child\b", "", label, flags=re.IGNORECASE)
            assert not _first_person(rest), (qid, value, label)
            assert label != question.labels[value], (qid, value)
    assert seen >= 20


@pytest.mark.parametrize("age", [5, 9, 15])
def test_a_child_s_parent_reads_the_child_labels(age: int) -> None:
    questions = load_questionnaire().questions
    bear_weight = questions["bear_weight"]
    child = bear_weight.worded_for(age)
    assert child.labels["limping"] == "Yes, but my child limps"
    assert {o.value: o.label for o in child.options}["limping"] == "Yes, but my child limps"
    # Only the labels change: the values, their order and what they mean stay.
    assert child.option_values == bear_weight.option_values
    assert child.values == bear_weight.values
    assert [o.value for o in child.options] == list(bear_weight.option_values)
    assert child.labels["yes"] == bear_weight.labels["yes"] == "Yes, without a limp"
    assert child.text == "Can your child stand on the painful leg and take 4 steps?"
    assert child.help == bear_weight.help
    walk = questions["walk_test"].worded_for(age)
    assert walk.labels["limp"] == "My child limped"
    assert walk.labels["not_tried"] == "We did not try, or we would rather not"
    # A question with a child's text keeps it beside the labels.
    assert (
        questions["pelvic_changes"].worded_for(age).text == questions["pelvic_changes"].child_text
    )


@pytest.mark.parametrize("age", [16, 40, None, "9", True])
def test_an_adult_or_an_unknown_age_reads_the_own_labels(age: object) -> None:
    bear_weight = load_questionnaire().questions["bear_weight"]
    assert bear_weight.worded_for(age) is bear_weight
    assert bear_weight.labels["limping"] == "Yes, but I limp"


def test_the_child_labels_are_in_the_schema_in_display_order() -> None:
    items = {
        item["id"]: item
        for s in load_questionnaire().to_dict()["sections"]  # type: ignore[attr-defined]
        for item in s["questions"]
    }
    assert items["bear_weight"]["for_a_child"] == {
        "text": "Can your child stand on the painful leg and take 4 steps?",
        "options": {"limping": "Yes, but my child limps"},
    }
    walk = items["walk_test"]["for_a_child"]["options"]
    assert list(walk) == ["normal", "painful", "limp", "could_not", "not_tried"]
    assert set(items["pelvic_changes"]["for_a_child"]) == {"text", "help"}
    assert "for_a_child" not in items["side"]


@pytest.fixture(scope="module")
def raw() -> Any:
    return load_yaml("questionnaire.yaml")


def _question(data: Any, qid: str) -> Any:
    return next(q for s in data["sections"] for q in s["questions"] if q["id"] == qid)


@pytest.mark.parametrize(
    ("qid", "child", "message"),
    [
        (
            "bear_weight",
            {"options": {"limp": "Yes, but my child limps"}},
            "question 'bear_weight'.for_a_child.options: 'limp' is not an option of the "
            "question (options: yes, limping, with_aid, no, not_sure)",
        ),
        (
            "age",
            {"options": {"nine": "Nine"}},
            "question 'age'.for_a_child.options: 'nine' is not an option of the question "
            "(options: none)",
        ),
        (
            "bear_weight",
            {"options": {"limping": " "}},
            "question 'bear_weight'.for_a_child.options.limping: label must be non-empty text",
        ),
        (
            "bear_weight",
            {"options": {"limping": 3}},
            "question 'bear_weight'.for_a_child.options.limping: label must be non-empty text",
        ),
        (
            "bear_weight",
            {"options": {"limping": "Yes, but I limp"}},
            "question 'bear_weight'.for_a_child.options.limping: the same as the option's own "
            "label; leave it out",
        ),
        (
            "bear_weight",
            {"options": {}},
            "question 'bear_weight'.for_a_child.options: a mapping of option value to label",
        ),
        (
            "bear_weight",
            {"options": ["Yes, but my child limps"]},
            "question 'bear_weight'.for_a_child.options: a mapping of option value to label",
        ),
        (
            "bear_weight",
            {"labels": {"limping": "Yes, but my child limps"}},
            "question 'bear_weight'.for_a_child: a mapping with text, help, options",
        ),
    ],
)
def test_a_malformed_child_label_is_refused_saying_where(
    raw: Any, qid: str, child: Any, message: str
) -> None:
    data = copy.deepcopy(raw)
    _question(data, qid)["for_a_child"] = child
    with pytest.raises(QuestionnaireError) as refused:
        parse_questionnaire(data)
    assert message in str(refused.value)


def test_a_yes_no_question_can_word_its_built_in_answers_for_a_child(raw: Any) -> None:
    data = copy.deepcopy(raw)
    pop_child = _question(data, "pop")["for_a_child"]
    pop_child["options"] = {"not_sure": "My child is not sure"}
    pop = parse_questionnaire(data).questions["pop"]
    assert pop.worded_for(9).labels == {
        "yes": "Yes",
        "no": "No",
        "not_sure": "My child is not sure",
    }
    assert pop.worded_for(30).labels["not_sure"] == "Not sure"


# Questions whose own text speaks to "you" and that have no child's text: the age, put to
# whoever answers, and two a child's parent is never shown (from 16, from 50).
OWN_TEXT_FOR_EVERYONE = {"age", "sexual_function_change", "foot_sore"}


def test_every_question_a_parent_can_be_shown_speaks_of_their_child() -> None:
    """2026.12.9: a parent no longer reads "Where do you feel the pain?" about their child;
    only the age keeps its "you" (its help says what a parent enters)."""
    questions = load_questionnaire().questions
    own = {qid for qid, q in questions.items() if speaks_to_you(q.text) and q.child_text is None}
    assert own == OWN_TEXT_FOR_EVERYONE
    assert [qid for qid, q in questions.items() if q.asks_whoever_answers] == ["age"]
    for qid, question in questions.items():
        if qid in OWN_TEXT_FOR_EVERYONE:
            continue
        child = question.worded_for(9)
        assert not speaks_to_you(question.help) or child.help != question.help, qid
        assert all(
            not speaks_to_you(o.label) or child.labels[o.value] != o.label for o in question.options
        ), qid
    child = {qid: q.worded_for(9) for qid, q in questions.items()}
    assert child["location"].text == "Where does your child feel the pain?"
    assert child["location"].labels["sitting_bone"] == (
        "The bony spot your child sits on (sitting bone)"
    )
    # A self-test tells the parent what to ask their child to do.
    assert child["bridge_test"].help.startswith("1. Ask your child to lie on their back")  # type: ignore[union-attr]
    assert child["age"].text == "How old are you?"


@pytest.mark.parametrize("age", [5, 9, 15])
def test_only_the_words_change_for_a_child(age: int) -> None:
    for qid, question in load_questionnaire().questions.items():
        child = question.worded_for(age)
        assert (child.id, child.type, child.required, child.show_if, child.ask) == (
            question.id,
            question.type,
            question.required,
            question.show_if,
            question.ask,
        ), qid
        assert (child.min, child.max, child.option_values, child.exclusive) == (
            question.min,
            question.max,
            question.option_values,
            question.exclusive,
        ), qid


def _refused(data: Any) -> str:
    with pytest.raises(QuestionnaireError) as refused:
        parse_questionnaire(data)
    return str(refused.value)


def _with_new_question(raw: Any, question: dict[str, Any], section: str = "symptoms") -> Any:
    data = copy.deepcopy(raw)
    next(s for s in data["sections"] if s["id"] == section)["questions"].append(question)
    return data


NEW = {"id": "new_question", "text": "Do you feel a click in your knee?", "type": "yes_no"}


def test_a_new_question_speaking_to_you_without_a_child_s_wording_is_refused(raw: Any) -> None:
    message = _refused(_with_new_question(raw, NEW))
    assert message.startswith(
        "question 'new_question': its text speaks to \"you\", and a child's parent can be "
        "shown it: give for_a_child.text"
    )
    assert "asks_whoever_answers: true" in message
    worded = {**NEW, "for_a_child": {"text": "Does your child feel a click in their knee?"}}
    new = parse_questionnaire(_with_new_question(raw, worded)).questions["new_question"]
    assert new.worded_for(9).text == "Does your child feel a click in their knee?"


@pytest.mark.parametrize(
    ("qid", "remove", "message"),
    [
        ("location", "text", "question 'location': its text speaks to \"you\""),
        ("saddle_numbness", "help", "question 'saddle_numbness': its help speaks to \"you\""),
        ("pain_now", "help", "question 'pain_now': its help speaks to \"you\""),
        (
            "location",
            "options",
            "question 'location': the answer 'sitting_bone' speaks to \"you\", and a child's "
            "parent can be shown it: give for_a_child.options",
        ),
    ],
)
def test_a_question_losing_its_child_s_wording_is_refused(
    raw: Any, qid: str, remove: str, message: str
) -> None:
    data = copy.deepcopy(raw)
    child = _question(data, qid)["for_a_child"]
    del child[remove]
    if not child:
        del _question(data, qid)["for_a_child"]
    assert message in _refused(data)


@pytest.mark.parametrize(
    "show_if",
    [
        {"q": "age", "gte": 16},
        {"all": [{"q": "pain_now", "gte": 3}, {"q": "age", "gte": 18}]},
        {"not": {"q": "age", "lte": 15}},
        {"any": [{"q": "age", "gte": 40}, {"q": "foot_sore", "in": ["yes"]}]},
        # After a question a child's parent is never shown (asked only from 16).
        {"q": "sexual_function_change", "in": ["yes"]},
        {"q": "sexual_function_change", "answered": True},
        {"not": {"q": "sexual_function_change", "answered": False}},
    ],
)
def test_a_question_a_child_is_never_shown_keeps_its_own_words(raw: Any, show_if: Any) -> None:
    data = _with_new_question(raw, {**NEW, "show_if": show_if}, section="warning_signs")
    assert "new_question" in parse_questionnaire(data).questions


@pytest.mark.parametrize(
    "show_if",
    [
        {"q": "age", "gte": 15},
        {"q": "age", "lte": 15},
        {"any": [{"q": "age", "gte": 16}, {"q": "pain_now", "gte": 3}]},
        {"not": {"q": "age", "gte": 16}},
        {"q": "sexual_function_change", "answered": False},
        {"not": {"q": "sexual_function_change", "in": ["yes"]}},
        {"q": "pop", "in": ["yes"]},
    ],
)
def test_a_question_a_child_may_be_shown_needs_a_child_s_wording(raw: Any, show_if: Any) -> None:
    data = _with_new_question(raw, {**NEW, "show_if": show_if}, section="warning_signs")
    assert "question 'new_question': its text speaks to \"you\"" in _refused(data)


def test_the_age_is_put_to_whoever_answers_and_keeps_its_words(raw: Any) -> None:
    data = copy.deepcopy(raw)
    del _question(data, "age")["asks_whoever_answers"]
    assert "question 'age': its text speaks to \"you\"" in _refused(data)
    _question(data, "age")["asks_whoever_answers"] = "yes"
    assert "question 'age': asks_whoever_answers must be true or false" in _refused(data)
    _question(data, "age").update(
        asks_whoever_answers=True, for_a_child={"text": "How old is your child?"}
    )
    assert (
        "question 'age': a question put to whoever answers (asks_whoever_answers) keeps its "
        "own text and help; leave out for_a_child text and help"
    ) in _refused(data)


def test_a_frozen_earlier_version_is_read_as_it_was(raw: Any) -> None:
    data = _with_new_question(raw, NEW)
    assert "new_question" in parse_questionnaire(data, child_wording=False).questions
