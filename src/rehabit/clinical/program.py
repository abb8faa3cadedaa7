"""The home exercise program: exercises from the library chosen by likely cause, stage and pain.

Rules live in ``data/programs.yaml`` (read and checked by ``program_rules``); the exercises
in ``data/exercises.yaml``. The stage is the self-care plan's (``selfcare.stage_for``).
Every exercise's ``avoid_when`` is respected: a condition entry leaves the exercise out when
that condition is a plausible cause (in that stage, if one is named); a caution entry leaves
it out when the answers show the caution and programs.yaml says it excludes, and is
otherwise shown as a "take care" note. Each family starts at its lowest safe level;
``progression.next_step`` moves it from there.

A therapist may prescribe over it (``prescription.py``: for one family, the exercise, so
the level, the dosage, the progression rule, or stopping it; a family the rules did not
choose can be added). A program withheld for red flags or a cause a clinician must see
first stays withheld: a prescription never reopens it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from rehabit.clinical.child_wording import parent_reads
from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.exercises import Exercise, load_exercises
from rehabit.clinical.program_rules import ProgramRules, load_program_rules
from rehabit.clinical.progression import ceiling_for
from rehabit.clinical.selfcare import (
    framing_for,
    is_suppressed,
    left_out_by_plan,
    likely_causes,
    resolve_days,
    stage_for,
)
from rehabit.clinical.selfcare_file import Phase, load_selfcare


@dataclass(frozen=True, slots=True)
class ProgramItem:
    exercise_id: str
    name: str
    family: str
    level: int
    levels: tuple[int, ...]  # the levels of this family open to the person now (contiguous)
    ladder: Mapping[int, str]  # level -> exercise id, for those levels
    dosage: Mapping[str, object]
    max_pain: int  # the pain ceiling during this exercise (0-10)
    why: str  # "Chosen because ..."
    for_causes: tuple[str, ...]  # the likely causes it was chosen for
    take_care: tuple[str, ...]  # avoid_when reasons that apply as notes
    source: str

    def to_dict(self) -> dict[str, object]:
        return {
            "exercise_id": self.exercise_id,
            "name": self.name,
            "family": self.family,
            "level": self.level,
            "levels": list(self.levels),
            "ladder": [{"level": lv, "exercise_id": ex} for lv, ex in sorted(self.ladder.items())],
            "dosage": dict(self.dosage),
            "max_pain": self.max_pain,
            "why": self.why,
            "for_causes": list(self.for_causes),
            "take_care": list(self.take_care),
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Program:
    version: str
    suppressed: bool
    phase: Phase | None
    gentle: bool  # only the gentlest exercises, because the pain is high
    causes: tuple[str, ...]
    items: tuple[ProgramItem, ...]
    notes: tuple[str, ...]
    # Worded for a child's parent (``build_program``'s ``child``): the notes, reasons and
    # "take care" notes are in a parent's words (so are those of exercises a therapist adds).
    for_a_child: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "version": self.version,
            "suppressed": self.suppressed,
            "phase": self.phase,
            "gentle": self.gentle,
            "causes": list(self.causes),
            "items": [i.to_dict() for i in self.items],
            "notes": list(self.notes),
        }


def dosage_dict(exercise: Exercise) -> dict[str, object]:
    d = exercise.dosage
    fields = ("kind", "sides", "per_day", "days_per_week", "sets", "reps", "hold_seconds",
              "minutes", "rest_seconds", "tempo")  # fmt: skip
    return {f: getattr(d, f) for f in fields if getattr(d, f) is not None}


def _judge(
    exercise: Exercise,
    phase: Phase,
    plausible: Mapping[str, Phase],
    answers: Mapping[str, object],
    early_strain: bool,
    child: bool = False,
) -> tuple[bool, tuple[str, ...]]:
    """(allowed, take-care notes) for one exercise under every avoid_when entry.

    ``plausible``: each plausible cause with its own stage (an injury's stage by its days)."""
    rules = load_program_rules()
    notes: list[str] = []
    for avoid in exercise.avoid_when:
        if avoid.condition is not None:
            if avoid.condition in plausible and avoid.phase in (
                None,
                phase,
                plausible[avoid.condition],
            ):
                return False, ()
            continue
        caution = rules.cautions[str(avoid.caution)]
        applies = caution.applies(answers, early_strain)
        if applies and caution.excludes and exercise.family not in caution.except_families:
            return False, ()
        if caution.early_strain and not applies:
            continue  # only about the first days of a strain, which this is not
        notes.append(avoid.reason_for(child=child))
    return True, tuple(dict.fromkeys(notes))


def _empty(
    rules: ProgramRules,
    suppressed: bool,
    phase: Phase | None,
    causes: Sequence[str],
    note: str,
    child: bool,
) -> Program:
    said = (rules.note(note, child),)
    return Program(rules.version, suppressed, phase, False, tuple(causes), (), said, child)


def build_program(
    result: Mapping[str, Any],
    answers: Mapping[str, object],
    *,
    days_since_onset: int | None,
    pain_now: int | None,
    library: Sequence[Exercise] | None = None,
    child: bool | None = None,
) -> Program:
    """The home exercise program for one assessment result. Deterministic.

    ``days_since_onset`` / ``pain_now``: as of today (None: use the assessment's answers).
    ``library``: the exercises to choose from (default: the packaged library).
    ``child``: who reads a child's program (``child_wording.parent_reads``): None or True,
    the parent who answered ("safe for your child"); False, the patient's own words ("safe
    for you": the treating therapist, an admin). Wording only: the exercises chosen are
    the same.
    """
    rules = load_program_rules()
    child = parent_reads(answers.get("age"), child)
    if is_suppressed(result):
        return _empty(rules, True, None, (), "suppressed", child)
    ranked = likely_causes(result, rules.caution_threshold)
    probs = {str(c["id"]): float(c["probability"]) for c in result.get("causes") or []}
    causes = tuple(c for c in ranked if c == ranked[0] or probs[c] >= rules.cause_threshold)
    causes = causes[: rules.max_causes]
    pain = pain_now if pain_now is not None else answers.get("pain_now")
    if pain is not None and (
        isinstance(pain, bool) or not isinstance(pain, int) or not 0 <= pain <= 10
    ):
        raise ValueError(f"pain_now must be a whole number 0-10, got {pain!r}")
    days = resolve_days(days_since_onset, answers)
    selfcare = load_selfcare()
    framing = framing_for(likely_causes(result, selfcare.cause_threshold), answers, days)
    phase, _ = stage_for(framing, days, pain)
    conditions = load_conditions()
    if any(c in rules.no_exercises or (c in conditions and conditions[c].serious) for c in causes):
        return _empty(rules, False, phase, causes, "no_exercises_serious", child)
    if isinstance(pain, int) and pain >= rules.none_from:
        return _empty(rules, False, phase, causes, "no_exercises_pain", child)
    gentle = isinstance(pain, int) and pain >= rules.gentle_from
    effective: Phase = "early" if gentle else phase
    injury_phase = stage_for("acute", days, pain)[0]  # an injury's own stage, by its days
    plausible: dict[str, Phase] = {
        c: injury_phase if c in selfcare.acute_conditions else effective for c in ranked
    }
    early_strain = plausible.get("hamstring_strain") == "early" or (
        effective == "early" and "hamstring_strain" in plausible
    )
    acute_strain = framing == "acute" and "hamstring_strain" in causes
    # What the self-care plan shown beside it says to avoid for now (its cautions'
    # leaves_out, selfcare.yaml): the program never asks for it.
    forbidden = left_out_by_plan(result, answers, days=days, pain_now=pain)
    by_family: dict[str, list[tuple[Exercise, tuple[str, ...]]]] = {}
    for exercise in library if library is not None else load_exercises():
        if effective not in exercise.phases or not set(exercise.conditions) & set(causes):
            continue
        if exercise.id in forbidden:
            continue
        allowed, take_care = _judge(exercise, effective, plausible, answers, early_strain, child)
        if allowed:
            by_family.setdefault(exercise.family, []).append((exercise, take_care))
    families = sorted(by_family, key=lambda f: _priority(rules, causes, f))
    items = [
        _item(rules, by_family[f], causes, acute_strain, child)
        for f in families[: rules.max_exercises]
    ]
    if not items:
        return _empty(rules, False, phase, causes, "none_found", child)
    notes = [rules.note("start_low", child)] + (
        [rules.note("gentle_only", child)] if gentle else []
    )
    return Program(rules.version, False, phase, gentle, causes, tuple(items), tuple(notes), child)


def _priority(rules: ProgramRules, causes: Sequence[str], family: str) -> tuple[int, int, str]:
    """Sort key: the most likely cause's families first (in its order), then the next's."""
    for rank, cause in enumerate(causes):
        order = rules.family_priority.get(cause, ())
        if family in order:
            return rank, order.index(family), family
    default = rules.family_priority["default"]
    return len(causes), default.index(family) if family in default else len(default), family


def _item(
    rules: ProgramRules,
    options: list[tuple[Exercise, tuple[str, ...]]],
    causes: Sequence[str],
    acute_strain: bool,
    child: bool = False,
) -> ProgramItem:
    options = sorted(options, key=lambda o: (o[0].level, o[0].id))
    start, notes = options[0]
    ladder: dict[int, str] = {}
    for exercise, _ in options:  # contiguous from the start: never skip a level
        if exercise.level == start.level + len(ladder) and exercise.level not in ladder:
            ladder[exercise.level] = exercise.id
    reason = rules.reason(start.family, child) or rules.note("start_low", child)
    return ProgramItem(
        exercise_id=start.id,
        name=start.name,
        family=start.family,
        level=start.level,
        levels=tuple(ladder),
        ladder=MappingProxyType(ladder),
        dosage=MappingProxyType(dosage_dict(start)),
        max_pain=ceiling_for(acute_strain=acute_strain, exercise_max_pain=start.max_pain),
        why=reason,
        for_causes=tuple(c for c in causes if c in start.conditions),
        take_care=notes,
        source=start.source,
    )
