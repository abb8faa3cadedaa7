"""Answers given to earlier questionnaires (2026.11.1, 2026.12.1), read in today's
question ids (upgrade.py)."""

from __future__ import annotations

from typing import Any

import pytest

from rehabit.clinical import load_questionnaire
from rehabit.clinical.redflags import screen
from rehabit.clinical.redflags_file import load_red_flags
from rehabit.clinical.upgrade import CURRENT, UPGRADES, current_answers

OLD = "2026.11.1"
QUESTIONS = load_questionnaire().questions
FLAGS = load_red_flags(load_questionnaire())

# A whole answer set as stored under 2026.11.1 (the first written vignette of that version).
STORED: dict[str, Any] = {
    "age": 23, "sex": "male", "activity_level": "intense", "sports": ["sprint_kicking"],
    "long_sitting": "no", "previous_hamstring_injury": "no", "previous_back_problems": "no",
    "cancer_history": "no", "blood_thinners": "no", "recent_surgery_or_immobile": "no",
    "long_travel": "no", "hormones_or_pregnancy": "no", "previous_blood_clot": "no",
    "smoking_or_diabetes": "no", "weak_bones_or_steroids": "no", "bone_stress_risk": "no",
    "weak_immune_system": "no", "saddle_numbness": "no", "bladder_trouble": "no",
    "bladder_bowel_leak": "no", "sexual_function_change": "no", "both_legs_numb_weak": "no",
    "leg_weakness": "no", "numbness_spreading": "no", "bear_weight": "yes",
    "whole_leg_swelling": "no", "leg_red_warm": "no", "breathless": "no",
    "chest_pain_or_coughing_blood": "no", "leg_cold_pale": "no", "foot_sore": "no",
    "fever": "no", "weight_loss": "no", "growing_lump": "no", "thigh_tense_hard": "no",
    "dark_urine": "no", "location": ["middle_thigh"], "side": "right", "days_since_onset": 1,
    "onset": "sprinting", "pop": "no", "pain_now": 6, "pain_worst": 7,
    "pain_quality": ["sharp", "tight"], "worse": ["walking", "running", "stretching"],
    "eases": ["rest"], "night_pain": "none", "tenderness": "yes", "swelling": "no",
    "bruising": "none", "weakness": "yes", "numbness": "no", "tingling": "no",
    "hip_stiffness": "no", "walk_test": "limp", "knee_bend_test": "pain_and_weak",
}  # fmt: skip
# Old questions that are gone (their answers are read into new questions, or dropped).
RENAMED = {
    "breathless",
    "chest_pain_or_coughing_blood",
    "growing_lump",
    "hip_stiffness",
    # 2026.12.2: one multiple choice, clot_risks
    "recent_surgery_or_immobile",
    "long_travel",
    "previous_blood_clot",
}
# Old questions whose id stayed but whose options changed.
CHANGED = {"tenderness", "bear_weight"}
# New questions, never answered under 2026.11.1: an upgrade never answers them on its own.
# (lump, lump_features and tenderness only from an old answer that said so; see below.)
NEW_IDS = (
    set(QUESTIONS)
    - set(STORED)
    - {
        "breathless_or_chest_pain",
        "lump",
        "lump_features",
        "clot_risks",
    }
)


def valid_value(qid: str, value: Any) -> bool:
    question = QUESTIONS[qid]
    if question.type in ("integer", "scale"):
        return isinstance(value, int) and question.min <= value <= question.max  # type: ignore[operator]
    if question.type == "multi":
        chosen = set(value)
        return (
            bool(chosen)
            and chosen <= question.values
            and (len(chosen) == 1 or chosen.isdisjoint(question.exclusive))
        )
    return value in question.values


def test_the_current_version_is_the_questionnaire_version() -> None:
    assert CURRENT == load_questionnaire().version == "2026.12.11"
    assert UPGRADES[OLD][0] == "2026.12.1"
    assert UPGRADES["2026.12.1"][0] == "2026.12.2"
    assert UPGRADES["2026.12.2"][0] == "2026.12.3"
    assert UPGRADES["2026.12.3"][0] == "2026.12.4"
    assert UPGRADES["2026.12.4"][0] == "2026.12.7"
    assert UPGRADES["2026.12.7"][0] == "2026.12.8"
    assert UPGRADES["2026.12.8"][0] == "2026.12.9"
    assert UPGRADES["2026.12.9"][0] == "2026.12.10"
    assert UPGRADES["2026.12.10"][0] == CURRENT


def test_2026_12_10_answers_mean_the_same_in_2026_12_11() -> None:
    # 2026.12.11 asks the sex at birth in the health section instead of beside the age
    # (a parent read "What sex were you given at birth?"): same question, same values.
    answers = {"age": 9, "sex": "female", "location": ["upper_thigh"], "activity_level": "light"}
    assert current_answers("2026.12.10", answers) == answers
    assert all(valid_value(qid, value) for qid, value in answers.items())


def test_2026_12_9_answers_mean_the_same_in_2026_12_10() -> None:
    # 2026.12.10 gave a child's parent their own section headings ("Your child's pain"):
    # the questions, values and what they mean are unchanged, so every answer is kept.
    answers = {
        "age": 9,
        "sex": "prefer_not",
        "location": ["sitting_bone", "upper_thigh"],
        "bear_weight": "limping",
        "walk_test": "limp",
    }
    assert current_answers("2026.12.9", answers) == answers
    assert all(valid_value(qid, value) for qid, value in answers.items())


def test_2026_12_8_answers_mean_the_same_in_2026_12_9() -> None:
    # 2026.12.9 gave a child's parent their own wording of the questions ("Where does your
    # child feel the pain?"): the values and what they mean are unchanged, so every answer
    # is kept as given.
    answers = {
        "age": 9,
        "sex": "prefer_not",
        "location": ["sitting_bone", "upper_thigh"],
        "bear_weight": "limping",
        "pelvic_changes": "no",
        "walk_test": "limp",
        "hop_test": "pain",
    }
    assert current_answers("2026.12.8", answers) == answers
    assert all(valid_value(qid, value) for qid, value in answers.items())


def test_2026_12_7_answers_mean_the_same_in_2026_12_8() -> None:
    # 2026.12.8 gave a child's parent their own labels ("Yes, but my child limps"): the
    # values and what they mean are unchanged, so every answer is kept as given.
    answers = {"age": 9, "bear_weight": "limping", "walk_test": "limp", "night_pain": "constant"}
    assert current_answers("2026.12.7", answers) == answers
    assert all(valid_value(qid, value) for qid, value in answers.items())


def test_2026_12_2_answers_mean_the_same_in_2026_12_3() -> None:
    # 2026.12.3 changed only wording for a child's parent: every answer is kept as given.
    answers = {"age": 9, "pelvic_changes": "no", "fever": "yes", "very_unwell": "no"}
    assert current_answers("2026.12.2", answers) == answers


def test_2026_12_3_answers_mean_the_same_in_2026_12_4() -> None:
    # 2026.12.4 added an answer to what a lump is like: earlier answers are kept as given,
    # and read as valid answers of today's questionnaire.
    answers = {"age": 46, "lump": "yes", "lump_features": ["none"]}
    assert current_answers("2026.12.3", answers) == answers
    assert all(valid_value(qid, value) for qid, value in answers.items())
    assert "tingles" in QUESTIONS["lump_features"].values  # the new answer


def test_current_answers_pass_through() -> None:
    answers = {"age": 30, "worse": ["running"]}
    assert current_answers(CURRENT, answers) == answers
    assert current_answers(CURRENT, answers) is not answers  # a copy, never the record


def test_an_unknown_version_is_refused() -> None:
    with pytest.raises(ValueError, match="No upgrade from questionnaire version '2025.1.1'"):
        current_answers("2025.1.1", {"age": 30})


def test_a_whole_stored_set_reads_in_todays_ids_with_valid_values() -> None:
    stored = dict(STORED)
    new = current_answers(OLD, stored)
    assert stored == STORED  # the stored record is never rewritten
    assert set(new) <= set(QUESTIONS), set(new) - set(QUESTIONS)
    assert not RENAMED & set(new)
    for qid, value in new.items():
        assert valid_value(qid, value), (qid, value)
    # Everything that kept its id and meaning is carried over unchanged.
    for qid, value in STORED.items():
        if qid not in RENAMED | CHANGED:
            assert new[qid] == value, qid
    # What changed reads as the old answers said, and no further.
    assert new["breathless_or_chest_pain"] == "no"
    assert new["tenderness"] == "one_spot"
    assert new["bear_weight"] == "limping"  # "I limped" on the walking self-test
    assert "lump" not in new and "lump_features" not in new  # "no growing lump"
    assert "hip_stiff" not in new and "socks_shoes_hard" not in new
    assert new["clot_risks"] == ["none"]  # three "no"
    assert set(new) == set(STORED) - RENAMED | {"breathless_or_chest_pain", "clot_risks"}


def test_nothing_is_guessed_for_questions_that_did_not_exist() -> None:
    new = current_answers(OLD, STORED)
    for qid in ("pelvic_changes", "course", "earlier_pain", "hop_test", "socks_shoes_hard"):
        assert qid in NEW_IDS and qid not in new, qid
    assert not NEW_IDS & set(new), NEW_IDS & set(new)


@pytest.mark.parametrize("qid", sorted(RENAMED | CHANGED))
@pytest.mark.parametrize("value", ["yes", "no", "not_sure"])
def test_nothing_is_guessed_from_a_changed_question_on_its_own(qid: str, value: str) -> None:
    """Each old answer alone gives at most the answers it states (never a new question's)."""
    new = current_answers(OLD, {qid: value})
    assert not NEW_IDS & set(new), (qid, value, new)
    for key, answer in new.items():
        assert valid_value(key, answer), (key, answer)
    # A "no" only ever becomes a "no" to the same question (the two breathing questions).
    if value == "no":
        assert set(new.values()) <= {"no"}, (qid, new)


@pytest.mark.parametrize(
    ("breathless", "chest", "combined"),
    [
        ("no", "no", "no"),
        ("yes", "no", "yes"),
        ("no", "yes", "yes"),
        ("not_sure", "no", "not_sure"),
        ("no", "not_sure", "not_sure"),
        ("not_sure", "yes", "yes"),
        ("yes", None, "yes"),
        (None, "not_sure", "not_sure"),
    ],
)
def test_breathless_and_chest_pain_become_one_question(
    breathless: str | None, chest: str | None, combined: str
) -> None:
    old = {"breathless": breathless, "chest_pain_or_coughing_blood": chest}
    new = current_answers(OLD, {k: v for k, v in old.items() if v is not None})
    assert new == {"breathless_or_chest_pain": combined}
    # The pulmonary embolism flag fires after the upgrade exactly when either did before.
    fired = any(f.id == "pulmonary_embolism" for f in screen(FLAGS, new))
    assert fired == (combined != "no")


def test_neither_breathing_question_answered_stays_unanswered() -> None:
    assert "breathless_or_chest_pain" not in current_answers(OLD, {"age": 30})


def test_a_growing_lump_becomes_a_lump_that_grows() -> None:
    new = current_answers(OLD, {"growing_lump": "yes"})
    assert new == {"lump": "yes", "lump_features": ["growing"]}
    assert [f.id for f in screen(FLAGS, new)] == ["growing_lump"]


def test_no_growing_lump_and_an_unanswered_one() -> None:
    # "No lump that is getting bigger" does not say there is no lump at all.
    assert current_answers(OLD, {"growing_lump": "no"}) == {}
    assert "lump" not in current_answers(OLD, {"age": 30})


def test_not_sure_about_a_growing_lump_is_a_lump_not_sure_of_with_no_features() -> None:
    # Not "none of these" and not "growing": the features were never asked.
    new = current_answers(OLD, {"growing_lump": "not_sure"})
    assert new == {"lump": "not_sure"}


@pytest.mark.parametrize(("old", "new"), [("yes", "one_spot"), ("not_sure", "not_sure")])
def test_one_tender_spot_becomes_a_choice_of_what_pressing_shows(old: str, new: str) -> None:
    assert current_answers(OLD, {"tenderness": old}) == {"tenderness": new}
    assert valid_value("tenderness", new)


def test_no_tender_spot_is_not_read_as_no_tenderness() -> None:
    # "Is one spot tender? No" did not say whether the muscle was tender all along.
    assert current_answers(OLD, {"tenderness": "no"}) == {}
    assert current_answers(OLD, {"tenderness": "no", "age": 30}) == {"age": 30}


@pytest.mark.parametrize("value", ["yes", "no", "not_sure"])
def test_hip_stiffness_is_not_carried_over(value: str) -> None:
    # "A stiff hip, or trouble with socks and shoes" does not say which of the two new
    # questions it answers, so neither is answered.
    new = current_answers(OLD, {"hip_stiffness": value, "age": 60})
    assert new == {"age": 60}


def test_questions_that_kept_their_id_keep_their_answer() -> None:
    for qid, value in (
        ("bear_weight", "not_sure"),
        ("numbness", "yes"),
        ("night_pain", "constant"),
    ):
        assert current_answers(OLD, {qid: value}) == {qid: value}
        assert valid_value(qid, value)


# --- 2026.12.1 -> 2026.12.2: the limp question became an answer to standing -------------


@pytest.mark.parametrize(
    ("stood", "limp", "walk_test", "read_as"),
    [
        ("yes", "yes", None, "limping"),
        ("yes", "no", None, "yes"),
        ("yes", "no", "limp", "yes"),  # the person said no limp: their words are kept
        ("yes", "not_sure", None, "limping"),  # the reading that keeps the warning signs
        ("yes", None, "limp", "limping"),  # before the limp question: the walking test
        ("yes", None, "normal", "yes"),
        ("yes", None, None, "yes"),
        ("with_aid", None, None, "with_aid"),
        ("no", None, None, "no"),
        ("not_sure", None, None, "not_sure"),
    ],
)
def test_a_limp_is_read_into_standing(
    stood: str, limp: str | None, walk_test: str | None, read_as: str
) -> None:
    stored: dict[str, Any] = {"bear_weight": stood}
    if limp is not None:
        stored["limp"] = limp
    if walk_test is not None:
        stored["walk_test"] = walk_test
    kept = dict(stored)
    new = current_answers("2026.12.1", stored)
    assert stored == kept  # the stored record is never rewritten
    assert new["bear_weight"] == read_as
    assert "limp" not in new and "limp" not in QUESTIONS
    assert valid_value("bear_weight", new["bear_weight"])


def test_a_child_who_limped_under_2026_12_1_keeps_the_warning_sign() -> None:
    old = {
        "age": 7, "days_since_onset": 3, "onset": "no_clear_reason", "bear_weight": "yes",
        "limp": "yes", "fever": "no",
    }  # fmt: skip
    fired = {f.id for f in screen(FLAGS, current_answers("2026.12.1", old))}
    assert "child_limp_without_injury" in fired
    no_limp = {**old, "limp": "no"}
    assert "child_limp_without_injury" not in {
        f.id for f in screen(FLAGS, current_answers("2026.12.1", no_limp))
    }


# --- 2026.12.1 -> 2026.12.2: three clot-risk questions became one multiple choice -------


@pytest.mark.parametrize(
    ("surgery", "travel", "clot", "read_as"),
    [
        ("yes", "no", "no", ["surgery_or_immobile"]),
        ("no", "yes", "yes", ["long_travel", "earlier_clot"]),
        ("yes", None, None, ["surgery_or_immobile"]),
        ("no", "no", "no", ["none"]),
        ("no", "not_sure", "no", ["not_sure"]),
        ("not_sure", "yes", None, ["long_travel"]),
        ("no", None, "no", None),  # one left out: "none of these" is not known
        (None, None, None, None),
    ],
)
def test_clot_risks_are_read_into_one_question(
    surgery: str | None, travel: str | None, clot: str | None, read_as: list[str] | None
) -> None:
    said = {
        "recent_surgery_or_immobile": surgery,
        "long_travel": travel,
        "previous_blood_clot": clot,
    }
    stored = {k: v for k, v in said.items() if v is not None}
    kept = dict(stored)
    new = current_answers("2026.12.1", stored)
    assert stored == kept
    assert new.get("clot_risks") == read_as
    assert not set(said) & set(new)
    if read_as is not None:
        assert valid_value("clot_risks", read_as)


def test_a_clot_risk_under_2026_12_1_keeps_the_warning_sign() -> None:
    old = {"age": 38, "location": ["calf"], "long_travel": "yes", "previous_blood_clot": "no"}
    assert "dvt_risk" in {f.id for f in screen(FLAGS, current_answers("2026.12.1", old))}
    calm = {**old, "long_travel": "no"}
    assert "dvt_risk" not in {f.id for f in screen(FLAGS, current_answers("2026.12.1", calm))}


def test_every_retired_question_is_read_away_by_the_upgrade_from_its_version() -> None:
    from rehabit.clinical.upgrade import RETIRED

    for qid, version in RETIRED.items():
        assert qid not in QUESTIONS, qid
        assert version in UPGRADES, (qid, version)
        for value in ("yes", "no", "not_sure"):
            assert qid not in current_answers(version, {qid: value}), (qid, value)


@pytest.mark.parametrize("leg", ["no", "weak_not_worse", "slowly", "suddenly", "not_sure"])
def test_the_second_weakness_question_is_read_only_where_it_is_still_asked(leg: str) -> None:
    old = {"leg_weakness": leg, "weakness": "yes"}
    new = current_answers("2026.12.1", old)
    asked = QUESTIONS["weakness"].show_if.holds({"leg_weakness": leg})  # type: ignore[union-attr]
    assert ("weakness" in new) is asked
    assert asked is (leg in ("no", "not_sure"))
    assert new["leg_weakness"] == leg
