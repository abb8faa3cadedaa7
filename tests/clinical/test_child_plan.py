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
from rehabit.clinical.questionnaire import load_yaml
from rehabit.clinical.selfcare import SelfCareDataError, build_plan, load_selfcare, parse_selfcare
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
    # The "ask first" advice says to keep a prescribed low-dose aspirin; the under-16 line
    # said "never take aspirin" beside it.
    (ask,) = [
        i for i in plan("self_care", 9)["medication"]["items"] if i["id"] == "nsaid_ask_first"
    ]
    assert "low-dose aspirin included" in ask["text"]
    assert any("never take aspirin unless a doctor prescribed it" in r for r in ask["reasons"])


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
    assert not {"fever", "night_pain_weight_loss"} & ids
    assert sum("all the time and worse at night" in s for s in signs) == (level != "urgent")
    assert sum("hot, red, swollen" in s for s in signs) == (level != "urgent")
    if level != "urgent":  # after an urgent result only the emergency signs are listed
        assert {"child_limp_fever", "child_night_pain"} <= ids
        assert not any("your doctor" in w["action"] for w in watch)


# What a child's sign that covers another must still say of it (a new "covers" is read
# again here, so that nothing of the covered sign is lost for a child).
SAYS_ALL_OF = {
    ("child_limp_fever", "fever"): ["fever", "chills", "hot, red, swollen", "today"],
    ("child_night_pain", "night_pain_weight_loss"): [
        "all the time and worse at night",
        "losing weight without trying",
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
