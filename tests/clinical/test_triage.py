"""The triage decision: flags first and never lowered, then the ranking, with safety-netting."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from rehabit.clinical import load_questionnaire
from rehabit.clinical.conditions import ConditionError, load_conditions, parse_conditions
from rehabit.clinical.datafiles import load_yaml
from rehabit.clinical.levels import LEVELS, RANK
from rehabit.clinical.redflags_file import load_red_flags
from rehabit.clinical.triage import RankedCause, decide, most_urgent, severity
from rehabit.clinical.triage_words import (
    ACTION_REST,
    ACTIONS,
    CHILD_WORDS,
    HEADLINES,
    RECHECK_ACUTE,
    RECHECK_GRADUAL,
    SAFETY_NET_EMERGENCY,
    SOON_DOCTOR,
    SOON_DOCTOR_DAYS,
    URGENT_DAYS,
    URGENT_DAYS_ACTION,
    URGENT_DAYS_REST,
)

CONDITIONS = load_conditions()
FLAGS = {f.id: f for f in load_red_flags(load_questionnaire())}


def ranked(*pairs: tuple[str, float]) -> list[RankedCause]:
    return [RankedCause(CONDITIONS[cid], p) for cid, p in pairs]


STRAIN = ranked(("hamstring_strain", 0.8), ("thigh_contusion", 0.1))
MILD: dict[str, Any] = {
    "pain_now": 2,
    "walk_test": "normal",
    "weakness": "no",
    "leg_weakness": "no",
    "bear_weight": "yes",
    "onset": "sprinting",
    "days_since_onset": 2,
}


def test_levels_are_ordered() -> None:
    assert LEVELS == ("emergency", "urgent", "soon", "self_care")
    assert RANK["emergency"] > RANK["urgent"] > RANK["soon"] > RANK["self_care"]
    assert most_urgent(["soon", "emergency", "urgent"]) == "emergency"
    assert most_urgent([]) is None


def test_the_most_urgent_flag_decides() -> None:
    flags = [FLAGS["ces_saddle_numbness"], FLAGS["fever"]]
    result = decide(flags, STRAIN, MILD)
    assert result.level == "emergency"
    assert result.headline == "Call an ambulance or go to the emergency department now"
    assert result.reasons[0] == FLAGS["ces_saddle_numbness"].label
    assert FLAGS["ces_saddle_numbness"].advice in result.advice
    # The fever is said (its label), but its own advice ("See a doctor today") would set a
    # slower timeframe beside "now": only the flags at the level decided give advice.
    assert FLAGS["fever"].label in result.reasons
    assert FLAGS["fever"].advice not in result.advice


def test_advice_never_names_a_slower_timeframe_than_the_level() -> None:
    """A growing lump at 15 (urgent: a scan within two days, NICE NG12) with a child's
    lasting pain ("soon": the doctor in the next few days) and the adults' lump rule
    ("soon": within a week or two): the advice says only the urgent one."""
    flags = [FLAGS["growing_lump_young"], FLAGS["child_lasting_pain"], FLAGS["growing_lump"]]
    result = decide(flags, STRAIN, MILD)
    assert result.level == "urgent"
    assert FLAGS["growing_lump_young"].advice in result.advice
    assert FLAGS["child_lasting_pain"].advice not in result.advice
    assert FLAGS["growing_lump"].advice not in result.advice
    assert all(f.label in result.reasons for f in flags)
    soon = decide([FLAGS["child_lasting_pain"], FLAGS["growing_lump"]], STRAIN, MILD)
    assert soon.level == "soon"
    assert {FLAGS["child_lasting_pain"].advice, FLAGS["growing_lump"].advice} <= set(soon.advice)


TWO_DAY_WORDS = ("today or tomorrow", "day or two", "day or so")


def test_an_urgent_flag_says_within_two_days_exactly_when_its_advice_does() -> None:
    urgent = [f for f in FLAGS.values() if f.disposition == "urgent"]
    two_days = {f.id for f in urgent if f.within == "two_days"}
    assert {"suspected_avulsion", "femoral_neck_stress_fracture", "growing_lump_young"} <= two_days
    for flag in urgent:
        first_sentence = flag.advice.split(". ")[0]  # where each advice says when
        says_days = any(words in first_sentence for words in TWO_DAY_WORDS)
        assert says_days is (flag.within == "two_days"), flag.id
        if flag.within == "today":
            assert "today" in flag.advice, flag.id
    assert all(f.within == "today" for f in FLAGS.values() if f.disposition == "emergency")


def test_a_soon_flag_says_a_few_days_exactly_when_its_advice_does_and_so_does_the_headline() -> (
    None
):
    soon = [f for f in FLAGS.values() if f.disposition == "soon"]
    few_days = {f.id for f in soon if f.within == "few_days"}
    assert {"older_constant_night_pain", "child_night_pain", "stress_fracture"} <= few_days
    for flag in soon:
        says_days = "next few days" in flag.advice.split(". ")[0]
        assert says_days is (flag.within == "few_days"), flag.id
        assert flag.within in ("weeks", "few_days"), flag.id
    night = decide([FLAGS["older_constant_night_pain"]], STRAIN, MILD)
    assert (night.level, night.headline) == ("soon", SOON_DOCTOR_DAYS)
    lump = decide([FLAGS["growing_lump"]], STRAIN, MILD)  # "within the next week or two"
    assert (lump.level, lump.headline) == ("soon", SOON_DOCTOR)


def test_the_headline_gives_a_day_or_two_when_every_urgent_reason_does() -> None:
    avulsion = FLAGS["suspected_avulsion"]
    result = decide([avulsion], STRAIN, MILD)
    assert result.level == "urgent"
    assert result.headline == URGENT_DAYS == "See a doctor today or tomorrow"
    # The sign's advice ("See a doctor within a day or two ...") stands in the action, and
    # what the action adds follows it (triage_words.URGENT_DAYS_REST).
    assert result.advice[:2] == (avulsion.advice, URGENT_DAYS_REST)
    assert URGENT_DAYS_ACTION not in result.advice
    assert ACTIONS["urgent"] not in result.advice  # "if you cannot be seen today ..."
    # A cause the flag names may add to the level: a torn-off tendon likely on the ranking.
    likely_tear = ranked(("hamstring_avulsion", 0.6), ("hamstring_strain", 0.3))
    assert decide([avulsion], likely_tear, MILD).headline == URGENT_DAYS


def test_the_signs_of_a_torn_off_tendon_give_their_advice_once() -> None:
    signs = [FLAGS[f] for f in ("suspected_avulsion", "stretch_injury_large_bruise")]
    signs.append(FLAGS["proximal_tear_signs"])
    result = decide(signs, STRAIN, MILD)
    assert len({f.advice for f in signs}) == 1
    assert result.advice.count(signs[0].advice) == 1
    assert [a for a in result.advice if a.startswith("See a doctor within a day or two")] == [
        signs[0].advice
    ]
    assert all(f.label in result.reasons for f in signs)  # each sign still said


@pytest.mark.parametrize(
    ("flags", "causes", "stands_in"),
    [
        # A same-day sign with it: a fever. The avulsion's "a day or two" cannot stand in
        # "today": the action stays first.
        (
            ["suspected_avulsion", "fever"],
            [("hamstring_strain", 0.8), ("thigh_contusion", 0.1)],
            False,
        ),
        # A cause the flag does not name sets the level too: a clot to rule out today.
        (["suspected_avulsion"], [("hamstring_strain", 0.5), ("dvt", 0.3)], False),
        # ... even when a cause it names is the likeliest and urgent itself.
        (["suspected_avulsion"], [("hamstring_avulsion", 0.6), ("dvt", 0.3)], False),
        # A same-day sign alone: its own advice ("See a doctor today ...") says it.
        (["dvt_signs"], [("hamstring_strain", 0.8), ("thigh_contusion", 0.1)], True),
        # ... with the ranking asking to rule out the clot it names, too.
        (["dvt_signs"], [("hamstring_strain", 0.5), ("dvt", 0.4)], True),
    ],
)
def test_a_same_day_reason_keeps_the_headline_today(
    flags: list[str], causes: Any, stands_in: bool
) -> None:
    signs = [FLAGS[f] for f in flags]
    result = decide(signs, ranked(*causes), MILD)
    assert result.level == "urgent"
    assert result.headline == HEADLINES["urgent"] == "See a doctor today"
    assert URGENT_DAYS_ACTION not in result.advice
    if stands_in:
        assert ACTIONS["urgent"] not in result.advice
        assert result.advice[:2] == (signs[0].advice, ACTION_REST["urgent"])
    else:
        assert result.advice[0] == ACTIONS["urgent"]
        assert ACTION_REST["urgent"] not in result.advice


def test_an_emergency_sign_s_advice_stands_in_the_action_and_keeps_do_not_drive() -> None:
    """Phone walk 9: "Call your emergency number now, or go to the nearest emergency
    department. Do not drive yourself." beside "Go to the emergency department now. Say you
    may have cauda equina syndrome ..." read as the same thing twice. The sign's advice says
    where to go and what to say; "Do not drive yourself" still follows it."""
    saddle = FLAGS["ces_saddle_numbness"]
    result = decide([saddle], STRAIN, MILD)
    assert result.level == "emergency"
    assert result.advice[:2] == (saddle.advice, ACTION_REST["emergency"])
    assert ACTIONS["emergency"] not in result.advice
    child = decide([saddle.as_told({"age": 9})], STRAIN, {**MILD, "age": 9})
    assert child.advice[:2] == (saddle.child_advice, CHILD_WORDS.action_rest["emergency"])
    assert "Do not drive your child yourself" in child.advice[1]


def test_a_benign_likely_cause_never_lowers_a_flag() -> None:
    result = decide([FLAGS["dvt_signs"]], ranked(("muscle_imbalance_tightness", 0.99)), MILD)
    assert result.level == "urgent"
    assert not any("fit best" in r for r in result.reasons)


def test_ranking_can_raise_above_a_soon_flag() -> None:
    answers = {**MILD, "pain_now": 9}
    result = decide([FLAGS["vascular_claudication"]], ranked(("dvt", 0.5)), answers)
    assert result.level == "urgent"


def test_without_flags_the_top_cause_decides() -> None:
    assert decide([], STRAIN, {**MILD, "pain_now": 5}).level == "soon"
    assert decide([], ranked(("doms", 0.9)), {**MILD, "pain_now": 4}).level == "self_care"


def test_mild_strain_is_self_care_and_limp_is_soon() -> None:
    assert decide([], STRAIN, MILD).level == "self_care"
    assert decide([], STRAIN, {**MILD, "walk_test": "limp"}).level == "soon"
    assert decide([], ranked(("doms", 0.9)), {**MILD, "walk_test": "limp"}).level == "soon"


def test_a_leg_already_called_weak_is_not_mild() -> None:
    """The warning-sign page asks "Is your leg or foot weak?"; "weak, but not getting
    weaker" there is not undone by a later "no" to the optional weakness question."""
    for weak in ("weak_not_worse", "not_sure"):
        answers = {**MILD, "leg_weakness": weak}
        assert severity(answers)[0] == "usual"
        assert decide([], STRAIN, answers).level == "soon"


def test_mild_needs_positive_evidence_not_a_guess() -> None:
    # Without the walking test we cannot call it mild.
    answers = {k: v for k, v in MILD.items() if k != "walk_test"}
    assert severity(answers)[0] == "usual"
    assert decide([], STRAIN, answers).level == "soon"


def test_severe_contusion_needs_a_doctor_today() -> None:
    contusion = ranked(("thigh_contusion", 0.9))
    assert decide([], contusion, MILD).level == "self_care"
    assert decide([], contusion, {**MILD, "pain_now": 5}).level == "soon"
    assert decide([], contusion, {**MILD, "pain_now": 9}).level == "urgent"


@pytest.mark.parametrize(
    ("answers", "band"),
    [
        ({"bear_weight": "no"}, "severe"),
        ({"bear_weight": "not_sure"}, "severe"),
        ({"walk_test": "could_not"}, "severe"),
        ({"pain_now": 8}, "severe"),
        ({"walk_test": "limp"}, "limited"),
        ({"pain_now": 6}, "limited"),
        ({"pain_now": 2, "pain_worst": 9}, "limited"),
        (MILD, "mild"),
        ({**MILD, "pain_worst": 6}, "usual"),
        ({**MILD, "weakness": "yes"}, "usual"),
    ],
)
def test_severity_bands(answers: dict[str, Any], band: str) -> None:
    assert severity(answers)[0] == band


def test_a_cant_miss_cause_at_its_floor_sets_the_disposition() -> None:
    (level, threshold), *_ = CONDITIONS["dvt"].floors
    causes = ranked(("hamstring_strain", 0.6), ("dvt", threshold))
    result = decide([], causes, MILD)
    assert result.level == level == "urgent"
    assert any("Blood clot" in r for r in result.reasons)
    below = ranked(("hamstring_strain", 0.8), ("dvt", threshold - 0.01))
    assert decide([], below, MILD).level == "self_care"


def test_every_serious_cause_has_a_floor_and_floors_rise_with_urgency() -> None:
    for condition in CONDITIONS.values():
        if condition.serious:
            assert condition.floors, condition.id
        thresholds = [t for _, t in condition.floors]
        assert thresholds == sorted(thresholds, reverse=True), condition.id


def test_soon_and_self_care_carry_safety_net_and_recheck() -> None:
    acute = decide([], STRAIN, MILD)
    assert SAFETY_NET_EMERGENCY in acute.advice
    assert RECHECK_ACUTE in acute.advice
    gradual = decide(
        [],
        ranked(("muscle_imbalance_tightness", 0.9)),
        {**MILD, "onset": "gradually", "days_since_onset": 60},
    )
    assert RECHECK_GRADUAL in gradual.advice and "1 to 2 weeks" in RECHECK_GRADUAL
    assert "48 to 72 hours" in RECHECK_ACUTE
    soon = decide([], STRAIN, {**MILD, "pain_now": 5})
    assert SAFETY_NET_EMERGENCY in soon.advice
    assert any("48 to 72 hours" in a for a in soon.advice)


def test_who_to_see_when_soon() -> None:
    physio = decide([], ranked(("sciatica", 0.9)), {**MILD, "pain_now": 5})
    assert "physiotherapist" in physio.headline
    doctor = decide([FLAGS["vascular_claudication"]], ranked(("vascular_claudication", 0.9)), MILD)
    assert doctor.level == "soon" and "doctor" in doctor.headline


def test_never_claims_a_diagnosis() -> None:
    for flags, causes in (([], STRAIN), ([FLAGS["fever"]], STRAIN)):
        result = decide(flags, causes, MILD)
        text = " ".join((result.headline, *result.reasons, *result.advice)).lower()
        for condition in CONDITIONS.values():
            name = condition.name.split(" (")[0].lower()
            assert f"you have {name}" not in text and f"you have a {name}" not in text
        assert "not a diagnosis" in text
        if not flags:
            assert "fit best with" in text


def test_to_dict_shape() -> None:
    out = decide([], STRAIN, MILD).to_dict()
    assert set(out) == {"level", "headline", "reasons", "advice"}
    assert isinstance(out["reasons"], list) and isinstance(out["advice"], list)


def test_floors_are_checked_most_urgent_first() -> None:
    cauda = CONDITIONS["cauda_equina"]
    assert cauda.floors == (("emergency", 0.15), ("urgent", 0.05))
    assert cauda.floor(0.5) == "emergency"
    assert cauda.floor(0.15) == "emergency"
    assert cauda.floor(0.1) == "urgent"
    assert cauda.floor(0.049) is None
    # A break after a fall is named among the causes to rule out from 5 %, like a stress
    # fracture: a doctor soon, and the same day from 10 %.
    fracture = CONDITIONS["fracture"]
    assert (fracture.floor(0.08), fracture.floor(0.1), fracture.floor(0.04)) == (
        "soon",
        "urgent",
        None,
    )
    assert CONDITIONS["hamstring_strain"].floors == ()
    assert CONDITIONS["hamstring_strain"].floor(0.99) is None


def test_a_floor_raises_but_a_likely_benign_cause_never_lowers_it() -> None:
    # An emergency-level floor wins over a mild strain ranked first.
    causes = ranked(("hamstring_strain", 0.7), ("cauda_equina", 0.2))
    result = decide([], causes, MILD)
    assert result.level == "emergency"
    assert any("Cauda equina" in r for r in result.reasons)
    # The most likely cause's own floor counts too.
    assert decide([], ranked(("compartment_syndrome", 0.5)), MILD).level == "emergency"


@pytest.mark.parametrize(
    ("floors", "message"),
    [
        ({"self_care": 0.1}, "floors take emergency, urgent or soon"),
        ({"urgent": 1.5}, "must be a probability"),
        ({"urgent": 1}, "must be a probability"),
        ({"emergency": 0.05, "urgent": 0.1}, "a more urgent floor needs a higher probability"),
        ({}, "floors must map"),
    ],
)
def test_malformed_floors_fail_loudly(floors: Any, message: str) -> None:
    data = copy.deepcopy(load_yaml("conditions.yaml"))
    data["conditions"][0]["floors"] = floors
    with pytest.raises(ConditionError, match=message):
        parse_conditions(data)


def test_flags_that_name_the_same_cause_give_its_advice_once() -> None:
    """A phone walk (a calf ache after a long flight, on the pill, getting worse) read "See a
    doctor today and ask to be checked for a blood clot (DVT) ..." twice in a row."""
    risk, worse = FLAGS["dvt_risk"], FLAGS["calf_pain_getting_worse"]
    result = decide([risk, worse], STRAIN, MILD)
    assert result.level == "urgent"
    assert risk.label in result.reasons and worse.label in result.reasons
    assert risk.advice in result.advice and worse.advice not in result.advice
    clot_advice = [line for line in result.advice if "checked for a blood clot" in line]
    assert clot_advice == [risk.advice]
    # Another cause's advice stays beside it.
    fever = next(
        f for f in FLAGS.values() if f.disposition == "urgent" and f.condition == "infection"
    )
    both = decide([risk, fever], STRAIN, MILD)
    assert risk.advice in both.advice and fever.advice in both.advice


def test_flags_of_one_cause_at_one_level_give_the_same_timeframe() -> None:
    """One advice is given per cause (the first flag's): so flags of a cause at a level must
    agree on when to be seen, or the advice kept could contradict the headline."""
    seen: dict[tuple[str, str], set[str]] = {}
    for flag in FLAGS.values():
        if flag.condition is not None:
            seen.setdefault((flag.condition, flag.disposition), set()).add(flag.within)
    mixed = {key: whens for key, whens in seen.items() if len(whens) > 1}
    assert not mixed
