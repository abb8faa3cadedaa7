"""The clinical core's prescription override and the progression rules it sets (pure)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehabit.clinical.exercises import load_exercises
from rehabit.clinical.prescription import (
    DOSAGE_FIELDS,
    PrescriptionError,
    PrescriptionOverride,
    apply_prescription,
    prescription_applies,
)
from rehabit.clinical.program import build_program, dosage_dict
from rehabit.clinical.progression import (
    MORNINGS,
    PROGRESSION_RULES,
    SessionOutcome,
    next_step,
)

LIBRARY = {e.id: e for e in load_exercises()}
ADULT = {"age": 35, "sex": "female", "blood_thinners": "no", "hormones_or_pregnancy": "no"}
GOOD = SessionOutcome(pain_during=1, next_morning="better", settled_within_24h=True)
HIGH = SessionOutcome(pain_during=8, next_morning="same", settled_within_24h=True)
WORSE = SessionOutcome(pain_during=2, next_morning="worse", settled_within_24h=True)


def result_for(causes: dict[str, float], level: str = "self_care") -> dict[str, Any]:
    return {
        "disposition": {"level": level, "headline": "H", "reasons": [], "advice": []},
        "red_flags": [],
        "causes": [
            {"id": c, "name": c, "probability": p, "red_flag": False} for c, p in causes.items()
        ],
    }


def strain_program(days: int = 14, level: str = "self_care") -> Any:
    return build_program(
        result_for({"hamstring_strain": 0.9}, level), ADULT, days_since_onset=days, pain_now=2
    )


# --- Progression under a prescription ---------------------------------------------------


def test_a_held_family_is_not_stepped_up_and_says_why() -> None:
    decision = next_step([GOOD], 2, [1, 2, 3], rule="hold", level_names={2: "Heel dig"})
    assert (decision.action, decision.to_level, decision.reason) == ("hold", 2, "held")
    assert "physiotherapist asked you to stay at level 2 (Heel dig)" in decision.explanation
    assert decision.template.format(**decision.params) == decision.explanation


def test_with_therapist_waits_for_the_therapist_and_says_they_were_told() -> None:
    decision = next_step([GOOD], 1, [1, 2], rule="with_therapist")
    assert (decision.action, decision.to_level, decision.reason) == ("hold", 1, "with_therapist")
    assert "has been told" in decision.explanation


def test_automatic_is_the_rule_as_before() -> None:
    assert next_step([GOOD], 1, [1, 2], rule="automatic") == next_step([GOOD], 1, [1, 2])
    assert next_step([GOOD], 1, [1, 2]).action == "step_up"


@pytest.mark.parametrize("rule", ["hold", "with_therapist"])
def test_a_flare_still_steps_down_under_a_hold(rule: Any) -> None:
    assert next_step([HIGH], 2, [1, 2, 3], rule=rule).action == "step_down"
    assert next_step([WORSE, WORSE], 2, [1, 2, 3], rule=rule).action == "book_pt"


def test_an_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="rule"):
        next_step([GOOD], 1, [1, 2], rule="sometimes")  # type: ignore[arg-type]


sessions = st.builds(
    SessionOutcome,
    pain_during=st.integers(0, 10),
    next_morning=st.sampled_from(MORNINGS),
    settled_within_24h=st.booleans(),
)


@given(st.lists(sessions, max_size=4), st.sampled_from(PROGRESSION_RULES), st.integers(1, 4))
def test_only_automatic_ever_steps_up(history: list[SessionOutcome], rule: Any, level: int) -> None:
    decision = next_step(history, level, [1, 2, 3, 4], rule=rule)
    if rule != "automatic":
        assert decision.to_level <= level
    automatic = next_step(history, level, [1, 2, 3, 4])
    if automatic.to_level <= level:  # holds and step-downs are the rule's, whatever the rule
        assert decision == automatic


# --- The override ------------------------------------------------------------------------


def test_an_override_sets_exercise_level_and_dosage() -> None:
    program = strain_program()
    override = PrescriptionOverride(
        family="hamstring_strength",
        exercise_id="single_leg_bridge",
        dosage={"sets": 2, "reps": 6, "per_day": 1},
        rule="hold",
    )
    changed = apply_prescription(program, [override])
    item = next(i for i in changed.items if i.family == "hamstring_strength")
    assert (item.exercise_id, item.level) == ("single_leg_bridge", 2)
    assert item.dosage == {**dosage_dict(LIBRARY["single_leg_bridge"]), "sets": 2, "reps": 6,
                           "per_day": 1}  # fmt: skip
    assert item.ladder[item.level] == "single_leg_bridge" and item.level in item.levels
    assert list(item.levels) == list(range(min(item.levels), max(item.levels) + 1))
    assert [i.family for i in changed.items] == [i.family for i in program.items]


def test_a_prescribed_level_beyond_the_stage_opens_the_ladder_to_it_without_gaps() -> None:
    early = strain_program(days=1)
    assert "hamstring_strength" not in [i.family for i in early.items]
    override = PrescriptionOverride("hamstring_strength", "long_lever_bridge")
    added = apply_prescription(early, [override]).items[-1]
    assert added.family == "hamstring_strength" and added.level == 3
    assert added.levels == (3,) and added.why == ""  # chosen by the therapist
    assert added.max_pain == LIBRARY["long_lever_bridge"].max_pain
    # An existing family keeps its lower open levels below the prescribed one.
    holds = PrescriptionOverride("hamstring_isometric", "isometric_bridge_hold")
    item = next(i for i in apply_prescription(early, [holds]).items if i.family == holds.family)
    assert item.levels == (1, 2, 3) and item.ladder[3] == "isometric_bridge_hold"


def test_stopping_a_family_leaves_it_out() -> None:
    program = strain_program()
    family = program.items[0].family
    changed = apply_prescription(program, [PrescriptionOverride(family, None)])
    assert family not in [i.family for i in changed.items]
    assert len(changed.items) == len(program.items) - 1


def test_a_withheld_program_stays_withheld() -> None:
    for level in ("emergency", "urgent"):
        withheld = strain_program(level=level)
        assert not prescription_applies(withheld)
        override = PrescriptionOverride("walking", "walking_programme")
        assert apply_prescription(withheld, [override]) == withheld


def test_a_cleared_program_holds_only_what_the_therapist_set() -> None:
    """Once a clinician has cleared the person, the therapist's exercises make the program;
    the rules add none, and clearance alone adds nothing."""
    for level in ("emergency", "urgent"):
        withheld = strain_program(level=level)
        assert prescription_applies(withheld, cleared=True)
        assert apply_prescription(withheld, [], cleared=True) == withheld
        walking = PrescriptionOverride("walking", "walking_programme", {"minutes": 10})
        opened = apply_prescription(withheld, [walking], cleared=True)
        assert [(i.family, i.exercise_id) for i in opened.items] == [
            ("walking", "walking_programme")
        ]
        assert not opened.suppressed and opened.notes == ()
        assert opened.items[0].dosage["minutes"] == 10
    serious = build_program(
        result_for({"dvt": 0.6, "hamstring_strain": 0.4}, level="soon"),
        ADULT,
        days_since_onset=3,
        pain_now=3,
    )
    assert serious.items == () and not prescription_applies(serious)
    opened = apply_prescription(serious, [walking], cleared=True)
    assert [i.family for i in opened.items] == ["walking"]


@pytest.mark.parametrize(
    ("override", "field"),
    [
        (PrescriptionOverride("no_such_family", "glute_bridge"), "family"),
        (PrescriptionOverride("walking", "glute_bridge"), "exercise_id"),
        (PrescriptionOverride("walking", "walking_programme", {"sets": 2}), "dosage.sets"),
        (PrescriptionOverride("walking", "walking_programme", {"minutes": 0}), "dosage.minutes"),
        (PrescriptionOverride("walking", "walking_programme", {"minutes": True}), "dosage.minutes"),
        (PrescriptionOverride("walking", None, {"minutes": 5}), "dosage"),
        (PrescriptionOverride("walking", "walking_programme", rule="never"), "rule"),  # type: ignore[arg-type]
    ],
)
def test_an_override_that_does_not_fit_the_library_names_the_field(
    override: PrescriptionOverride, field: str
) -> None:
    with pytest.raises(PrescriptionError) as caught:
        apply_prescription(strain_program(), [override])
    assert caught.value.field == field


def test_every_kind_has_its_dosage_fields() -> None:
    kinds = {e.dosage.kind for e in LIBRARY.values()}
    assert kinds <= set(DOSAGE_FIELDS)
    for exercise in LIBRARY.values():
        numbers = {k for k, v in dosage_dict(exercise).items() if isinstance(v, int)}
        assert numbers <= set(DOSAGE_FIELDS[exercise.dosage.kind])
