"""A child's self-care plan says a child's things, each once (phone walk: a parent's check
for a child).

Two faults: the paracetamol advice was the adult's ("if you drink a lot of alcohol or weigh
less than 50 kg, ask a pharmacist first"), and two warning signs were listed twice, once in
the child's words and once in everyone's (constant night pain with "your child's doctor"
and "your doctor"; the child's fever beside the adult's). The plans here are built as the
plan page builds them: the assessment's result (``assess``) and its answers, through
``build_plan``; an adult's plan stays as it was.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from rehabit.clinical import assess
from rehabit.clinical.datafiles import load_yaml
from rehabit.clinical.selfcare import build_plan
from rehabit.clinical.selfcare_file import SelfCareDataError, load_selfcare, parse_selfcare
from tests.support import answers_for, completed

CHILD_AGES = (9, 14)
LEVELS = ("self_care", "soon", "urgent")
# Words that are an adult's only: a child's parent must not read them in the medicine advice.
ADULT_ONLY = re.compile(r"alcohol|50 kg|weigh less|pregnan|midwife", re.IGNORECASE)
DOSE = re.compile(r"\d+\s*(mg|milligram|ml|g\b|grams?|tablets?|doses?|spoon)", re.IGNORECASE)
ADULT_PARACETAMOL = (
    "If pain stops you sleeping or moving, paracetamol (called acetaminophen in the USA and "
    "Canada) is usually the first painkiller to try. Take it only as the label says. Too much "
    "paracetamol harms the liver, so never take two medicines that both contain it, such as a "
    "cold and flu remedy. If you drink a lot of alcohol or weigh less than 50 kg, ask a "
    "pharmacist first."
)


def answers(level: str, age: int) -> dict[str, Any]:
    return completed({**answers_for(level), "age": age})


def plan(level: str, age: int, medication: dict[str, str] | None = None) -> dict[str, Any]:
    given = answers(level, age)
    result = assess(given).to_dict()
    assert result["disposition"]["level"] == level
    return build_plan(result, given, days_since_onset=None, medication=medication).to_dict()


def strings(node: object) -> list[str]:
    """Every string a person reads in a to_dict() tree (not the citations)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() if k not in ("source", "expert") for s in strings(v)]
    if isinstance(node, list | tuple):
        return [s for v in node for s in strings(v)]
    return []


# --- The medicine advice ------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("age", CHILD_AGES)
def test_a_child_s_medicine_advice_has_no_adult_only_wording(level: str, age: int) -> None:
    medication = plan(level, age)["medication"]
    said = strings(medication["items"]) + strings(medication["questions"])
    assert said and not [s for s in said if ADULT_ONLY.search(s)]
    assert "paracetamol_first" not in [i["id"] for i in medication["items"]]


@pytest.mark.parametrize("level", ["self_care", "soon"])
@pytest.mark.parametrize("age", CHILD_AGES)
def test_a_child_s_plan_gives_a_child_s_paracetamol_advice(level: str, age: int) -> None:
    items = plan(level, age)["medication"]["items"]
    assert items[0]["id"] == "paracetamol_first_child"
    child = items[0]
    said = " ".join([child["title"], child["text"], *child["steps"]])
    assert "made for children" in said
    assert "your child's age" in said and "their weight if the label gives one" in said
    assert "syringe or spoon that comes with the medicine" in said
    assert "Never give more doses in a day, or closer together, than the label says." in said
    assert "Never give two medicines that both contain paracetamol" in said
    assert "Ask a pharmacist if you are not sure" in said and "small for their age" in said
    assert not DOSE.search(said)  # the label gives the dose: no number here
    assert child["source"] == "[R59]" and child["expert"]


@pytest.mark.parametrize("age", CHILD_AGES)
def test_an_urgent_child_s_plan_still_suggests_no_painkiller(age: int) -> None:
    ids = [i["id"] for i in plan("urgent", age)["medication"]["items"]]
    assert ids == ["painkillers_until_seen", "nsaid_ask_first"]


def test_a_child_with_liver_disease_is_told_to_ask_first_not_the_child_s_dose() -> None:
    items = plan("self_care", 9, {"liver": "yes"})["medication"]["items"]
    assert [i["id"] for i in items][:1] == ["paracetamol_ask_first"]


def test_the_aspirin_caution_agrees_with_keeping_prescribed_medicines() -> None:
    # The adult's "ask first" advice says to keep a prescribed low-dose aspirin; a child's
    # said so too, right above the under-16 line "never take aspirin unless a doctor
    # prescribed it". A child's now says to keep what their doctor prescribed, no aspirin.
    (ask,) = [
        i for i in plan("self_care", 9)["medication"]["items"] if i["id"] == "nsaid_ask_first"
    ]
    assert "aspirin included" not in ask["text"] and "low-dose" not in ask["text"]
    assert "keep giving your child the medicines their doctor prescribed" in ask["text"]
    assert any("never take aspirin unless a doctor prescribed it" in r for r in ask["reasons"])
    (adult,) = [
        i
        for i in plan("self_care", 40, {"kidney": "yes"})["medication"]["items"]
        if i["id"] == "nsaid_ask_first"
    ]
    kept = "keep taking the medicines your doctor prescribed, a low-dose aspirin included"
    assert kept in adult["text"]


def test_a_young_child_s_parent_is_not_asked_about_pregnancy_a_teenager_s_is() -> None:
    # The check asks about pregnancy from 12 (hormones_or_pregnancy); so does the screen.
    girl = {**answers("self_care", 9), "sex": "female"}
    girl.pop("hormones_or_pregnancy", None)
    result = assess(girl).to_dict()
    med = build_plan(result, girl, days_since_onset=None, medication=None).to_dict()["medication"]
    assert "pregnant" not in med["unanswered"]
    teen = {**girl, "age": 14}
    result = assess(teen).to_dict()
    med = build_plan(result, teen, days_since_onset=None, medication=None).to_dict()["medication"]
    assert "pregnant" in med["unanswered"]


# --- The warning signs --------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("age", CHILD_AGES)
def test_a_child_s_plan_lists_each_warning_sign_once(level: str, age: int) -> None:
    watch = plan(level, age)["watch_for"]
    signs = [w["sign"] for w in watch]
    assert len(signs) == len(set(signs))
    ids = {w["id"] for w in watch}
    assert not {"fever", "night_pain_weight_loss", "clot_signs"} & ids
    assert sum("all the time and worse at night" in s for s in signs) == (level != "urgent")
    assert sum("hot, red, swollen" in s for s in signs) == (level != "urgent")
    if level != "urgent":  # after an urgent result only the emergency signs are listed
        assert {"child_limp_fever", "child_night_pain"} <= ids
        assert not any("your doctor" in w["action"] for w in watch)


# What a child's sign that covers another must still say of it (a new "covers" is read
# again here, so that nothing of the covered sign is lost for a child).
SAYS_ALL_OF = {
    ("child_limp_fever", "fever"): ["fever", "chills", "hot, red, swollen", "today"],
    ("child_limp_fever", "clot_signs"): ["leg becomes", "swollen", "red", "tender", "today"],
    ("child_night_pain", "night_pain_weight_loss"): [
        "starts to be there all the time and worse at night",
        "weight without trying",
        "few days",
    ],
}


def test_a_child_s_sign_says_all_of_the_sign_it_covers() -> None:
    watch = {w.id: w for w in load_selfcare().watch_for}
    pairs = {(w.id, c) for w in watch.values() for c in w.covers}
    assert pairs == set(SAYS_ALL_OF)
    for (child, covered), phrases in SAYS_ALL_OF.items():
        assert watch[child].ages == "child" and watch[covered].ages is None
        assert watch[child].level == watch[covered].level
        said = f"{watch[child].sign} {watch[child].action}"
        assert [p for p in phrases if p not in said] == [], child


def _with_watch(raw: dict[str, Any], item_id: str, **change: Any) -> dict[str, Any]:
    (item,) = [w for w in raw["watch_for"] if w["id"] == item_id]
    item.update({k: v for k, v in change.items() if v is not None})
    for key in [k for k, v in change.items() if v is None]:
        del item[key]
    return raw


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"covers": ["no_such_sign"]}, "unknown sign"),
        ({"covers": ["child_night_pain"]}, "names itself"),
        ({"covers": ["night_pain_weight_loss", "night_pain_weight_loss"]}, "repeats"),
        ({"covers": ["cauda_equina"]}, "more urgent"),
        ({"ages": None}, "age group"),
        ({"conditions": ["thigh_contusion"]}, "other causes"),
        ({"covers": "night_pain_weight_loss"}, "list of watch_for ids"),
    ],
)
def test_a_cover_that_would_lose_a_sign_is_refused_at_load(
    change: dict[str, Any], message: str
) -> None:
    raw = _with_watch(copy.deepcopy(load_yaml("selfcare.yaml")), "child_night_pain", **change)
    with pytest.raises(SelfCareDataError, match=message):
        parse_selfcare(raw)


def test_a_cover_of_another_group_s_sign_or_of_a_cover_is_refused_at_load() -> None:
    raw = _with_watch(copy.deepcopy(load_yaml("selfcare.yaml")), "night_pain_weight_loss",
                      ages="adult")  # fmt: skip
    with pytest.raises(SelfCareDataError, match="not shown to its age group"):
        parse_selfcare(raw)
    raw = _with_watch(copy.deepcopy(load_yaml("selfcare.yaml")), "child_fever_will_not_stand",
                      covers=["child_limp_fever"])  # fmt: skip
    with pytest.raises(SelfCareDataError, match="covers others"):
        parse_selfcare(raw)


# --- An adult's plan is as it was -----------------------------------------------------------

ADULT_WATCH = {
    "self_care": [
        "cauda_equina", "both_legs", "breathless", "cold_pale_leg", "tight_hard_thigh",
        "dark_urine", "clot_signs", "weaker_or_numb", "fever", "cannot_bear_weight",
        "running_bone_pain", "pop_and_bruise", "night_pain_weight_loss",
    ],
    "urgent": [
        "cauda_equina", "both_legs", "breathless", "cold_pale_leg", "tight_hard_thigh",
        "dark_urine",
    ],
}  # fmt: skip
ADULT_WATCH["soon"] = ADULT_WATCH["self_care"]
ADULT_MEDICINES = {
    "self_care": ["paracetamol_first", "nsaid_ask_first_unscreened"],
    "soon": ["paracetamol_first", "nsaid_not_routine", "nsaid_ask_first_unscreened"],
    "urgent": ["painkillers_until_seen", "nsaid_ask_first_unscreened"],
}


@pytest.mark.parametrize("level", LEVELS)
def test_an_adult_s_plan_is_unchanged(level: str) -> None:
    adult = plan(level, 40)
    assert [w["id"] for w in adult["watch_for"]] == ADULT_WATCH[level]
    watch = {w["id"]: w for w in adult["watch_for"]}
    if level != "urgent":
        assert watch["fever"]["sign"] == "A fever or chills, or a hot, red, swollen area"
        assert watch["night_pain_weight_loss"]["action"] == (
            "Book an appointment with your doctor within a few days."
        )
    items = adult["medication"]["items"]
    assert [i["id"] for i in items] == ADULT_MEDICINES[level]
    if level != "urgent":
        assert items[0]["text"] == ADULT_PARACETAMOL and items[0]["steps"] == []
    assert not [s for s in strings(adult) if "your child" in s.lower()]


# --- A child's signs and medicine questions in a parent's words ------------------------------
# Phone walk, as the parent of a 9- and a 14-year-old: the signs to watch for mixed the
# adult's ("Numbness or pins and needles between your legs ... say you may have cauda
# equina syndrome", "You can no longer stand on the leg") with the child's, and the medicine
# questions asked "Do you ...?", which a parent may answer about themselves.

SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)
ABOUT_A_CHILD = re.compile(r"\bchild\b|\bthey\b|\btheir\b|\bthem\b", re.IGNORECASE)


def _adult_you(text: str | None) -> bool:
    """Says "you" to the reader without speaking of the child (an adult's wording)."""
    return text is not None and bool(SECOND_PERSON.search(text)) and not ABOUT_A_CHILD.search(text)


def _by_name(name: str) -> dict[str, Any]:
    from tests.support import vignettes

    (case,) = [c for c in vignettes() if c["id"] == name]
    return dict(case["answers"])


def _plan_for(given: dict[str, Any], medication: dict[str, str] | None = None) -> dict[str, Any]:
    result = assess(given).to_dict()
    return build_plan(result, given, days_since_onset=None, medication=medication).to_dict()


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("age", CHILD_AGES)
def test_a_child_s_signs_and_medicine_questions_speak_of_the_child(level: str, age: int) -> None:
    p = plan(level, age)
    said = [t for w in p["watch_for"] for t in (w["sign"], w["action"])]
    questions = p["medication"]["questions"]
    said += [q["text"] for q in questions] + [q.get("help") for q in questions if q.get("help")]
    assert questions  # the parent is asked them, about their child
    assert [t for t in said if _adult_you(t)] == []
    assert all(
        q["text"].startswith(("Does your child", "Has ", "Is your child")) for q in questions
    )


@pytest.mark.parametrize("age", CHILD_AGES)
def test_each_child_s_sign_reads_once_with_one_urgency(age: int) -> None:
    watch = {w["id"]: w for w in plan("self_care", age)["watch_for"]}
    # Not standing on the leg: with a fever an emergency, without one a doctor today; each
    # says which it is, and neither is the adult's "You can no longer stand ...".
    assert "without a fever" in watch["cannot_bear_weight"]["sign"]
    assert watch["cannot_bear_weight"]["sign"].startswith("Your child can no longer stand")
    assert "fever" in watch["child_fever_will_not_stand"]["sign"]
    assert watch["child_fever_will_not_stand"]["level"] == "emergency"
    # A hot, red, swollen leg is said once (the clot's sign is covered by the child's).
    said = [w["sign"] for w in watch.values()]
    assert sum("swollen" in s and "red" in s and "thigh" not in s for s in said) == 1
    assert "clot_signs" not in watch
    assert watch["cauda_equina"]["action"] == (
        "Take your child to the emergency department now, and say they may have cauda "
        "equina syndrome."
    )


def test_a_teenage_runner_s_signs_are_changes_not_what_they_have_now() -> None:
    # 14, three weeks of pain worse with running: the result says within days; the plan
    # said "a deep ache ... that gets worse the longer you run or walk, or that hurts at
    # night: see a doctor today", which is what they have now.
    given = completed({**_by_name("pht_hill_repeats"), "age": 14, "days_since_onset": 21})
    result = assess(given).to_dict()
    assert result["disposition"]["level"] == "soon"
    watch = {w["id"]: w for w in _plan_for(given)["watch_for"]}
    bone = watch["running_bone_pain"]
    assert bone["sign"] == (
        "A deep ache in your child's thigh or groin that keeps getting worse when they run or walk"
    )
    assert "longer" not in bone["sign"] and "night" not in bone["sign"]
    assert [w["level"] for w in watch.values() if "night" in w["sign"]] == ["soon"]


def test_night_pain_has_one_urgency_in_every_plan() -> None:
    from tests.support import vignettes

    for case in vignettes()[::3]:
        for age in (9, 14, 40):
            given = completed({**case["answers"], "age": age})
            watch = _plan_for(given)["watch_for"]
            assert {w["level"] for w in watch if "night" in w["sign"]} <= {"soon"}, case["id"]
            signs = [w["sign"] for w in watch]
            assert len(signs) == len(set(signs)), case["id"]


@pytest.mark.parametrize("age", CHILD_AGES)
def test_a_child_s_medicine_cautions_and_advice_speak_of_the_child(age: int) -> None:
    answered = {"liver": "yes", "kidney": "not_sure"}
    if age >= 12:
        answered["pregnant"] = "not_sure"
    for level in LEVELS:
        med = plan(level, age, answered)["medication"]
        said = strings(med["items"]) + [c["reason"] for c in med["cautions"]]
        assert [t for t in said if _adult_you(t)] == [], level
    (liver,) = [c for c in med["cautions"] if c["id"] == "liver"]
    assert "safe for your child" in liver["reason"]


def test_an_adult_s_medicine_questions_are_unchanged() -> None:
    questions = {q["id"]: q for q in plan("self_care", 40)["medication"]["questions"]}
    assert questions["kidney"]["text"] == (
        "Do you have kidney disease or weak kidneys, or do you take blood pressure tablets "
        "whose names end in -pril or -sartan, water tablets (diuretics) or lithium?"
    )
    assert questions["heart_or_stroke"]["text"] == (
        "Do you have heart failure, or have you ever had a heart attack or a stroke?"
    )
    assert questions["liver"]["text"] == "Do you have serious liver disease, for example cirrhosis?"


# What an adult's self-care plan lists (a "self_care" result at 40), word for word: only
# the runner's ache and the night pain now say a change ("keeps getting worse", "starts
# to be there"); every other sign is as it was.
ADULT_SIGNS = {
    "cauda_equina": "Numbness or pins and needles between your legs or around your bottom, new trouble peeing, or leaking pee or poo",  # noqa: E501
    "both_legs": "New weakness, numbness or pins and needles in both legs",
    "breathless": "Sudden shortness of breath, chest pain when you breathe in, or coughing up blood",  # noqa: E501
    "cold_pale_leg": "Your leg or foot suddenly turns cold, pale or blue, or very weak",
    "tight_hard_thigh": "Your thigh becomes very tight, hard and swollen, with pain much worse than you would expect",  # noqa: E501
    "dark_urine": "Dark brown pee like cola, or peeing much less than usual, after exercise",
    "clot_signs": "Your calf or whole leg becomes swollen, warm, red or tender",
    "weaker_or_numb": "Your leg or foot is getting weaker, or numbness is spreading",
    "fever": "A fever or chills, or a hot, red, swollen area",
    "cannot_bear_weight": "You can no longer stand on the leg or take a few steps",
    "running_bone_pain": "A deep ache in the thigh or groin that keeps getting worse when you run or walk, or that starts to make you limp",  # noqa: E501
    "pop_and_bruise": "A large bruise spreading down the back of the thigh, with trouble sitting or walking, especially if you felt a pop",  # noqa: E501
    "night_pain_weight_loss": "Pain that starts to be there all the time and worse at night, or losing weight without trying",  # noqa: E501
}


def test_an_adult_s_signs_read_as_before() -> None:
    watch = plan("self_care", 40)["watch_for"]
    assert {w["id"]: w["sign"] for w in watch} == ADULT_SIGNS
    actions = {w["id"]: w["action"] for w in watch}
    assert actions["cauda_equina"] == (
        "Go to the emergency department now, and say you may have cauda equina syndrome."
    )
    assert actions["cannot_bear_weight"] == "See a doctor today."


# --- The load checks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item_id", "change", "message"),
    [
        ("cannot_bear_weight", {"for_a_child": None}, "for_a_child.sign"),
        (
            "cauda_equina",
            {"for_a_child": {"sign": "Your child has numbness"}},
            "for_a_child.action",
        ),
        ("child_limp_fever", {"for_a_child": {"sign": "x"}}, "never shown"),
        ("clot_signs", {"for_a_child": {"sign": "Your child's calf"}}, "never shown"),
        ("both_legs", {"for_a_child": {"label": "x"}}, "sign, action or both"),
        ("both_legs", {"for_a_child": {"action": " "}}, "non-empty"),
    ],
)
def test_a_sign_without_a_child_s_wording_is_refused_at_load(
    item_id: str, change: dict[str, Any], message: str
) -> None:
    raw = _with_watch(copy.deepcopy(load_yaml("selfcare.yaml")), item_id, **change)
    with pytest.raises(SelfCareDataError, match=message):
        parse_selfcare(raw)


def test_a_sign_for_everyone_in_plain_words_needs_no_child_s_wording() -> None:
    raw = _with_watch(copy.deepcopy(load_yaml("selfcare.yaml")), "dark_urine", for_a_child=None)
    assert parse_selfcare(raw).version  # "Dark brown pee ... Go to the emergency department"
