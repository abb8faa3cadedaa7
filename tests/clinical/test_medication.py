"""The medicine safety screen (evidence.md 4.3): cautions before any anti-inflammatory advice."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehabit.clinical.datafiles import citation_problem, load_yaml
from rehabit.clinical.medication import (
    medication_advice,
    screen,
    until_seen_advice,
    validate_medication_answers,
)
from rehabit.clinical.medication_file import (
    MedicationDataError,
    load_medication_data,
    parse_medication_data,
)
from rehabit.clinical.validation import AnswerErrors

SCREEN_IDS = (
    "kidney",
    "stomach_ulcer",
    "blood_thinners",
    "other_bleeding_medicines",
    "pregnant",
    "asthma_or_allergy",
    "heart_or_stroke",
    "liver",
    "age_65_plus",
    "other_nsaid",
)
# Answers from the assessment that the screen reuses (never asked twice).
ADULT = {"age": 40, "sex": "female", "blood_thinners": "no", "hormones_or_pregnancy": "no"}
ASKED = ("kidney", "stomach_ulcer", "other_bleeding_medicines", "asthma_or_allergy",
         "heart_or_stroke", "liver", "other_nsaid")  # fmt: skip
ALL_NO = dict.fromkeys(ASKED, "no")
NSAID = re.compile(r"ibuprofen|naproxen|diclofenac|aspirin|anti-inflammator", re.IGNORECASE)
DOSE = re.compile(
    r"\d+\s*(mg|milligram|g\b|grams?|ml|tablets?|capsules?|pills?|doses?|times a day|hours?)",
    re.IGNORECASE,
)


def texts(advice: object) -> list[str]:
    """Every string in a to_dict() tree."""
    if isinstance(advice, str):
        return [advice]
    if isinstance(advice, dict):
        return [t for v in advice.values() for t in texts(v)]
    if isinstance(advice, list | tuple):
        return [t for v in advice for t in texts(v)]
    return []


def test_the_screen_covers_every_caution_of_the_evidence() -> None:
    data = load_medication_data()
    assert data.ids == SCREEN_IDS
    for item in data.screening:
        assert item.text.endswith("?")
        assert item.reason


def test_every_entry_cites_evidence_or_is_marked_expert() -> None:
    raw = load_yaml("medication_safety.yaml")
    entries = [*raw["screening"], raw["under_16"], *raw["advice"].values()]
    for entry in entries:
        assert citation_problem(entry) is None, entry.get("id")


def test_assessment_answers_are_reused_and_never_asked_twice() -> None:
    result = screen(ADULT, None)
    assert set(result.unanswered) == set(ASKED)
    assert {q.id for q in result.questions} == set(ASKED)
    assert result.answers["age_65_plus"] == "no"
    assert result.answers["pregnant"] == "no"
    assert result.answers["blood_thinners"] == "no"


def test_men_are_not_asked_about_pregnancy_and_hormones_alone_do_not_answer_it() -> None:
    assert (
        "pregnant"
        not in screen({**ADULT, "sex": "male", "hormones_or_pregnancy": "yes"}, None).unanswered
    )
    assert "pregnant" in screen({**ADULT, "hormones_or_pregnancy": "yes"}, None).unanswered


@pytest.mark.parametrize(
    ("assessment", "caution"),
    [
        ({"age": 70}, "age_65_plus"),
        ({"blood_thinners": "yes"}, "blood_thinners"),
        ({"blood_thinners": "not_sure"}, "blood_thinners"),
    ],
)
def test_cautions_from_the_assessment(assessment: dict[str, object], caution: str) -> None:
    result = screen({**ADULT, **assessment}, ALL_NO)
    assert result.status == "caution"
    assert [c.id for c in result.cautions] == [caution]
    assert caution not in result.unanswered


def test_all_clear_only_when_every_item_is_answered_no() -> None:
    assert screen(ADULT, ALL_NO).status == "clear"
    assert screen(ADULT, {**ALL_NO, "liver": None}).status == "unanswered"
    assert screen({k: v for k, v in ADULT.items() if k != "age"}, ALL_NO).status == "unanswered"


@given(st.sampled_from(SCREEN_IDS), st.sampled_from(["yes", "not_sure", True]))
def test_any_yes_or_not_sure_is_a_caution(item: str, answer: object) -> None:
    result = screen(ADULT, {**ALL_NO, item: answer})
    assert result.status == "caution"
    assert item in {c.id for c in result.cautions}


def test_the_more_cautious_answer_wins() -> None:
    result = screen(ADULT, {**ALL_NO, "pregnant": "yes", "blood_thinners": "not_sure"})
    assert {c.id: c.answer for c in result.cautions} == {
        "pregnant": "yes",
        "blood_thinners": "not_sure",
    }


def test_under_16s_are_warned_about_aspirin() -> None:
    result = screen({**ADULT, "age": 14}, ALL_NO)
    assert result.status == "caution"
    assert any("aspirin" in c.reason for c in result.cautions if c.id == "under_16")


def _question(answers: dict[str, object], item: str) -> Any:
    (question,) = [q for q in screen(answers, None).questions if q.id == item]
    return question


def test_the_steroid_question_says_why_it_asks_about_steroids_again() -> None:
    """The check may have asked about steroid tablets taken for more than 3 months, for the
    bones; that answer cannot settle this question, about any steroid tablets (bleeding
    with an anti-inflammatory). Its help says why, naming the check's question only to
    someone the check asked (phone walk: asked twice for nothing)."""
    for asked in ("yes", "no", "not_sure"):
        question = _question({**ADULT, "weak_bones_or_steroids": asked}, "other_bleeding_medicines")
        assert question.help is not None
        assert "more than 3 months" in question.help and "bones" in question.help
        assert "any steroid tablets" in question.help and "bleeding" in question.help
        assert question.to_dict()["help"] == question.help
    not_asked = _question(ADULT, "other_bleeding_medicines")
    assert not_asked.help is not None and "bleeding" in not_asked.help
    assert "check" not in not_asked.help and "3 months" not in not_asked.help
    # The other questions carry no help, and say so by leaving it out.
    assert "help" not in _question(ADULT, "kidney").to_dict()


def test_a_help_if_must_be_a_rule_over_known_questions_and_a_text() -> None:
    raw = load_yaml("medication_safety.yaml")
    item = next(i for i in raw["screening"] if i["id"] == "other_bleeding_medicines")
    for bad in (
        [{"rule": {"q": "no_such_question", "answered": True}, "help": "Why."}],
        [{"rule": {"q": "weak_bones_or_steroids", "answered": True}}],
        [{"rule": {"q": "weak_bones_or_steroids", "answered": True}, "help": " "}],
        {"rule": {"q": "weak_bones_or_steroids", "answered": True}, "help": "Why."},
    ):
        broken = {**raw, "screening": [{**item, "help_if": bad}]}
        with pytest.raises(MedicationDataError):
            parse_medication_data(broken)


def test_bad_screen_answers_get_field_level_errors() -> None:
    with pytest.raises(AnswerErrors) as caught:
        validate_medication_answers({"kidney": "maybe", "x_ray": "yes"})
    assert set(caught.value.errors) == {"kidney", "x_ray"}
    assert validate_medication_answers({"kidney": False}) == {"kidney": "no"}


def ids(advice: object) -> list[str]:
    return [i.id for i in advice.items]  # type: ignore[attr-defined]


def test_clear_screen_after_the_first_days_may_mention_anti_inflammatories_as_the_label_says() -> (
    None
):
    advice = medication_advice(ADULT, ALL_NO, early_injury=False)
    assert ids(advice) == ["paracetamol_first", "nsaid_if_chosen"]
    assert all("as the label says" in i.text for i in advice.items)


def test_first_days_after_an_injury_advise_against_anti_inflammatories_even_when_clear() -> None:
    advice = medication_advice(ADULT, ALL_NO, early_injury=True)
    assert ids(advice) == ["paracetamol_first", "nsaid_not_routine"]
    assert "older advice" in advice.items[1].text


def test_a_caution_names_each_reason_and_sends_to_a_pharmacist_or_doctor() -> None:
    advice = medication_advice(
        {**ADULT, "age": 72}, {**ALL_NO, "kidney": "yes"}, early_injury=False
    )
    assert ids(advice) == ["paracetamol_first", "nsaid_ask_first"]
    caution = advice.items[-1]
    assert "pharmacist or doctor" in caution.text
    assert len(caution.reasons) == 2
    assert any("kidney" in r.lower() for r in caution.reasons)
    assert any("65" in r for r in caution.reasons)


def test_a_not_sure_caution_plays_safe_and_is_not_told_back_as_a_yes() -> None:
    advice = medication_advice(
        {**ADULT, "age": 72}, {**ALL_NO, "kidney": "not_sure"}, early_injury=False
    )
    caution = advice.items[-1]
    kidney = next(i.reason for i in load_medication_data().screening if i.id == "kidney")
    assert caution.id == "nsaid_ask_first"  # still the safe advice
    assert any("65" in r for r in caution.reasons)  # what they told us (their age)
    assert kidney not in caution.reasons and caution.reasons_unsure == (kidney,)
    assert caution.to_dict()["reasons_unsure"] == list(caution.reasons_unsure)


def test_an_unanswered_screen_never_suggests_anti_inflammatories() -> None:
    advice = medication_advice(ADULT, None, early_injury=False)
    assert ids(advice) == ["paracetamol_first", "nsaid_ask_first_unscreened"]
    assert "pharmacist or doctor" in advice.items[-1].text


def test_liver_disease_changes_the_paracetamol_advice_and_pregnancy_adds_a_note() -> None:
    advice = medication_advice(
        ADULT, {**ALL_NO, "liver": "yes", "pregnant": "not_sure"}, early_injury=False
    )
    assert ids(advice)[:2] == ["paracetamol_ask_first", "pregnancy_ask_midwife"]
    assert "paracetamol_first" not in ids(advice)


def test_until_seen_suggests_no_painkiller_and_tells_the_cautions() -> None:
    """An urgent or emergency result: the doctor who sees the person advises on pain relief;
    meanwhile only the screen's cautions are told (phone walk: nothing was told at all)."""
    clear = until_seen_advice(ADULT, ALL_NO)
    assert ids(clear) == ["painkillers_until_seen"] and clear.screen.status == "clear"
    assert "doctor who sees you will advise you on pain relief" in clear.items[0].text
    unanswered = until_seen_advice(ADULT, None)
    assert ids(unanswered) == ["painkillers_until_seen", "nsaid_ask_first_unscreened"]
    steroids = until_seen_advice(
        {**ADULT, "blood_thinners": "yes"}, {"other_bleeding_medicines": "yes"}
    )
    (ask_first,) = [i for i in steroids.items if i.id == "nsaid_ask_first"]
    assert any("blood thinner" in r for r in ask_first.reasons)
    assert any("steroid tablets" in r for r in ask_first.reasons)
    liver = until_seen_advice(ADULT, {**ALL_NO, "liver": "yes", "pregnant": "not_sure"})
    assert ids(liver)[1:3] == ["paracetamol_ask_first", "pregnancy_ask_midwife"]


@given(
    st.integers(0, 110),
    st.dictionaries(st.sampled_from(SCREEN_IDS), st.sampled_from(["yes", "no", "not_sure"])),
)
def test_until_seen_never_suggests_a_painkiller_and_always_warns_a_child(
    age: int, answers: dict[str, str]
) -> None:
    advice = until_seen_advice({**ADULT, "age": age}, answers)
    assert not {"paracetamol_first", "nsaid_if_chosen", "nsaid_not_routine"} & set(ids(advice))
    assert not any(DOSE.search(t) for t in texts(advice.to_dict()))
    if age < 16:
        (ask_first,) = [i for i in advice.items if i.id == "nsaid_ask_first"]
        assert any("never take aspirin" in r for r in ask_first.reasons)


screen_answers = st.dictionaries(
    st.sampled_from(SCREEN_IDS),
    st.sampled_from(["yes", "no", "not_sure"]),
    max_size=len(SCREEN_IDS),
)
assessments = st.fixed_dictionaries(
    {},
    optional={
        "age": st.integers(12, 110),
        "sex": st.sampled_from(["female", "male", "prefer_not"]),
        "blood_thinners": st.sampled_from(["yes", "no", "not_sure"]),
        "hormones_or_pregnancy": st.sampled_from(["yes", "no", "not_sure"]),
    },
)


@given(assessments, screen_answers, st.booleans())
def test_no_advice_contradicts_a_caution(
    assessment: dict[str, object], answers: dict[str, str], early: bool
) -> None:
    advice = medication_advice(assessment, answers, early_injury=early)
    everything = texts(advice.to_dict())
    assert not any(DOSE.search(t) for t in everything), "never a dose beyond the label"
    if advice.screen.status != "clear":
        assert "nsaid_if_chosen" not in ids(advice)
        for sentence in (s for t in everything for s in re.split(r"(?<=[.:?])\s+", t)):
            if NSAID.search(sentence):
                lowered = sentence.lower()
                assert "if you choose" not in lowered and "may ease" not in lowered, sentence
                assert "as the label says" not in lowered, sentence
        assert {"nsaid_ask_first", "nsaid_ask_first_unscreened"} & set(ids(advice))
    if advice.screen.status == "caution":
        (caution,) = [i for i in advice.items if i.id == "nsaid_ask_first"]
        cautions = advice.screen.cautions
        assert caution.reasons == tuple(c.reason for c in cautions if c.answer != "not_sure")
        assert caution.reasons_unsure == tuple(c.reason for c in cautions if c.answer == "not_sure")
    # Asked questions never repeat what the assessment already answered.
    derived = {"age": "age_65_plus", "blood_thinners": "blood_thinners"}
    for answer, item in derived.items():
        if answer in assessment:
            assert item not in advice.screen.unanswered


def test_deterministic() -> None:
    a = medication_advice({**ADULT, "age": 70}, {"kidney": "yes", "liver": "no"}, early_injury=True)
    b = medication_advice({"age": 70, **dict(reversed(list(ADULT.items()))) | {"age": 70}},
                          {"liver": "no", "kidney": "yes"}, early_injury=True)  # fmt: skip
    assert a.to_dict() == b.to_dict()
