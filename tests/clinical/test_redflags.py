"""Red-flag screening: data checks, 'not sure' handling, and every flag on a whole story."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from hypothesis import given

from rehabit.clinical import assess, load_questionnaire
from rehabit.clinical.child_wording import is_child
from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.datafiles import load_yaml
from rehabit.clinical.engine import load_model
from rehabit.clinical.levels import RANK
from rehabit.clinical.redflags import RedFlagError, flag_evidence, flag_urgency, screen
from rehabit.clinical.redflags_file import load_red_flags, parse_red_flags
from rehabit.clinical.validation import validate_answers
from tests.clinical.answers import (
    PROPERTY,
    STALE_EXPECTED_FLAGS,
    answer_sets,
    complete,
    person,
    strain,
    vignette,
    vignettes,
)

FLAGS = load_red_flags(load_questionnaire())
FLAG_IDS = [f.id for f in FLAGS]
BY_ID = {f.id: f for f in FLAGS}
RAW = load_yaml("red_flags.yaml")
CAUDA_EQUINA_ITEMS = ("saddle_numbness", "bladder_trouble", "bladder_bowel_leak")

# Whole stories for the flags that no written vignette covers (vignettes.yaml is reviewed
# data; these are complete answer sets built the same way, over its defaults).
AFTER_A_BLOW: dict[str, Any] = {"onset": "fall_or_blow", "pop": "no", "earlier_pain": "no"}
GROWING_PAIN: dict[str, Any] = {
    "age": 32, "sex": "female", "location": ["upper_thigh", "middle_thigh"], "side": "left",
    "days_since_onset": 6, "onset": "no_clear_reason", "course": "worse", "pain_now": 7,
}  # fmt: skip
WORSE_AFTER_A_FALL: dict[str, Any] = {
    "age": 51, "sex": "male", "location": ["upper_thigh", "middle_thigh"], "side": "left",
    "days_since_onset": 20, "onset": "fall_or_blow", "pop": "no", "course": "worse",
    "pain_now": 5,
}  # fmt: skip
FLAG_STORIES: dict[str, dict[str, Any]] = {
    "child_under_5": person(
        age=3, location=["upper_thigh"], side="left", days_since_onset=2,
        onset="no_clear_reason", course="same", pain_now=5, bear_weight="with_aid",
    ),
    "fever_with_nerve_signs": person(
        age=55, location=["lower_back", "buttock", "middle_thigh"], side="right",
        days_since_onset=5, onset="no_clear_reason", course="worse", pain_now=7,
        fever="yes", leg_weakness="slowly",
    ),
    "dvt_after_knock": person(
        age=30, sex="male", location=["calf"], side="left", days_since_onset=4,
        onset="fall_or_blow", pop="no", course="same", pain_now=4,
    ),
    "calf_pain_getting_worse": person(
        age=45, sex="male", location=["calf", "behind_knee"], side="right",
        days_since_onset=10, onset="sprinting", pop="no", course="worse", pain_now=5,
    ),
    "pulsing_lump": person(
        age=72, sex="male", location=["behind_knee"], side="left", days_since_onset=30,
        onset="gradually", course="same", pain_now=3, lump="yes", lump_features=["pulsing"],
    ),
    "child_limp_without_injury": person(
        age=7, location=["front_thigh_knee"], side="right", days_since_onset=3,
        onset="no_clear_reason", course="same", pain_now=4, bear_weight="limping",
    ),
    "child_limp_with_fever": person(
        age=6, location=["front_thigh_knee"], side="left", days_since_onset=2,
        onset="fall_or_blow", pop="no", course="worse", pain_now=5, bear_weight="limping",
        fever="yes", very_unwell="no",
    ),
    "child_fever_cannot_stand": person(
        age=8, location=["middle_thigh", "front_thigh_knee"], side="right", days_since_onset=1,
        onset="no_clear_reason", course="worse", pain_now=6, bear_weight="no", fever="yes",
        very_unwell="no",
    ),
    "child_hip_limp": person(
        age=12, sex="male", location=["groin", "front_thigh_knee"], side="left",
        days_since_onset=21, onset="gradually", course="worse", pain_now=4, bear_weight="limping",
    ),
    "child_back_pain": person(
        age=9, location=["lower_back"], side="both", days_since_onset=10,
        onset="no_clear_reason", course="same", pain_now=4,
    ),
    "child_night_pain": person(
        age=14, location=["middle_thigh"], side="right", days_since_onset=30,
        onset="gradually", course="worse", pain_now=4, night_pain="constant",
    ),
    # The phone walk's 71-year-old: a month of deep buttock pain, worse at night.
    "older_constant_night_pain": person(
        age=71, location=["buttock"], side="right", days_since_onset=30,
        onset="no_clear_reason", course="worse", pain_now=5, night_pain="constant",
        weak_bones_or_steroids="yes",
    ),
    "child_lasting_pain": person(
        age=11, location=["behind_knee"], side="left", days_since_onset=30,
        onset="gradually", course="same", pain_now=3,
    ),
    "insufficiency_fracture": person(
        age=78, sex="female", location=["buttock", "groin"], side="right",
        days_since_onset=10, onset="no_clear_reason", course="same", pain_now=6,
        bear_weight="limping",
    ),
    "weak_bone_new_pain": person(
        age=60, sex="female", weak_bones_or_steroids="yes", location=["lower_back", "buttock"],
        side="left", days_since_onset=5, onset="ordinary_movement", pop="no", course="same",
        pain_now=5,
    ),
    "growing_lump_young": person(
        age=15, location=["lower_thigh", "behind_knee"], side="right", days_since_onset=21,
        onset="gradually", course="same", pain_now=3, lump="yes", lump_features=["growing"],
    ),
    "weak_bone_thigh_pain": person(
        age=69, sex="female", weak_bones_or_steroids="yes", location=["front_thigh_knee"],
        side="right", days_since_onset=42, onset="gradually", course="same", pain_now=3,
    ),
    "severe_pain_without_injury": person(
        age=35, location=["buttock", "upper_thigh"], side="right", days_since_onset=3,
        onset="no_clear_reason", course="worse", pain_now=8, bear_weight="limping",
    ),
    "worsening_severe_pain": person(**GROWING_PAIN),
    "worse_after_fall": person(**WORSE_AFTER_A_FALL),
    "severe_pain_after_operation": person(
        age=50, sex="male", clot_risks=["surgery_or_immobile"], location=["middle_thigh"],
        side="right", days_since_onset=7, onset="gradually", course="worse", pain_now=7,
    ),
    "proximal_tear_signs": person(
        age=30, sex="male", location=["upper_thigh", "buttock"], side="right",
        days_since_onset=3, onset="sprinting", pop="no", course="same", pain_now=5,
        bruising="small", weakness="yes",
    ),
    "stretch_injury_large_bruise": person(
        age=25, sex="female", location=["upper_thigh"], side="left", days_since_onset=5,
        onset="stretch_kick_split", pop="no", course="same", pain_now=4, bruising="large",
    ),
    "unexplained_bruise": person(
        age=66, location=["middle_thigh"], side="right", days_since_onset=10,
        onset="gradually", course="same", pain_now=3, bruising="small",
    ),
    "adolescent_old_avulsion": person(
        age=15, sex="male", location=["sitting_bone"], side="right", days_since_onset=60,
        onset="sprinting", pop="yes", course="same", pain_now=3,
    ),
    "older_fall_on_blood_thinner": person(
        age=80, sex="female", blood_thinners="yes", location=["buttock", "side_of_hip"],
        side="left", days_since_onset=1, onset="fall_or_blow", pop="no", course="same",
        pain_now=5,
    ),
    "femoral_neck_stress_fracture": person(
        age=22, sex="female", sports=["distance_running"], location=["groin"], side="right",
        days_since_onset=21, onset="after_more_training", course="worse", pain_now=4,
        hop_test="pain", worse=["running"],
    ),
}  # fmt: skip


def test_the_required_flags_exist() -> None:
    expected = {
        "child_under_5": "urgent",
        "dvt_signs": "urgent",
        "dvt_risk": "urgent",
        "pulmonary_embolism": "emergency",
        "ces_saddle_numbness": "emergency",
        "ces_bladder": "emergency",
        "ces_leaking": "emergency",
        "ces_sexual_function": "emergency",
        "ces_both_legs": "emergency",
        "progressive_weakness": "urgent",
        "sudden_severe_weakness": "emergency",
        "fever": "urgent",
        "fever_with_nerve_signs": "emergency",
        "very_unwell": "emergency",
        "cancer_warning_signs": "urgent",
        "cannot_bear_weight_after_fall": "emergency",
        "cannot_bear_weight": "urgent",
        "vascular_claudication": "soon",
        "critical_limb_ischaemia": "urgent",
        "acute_limb_ischaemia": "emergency",
        "pulsing_lump": "urgent",
        "growing_lump": "soon",
        "compartment_syndrome": "emergency",
        "suspected_avulsion": "urgent",
        "adolescent_avulsion": "urgent",
        "rhabdomyolysis": "emergency",
        "femoral_neck_stress_fracture": "urgent",
        "stress_fracture": "soon",
        "insufficiency_fracture": "urgent",
        "child_limp_without_injury": "urgent",
        "child_limp_with_fever": "urgent",
        "child_fever_cannot_stand": "emergency",
        "child_hip_limp": "urgent",
    }
    actual = {f.id: f.disposition for f in FLAGS}
    for flag_id, level in expected.items():
        assert actual.get(flag_id) == level, flag_id


def test_flags_are_listed_most_urgent_first() -> None:
    ranks = [RANK[f.disposition] for f in FLAGS]
    assert ranks == sorted(ranks, reverse=True)


def test_every_flag_links_a_real_condition_or_none() -> None:
    conditions = load_conditions()
    for flag in FLAGS:
        assert flag.condition is None or flag.condition in conditions
        assert flag.label.endswith(".") and flag.advice


def test_fracture_flags_point_to_the_right_kind_of_break() -> None:
    """``fracture`` is a break after an injury; a crack without one is a bone stress injury."""
    for flag in FLAGS:
        if flag.condition == "fracture":
            assert "onset" in flag.rule.refs, flag.id
            assert flag.rule.holds({**_everything(), "onset": "gradually"}) is False, flag.id


def _everything() -> dict[str, Any]:
    return {
        "age": 80,
        "weak_bones_or_steroids": "yes",
        "blood_thinners": "yes",
        "bear_weight": "no",
    }


def test_only_the_under_5_flag_ends_the_check() -> None:
    assert [f.id for f in FLAGS if f.ends_check] == ["child_under_5"]
    assert BY_ID["child_under_5"].rule.holds({"age": 4})
    assert not BY_ID["child_under_5"].rule.holds({"age": 5})


def _cases() -> list[Any]:
    cases = []
    for v in vignettes():
        for flag_id in v.get("expected_flags", []):
            marks: tuple[Any, ...] = ()
            if v["id"] in STALE_EXPECTED_FLAGS:
                marks = (pytest.mark.xfail(strict=True, reason=STALE_EXPECTED_FLAGS[v["id"]]),)
            cases.append(
                pytest.param(flag_id, v["answers"], id=f"{flag_id}-{v['id']}", marks=marks)
            )
    for flag_id, answers in FLAG_STORIES.items():
        cases.append(pytest.param(flag_id, answers, id=f"{flag_id}-story"))
    return cases


def test_every_flag_has_a_whole_story() -> None:
    covered = {f for v in vignettes() for f in v.get("expected_flags", [])} | set(FLAG_STORIES)
    assert covered == set(FLAG_IDS)
    # A story is only added where no vignette covers the flag.
    assert not set(FLAG_STORIES) & {f for v in vignettes() for f in v.get("expected_flags", [])}


@pytest.mark.parametrize(("flag_id", "answers"), _cases())
def test_every_flag_fires_on_its_own_story(flag_id: str, answers: dict[str, Any]) -> None:
    result = assess(answers)
    assert flag_id in [f.id for f in result.red_flags]
    assert RANK[result.disposition.level] >= RANK[BY_ID[flag_id].disposition]


def _leaves(rule: Any) -> list[Any]:
    if "q" in rule:
        return [rule]
    inner = rule.get("all") or rule.get("any") or [rule.get("not")]
    return [leaf for part in inner for leaf in _leaves(part)]


def _emergency_params() -> list[Any]:
    out = []
    for flag in FLAGS:
        if flag.disposition != "emergency":
            continue
        out.append(pytest.param(flag.id, id=flag.id))
    return out


@pytest.mark.parametrize("flag_id", _emergency_params())
def test_not_sure_counts_as_yes_for_emergency_items(flag_id: str) -> None:
    """Every yes_no warning-sign item in an emergency flag also fires on "not sure" (2.3)."""
    questions = load_questionnaire().questions
    raw = next(r for r in RAW["red_flags"] if r["id"] == flag_id)
    for leaf in _leaves(raw["rule"]):
        question = questions[leaf["q"]]
        if question.section == "warning_signs" and "in" in leaf and "yes" in leaf["in"]:
            assert "not_sure" in leaf["in"], (flag_id, leaf)


def _fever_with_numbness_spreading(spreading: str) -> dict[str, Any]:
    base = FLAG_STORIES["fever_with_nerve_signs"]
    return person(
        **{**base, "leg_weakness": "no", "numbness": "yes", "numbness_spreading": spreading}
    )


def test_a_fever_with_nerves_getting_worse_is_an_emergency() -> None:
    assert assess(FLAG_STORIES["fever_with_nerve_signs"]).disposition.level == "emergency"
    assert assess(_fever_with_numbness_spreading("yes")).disposition.level == "emergency"
    unsure = assess(_fever_with_numbness_spreading("not_sure"))
    assert {"fever", "spreading_numbness"} <= {f.id for f in unsure.red_flags}  # at least urgent


def test_a_fever_with_nerves_not_sure_to_be_getting_worse_is_an_emergency() -> None:
    assert assess(_fever_with_numbness_spreading("not_sure")).disposition.level == "emergency"


@pytest.mark.parametrize("item", CAUDA_EQUINA_ITEMS)
@pytest.mark.parametrize("screener", ["yes", "not_sure"])
def test_not_sure_on_a_cauda_equina_item_is_an_emergency(item: str, screener: str) -> None:
    answers = {**strain(), "pelvic_changes": screener, **dict.fromkeys(CAUDA_EQUINA_ITEMS, "no")}
    answers["sexual_function_change"] = "no"
    answers[item] = "not_sure"
    result = assess(answers)
    assert result.disposition.level == "emergency"
    assert result.causes[0].id == "cauda_equina"
    # ... and it is told back as "not sure", never as a "yes".
    assert all("not sure" in f.label for f in result.red_flags if f.condition == "cauda_equina")


def test_the_screening_question_alone_asks_more_but_decides_nothing() -> None:
    answers = {**strain(), "pelvic_changes": "yes", **dict.fromkeys(CAUDA_EQUINA_ITEMS, "no")}
    answers["sexual_function_change"] = "no"
    assert not [f for f in assess(answers).red_flags if f.condition == "cauda_equina"]


def test_a_flag_about_an_unanswered_question_does_not_fire() -> None:
    assert screen(FLAGS, {}) == ()


def test_screen_reports_most_urgent_first() -> None:
    answers = {"fever": "yes", "saddle_numbness": "yes", "lump_features": ["growing"]}
    fired = [f.id for f in screen(FLAGS, answers)]
    assert fired[0] == "ces_saddle_numbness"
    assert set(fired) == {"ces_saddle_numbness", "fever", "growing_lump"}
    assert [RANK[BY_ID[f].disposition] for f in fired] == sorted(
        (RANK[BY_ID[f].disposition] for f in fired), reverse=True
    )


# --- "Not sure" is told back as "not sure" --------------------------------------------


def test_every_flag_that_fires_on_not_sure_has_its_own_unsure_label() -> None:
    for raw in RAW["red_flags"]:
        if "not_sure" in repr(raw["rule"]):
            flag = BY_ID[raw["id"]]
            assert flag.label_unsure and flag.label_unsure != flag.label, flag.id
            assert flag.label_unsure.endswith("."), flag.id


@pytest.mark.parametrize(
    ("flag_id", "answers"),
    [
        ("pulmonary_embolism", {"breathless_or_chest_pain": "not_sure"}),
        ("ces_bladder", {"bladder_trouble": "not_sure"}),
        ("dvt_signs", {"whole_leg_swelling": "not_sure", "leg_red_warm": "no"}),
        ("fever", {"fever": "not_sure"}),
        ("cannot_bear_weight", {"bear_weight": "not_sure", "onset": "gradually"}),
        ("progressive_weakness", {"leg_weakness": "not_sure"}),
    ],
)
def test_a_flag_firing_only_on_not_sure_says_not_sure(
    flag_id: str, answers: dict[str, Any]
) -> None:
    flag = BY_ID[flag_id]
    assert flag in screen(FLAGS, answers)
    told = flag.as_told(answers)
    # A flag with cases says it in the words of the case that held (dvt_signs: a swollen
    # leg), else in its own.
    case = next((b for b in flag.branches if b.holds(answers)), None)
    unsure = flag.label_unsure if case is None else case.label_unsure
    said = flag.label if case is None else case.label
    assert told.label == unsure != said
    assert told.unsure
    assert "not sure" in told.label.lower()
    assert (told.id, told.disposition, told.advice) == (flag.id, flag.disposition, flag.advice)
    # With a real "yes" it is told as the person said it.
    sure = {k: ("yes" if v == "not_sure" else v) for k, v in answers.items()}
    if flag_id == "cannot_bear_weight":
        sure["bear_weight"] = "no"
    if flag_id == "progressive_weakness":
        sure["leg_weakness"] = "slowly"
    assert flag.as_told(sure).label == said
    assert not flag.as_told(sure).unsure


def test_a_sure_answer_wins_over_a_not_sure_one() -> None:
    flag = BY_ID["dvt_signs"]
    swollen, red = flag.branches
    both = {"whole_leg_swelling": "not_sure", "leg_red_warm": "yes"}
    # The red skin, said for sure, is the reason, though the swollen leg comes first.
    assert flag.as_told(both).label == red.label
    assert not flag.as_told(both).unsure
    assert flag.as_told({**both, "whole_leg_swelling": "yes"}).label == swollen.label


def test_assess_reports_a_not_sure_answer_as_not_sure() -> None:
    answers = {**strain(), "breathless_or_chest_pain": "not_sure"}
    result = assess(answers)
    flag = BY_ID["pulmonary_embolism"]
    reported = next(f for f in result.to_dict()["red_flags"] if f["id"] == flag.id)  # type: ignore[union-attr]
    assert reported["label"] == flag.label_unsure
    assert flag.label_unsure in result.disposition.reasons
    assert flag.label not in result.disposition.reasons
    assert result.disposition.level == "emergency"


@PROPERTY
@given(answer_sets())
def test_as_told_says_yes_only_when_the_person_said_yes(answers: dict[str, Any]) -> None:
    sure = {k: v for k, v in answers.items() if v != "not_sure"}
    for flag in assess(answers).red_flags:
        original = BY_ID[flag.id]
        if original.branches:  # tests/clinical/test_redflag_cases.py
            assert flag.unsure == (
                original.label_unsure is not None and not original.rule.holds(sure)
            ), flag.id
            continue
        # A parent answering for a child reads the flag's child wording where it has one.
        child = is_child(answers.get("age"))
        label = (child and original.child_label) or original.label
        label_unsure = (child and original.child_label_unsure) or original.label_unsure
        if original.rule.holds(sure):
            assert flag.label == label, flag.id
        elif original.label_unsure is not None:  # it fired only on "not sure" answers
            assert flag.label == label_unsure, flag.id
        else:  # "not sure" mattered only as "not a yes" (e.g. "not (pop is yes and ...)")
            raw = next(r for r in RAW["red_flags"] if r["id"] == flag.id)
            assert "not_sure" not in repr(raw["rule"]), flag.id
            assert flag.label == label, flag.id


# --- Urgency and evidence for the ranking ---------------------------------------------


def place(level: str, *, sure: bool = True) -> int:
    """flag_urgency's place for a flag of this level: twice its rank, plus one if sure."""
    return 2 * RANK[level] + sure


def test_flag_urgency_keeps_each_conditions_most_urgent_flag() -> None:
    fired = [BY_ID["pulmonary_embolism"], BY_ID["dvt_signs"], BY_ID["fever"]]
    assert flag_urgency(fired) == {"dvt": place("emergency"), "infection": place("urgent")}
    assert flag_urgency([BY_ID["dvt_signs"], BY_ID["pulmonary_embolism"]])["dvt"] == place(
        "emergency"
    )
    # Every urgent place is below every emergency place, sure or not.
    assert place("urgent") < place("emergency", sure=False)
    # A flag without a condition, or a "soon" flag, does not reorder the causes.
    assert flag_urgency([BY_ID["cannot_bear_weight"], BY_ID["growing_lump"]]) == {}


def test_soon_flags_with_an_lr_add_evidence_for_their_condition() -> None:
    with_lr = [f for f in FLAGS if f.lr is not None]
    assert with_lr and all(f.disposition == "soon" and f.condition for f in with_lr)
    assert flag_evidence([BY_ID["pulmonary_embolism"]], 1.0) == {}
    differential = load_model().differential
    info = differential.informative(validate_answers(load_questionnaire(), strain()))
    plain = {c.id: c.probability for c in differential.rank(info)}
    for flag in with_lr:
        evidence = flag_evidence([flag], 1.0)
        assert evidence == {flag.condition: pytest.approx(math.log(flag.lr))}  # type: ignore[arg-type]
        moved = {c.id: c.probability for c in differential.rank(info, (), evidence)}
        assert moved[flag.condition] > plain[flag.condition], flag.id  # type: ignore[index]
        # ... without listing the cause first: a "soon" flag does not reorder.
        assert not any(c.red_flag for c in differential.rank(info, flag_urgency([flag]), evidence))


def test_an_urgent_or_emergency_flag_is_evidence_for_the_causes_it_names() -> None:
    differential = load_model().differential
    lr = differential.warning_sign_lr
    assert lr > 1
    info = differential.informative(validate_answers(load_questionnaire(), strain()))
    plain = {c.id: c.probability for c in differential.rank(info)}
    for flag in (BY_ID["pulmonary_embolism"], BY_ID["worsening_severe_pain"]):
        named = flag_urgency([flag])
        assert named  # the condition and the "also" causes it lists first
        evidence = flag_evidence([flag], lr)
        assert evidence == dict.fromkeys(named, pytest.approx(math.log(lr)))
        causes = differential.rank(info, named, evidence)
        moved = {c.id: c.probability for c in causes}
        assert all(moved[cid] > plain[cid] for cid in named), flag.id
        # Listed first, as without the evidence; every other cause keeps its order.
        assert {c.id for c in causes[: len(named)]} == set(named)
        rest = [c.id for c in causes[len(named) :]]
        assert rest == [cid for cid in sorted(plain, key=lambda i: (-plain[i], i)) if cid in rest]
    # A "soon" flag keeps its own likelihood ratio whatever linked_lr is.
    soon = next(f for f in FLAGS if f.lr is not None)
    assert flag_evidence([soon], lr) == flag_evidence([soon], 1.0)
    # No evidence at 1 (the default): a flag alone changes no probability.
    assert flag_evidence([BY_ID["pulmonary_embolism"]], 1.0) == {}


def test_an_emergency_flag_cause_outranks_an_urgent_flag_cause() -> None:
    # Breathless (emergency -> DVT) and a fever (urgent -> infection): DVT first, then
    # infection, whatever their probabilities; then every other cause by probability.
    answers = {**strain(), "breathless_or_chest_pain": "yes", "fever": "yes", "very_unwell": "no"}
    result = assess(answers)
    ids = [c.id for c in result.causes]
    assert ids[:2] == ["dvt", "infection"]
    assert result.causes[0].red_flag and result.causes[1].red_flag
    rest = [c.probability for c in result.causes[2:]]
    assert rest == sorted(rest, reverse=True) and not any(c.red_flag for c in result.causes[2:])
    # The other way round: a sudden cold leg (emergency -> a blocked artery or a blocked
    # aneurysm, the more likely first) before a fever.
    answers = {**strain(), "leg_cold_pale": "suddenly", "fever": "yes", "very_unwell": "no"}
    causes = assess(answers).causes
    assert {c.id for c in causes[:2]} == {"vascular_claudication", "arterial_aneurysm"}
    assert causes[0].probability >= causes[1].probability
    assert causes[2].id == "infection" and all(c.red_flag for c in causes[:3])


def test_a_flag_lists_the_other_cant_miss_causes_of_its_sign_the_more_likely_first() -> None:
    """``also``: a suddenly cold leg comes from a blocked artery or a blocked popliteal
    aneurysm [R5]; both are listed with the flag, ordered by their probabilities, so an
    aneurysm that the other answers point to is named first."""
    flag = BY_ID["acute_limb_ischaemia"]
    assert flag.condition == "vascular_claudication" and flag.also == ("arterial_aneurysm",)
    assert flag_urgency([flag]) == {
        "vascular_claudication": place("emergency"),
        "arterial_aneurysm": place("emergency"),
    }
    conditions = load_conditions()
    for f in FLAGS:  # only can't-miss causes share a flag's place at the top
        assert all(conditions[c].serious for c in f.also), f.id
        assert not f.also or f.disposition in ("urgent", "emergency"), f.id
    cold = {**strain(), "leg_cold_pale": "suddenly"}
    old_man_knee = {
        **cold,
        "age": 70,
        "sex": "male",
        "location": ["behind_knee"],
        "lump": "yes",
        "lump_features": ["growing"],
        "foot_sore": "no",
    }
    ids = [c.id for c in assess(old_man_knee).causes]
    assert ids[0] == "arterial_aneurysm" and ids[1] == "vascular_claudication"
    # Without the flag the aneurysm is not lifted: a sore calf in an active 30-year-old.
    assert "arterial_aneurysm" not in [c.id for c in assess(strain()).causes[:3]]


# --- Single rules --------------------------------------------------------------------


def test_avulsion_flag_needs_a_pop_plus_bruise_or_high_pain_with_weakness() -> None:
    avulsion = BY_ID["suspected_avulsion"]
    assert avulsion.rule.holds({"pop": "yes", "bruising": "large"})
    assert avulsion.rule.holds(
        {"pop": "yes", "bruising": "none", "location": ["sitting_bone"], "weakness": "yes"}
    )
    assert not avulsion.rule.holds(
        {
            "pop": "yes",
            "bruising": "small",
            "location": ["middle_thigh"],
            "weakness": "yes",
            "worse": ["running"],
            "bear_weight": "yes",
        }
    )
    assert not avulsion.rule.holds({"pop": "no", "bruising": "large"})


def test_claudication_needs_relief_on_standing_still_and_a_risk_factor() -> None:
    flag = BY_ID["vascular_claudication"]
    pattern = {
        "worse": ["walking"],
        "eases": ["standing_still"],
        "age": 66,
        "smoking_or_diabetes": "no",
    }
    assert flag.rule.holds(pattern)
    assert not flag.rule.holds({**pattern, "age": 30})
    assert flag.rule.holds({**pattern, "age": 30, "smoking_or_diabetes": "yes"})
    assert not flag.rule.holds({**pattern, "worse": ["walking", "sitting"]})  # rest pain pattern


def test_a_lump_is_checked_by_what_it_is_like() -> None:
    assert screen(FLAGS, {"lump": "yes", "lump_features": ["none"]}) == ()
    assert [f.id for f in screen(FLAGS, {"lump_features": ["hard", "painful"]})] == ["growing_lump"]
    fired = [f.id for f in screen(FLAGS, {"lump_features": ["pulsing", "growing"]})]
    assert fired == ["pulsing_lump", "growing_lump"]  # the urgent one first


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["red_flags"][0].update(disposition="self_care"), "disposition must be"),
        (lambda d: d["red_flags"][0].update(condition="gout"), "unknown condition"),
        (lambda d: d["red_flags"][0].pop("source"), "needs 'source'"),
        (lambda d: d["red_flags"][0].update(source="[999]"), "must cite references"),
        (
            lambda d: d["red_flags"][0].update(rule={"q": "saddle_numbness", "in": ["yse"]}),
            "not an option",
        ),
        (
            lambda d: d["red_flags"][0].update(rule={"q": "saddle", "in": ["yes"]}),
            "unknown question",
        ),
        (lambda d: d["red_flags"][0].update(label=""), "label must be"),
        (lambda d: d["red_flags"].append(copy.deepcopy(d["red_flags"][0])), "duplicate id"),
        (
            lambda d: _flag(d, "ces_bladder").pop("label_unsure"),
            "needs label_unsure",
        ),
        (lambda d: _flag(d, "child_under_5").update(ends_check="yes"), "ends_check must be"),
        (lambda d: _flag(d, "fever").update(within="tomorrow"), "within must be one of"),
        (lambda d: _flag(d, "ces_bladder").update(within="today"), "only an urgent flag"),
        (lambda d: _flag(d, "ces_bladder").update(lr=3), "only a 'soon' flag"),
        (lambda d: _flag(d, "growing_lump").update(lr=50), "lr must be"),
        (lambda d: _flag(d, "growing_lump").update(also=["tumour"]), "only an urgent"),
        (lambda d: _flag(d, "fever").update(also=["no_such_cause"]), "unknown condition"),
        (lambda d: _flag(d, "fever").update(also=["infection"]), "repeats"),
        (lambda d: _flag(d, "fever").update(also="tumour"), "must be a list"),
        (lambda d: _flag(d, "fever").update(also=["hamstring_strain"]), "not a serious"),
        (lambda d: _flag(d, "fever").update(covers="very_unwell"), "must be a list"),
        (lambda d: _flag(d, "fever").update(forbids="walk_test"), "forbids must be a list"),
        (lambda d: _flag(d, "fever").update(forbids=["walk_tset"]), "not a self-test"),
        (lambda d: _flag(d, "fever").update(forbids=["pain_now"]), "not a self-test"),
        (
            lambda d: _flag(d, "fever").update(forbids=["walk_test", "walk_test"]),
            "repeats a self-test",
        ),
        (lambda d: _flag(d, "dvt_signs").update(covers=["no_such_flag"]), "unknown flag"),
        (lambda d: _flag(d, "fever").update(covers=["fever"]), "names itself"),
        (lambda d: _flag(d, "dvt_signs").update(covers=["pulmonary_embolism"]), "more urgent"),
        (
            lambda d: _flag(d, "dvt_signs").update(covers=["critical_limb_ischaemia"]),
            "does not name its cause",
        ),
        (
            lambda d: _flag(d, "fever_with_nerve_signs").update(covers=["child_limp_with_fever"]),
            "which covers fever: cover them too",
        ),
        (
            lambda d: _flag(d, "child_fever_cannot_stand").update(covers=["child_limp_with_fever"]),
            "which covers fever: cover them too",
        ),
    ],
)
def test_malformed_flags_fail_loudly(change: Any, message: str) -> None:
    data = copy.deepcopy(RAW)
    change(data)
    conditions = load_conditions()
    serious = {cid for cid, c in conditions.items() if c.serious}
    with pytest.raises(RedFlagError, match=message):
        parse_red_flags(data, load_questionnaire(), conditions, serious)


def _flag(data: Any, flag_id: str) -> Any:
    return next(f for f in data["red_flags"] if f["id"] == flag_id)


@pytest.mark.parametrize(
    "change",
    [
        {"weak_bones_or_steroids": "no"},
        {"onset": "fall_or_blow", "earlier_pain": "no", "pop": "no"},
        {"days_since_onset": 400},
        {"location": ["calf"]},
    ],
    ids=["bones-fine", "after-a-fall", "over-six-months", "calf-only"],
)
def test_a_thigh_ache_with_weak_bones_is_urgent_only_as_the_guidance_says(
    change: dict[str, Any],
) -> None:
    """[R55]: new thigh or groin pain without a fall, on weak bones or long-term steroids,
    means imaging of both thigh bones. A fall, a calf, a year-long ache or healthy bones
    are other stories (other flags and the ranking judge them)."""
    story = FLAG_STORIES["weak_bone_thigh_pain"]
    assert "weak_bone_thigh_pain" in [f.id for f in assess(story).red_flags]
    assert "weak_bone_thigh_pain" not in [f.id for f in assess({**story, **change}).red_flags]


@pytest.mark.parametrize(
    ("change", "young"),
    [
        ({}, True),
        ({"lump_features": ["hard", "painful"]}, True),
        ({"age": 25}, False),
        ({"age": 60, "foot_sore": "no"}, False),
        (AFTER_A_BLOW, False),
        ({"lump_features": ["painful"]}, True),
        ({"age": 16, "lump_features": ["painful"]}, False),
        ({"lump_features": ["painful"], **AFTER_A_BLOW}, False),
    ],
    ids=[
        "growing",
        "hard",
        "aged-25",
        "aged-60",
        "after-a-blow",
        "sore-child",
        "sore-at-16",
        "sore-child-after-a-blow",
    ],
)
def test_a_growing_lump_in_a_young_person_is_urgent_as_ng12_says(
    change: dict[str, Any], young: bool
) -> None:
    """[R3] NICE NG12: a very urgent scan (within 48 hours) for a child or young person
    (under 25) with an unexplained lump that is increasing in size (or a bone swelling, which
    a parent feels as a hard, fixed lump); from 25 the adult pathway (a scan within two
    weeks: ``growing_lump``, "soon"). NG12's very urgent X-ray for a child's unexplained bone
    swelling or pain also takes a child's (under 16) lump that only hurts; from 16 a sore lump
    alone is neither. A lump after a blow is explained."""
    result = assess({**FLAG_STORIES["growing_lump_young"], **change})
    fired = [f.id for f in result.red_flags]
    assert ("growing_lump_young" in fired) is young, fired
    if young:
        assert result.disposition.level == "urgent"
        assert {c.id for c in result.causes[:2]} == {"soft_tissue_tumour", "tumour"}
    elif change.get("age", 0) >= 25:
        assert "growing_lump" in fired  # the adult pathway
    if change.get("age") == 25:  # nothing else in this story is urgent at 25
        assert result.disposition.level == "soon"


@pytest.mark.parametrize(
    ("change", "fires"),
    [
        ({}, True),
        ({"pain_now": 6}, False),
        ({"course": "same"}, False),
        ({"days_since_onset": 15}, False),
        ({"onset": "sprinting", "pop": "no", "earlier_pain": "no"}, False),
        ({"onset": "gradually"}, True),
        ({"location": ["lower_back", "upper_thigh", "middle_thigh"]}, True),
    ],
    ids=[
        "story",
        "moderate",
        "not-worse",
        "over-two-weeks",
        "after-a-sprint",
        "gradual",
        "with-back-pain",
    ],
)
def test_severe_pain_that_grows_without_an_injury_is_seen_today(
    change: dict[str, Any], fires: bool
) -> None:
    """[R56][38]: severe pain (7 or more) that began on its own in the last two weeks and
    keeps growing is seen the same day, with back pain too (a bad sciatica is then seen a
    day early: the published cases showed that leaving back pain out misses a dangerous
    one); an injury, a plateau or milder pain is judged by the other flags and the
    ranking."""
    result = assess(person(**{**GROWING_PAIN, **change}))
    fired = [f.id for f in result.red_flags]
    assert ("worsening_severe_pain" in fired) is fires, fired
    if fires:
        assert RANK[result.disposition.level] >= RANK["urgent"]
        # The two can't-miss causes its advice names first lead the list (``also``).
        assert {c.id for c in result.causes[:2]} == {"dvt", "infection"}


@pytest.mark.parametrize(
    ("change", "fires"),
    [
        ({}, True),
        ({"days_since_onset": 1}, False),
        ({"course": "better"}, False),
        ({"course": "same"}, False),
        ({"onset": "gradually"}, False),
    ],
    ids=["story", "first-day", "getting-better", "steady", "no-fall"],
)
def test_pain_still_growing_days_after_a_fall_is_seen_today(
    change: dict[str, Any], fires: bool
) -> None:
    """[30][44][R13]: a knock hurts most in the first day or two; pain still growing after
    that can be a fracture, a bleed, pressure in the muscle, an infection or a clot."""
    story = {**WORSE_AFTER_A_FALL, **change}
    if story["onset"] != "fall_or_blow":
        del story["pop"]
    result = assess(person(**story))
    fired = [f.id for f in result.red_flags]
    assert ("worse_after_fall" in fired) is fires, fired
    if fires:
        assert RANK[result.disposition.level] >= RANK["urgent"]


@pytest.mark.parametrize(
    ("change", "fired", "not_fired"),
    [
        # A limp and a fever: a doctor today (after a knock too: a bone infection can follow
        # one), and the no-fever advice ("go ... if your child gets a fever") is not shown.
        ({"fever": "yes"}, "child_limp_with_fever", "child_limp_without_injury"),
        ({"fever": "yes", "onset": "fall_or_blow", "pop": "no"}, "child_limp_with_fever", None),
        ({"fever": "not_sure"}, "child_limp_with_fever", "child_limp_without_injury"),
        # A fever and a leg the child will not stand on: the emergency department now.
        ({"fever": "yes", "bear_weight": "no"}, "child_fever_cannot_stand", None),
        # A limp, a fever, and 10 steps the child could not walk: one sign, the emergency
        # one (red flags 2026.12.10; a phone walk read the limp's sign beside it).
        (
            {"fever": "yes", "bear_weight": "limping", "walk_test": "could_not"},
            "child_fever_cannot_stand",
            "child_limp_with_fever",
        ),
        ({"fever": "not_sure", "bear_weight": "not_sure"}, "child_fever_cannot_stand", None),
        # No fever: the limp's own flag, as before.
        ({"fever": "no"}, "child_limp_without_injury", "child_limp_with_fever"),
        # From 16 neither child flag.
        ({"fever": "yes", "age": 16}, "fever", "child_limp_with_fever"),
        ({"fever": "yes", "age": 16, "bear_weight": "no"}, "cannot_bear_weight", None),
    ],
)
def test_a_child_s_limp_with_a_fever(change: dict[str, Any], fired: str, not_fired: str) -> None:
    answers = complete({**FLAG_STORIES["child_limp_without_injury"], **change})
    ids = [f.id for f in assess(answers).red_flags]
    assert fired in ids, ids
    assert not_fired is None or not_fired not in ids, ids
    if answers["age"] >= 16:  # (a slipped growth plate, child_hip_limp, is asked to 16)
        mine = {"child_limp_without_injury", "child_limp_with_fever", "child_fever_cannot_stand"}
        assert not mine & set(ids), ids
    # Never both "see a doctor today, or the emergency department if your child gets a
    # fever" and a fever already given.
    if answers["fever"] != "no":
        assert "child_limp_without_injury" not in ids


def test_a_limping_child_with_a_fever_is_first_a_possible_infection() -> None:
    """A fever with a limp is an infection of a joint, a bone or a muscle until tests show
    otherwise [R1]: the slipped-growth-plate flag (child_hip_limp, which names hip causes)
    stays quiet beside it, so it cannot lift a hip cause above the infection. Without a
    fever it fires as before; on "Not sure" about the fever it fires beside the fever's."""
    limping = complete(FLAG_STORIES["child_hip_limp"])
    assert "child_hip_limp" in [f.id for f in assess(limping).red_flags]
    feverish = {**limping, "fever": "yes", "very_unwell": "no"}
    result = assess(feverish)
    ids = [f.id for f in result.red_flags]
    assert "child_limp_with_fever" in ids and "child_hip_limp" not in ids, ids
    assert result.causes[0].id == "infection"
    assert result.disposition.level == "urgent"
    unsure = assess({**limping, "fever": "not_sure", "very_unwell": "no"})
    assert {"child_limp_with_fever", "child_hip_limp"} <= {f.id for f in unsure.red_flags}


def test_a_swollen_leg_turning_cold_or_blue_names_a_clot_first() -> None:
    """A swollen leg that turns cold, pale or blue is first a massive clot (phlegmasia)
    [35][R57]; a cold, pale leg that is not swollen is first a blocked artery (or a
    blocked aneurysm behind the knee)."""
    swollen = vignette("swollen_blue_leg")
    result = assess(swollen)
    assert result.disposition.level == "emergency"
    assert {"swollen_blue_leg", "acute_limb_ischaemia"} <= {f.id for f in result.red_flags}
    assert result.causes[0].id == "dvt"
    thin = {**swollen, "whole_leg_swelling": "no", "age": 72, "clot_risks": ["none"]}
    thin["foot_sore"] = "no"  # (asked from 50)
    result = assess(thin)
    assert "swollen_blue_leg" not in [f.id for f in result.red_flags]
    assert result.causes[0].id in ("vascular_claudication", "arterial_aneurysm")
    assert result.disposition.level == "emergency"


def test_a_flag_told_only_on_not_sure_sets_the_advice_but_is_no_evidence() -> None:
    """A "Not sure" is no evidence for a cause (the ranking treats it as unanswered), so a
    flag that fired only on "Not sure" answers adds no likelihood ratio and, at one urgency,
    its causes come after those of a flag told on definite answers. Its advice and its
    disposition stand: for safety a "Not sure" counts as a "yes" there."""
    calf = {**strain(), "whole_leg_swelling": "yes", "numbness": "yes"}
    sure = assess({**calf, "numbness_spreading": "yes"})
    unsure = assess({**calf, "numbness_spreading": "not_sure"})
    for result in (sure, unsure):
        assert {"spreading_numbness", "dvt_signs"} <= {f.id for f in result.red_flags}
        assert result.disposition.level == "urgent"
    told = next(f for f in unsure.red_flags if f.id == "spreading_numbness")
    assert told.unsure and told.label == told.label_unsure
    lr = load_model().differential.warning_sign_lr
    assert flag_evidence([told], lr) == {}
    assert flag_urgency([told]) == {"sciatica": place("urgent", sure=False)}
    # The clot sign, said for sure, comes before the nerve sign the person was unsure of.
    ids = [c.id for c in unsure.causes]
    assert ids.index("dvt") < ids.index("sciatica")
    assert all(c.red_flag for c in unsure.causes[:2])
    # Said for sure, the nerve sign is evidence again, and the likelier cause comes first.
    p = {c.id: c.probability for c in unsure.causes}
    q = {c.id: c.probability for c in sure.causes}
    assert q["sciatica"] > p["sciatica"]


@pytest.mark.parametrize(
    ("change", "child_flag", "fever_shown"),
    [
        ({}, "child_limp_with_fever", False),  # a limp and a fever: the child's flag alone
        ({"bear_weight": "no"}, "child_fever_cannot_stand", False),
        ({"bear_weight": "yes"}, None, True),  # a fever without a limp: the fever's own flag
        ({"age": 16}, None, True),  # from 16 the adult's flags
    ],
)
def test_a_child_s_fever_flag_stands_in_for_the_adult_s(
    change: dict[str, Any], child_flag: str | None, fever_shown: bool
) -> None:
    """A parent is told the child's flag ("A child limps ... and has a fever"), not also
    the adult's "You have a fever or chills ... See a doctor today" (``covers``); the
    disposition, the causes and their order are those with both flags."""
    answers = complete({**FLAG_STORIES["child_limp_with_fever"], **change})
    result = assess(answers)
    ids = [f.id for f in result.red_flags]
    assert ("fever" in ids) is fever_shown, ids
    assert child_flag is None or child_flag in ids, ids
    both = [f for f in FLAGS if f.rule.evaluate(answers) is True]  # without ``covers``
    assert {f.id for f in both} - set(ids) <= {"fever"}
    assert result.disposition.level == max((f.disposition for f in both), key=RANK.__getitem__)
    assert flag_urgency(both) == flag_urgency(result.red_flags)


def test_a_flag_told_only_on_not_sure_does_not_hide_one_told_for_sure() -> None:
    """A child with a fever, whom the parent is not sure can stand: the emergency flag
    fired only on that "Not sure" stands in for the adult's fever flag only if that one
    is unsure too, so the fever said for sure keeps its place and its evidence."""
    answers = complete(
        {**FLAG_STORIES["child_limp_with_fever"], "bear_weight": "not_sure", "fever": "yes"}
    )
    result = assess(answers)
    told = {f.id: f for f in result.red_flags}
    assert told["child_fever_cannot_stand"].unsure
    assert "fever" in told and not told["fever"].unsure
    assert result.disposition.level == "emergency"
    lr = load_model().differential.warning_sign_lr
    assert flag_evidence(result.red_flags, lr) == {"infection": pytest.approx(math.log(lr))}
    # Both unsure: the child's flag alone is reported.
    unsure = assess({**answers, "fever": "not_sure"})
    ids = [f.id for f in unsure.red_flags]
    assert "child_fever_cannot_stand" in ids and "fever" not in ids, ids
