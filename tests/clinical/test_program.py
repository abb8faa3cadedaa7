"""The home exercise program: chosen by cause, stage and pain; every avoid_when respected."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rehabit.clinical.exercises import CAUTIONS, load_exercises
from rehabit.clinical.program import Program, build_program, dosage_dict
from rehabit.clinical.program_rules import load_program_rules
from rehabit.clinical.selfcare import framing_for, likely_causes, stage_for
from rehabit.clinical.selfcare_file import load_selfcare

LIBRARY = {e.id: e for e in load_exercises()}
LIBRARY_CONDITIONS = sorted(
    {c for e in LIBRARY.values() for c in e.conditions} - {"hamstring_avulsion"}
)
ADULT = {"age": 35, "sex": "female", "blood_thinners": "no", "hormones_or_pregnancy": "no"}


def result_for(causes: dict[str, float], level: str = "self_care") -> dict[str, Any]:
    return {
        "disposition": {"level": level, "headline": "H", "reasons": [], "advice": []},
        "red_flags": [],
        "causes": [
            {"id": c, "name": c, "probability": p, "red_flag": False} for c, p in causes.items()
        ],
    }


def program(
    causes: dict[str, float], days: int | None = 10, pain: int | None = 2, **answers: Any
) -> Program:
    return build_program(
        result_for(causes), {**ADULT, **answers}, days_since_onset=days, pain_now=pain
    )


def exercise_ids(p: Program) -> list[str]:
    return [i.exercise_id for i in p.items]


def test_every_library_caution_is_judged() -> None:
    assert set(load_program_rules().cautions) == set(CAUTIONS)


def test_a_strain_in_the_first_days_gets_gentle_holds_and_walking_only() -> None:
    p = program({"hamstring_strain": 0.9}, days=1)
    assert p.phase == "early"
    assert exercise_ids(p) == ["seated_isometric_knee_flexion", "walking_programme"]
    holds = p.items[0]
    assert holds.levels == (1, 2)  # the bridge hold waits until after the first days
    assert holds.max_pain == 3  # the stricter acute-strain ceiling [61]
    assert holds.why.startswith("Chosen because")
    assert holds.for_causes == ("hamstring_strain",)
    assert holds.dosage == dosage_dict(LIBRARY["seated_isometric_knee_flexion"])


def test_a_strain_after_the_first_days_adds_lengthening_and_strength() -> None:
    middle = program({"hamstring_strain": 0.9}, days=5)
    assert "askling_extender" in exercise_ids(middle)
    assert "nordic_hamstring_curl" not in [x for i in middle.items for x in i.ladder.values()]
    loading = program({"hamstring_strain": 0.9}, days=14)
    bridge = next(i for i in loading.items if i.family == "hamstring_strength")
    assert bridge.exercise_id == "glute_bridge" and bridge.level == 1
    assert bridge.ladder[4] == "nordic_hamstring_curl"  # reached only step by step
    assert len(loading.items) <= load_program_rules().max_exercises


def test_tendinopathy_avoids_sitting_and_deep_stretching() -> None:
    for days in (1, 5, 30):
        p = program({"proximal_hamstring_tendinopathy": 0.9}, days=days)
        ladders = [x for i in p.items for x in i.ladder.values()]
        assert "seated_isometric_knee_flexion" not in ladders
        assert "nordic_hamstring_curl" not in ladders
        if p.phase != "loading":
            assert "seated_hamstring_stretch" not in ladders


def test_an_irritable_tendon_starts_with_holds_however_long_it_has_hurt() -> None:
    p = program({"proximal_hamstring_tendinopathy": 0.9}, days=90, pain=5)
    assert p.phase == "middle"
    assert exercise_ids(p)[0] == "isometric_heel_dig"


def test_a_possible_fresh_strain_is_protected_even_when_soreness_is_more_likely() -> None:
    early = program(
        {"doms": 0.6, "hamstring_strain": 0.25, "muscle_imbalance_tightness": 0.15}, days=2
    )
    assert early.phase == "early"
    ladders = [x for i in early.items for x in i.ladder.values()]
    assert not {"seated_hamstring_stretch", "askling_extender", "nordic_hamstring_curl"} & set(
        ladders
    )
    # A strain that is only just plausible still blocks its first-days risks.
    faint = program({"doms": 0.85, "hamstring_strain": 0.15}, days=2)
    assert "seated_hamstring_stretch" not in [x for i in faint.items for x in i.ladder.values()]
    later = program(
        {"doms": 0.6, "hamstring_strain": 0.25, "muscle_imbalance_tightness": 0.15}, days=5
    )
    assert later.phase == "middle"


def test_a_plausible_tendinopathy_still_blocks_risky_exercises_for_a_likely_strain() -> None:
    p = program({"hamstring_strain": 0.8, "proximal_hamstring_tendinopathy": 0.12}, days=14)
    ladders = [x for i in p.items for x in i.ladder.values()]
    assert "nordic_hamstring_curl" not in ladders


def test_nerve_symptoms_swap_stretches_for_the_nerve_slider() -> None:
    plain = program({"sciatica": 0.5, "piriformis_syndrome": 0.4}, days=30)
    nervy = program({"sciatica": 0.5, "piriformis_syndrome": 0.4}, days=30, pain_below_knee="yes")
    assert "figure_four_stretch" in exercise_ids(plain)
    assert "figure_four_stretch" not in exercise_ids(nervy)
    assert "sciatic_nerve_slider" in exercise_ids(nervy)
    slider = next(i for i in nervy.items if i.exercise_id == "sciatic_nerve_slider")
    assert slider.take_care  # its caution is shown as a stop rule


def test_pain_when_bending_forward_leaves_out_child_pose() -> None:
    assert "childs_pose" in exercise_ids(program({"lumbar_spinal_stenosis": 0.9}, days=30))
    bending = program({"lumbar_spinal_stenosis": 0.9}, days=30, worse=["bending_forward"])
    assert "childs_pose" not in exercise_ids(bending)


def test_pain_level_limits_the_program() -> None:
    gentle = program({"hamstring_strain": 0.9}, days=20, pain=6)
    assert gentle.gentle and gentle.items
    assert all("early" in LIBRARY[x].phases for i in gentle.items for x in i.ladder.values())
    none = program({"hamstring_strain": 0.9}, days=20, pain=8)
    assert none.items == () and "very strong" in none.notes[0]


def test_serious_or_unassessed_causes_get_no_exercises() -> None:
    for cause in ("hamstring_avulsion", "vascular_claudication", "dvt"):
        p = program({"hamstring_strain": 0.55, cause: 0.45})
        assert p.items == () and "doctor" in p.notes[0]


def test_suppressed_results_get_no_exercises() -> None:
    for level in ("emergency", "urgent"):
        p = build_program(result_for({"doms": 0.9}, level), ADULT, days_since_onset=3, pain_now=1)
        assert p.suppressed and p.items == ()


def test_uses_the_assessment_pain_and_days_when_not_given() -> None:
    answers = {**ADULT, "pain_now": 9, "days_since_onset": 1}
    p = build_program(
        result_for({"hamstring_strain": 0.9}), answers, days_since_onset=None, pain_now=None
    )
    assert p.items == () and p.phase == "early"


def test_to_dict_shape() -> None:
    d = program({"hamstring_strain": 0.9}, days=5).to_dict()
    assert set(d) == {"version", "suppressed", "phase", "gentle", "causes", "items", "notes"}
    item = d["items"][0]
    assert set(item) == {"exercise_id", "name", "family", "level", "levels", "ladder", "dosage",
                         "max_pain", "why", "for_causes", "take_care", "source"}  # fmt: skip
    assert item["ladder"][0] == {"level": item["level"], "exercise_id": item["exercise_id"]}


answers = st.fixed_dictionaries(
    {},
    optional={
        "pain_below_knee": st.sampled_from(["yes", "no"]),
        "tingling": st.sampled_from(["yes", "no"]),
        "worse": st.lists(
            st.sampled_from(["sitting", "bending_forward", "running"]), min_size=1, unique=True
        ),
        "onset": st.sampled_from(["sprinting", "gradually", "fall_or_blow", "after_sitting"]),
    },
)
causes = st.dictionaries(
    st.sampled_from(LIBRARY_CONDITIONS), st.floats(0.01, 1.0), min_size=1, max_size=4
)


@settings(max_examples=300)
@given(
    causes,
    st.one_of(st.none(), st.integers(0, 120)),
    st.one_of(st.none(), st.integers(0, 10)),
    answers,
)
def test_every_chosen_exercise_respects_phase_cause_and_avoid_when(
    probs: dict[str, float], days: int | None, pain: int | None, extra: dict[str, Any]
) -> None:
    rules = load_program_rules()
    total = sum(probs.values())
    probs = {c: p / total for c, p in probs.items()}
    result = result_for(probs)
    p = build_program(result, {**ADULT, **extra}, days_since_onset=days, pain_now=pain)
    ranked = sorted(probs, key=lambda c: (-probs[c], c))
    plausible = {c for c in ranked if c == ranked[0] or probs[c] >= rules.caution_threshold}
    selfcare = load_selfcare()
    framing = framing_for(likely_causes(result, selfcare.cause_threshold), {**ADULT, **extra}, days)
    phase, _ = stage_for(framing, days, pain)
    assert p.phase == phase
    effective = "early" if p.gentle else phase
    # A plausible injury in its first days (or of unknown age) is protected whatever the stage.
    fresh_injury = days is None or days <= selfcare.early_until_day
    assert len(p.items) <= rules.max_exercises
    assert len({i.family for i in p.items}) == len(p.items)
    for item in p.items:
        assert item.level == min(item.levels)
        assert list(item.levels) == list(range(item.level, item.level + len(item.levels)))
        assert item.why.startswith("Chosen because")
        assert 0 <= item.max_pain <= 3
        for level, exercise_id in item.ladder.items():
            exercise = LIBRARY[exercise_id]
            assert exercise.level == level and exercise.family == item.family
            assert effective in exercise.phases
            assert set(exercise.conditions) & set(p.causes)
            for avoid in exercise.avoid_when:
                if avoid.condition in plausible:
                    assert avoid.phase is not None and avoid.phase != effective
                    if avoid.condition in selfcare.acute_conditions and fresh_injury:
                        assert avoid.phase != "early"
            nerve = extra.get("pain_below_knee") == "yes" or extra.get("tingling") == "yes"
            if nerve and any(a.caution == "neural_symptoms" for a in exercise.avoid_when):
                assert exercise.family == "nerve_mobility"
            if "bending_forward" in extra.get("worse", []):
                assert not any(a.caution == "back_pain_worse_bending" for a in exercise.avoid_when)
            if "hamstring_strain" in plausible and (effective == "early" or fresh_injury):
                assert not any(a.caution == "acute_strain_days_0_3" for a in exercise.avoid_when)
    if pain is not None and pain >= rules.none_from:
        assert p.items == ()


def test_deterministic() -> None:
    a = program({"hamstring_strain": 0.6, "muscle_imbalance_tightness": 0.4}, days=9)
    result = result_for({"muscle_imbalance_tightness": 0.4, "hamstring_strain": 0.6})
    reordered = dict(reversed(list(ADULT.items())))
    b = build_program(result, reordered, days_since_onset=9, pain_now=2)
    assert a == b and a.to_dict() == b.to_dict()


@pytest.mark.parametrize("pain", [-1, 11])
def test_bad_pain_is_rejected(pain: int) -> None:
    with pytest.raises(ValueError, match="pain_now"):
        program({"doms": 1.0}, pain=pain)


def test_every_family_in_the_library_says_why_it_was_chosen() -> None:
    """A family added to the library (the prevention program's warm-up, say) needs its
    own "Chosen because" line, or the program explains it with a note on levels."""
    reasons = load_program_rules().family_reasons
    assert {e.family for e in LIBRARY.values()} <= set(reasons)
    assert all(text.startswith("Chosen because") for text in reasons.values())
