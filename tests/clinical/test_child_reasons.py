"""A child's result gives its reasons, and the check its section headings, as a parent reads
them ("Your child has a large bruise that spreads down the thigh.", "Your child's pain").

Under 16 a parent or carer answers (``child_wording.is_child``). Differential 2026.12.10
gives every reason a child can have that says "you" a ``for_a_child`` wording, and the
loader refuses one without it; questionnaire 2026.12.10 does the same for section headings
and intros. Only the words change: the likelihood ratios, probabilities and order do not.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from rehabit.clinical import assess, load_questionnaire
from rehabit.clinical.child_wording import speaks_to_you
from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.datafiles import load_yaml
from rehabit.clinical.differential import DifferentialError
from rehabit.clinical.differential_file import load_differential, parse_differential
from rehabit.clinical.questionnaire import QuestionnaireError
from rehabit.clinical.questionnaire_file import parse_questionnaire
from rehabit.clinical.result_codes import build_texts
from tests.support import answers_for, completed


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return load_yaml("differential.yaml")


def _parse(data: dict[str, Any]) -> Any:
    return parse_differential(data, load_questionnaire(), load_conditions())


def _entry(data: dict[str, Any], key: str, fid: str) -> dict[str, Any]:
    return next(e for e in data[key] if e["id"] == fid)


def test_every_reason_a_child_can_have_speaks_of_the_child() -> None:
    """The data as shipped: each finding's child wording says "your child" (or, for what
    a parent did or saw, "you" about themselves), and every text the child reads that still
    says "you" is one the check allows (the parent's own doing)."""
    differential = load_differential(load_questionnaire())
    assert len(differential.child_code_list) == len(differential.code_list)
    changed = {
        own: child
        for own, child in zip(differential.code_list, differential.child_code_list, strict=True)
        if own != child
    }
    assert len(set(changed)) >= 100
    assert changed["You have a large bruise that spreads down the thigh."] == (
        "Your child has a large bruise that spreads down the thigh."
    )
    assert changed["You are under 12."] == "Your child is under 12."
    for own, child in changed.items():
        assert speaks_to_you(own), own
        assert "child" in child or "pressed" in child, child
    # What a child's parent reads: no reason still speaks to them as the one in pain,
    # except reasons a child cannot have (an age of 16 or more, a question never shown).
    adult_only = {
        "You are between 18 and 39.",
        "You are over 70.",
        "You are 40 or older.",
        "You are 50 or older.",
        "You are 65 or older.",
        "You have a sore on your foot that is not healing.",
    }
    still_you = {t for t in differential.child_code_list[1:] if speaks_to_you(t)}
    assert {t for t in still_you if "child" not in t} == adult_only


def test_each_child_reason_has_its_own_code() -> None:
    texts = build_texts()
    assert texts["bruising_large:present"] == "You have a large bruise that spreads down the thigh."
    assert texts["bruising_large:present:child"] == (
        "Your child has a large bruise that spreads down the thigh."
    )
    assert texts["pop:absent:child"] == "Your child did not feel or hear a pop."
    assert texts["age_under_18:present:child"] == "Your child is under 18."
    differential = load_differential(load_questionnaire())
    child_texts = set(differential.child_code_list) - set(differential.code_list)
    assert child_texts <= set(texts.values())


def _child_answers() -> dict[str, Any]:
    answers = completed({**answers_for("self_care"), "age": 9})
    assert answers["age"] == 9
    return answers


@pytest.mark.parametrize("age", [5, 9, 15])
def test_a_child_s_result_gives_the_same_ranking_in_a_parent_s_words(age: int) -> None:
    answers = {**_child_answers(), "age": age}
    child = assess(answers).to_dict()
    differential = load_differential(load_questionnaire())
    as_adult = dict(zip(differential.child_code_list, differential.code_list, strict=True))
    shown = [c for c in child["causes"] if c["why_for"] or c["why_against"]]
    assert len(shown) >= 2
    reasons = [r for c in shown for r in c["why_for"] + c["why_against"]]
    assert any(r.startswith("Your child") for r in reasons), reasons
    for reason in reasons:
        assert "child" in reason or not speaks_to_you(reason), reason
    # The adult's words for the same ranking: each reason is the child one's own text.
    ranked = load_differential(load_questionnaire()).rank(
        differential.informative(answers), (), None
    )
    plain = differential.rank(differential.informative(answers), (), None, child=True)
    assert [(c.id, c.probability) for c in ranked] == [(c.id, c.probability) for c in plain]
    for adult, kid in zip(ranked, plain, strict=True):
        assert tuple(as_adult.get(t, t) for t in kid.why_for) == adult.why_for
        assert tuple(as_adult.get(t, t) for t in kid.why_against) == adult.why_against


def test_an_adult_s_result_keeps_its_own_words() -> None:
    answers = {**_child_answers(), "age": 40}
    result = assess(answers).to_dict()
    reasons = [r for c in result["causes"] for r in c["why_for"] + c["why_against"]]
    assert reasons
    assert not any("your child" in r.lower() for r in reasons)
    differential = load_differential(load_questionnaire())
    assert set(reasons) <= set(differential.code_list)


def test_a_reason_losing_its_child_s_wording_is_refused(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    del _entry(data, "findings", "bruising_large")["for_a_child"]
    with pytest.raises(DifferentialError, match=r"bruising_large.*for_a_child\.text_present"):
        _parse(data)
    data = copy.deepcopy(raw)
    del _entry(data, "findings", "pop")["for_a_child"]["text_absent"]
    with pytest.raises(DifferentialError, match=r"'pop'.*for_a_child\.text_absent"):
        _parse(data)
    data = copy.deepcopy(raw)
    del _entry(data, "context", "age_under_18")["for_a_child"]
    with pytest.raises(DifferentialError, match=r"age_under_18.*for_a_child\.text"):
        _parse(data)


def _new_finding(rule: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "id": "new_finding",
        "rule": rule,
        "text_present": "You have a brand new sign.",
        "text_absent": "You do not have the brand new sign.",
        "expert": "A test entry, for the loader's child wording check only.",
        "lr": {"sciatica": {"lr_present": 2, "lr_absent": 0.5, "expert": "A test entry only."}},
        **extra,
    }


def test_a_new_reason_speaking_to_you_without_a_child_s_wording_is_refused(
    raw: dict[str, Any],
) -> None:
    data = copy.deepcopy(raw)
    data["findings"].append(_new_finding({"q": "pop", "in": ["yes"]}))
    with pytest.raises(DifferentialError, match="new_finding.*for_a_child.text_present"):
        _parse(data)
    data["findings"][-1]["for_a_child"] = {"text_present": "Your child has a brand new sign."}
    with pytest.raises(DifferentialError, match="new_finding.*for_a_child.text_absent"):
        _parse(data)
    data["findings"][-1]["for_a_child"]["text_absent"] = "Your child has not the new sign."
    differential = _parse(data)
    finding = next(f for f in differential.findings if f.id == "new_finding")
    assert finding.child_present == "Your child has a brand new sign."


@pytest.mark.parametrize(
    ("rule", "needs"),
    [
        # Only for 16 or older: it never holds for a child but fails for every one, so
        # "you do not have it" needs a child's wording and "you have it" does not.
        ({"all": [{"q": "age", "gte": 16}, {"q": "pop", "in": ["yes"]}]}, "text_absent"),
        # Always true for a child (under 16): never "absent" for one.
        ({"q": "age", "lte": 15}, "text_present"),
        # A question a child is never shown: nothing about it is known for a child.
        ({"q": "foot_sore", "in": ["yes"]}, None),
    ],
)
def test_a_reason_a_child_cannot_have_keeps_its_own_words(
    raw: dict[str, Any], rule: dict[str, Any], needs: str | None
) -> None:
    data = copy.deepcopy(raw)
    data["findings"].append(_new_finding(rule))
    if needs is None:
        _parse(data)
        return
    with pytest.raises(DifferentialError, match=f"new_finding.*for_a_child.{needs}"):
        _parse(data)
    data["findings"][-1]["for_a_child"] = {needs: "Your child's words for the new sign."}
    _parse(data)


@pytest.mark.parametrize(
    ("child", "message"),
    [
        ({"text": "Your child has it."}, "a mapping with text_present or text_absent"),
        ({"text_present": ""}, "must be non-empty text"),
        ({"text_present": "You have a brand new sign."}, "in other words"),
        ("Your child has it.", "a mapping"),
    ],
)
def test_a_malformed_child_reason_is_refused(
    raw: dict[str, Any], child: object, message: str
) -> None:
    data = copy.deepcopy(raw)
    data["findings"].append(_new_finding({"q": "pop", "in": ["yes"]}, for_a_child=child))
    with pytest.raises(DifferentialError, match=message):
        _parse(data)


def test_a_child_reason_must_not_repeat_another(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    pop = _entry(data, "findings", "pop")
    pop["for_a_child"]["text_present"] = "Your child has a small bruise."
    with pytest.raises(DifferentialError, match="duplicate reason texts"):
        _parse(data)


# --- Section headings ----------------------------------------------------------------------


def test_a_parent_reads_the_child_s_section_headings() -> None:
    sections = {s.id: s for s in load_questionnaire().sections}
    assert sections["pain"].worded_for(9).title == "Your child's pain"
    assert sections["pain"].worded_for(40).title == "Your pain"
    assert sections["pain"].worded_for(None).title == "Your pain"  # age not known yet
    history = sections["history"].worded_for(15)
    assert history.title == "Your child's health and activity"
    assert "your child's health" in (history.intro or "")
    assert "Your child can skip any test" in (sections["self_tests"].worded_for(5).intro or "")
    assert sections["self_tests"].worded_for(5).title == "Simple self-tests"
    # The section that asks the age is read before the age is known: its own words.
    assert sections["about_you"].worded_for(9) is sections["about_you"]
    for section in sections.values():
        worded = section.worded_for(9)
        assert worded.questions is section.questions
        if section.id != "about_you":
            assert not speaks_to_you(worded.title) or "child" in worded.title
            assert not speaks_to_you(worded.intro) or "child" in (worded.intro or "")


def test_the_section_child_wording_is_in_the_schema() -> None:
    sections = {s["id"]: s for s in load_questionnaire().to_dict()["sections"]}
    assert sections["pain"]["for_a_child"] == {"title": "Your child's pain"}
    assert set(sections["history"]["for_a_child"]) == {"title", "intro"}
    assert "for_a_child" not in sections["about_you"]


def test_a_section_losing_its_child_s_wording_is_refused() -> None:
    data = copy.deepcopy(load_yaml("questionnaire.yaml"))
    pain = next(s for s in data["sections"] if s["id"] == "pain")
    del pain["for_a_child"]
    with pytest.raises(QuestionnaireError, match=r"section 'pain'.*for_a_child\.title"):
        parse_questionnaire(data)
    parse_questionnaire(data, child_wording=False)  # a frozen earlier copy, as it was
    data = copy.deepcopy(load_yaml("questionnaire.yaml"))
    tests = next(s for s in data["sections"] if s["id"] == "self_tests")
    del tests["for_a_child"]
    with pytest.raises(QuestionnaireError, match=r"section 'self_tests'.*for_a_child\.intro"):
        parse_questionnaire(data)
    data = copy.deepcopy(load_yaml("questionnaire.yaml"))
    tests = next(s for s in data["sections"] if s["id"] == "self_tests")
    tests["for_a_child"] = {"heading": "x"}
    with pytest.raises(QuestionnaireError, match="a mapping with title, intro or both"):
        parse_questionnaire(data)


@pytest.mark.parametrize("age", [9, 40])
def test_a_skip_logic_error_quotes_the_question_as_it_was_asked(age: int) -> None:
    """An answer to a question that does not apply is refused quoting the question it
    depends on: a child's parent was asked "Can your child stand on the painful leg ...",
    and the message quotes that (with their answer labels), not "Can you stand ..."."""
    from rehabit.clinical.validation import AnswerErrors, validate_answers

    answers = {
        **completed({**answers_for("self_care"), "age": age}),
        "bear_weight": "no",
        "walk_test": "normal",
    }
    with pytest.raises(AnswerErrors) as caught:
        validate_answers(load_questionnaire(), answers)
    (message,) = caught.value.errors["walk_test"]
    bear_weight = load_questionnaire().questions["bear_weight"]
    child = bear_weight.worded_for(9)
    assert child.text != bear_weight.text
    assert (f'"{child.text}"' in message) is (age < 16), message
    assert (f'"{bear_weight.text}"' in message) is (age >= 16), message
    assert ("my child limps" in message) is (age < 16)


def test_the_therapist_summary_finds_the_answers_behind_a_child_s_reasons() -> None:
    """The intake summary names the answers behind each reason: a child's reason leads to
    the same finding, and so to the same answers, as the adult one."""
    from rehabit.clinical.intake_answers import _reasons

    known = _reasons()
    bruise = "has a large bruise that spreads down the thigh."
    assert known[f"Your child {bruise}"] == known[f"You {bruise.replace('has', 'have', 1)}"]
    assert known["Your child did not feel or hear a pop."][1] is False
    assert known["Your child is under 12."] == known["You are under 12."]
