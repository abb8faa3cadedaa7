"""Phone walk 10 on the plan and the program (self-care 2026.12.11, programs 2026.12.2).

- An emergency result: no medicine questions and no painkiller advice (the plan shows the
  emergency advice and keeping still); an urgent one keeps the screen's cautions.
- A sign the person already told (a red flag in its ``told_by`` fired) is not listed as one
  to look out for; checked at load (known flags, each at least as urgent as the sign).
- One mild-pain limit: pain "fine up to about 3 out of 10" and resting pain "still fairly
  strong" above it (a runner at 3/10 read both).
- A runner whose pain is worse with running gets a word on running.
- The progress lines read a parent's words about their child.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehabit.clinical import assess
from rehabit.clinical.datafiles import citation_problem, load_yaml
from rehabit.clinical.progression import (
    MESSAGE_KEYS,
    PRESCRIPTION_MESSAGES,
    ProgressionDataError,
    load_progression,
    next_step,
    parse_progression,
)
from rehabit.clinical.selfcare import build_plan, fired_flags, stage_for
from rehabit.clinical.selfcare_file import SelfCareDataError, load_selfcare, parse_selfcare
from tests.clinical.answers import (
    PROPERTY,
    answer_sets,
    complete,
    person,
    vignette,
    vignettes,
)
from tests.clinical.test_selfcare import ADULT, SCREEN_NO, SPRINT_STRAIN, result_for


def _plan(answers: dict[str, Any], medication: dict[str, str] | None = None) -> dict[str, Any]:
    result = assess(answers).to_dict()
    return build_plan(result, answers, days_since_onset=None, medication=medication).to_dict()


# --- 1. An emergency result asks nothing about painkillers ----------------------------------


@pytest.mark.parametrize("flagged", [False, True])
def test_an_emergency_plan_has_no_medicine_screen_an_urgent_one_keeps_its_cautions(
    flagged: bool,
) -> None:
    flags = [{"id": "dvt_signs", "label": "x", "disposition": "urgent", "advice": "Go"}]
    for level in ("emergency", "urgent"):
        result = result_for(level, red_flags=flags if flagged else None)
        for medication in (None, SCREEN_NO, {"kidney": "yes"}):
            plan = build_plan(result, ADULT, days_since_onset=3, medication=medication)
            if level == "emergency":
                assert plan.medication is None
                assert [i.id for i in plan.items] == ["keep_still_get_help"]
            else:
                assert plan.medication is not None
                assert plan.medication.items[0].id == "painkillers_until_seen"


@PROPERTY
@given(answer_sets())
def test_no_plan_screens_for_painkillers_before_emergency_care(answers: dict[str, Any]) -> None:
    result = assess(answers).to_dict()
    plan = build_plan(result, answers, days_since_onset=None, medication=None).to_dict()
    emergency = result["disposition"]["level"] == "emergency"
    assert (plan["medication"] is None) is emergency
    if emergency:
        assert all(i["kind"] == "safety" for i in plan["items"])


def test_bad_medicine_answers_are_still_refused_with_an_emergency_result() -> None:
    with pytest.raises(ValueError):
        build_plan(result_for("emergency"), ADULT, days_since_onset=1, medication={"x": "yes"})


# --- 2. A sign already told is not one to look out for --------------------------------------


def test_an_adult_with_saddle_numbness_is_not_told_to_look_out_for_it() -> None:
    answers = vignette("ces_saddle_bladder")
    plan = _plan(answers)
    assert plan["disposition"] == "emergency"
    assert "cauda_equina" not in [w["id"] for w in plan["watch_for"]]
    assert not any("between your legs" in w["sign"] for w in plan["watch_for"])
    # Someone without it still is (the emergency signs of an urgent plan).
    urgent = build_plan(result_for("urgent"), ADULT, days_since_onset=3, medication=None)
    assert "cauda_equina" in [w.id for w in urgent.watch_for]


@pytest.mark.parametrize("age", [6, 9, 14])
def test_a_child_with_a_fever_who_will_not_stand_is_not_told_to_look_out_for_it(age: int) -> None:
    answers = person(
        age=age, location=["middle_thigh", "front_thigh_knee"], side="right",
        days_since_onset=1, onset="no_clear_reason", course="worse", pain_now=6,
        bear_weight="no", fever="yes", very_unwell="no",
    )  # fmt: skip
    result = assess(answers).to_dict()
    assert "child_fever_cannot_stand" in fired_flags(result)
    plan = build_plan(result, answers, days_since_onset=None, medication=None).to_dict()
    assert plan["disposition"] == "emergency" and plan["medication"] is None
    shown = [w["id"] for w in plan["watch_for"]]
    assert "child_fever_will_not_stand" not in shown
    assert not any("will not stand" in w["sign"] for w in plan["watch_for"])


@PROPERTY
@given(answer_sets())
def test_no_plan_lists_a_sign_whose_red_flag_fired(answers: dict[str, Any]) -> None:
    result = assess(answers).to_dict()
    fired = fired_flags(result)
    plan = build_plan(result, answers, days_since_onset=None, medication=None)
    by_id = {w.id: w for w in load_selfcare().watch_for}
    for shown in plan.watch_for:
        assert by_id[shown.id].told_by.isdisjoint(fired)


@pytest.mark.parametrize("case", [v["id"] for v in vignettes()])
def test_every_vignette_plan_leaves_out_the_signs_it_already_told(case: str) -> None:
    answers = vignette(case)
    result = assess(answers).to_dict()
    fired = fired_flags(result)
    plan = build_plan(result, answers, days_since_onset=None, medication=None)
    told = {w.id for w in load_selfcare().watch_for if w.told_by & fired}
    assert told.isdisjoint(w.id for w in plan.watch_for)


def _with_told_by(item_id: str, told_by: list[str]) -> dict[str, Any]:
    raw = copy.deepcopy(load_yaml("selfcare.yaml"))
    for item in raw["watch_for"]:
        if item["id"] == item_id:
            item["told_by"] = told_by
    return raw


def test_told_by_is_checked_at_load() -> None:
    with pytest.raises(SelfCareDataError, match="unknown red flag 'no_such_flag'"):
        parse_selfcare(_with_told_by("cauda_equina", ["no_such_flag"]))
    # A less urgent flag does not cover an emergency sign: the advice given would be less.
    with pytest.raises(SelfCareDataError, match="less urgent than the sign"):
        parse_selfcare(_with_told_by("cauda_equina", ["both_legs_symptoms"]))
    with pytest.raises(SelfCareDataError, match="less urgent than the sign"):
        parse_selfcare(_with_told_by("running_bone_pain", ["stress_fracture"]))
    with pytest.raises(SelfCareDataError, match="told_by must be a list"):
        parse_selfcare(_with_told_by("cauda_equina", "ces_leaking"))  # type: ignore[arg-type]


# --- 4. One mild-pain limit ------------------------------------------------------------------


def test_the_mild_pain_limit_is_the_pain_guide_s_three_out_of_ten() -> None:
    data = load_selfcare()
    assert data.mild_pain_up_to == 3
    guide = next(r.item for r in data.items if r.item.id == "pain_guide")
    assert "up to about 3 out of 10" in guide.text


@pytest.mark.parametrize("pain", range(11))
@pytest.mark.parametrize("days", [None, 8, 30, 200])
def test_resting_pain_is_fairly_strong_only_above_the_mild_limit(
    pain: int, days: int | None
) -> None:
    data = load_selfcare()
    phase, reason = stage_for("gradual", days, pain)
    strong = data.stage_reasons[reason]
    if pain <= data.mild_pain_up_to:
        assert "fairly strong" not in strong
    elif days is not None and days > data.middle_until_day:
        assert phase == "middle"
        assert reason == "high_pain" if pain >= data.high_pain else "fairly strong" in strong


def test_a_runner_at_three_out_of_ten_is_not_told_it_is_fairly_strong() -> None:
    answers = vignette("pht_marathoner")  # resting pain 3/10, four months
    plan = _plan(answers, SCREEN_NO)
    assert plan["stage"]["phase"] == "loading"
    assert "fairly strong" not in plan["stage"]["reason"]
    plan = _plan({**answers, "pain_now": 4}, SCREEN_NO)
    assert plan["stage"]["phase"] == "middle" and "fairly strong" in plan["stage"]["reason"]


def test_a_text_that_states_another_mild_limit_is_refused_at_load() -> None:
    raw = copy.deepcopy(load_yaml("selfcare.yaml"))
    for item in raw["items"]:
        if item["id"] == "pain_guide":
            item["text"] = item["text"].replace("about 3 out of 10", "about 4 out of 10")
    with pytest.raises(SelfCareDataError, match="mild_pain_up_to is 3"):
        parse_selfcare(raw)
    raw = copy.deepcopy(load_yaml("selfcare.yaml"))
    raw["stages"]["mild_pain_up_to"] = raw["stages"]["high_pain"]
    with pytest.raises(SelfCareDataError, match="mild_pain_up_to < high_pain"):
        parse_selfcare(raw)


# --- 5. A word on running -------------------------------------------------------------------


@pytest.mark.parametrize("age", [12, 39])
def test_a_runner_whose_pain_is_worse_with_running_is_told_how_to_run(age: int) -> None:
    # A child's pain of months is a doctor's first (child_lasting_pain): ten days for them.
    answers = {**vignette("pht_marathoner"), "age": age}
    if age < 16:
        answers = complete({**answers, "days_since_onset": 10})
    plan = _plan(answers)
    assert not plan["suppressed"]
    item = next(i for i in plan["items"] if i["id"] == "running_within_pain")
    assert "no more than about 3 out of 10" in item["text"]
    assert "sprints" in item["text"] and "next morning" in item["text"]
    if age < 16:
        assert item["title"].startswith("Running while it hurts: your child")
        assert "Your child should run" in item["text"]
    not_worse = {**answers, "worse": ["sitting"]}
    assert "running_within_pain" not in [i["id"] for i in _plan(not_worse)["items"]]


def test_a_fresh_hamstring_strain_that_hurts_to_run_holds_off_running() -> None:
    answers = {**SPRINT_STRAIN, "worse": ["running"]}
    result = assess(answers).to_dict()
    assert result["causes"][0]["id"] == "hamstring_strain"
    plan = build_plan(result, answers, days_since_onset=5, medication=None).to_dict()
    ids = [i["id"] for i in plan["items"]]
    assert plan["stage"]["phase"] == "middle"
    assert "hold_off_running" in ids and "running_within_pain" not in ids
    later = build_plan(result, answers, days_since_onset=20, medication=None).to_dict()
    ids = [i["id"] for i in later["items"]]
    assert "hold_off_running" not in ids and "return_to_running" in ids


def test_the_running_advice_cites_references_that_exist() -> None:
    raw = load_yaml("selfcare.yaml")
    for item in raw["items"]:
        if item["id"] in ("running_within_pain", "hold_off_running"):
            assert citation_problem(item) is None
            assert "[R51]" in item["source"]


# --- 6. Progress lines in a parent's words ---------------------------------------------------


def test_every_progress_line_has_a_child_s_wording_without_you() -> None:
    rules = load_progression()
    assert set(rules.child_messages) == set(MESSAGE_KEYS)
    for key in MESSAGE_KEYS:
        child = rules.for_a_child(rules.messages[key])
        assert child == rules.child_messages[key] != rules.messages[key]
        assert "your child" in child.lower()
        # "you" only for what the parent does (checks in, books), never the exercise.
        assert not re.search(r"\byou (?:are|start|stay|keep)\b|\bmoved you\b", child.lower())
    for template in PRESCRIPTION_MESSAGES.values():
        assert "child" in rules.for_a_child(template)
    assert rules.for_a_child("Something else") == "Something else"


@pytest.mark.parametrize("pain", [0, 3, 7])
def test_a_decision_reads_in_a_parent_s_words(pain: int) -> None:
    from rehabit.clinical.progression import SessionOutcome

    decision = next_step([SessionOutcome(pain, "same", True)], 2, [1, 2, 3])
    child = load_progression().for_a_child(decision.template).format(**decision.params)
    assert child.startswith("Your child's pain")
    assert decision.explanation.startswith("Your pain")


def _progression(**change: Any) -> dict[str, Any]:
    raw = copy.deepcopy(load_yaml("programs.yaml")["progression"])
    raw["messages_for_a_child"].update(change)
    return raw


def test_child_progress_lines_are_checked_at_load() -> None:
    with pytest.raises(ProgressionDataError, match="same values"):
        parse_progression(_progression(step_up="Your child's pain went well, so up we go."))
    with pytest.raises(ProgressionDataError, match='still speaks to "you"'):
        parse_progression(_progression(top="Your pain stayed at {pain}/10 at {to_name}."))
    raw = _progression()
    del raw["messages_for_a_child"]["amber"]
    with pytest.raises(ProgressionDataError, match="messages_for_a_child needs exactly"):
        parse_progression(raw)


@PROPERTY
@given(
    st.lists(
        st.tuples(st.integers(0, 10), st.sampled_from(["better", "same", "worse"]), st.booleans()),
        max_size=4,
    ),
    st.integers(1, 3),
)
def test_any_decision_has_a_child_s_wording(history: list[Any], level: int) -> None:
    from rehabit.clinical.progression import SessionOutcome

    decision = next_step([SessionOutcome(*h) for h in history], level, [1, 2, 3])
    child = load_progression().for_a_child(decision.template)
    assert child != decision.template and "child" in child
