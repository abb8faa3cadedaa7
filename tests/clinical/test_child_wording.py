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
from rehabit.clinical.questionnaire import QuestionnaireError, load_yaml, parse_questionnaire

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
    assert child.text == bear_weight.text and child.help == bear_weight.help
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
        "options": {"limping": "Yes, but my child limps"}
    }
    walk = items["walk_test"]["for_a_child"]["options"]
    assert list(walk) == ["normal", "painful", "limp", "could_not", "not_tried"]
    assert set(items["pelvic_changes"]["for_a_child"]) == {"text", "help"}
    assert "for_a_child" not in items["location"]


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
    _question(data, "pop")["for_a_child"] = {"options": {"not_sure": "My child is not sure"}}
    pop = parse_questionnaire(data).questions["pop"]
    assert pop.worded_for(9).labels == {
        "yes": "Yes",
        "no": "No",
        "not_sure": "My child is not sure",
    }
    assert pop.worded_for(30).labels["not_sure"] == "Not sure"
