"""A therapist's prescription over the program the rules build: which dosages can be set,
and how a checked override takes the place of the rules' item (``apply_prescription``),
only while the program may be set at all (``prescription_applies``).

Pure: no Django. The clinic app stores overrides and calls these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from rehabit.clinical.exercises import Exercise, load_exercises
from rehabit.clinical.program import Program, ProgramItem, dosage_dict
from rehabit.clinical.program_rules import load_program_rules
from rehabit.clinical.progression import PROGRESSION_RULES, ProgressionRule, ceiling_for

# What a prescription may set in a dosage, per kind of exercise, within the library's bounds.
DOSAGE_LIMITS: Mapping[str, tuple[int, int]] = MappingProxyType(
    {"per_day": (1, 6), "days_per_week": (1, 7), "sets": (1, 10), "reps": (1, 50),
     "hold_seconds": (1, 600), "minutes": (1, 120), "rest_seconds": (1, 600)}
)  # fmt: skip
_FREQUENCY = ("per_day", "days_per_week")
DOSAGE_FIELDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"hold": ("hold_seconds", "reps", "sets", "rest_seconds", *_FREQUENCY),
     "reps": ("reps", "sets", "rest_seconds", *_FREQUENCY),
     "duration": ("minutes", *_FREQUENCY)}
)  # fmt: skip


class PrescriptionError(ValueError):
    """A prescription that does not fit the library: ``field`` names the part."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True, slots=True)
class PrescriptionOverride:
    """A therapist's choice for one exercise family: the exercise (so the level; None stops
    the family), whole numbers replacing its dosage (``DOSAGE_FIELDS`` of its kind), and
    how ``progression.next_step`` may move the family from there."""

    family: str
    exercise_id: str | None
    dosage: Mapping[str, int] = field(default_factory=dict)
    rule: ProgressionRule = "automatic"


def check_override(override: PrescriptionOverride, library: Sequence[Exercise]) -> Exercise | None:
    """The prescribed exercise (None for a stopped family); raises PrescriptionError."""
    if override.rule not in PROGRESSION_RULES:
        raise PrescriptionError("rule", f"must be one of {PROGRESSION_RULES}")
    if override.family not in {e.family for e in library}:
        raise PrescriptionError("family", f"unknown exercise family {override.family!r}")
    if override.exercise_id is None:
        if override.dosage:
            raise PrescriptionError("dosage", "a stopped exercise has no dosage")
        return None
    exercise = next((e for e in library if e.id == override.exercise_id), None)
    if exercise is None or exercise.family != override.family:
        raise PrescriptionError("exercise_id", "not an exercise of this family in the library")
    for key, value in override.dosage.items():
        if key not in DOSAGE_FIELDS[exercise.dosage.kind]:
            raise PrescriptionError(f"dosage.{key}", f"not part of a {exercise.dosage.kind} dosage")
        low, high = DOSAGE_LIMITS[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise PrescriptionError(f"dosage.{key}", f"must be a whole number {low}-{high}")
    return exercise


def prescription_applies(program: Program, *, cleared: bool = False) -> bool:
    """False for a program withheld for safety (red flags, or a cause a clinician must see
    first): no prescription reopens it, unless ``cleared``: a clinician has examined the
    person for what withheld it and found exercise safe (the therapist then sets every
    exercise; the rules add none to a withheld program)."""
    if cleared:
        return True
    serious = load_program_rules().note("no_exercises_serious", program.for_a_child)
    return not program.suppressed and serious not in program.notes


def _prescribed_item(
    item: ProgramItem | None,
    override: PrescriptionOverride,
    exercise: Exercise,
    program: Program,
    library: Sequence[Exercise],
    acute_strain: bool,
) -> ProgramItem:
    """The family at the prescribed exercise. Its levels run without a gap from the lowest
    open one (or the prescribed one) to the highest: the open ladder's exercises, the
    prescribed one at its level, the library's first elsewhere."""
    opened: Mapping[int, str] = item.ladder if item is not None else {}
    first: dict[int, str] = {}
    for option in sorted(library, key=lambda e: e.id):
        if option.family == exercise.family:
            first.setdefault(option.level, option.id)
    levels = {*opened, exercise.level}
    ladder = {
        lv: exercise.id if lv == exercise.level else opened.get(lv) or first[lv]
        for lv in range(min(levels), max(levels) + 1)
    }
    same = item is not None and item.exercise_id == exercise.id
    return ProgramItem(
        exercise_id=exercise.id,
        name=exercise.name,
        family=exercise.family,
        level=exercise.level,
        levels=tuple(ladder),
        ladder=MappingProxyType(ladder),
        dosage=MappingProxyType({**dosage_dict(exercise), **dict(override.dosage)}),
        max_pain=ceiling_for(acute_strain=acute_strain, exercise_max_pain=exercise.max_pain),
        why=item.why if item is not None else "",
        for_causes=tuple(c for c in program.causes if c in exercise.conditions),
        # The therapist's own choice: every "take care" of the exercise is shown.
        take_care=item.take_care
        if item is not None and same
        else tuple(
            dict.fromkeys(a.reason_for(child=program.for_a_child) for a in exercise.avoid_when)
        ),
        source=exercise.source,
    )


def apply_prescription(
    program: Program,
    overrides: Sequence[PrescriptionOverride],
    *,
    acute_strain: bool = False,
    cleared: bool = False,
    library: Sequence[Exercise] | None = None,
) -> Program:
    """``program`` with a therapist's overrides: a family's exercise, level and dosage
    replaced, a stopped family left out, a new one added at the end (``why`` empty: the
    therapist chose it). A withheld program comes back unchanged unless ``cleared`` (see
    ``prescription_applies``). ``acute_strain``: the stricter pain ceiling applies (as in
    ``build_program``). Raises PrescriptionError."""
    exercises = tuple(library if library is not None else load_exercises())
    chosen = {o.family: (o, check_override(o, exercises)) for o in overrides}
    if not chosen or not prescription_applies(program, cleared=cleared):
        return program
    items: list[ProgramItem] = []
    for item in program.items:
        override, exercise = chosen.pop(item.family, (None, None))
        if override is None:
            items.append(item)
        elif exercise is not None:
            items.append(_prescribed_item(item, override, exercise, program, exercises,
                                          acute_strain))  # fmt: skip
    for override, exercise in chosen.values():
        if exercise is not None:
            items.append(_prescribed_item(None, override, exercise, program, exercises,
                                          acute_strain))  # fmt: skip
    notes = () if items and not program.items else program.notes  # the therapist chose some
    return Program(
        program.version, False, program.phase, program.gentle, program.causes, tuple(items),
        notes, program.for_a_child,
    )  # fmt: skip
