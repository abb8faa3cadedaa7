"""The plan and the program of one stored assessment, as of today.

Calls the clinical core (``build_plan``, ``build_program``) with the days since the pain
began counted to today, the person's medicine safety answers, the therapist's prescription
(``PrescribedExercise``, applied by ``apply_prescription``; on a program withheld for
safety only once a clinician's ``Clearance`` stands) and the level each exercise family has
reached (``ProgramLevel``), so pages and the API show the same thing. Exercises an
administrator has taken out of use (``rehabit.care.withdrawals``) are left out, and named.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.utils import timezone

from rehabit.care.models import (
    Clearance,
    ExerciseWithdrawal,
    MedicationAnswers,
    PrescribedExercise,
    ProgramLevel,
    ProgressionStep,
)
from rehabit.care.withdrawals import Withdrawn, open_library, standing, told
from rehabit.clinical.exercises import Exercise, get_exercise, load_exercises
from rehabit.clinical.medication import screen
from rehabit.clinical.medication_file import ScreeningItem
from rehabit.clinical.prescription import (
    PrescriptionError,
    PrescriptionOverride,
    apply_prescription,
    check_override,
    prescription_applies,
)
from rehabit.clinical.program import build_program, dosage_dict
from rehabit.clinical.progression import ProgressionRule, ceiling_for
from rehabit.clinical.selfcare import build_plan, framing_for, likely_causes, screens_medicines
from rehabit.clinical.selfcare_file import load_selfcare
from rehabit.clinical.selfcare_signs import WatchItem

logger = logging.getLogger(__name__)


def days_since_onset(assessment: Any, now: datetime | None = None) -> int | None:
    """Days since the pain began, counted to ``now``: the assessment's answer plus the whole
    days since the assessment (None when the person did not say)."""
    base = assessment.current_answers.get("days_since_onset")
    if isinstance(base, bool) or not isinstance(base, int) or base < 0:
        return None
    elapsed = ((now or timezone.now()) - assessment.created_at).days
    return base + max(0, elapsed)


def withheld_for_safety(assessment: Any) -> bool:
    """Do the rules withhold this assessment's program for safety (warning signs, or a
    cause a clinician must see first)? A clearance does not change the answer."""
    return not prescription_applies(rules_program(assessment, days_since_onset(assessment)))


def rules_program(
    assessment: Any,
    days: int | None,
    library: tuple[Exercise, ...] | None = None,
    *,
    child: bool | None = None,
) -> Any:
    """The rules' program of this assessment at ``days`` since the pain began (before any
    prescription, clearance or level reached), chosen from ``library`` (default: the whole
    library); ``child``: who reads (``build_program``)."""
    return build_program(
        assessment.result,
        assessment.current_answers,
        days_since_onset=days,
        pain_now=None,
        library=library,
        child=child,
    )


def standing_clearance(assessment: Any) -> Clearance | None:
    """The clinician's clearance recorded for this assessment and not withdrawn, if any."""
    return Clearance.objects.filter(assessment=assessment, withdrawn_at__isnull=True).first()


def medication_answers(assessment: Any) -> dict[str, str]:
    stored = MedicationAnswers.objects.filter(assessment=assessment).first()
    return dict(stored.answers) if stored is not None else {}


def medication_questions(
    assessment: Any, *, child: bool | None = None
) -> tuple[ScreeningItem, ...]:
    """The medicine safety questions the assessment's own answers do not settle; none with
    an emergency result (the plan asks nothing about painkillers before emergency care).
    ``child``: who reads them (``clinical.medication.screen``)."""
    if not screens_medicines(assessment.result):
        return ()
    return screen(assessment.current_answers, None, child=child).questions


def watch_items(
    assessment: Any, *, now: datetime | None = None, child: bool | None = None
) -> tuple[WatchItem, ...]:
    """The plan's "signs to watch for" (asked again at each next-morning check-in);
    ``child``: who reads them (``plan_for``)."""
    return build_plan(
        assessment.result,
        assessment.current_answers,
        days_since_onset=days_since_onset(assessment, now),
        medication=medication_answers(assessment) or None,
        child=child,
    ).watch_for


def plan_for(
    assessment: Any, *, now: datetime | None = None, child: bool | None = None
) -> dict[str, Any]:
    """The self-care plan as of today (``SelfCarePlan.to_dict()``). ``child``: who reads a
    child's plan, as the caller knows it (``care.selectors.read_by_a_parent``): False, the
    patient's own words (the treating therapist, an admin); None, the parent's words for a
    child's check, as the patient's side reads it."""
    return build_plan(
        assessment.result,
        assessment.current_answers,
        days_since_onset=days_since_onset(assessment, now),
        medication=medication_answers(assessment) or None,
        child=child,
    ).to_dict()


@dataclass
class ProgramExercise:
    """One exercise family of the program at the level the person has reached."""

    exercise: Exercise
    family: str
    level: int
    start_level: int
    levels: tuple[int, ...]
    ladder: Mapping[int, str]  # level -> exercise id
    dosage: dict[str, object]
    max_pain: int
    why: str
    for_causes: tuple[str, ...]
    take_care: tuple[str, ...]
    latest_step: ProgressionStep | None = None
    prescription: PrescribedExercise | None = None

    @property
    def rule(self) -> ProgressionRule:
        """How the pain-monitoring rule may move this family (the therapist's choice)."""
        if self.prescription is None:
            return "automatic"
        return self.prescription.rule  # type: ignore[return-value]

    @property
    def level_names(self) -> dict[int, str]:
        return {level: get_exercise(ex_id).name for level, ex_id in self.ladder.items()}

    @property
    def is_top(self) -> bool:
        return self.level == max(self.levels)


@dataclass
class CareProgram:
    raw: dict[str, Any]  # the core's Program.to_dict()
    days_since_onset: int | None
    acute_strain: bool
    items: list[ProgramExercise] = field(default_factory=list)
    # The therapist's prescriptions that stop a family (shown with their reason).
    stopped: list[PrescribedExercise] = field(default_factory=list)
    # A prescription exists but the program is withheld (red flags, a serious cause).
    prescription_paused: bool = False
    # May a therapist prescribe on it (not withheld for safety, or cleared by a clinician)?
    prescribable: bool = True
    # Withheld for safety, and a clinician's clearance stands: the therapist sets it.
    clearance: Clearance | None = None
    # Exercises this program had (by the rules or prescribed) that an administrator has
    # taken out of use: left out, and named with the reason.
    paused: list[Withdrawn] = field(default_factory=list)
    # The exercises in use when it was built (what a therapist may choose from).
    library: tuple[Exercise, ...] = ()

    @property
    def suppressed(self) -> bool:
        return bool(self.raw["suppressed"])

    @property
    def phase(self) -> str | None:
        return self.raw["phase"]

    @property
    def notes(self) -> list[str]:
        return list(self.raw["notes"])

    def item_for(self, family: str) -> ProgramExercise | None:
        return next((item for item in self.items if item.family == family), None)

    def allowed_exercises(self) -> dict[str, ProgramExercise]:
        """Every exercise open to the person now (any level of each family), by id."""
        return {ex_id: item for item in self.items for ex_id in item.ladder.values()}

    def dosages(self) -> list[dict[str, object]]:
        return [item.dosage for item in self.items]

    def to_dict(self) -> dict[str, Any]:
        """The program with the person's levels applied (for the API)."""
        out = {k: v for k, v in self.raw.items() if k != "items"}
        out["items"] = [
            {
                "exercise_id": item.exercise.id,
                "name": item.exercise.name,
                "family": item.family,
                "level": item.level,
                "start_level": item.start_level,
                "levels": list(item.levels),
                "ladder": [
                    {"level": lv, "exercise_id": ex} for lv, ex in sorted(item.ladder.items())
                ],
                "dosage": dict(item.dosage),
                "max_pain": item.max_pain,
                "why": item.why,
                "for_causes": list(item.for_causes),
                "take_care": list(item.take_care),
                "prescription": prescription_out(item.prescription),
            }
            for item in self.items
        ]
        out["stopped"] = [prescription_out(p) for p in self.stopped]
        out["prescription_paused"] = self.prescription_paused
        out["clearance"] = clearance_out(self.clearance)
        out["not_in_use"] = [
            {"exercise_id": w.exercise_id, "name": w.name, "reason": w.reason, "since": w.since}
            for w in self.paused
        ]
        return out


def clearance_out(found: Clearance | None) -> dict[str, Any] | None:
    """What the patient (and the API) is told about a clinician's clearance."""
    if found is None:
        return None
    return {
        "checked_by": found.checked_by,
        "checked_on": found.checked_on,
        "finding": found.finding,
        "recorded_by": found.recorder_name,
        "recorded_at": found.recorded_at,
    }


def prescription_out(found: PrescribedExercise | None) -> dict[str, Any] | None:
    """What the patient (and the API) is told about a therapist's prescription."""
    if found is None:
        return None
    return {
        "family": found.family,
        "exercise_id": found.exercise_id or None,
        "dosage": dict(found.dosage),
        "rule": found.rule,
        "note": found.note,
        "reason": found.reason,
        "prescribed_by": found.prescriber_name,
        "prescribed_at": found.prescribed_at,
    }


def prescriptions_of(
    assessment: Any, library: tuple[Exercise, ...] | None = None
) -> list[PrescribedExercise]:
    """The prescriptions that still fit ``library`` (default: the whole library); one of an
    exercise that is not in it is skipped."""
    library = library if library is not None else tuple(load_exercises())
    in_library = {e.id for e in library}
    withdrawn = {e.id for e in load_exercises() if e.id not in in_library}
    kept = []
    for found in PrescribedExercise.objects.filter(assessment=assessment).order_by(
        "prescribed_at", "id"
    ):
        try:
            check_override(override_of(found), library)
        except PrescriptionError:
            if found.exercise_id not in withdrawn:  # out of use: paused, said on the page
                logger.warning("Prescription %s no longer fits the library; skipped.", found.pk)
            continue
        kept.append(found)
    return kept


def override_of(found: PrescribedExercise) -> PrescriptionOverride:
    return PrescriptionOverride(
        family=found.family,
        exercise_id=found.exercise_id or None,
        dosage={str(k): v for k, v in dict(found.dosage).items()},
        rule=found.rule,  # type: ignore[arg-type]
    )


def _acute_strain(assessment: Any, days: int | None, causes: list[str]) -> bool:
    """Is this an acute hamstring strain (the stricter pain ceiling applies)? The same
    reading the core's program makes."""
    threshold = load_selfcare().cause_threshold
    framing = framing_for(
        likely_causes(assessment.result, threshold), assessment.current_answers, days
    )
    return framing == "acute" and "hamstring_strain" in causes


def _paused(
    assessment: Any, days: int | None, withdrawn: Mapping[str, ExerciseWithdrawal]
) -> list[Withdrawn]:
    """The exercises out of use that this assessment's program would have: in the rules'
    program from the whole library (any level of a family), or prescribed."""
    prescribed = set(
        PrescribedExercise.objects.filter(assessment=assessment)
        .exclude(exercise_id="")
        .values_list("exercise_id", flat=True)
    )
    had = prescribed | {
        exercise_id
        for item in rules_program(assessment, days).items
        for exercise_id in item.ladder.values()
    }
    found = told([row for exercise_id, row in withdrawn.items() if exercise_id in had])
    return [replace(w, prescribed=w.exercise_id in prescribed) for w in found]


def program_for(
    assessment: Any, *, now: datetime | None = None, child: bool | None = None
) -> CareProgram:
    """The home program as of today, each family at the level the person has reached
    (kept within the levels open to them now). ``child``: who reads a child's program, as
    the caller knows it (``care.selectors.read_by_a_parent``): False, the patient's own
    words ("safe for you": the treating therapist, an admin); None, the parent's words for
    a child's check ("safe for your child"), as the patient's side reads it."""
    days = days_since_onset(assessment, now)
    withdrawn = standing()
    library = open_library(frozenset(withdrawn))
    core = rules_program(assessment, days, library, child=child)
    acute = _acute_strain(assessment, days, list(core.causes))
    prescribed = prescriptions_of(assessment, library)
    clearance = None if prescription_applies(core) else standing_clearance(assessment)
    cleared = clearance is not None
    applies = prescription_applies(core, cleared=cleared)
    if applies:
        overrides = [override_of(p) for p in prescribed]
        core = apply_prescription(
            core, overrides, acute_strain=acute, cleared=cleared, library=library
        )
    raw = core.to_dict()
    program = CareProgram(
        raw=raw, days_since_onset=days, acute_strain=acute, clearance=clearance, library=library
    )
    if withdrawn:
        program.paused = _paused(assessment, days, withdrawn)
    by_family = {p.family: p for p in prescribed}
    program.prescribable = applies
    if applies:
        program.stopped = [p for p in prescribed if p.stopped]
    else:
        program.prescription_paused = bool(prescribed)
    reached = dict(
        ProgramLevel.objects.filter(assessment=assessment).values_list("family", "level")
    )
    latest: dict[str, ProgressionStep] = {}
    for step in ProgressionStep.objects.filter(assessment=assessment).order_by("decided_at", "id"):
        latest[step.family] = step
    for item in raw["items"]:
        ladder = {int(r["level"]): str(r["exercise_id"]) for r in item["ladder"]}
        levels = tuple(sorted(ladder))
        level = reached.get(item["family"], item["level"])
        level = min(max(level, levels[0]), levels[-1])
        exercise = get_exercise(ladder[level])
        prescription = by_family.get(item["family"]) if applies else None
        dosage = dosage_dict(exercise)
        if prescription is not None and prescription.exercise_id == exercise.id:
            dosage = dict(item["dosage"])  # the prescribed numbers, at the prescribed exercise
        program.items.append(
            ProgramExercise(
                exercise=exercise,
                family=item["family"],
                level=level,
                start_level=int(item["level"]),
                levels=levels,
                ladder=ladder,
                dosage=dosage,
                max_pain=ceiling_for(acute_strain=acute, exercise_max_pain=exercise.max_pain),
                why=item["why"],
                for_causes=tuple(item["for_causes"]),
                take_care=tuple(item["take_care"]),
                latest_step=latest.get(item["family"]),
                prescription=prescription,
            )
        )
    return program
