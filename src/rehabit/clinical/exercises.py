"""The exercise library (``data/exercises.yaml``): reviewed data, validated when loaded.

Pure Python, no Django. ``load_exercises()`` parses and checks the packaged file once per
process; ``get_exercise(id)`` looks one up. Anything malformed raises
:class:`ExerciseDataError` naming the entry and the field, so a bad edit fails the test
run (and the first import) instead of reaching a patient.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

import yaml

from rehabit.clinical.child_wording import speaks_to_the_patient

DATA_FILE = Path(__file__).resolve().parent / "data" / "exercises.yaml"
ILLUSTRATION_DIR = Path(__file__).resolve().parent.parent / "static" / "exercises"

CONDITIONS = frozenset(
    {
        "hamstring_strain",
        "hamstring_avulsion",
        "proximal_hamstring_tendinopathy",
        "ischial_bursitis",
        "sciatica",
        "piriformis_syndrome",
        "muscle_imbalance_tightness",
        "lumbar_spinal_stenosis",
        "doms",
        "thigh_contusion",
        "referred_hip_or_sij_pain",
    }
)
PHASES = ("early", "middle", "loading")
CAUTIONS = frozenset(
    {
        "acute_strain_days_0_3",
        "neural_symptoms",
        "knee_pain",
        "balance_or_falls_risk",
        "cramping",
        "new_to_eccentric_work",
        "back_pain_worse_bending",
        "back_pain_worse_arching",
        "hip_pain_groin",
    }
)
KINDS = ("hold", "reps", "duration")
SIDES = ("both", "affected", "none")

Phase = Literal["early", "middle", "loading"]
Kind = Literal["hold", "reps", "duration"]
Sides = Literal["both", "affected", "none"]

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# "[5][6]", "expert: reason" or "[5][6]; expert: reason" (reference numbers from evidence.md).
_SOURCE = re.compile(r"^(?:(?:\[\d+[a-z]?\])+(?:[:;] \S.*)?|expert: \S.*)$")
_REFERENCE = re.compile(r"\[(\d+)[a-z]?\]")
_DIGIT = re.compile(r"\d")
_KEYS = frozenset(
    {
        "id",
        "name",
        "summary",
        "steps",
        "dosage",
        "dosage_source",
        "conditions",
        "phases",
        "level",
        "level_source",
        "family",
        "avoid_when",
        "should_feel",
        "should_not_feel",
        "max_pain",
        "max_pain_source",
        "illustration",
        "alt",
        "source",
    }
)
_DOSAGE_FIELDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # kind: (required numbers, optional extras)
    "hold": (frozenset({"hold_seconds", "reps", "sets", "rest_seconds"}), frozenset()),
    "reps": (frozenset({"reps", "sets", "rest_seconds"}), frozenset({"tempo"})),
    "duration": (frozenset({"minutes"}), frozenset()),
}
_DOSAGE_COMMON = frozenset({"kind", "sides", "per_day", "days_per_week"})


class ExerciseDataError(ValueError):
    """The exercise data is malformed."""


@dataclass(frozen=True, slots=True)
class Dosage:
    kind: Kind
    sides: Sides
    per_day: int
    days_per_week: int
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    minutes: int | None = None
    rest_seconds: int | None = None
    tempo: str | None = None


@dataclass(frozen=True, slots=True)
class AvoidWhen:
    """Do not offer (or modify) the exercise for a condition, optionally in one phase only,
    or when a caution applies to the person. ``reason`` is shown to them."""

    reason: str
    condition: str | None = None
    phase: Phase | None = None
    caution: str | None = None
    # A parent's wording about their child (``for_a_child: {reason: ...}``), required where
    # the reason speaks to "you": any note can be shown with a child's program.
    child_reason: str | None = None

    def reason_for(self, *, child: bool) -> str:
        """The reason as the one answering reads it (a child's parent: its child wording)."""
        return (self.child_reason or self.reason) if child else self.reason


@dataclass(frozen=True, slots=True)
class Exercise:
    id: str
    name: str
    summary: str
    steps: tuple[str, ...]
    dosage: Dosage
    dosage_source: str
    conditions: tuple[str, ...]
    phases: tuple[Phase, ...]
    level: int
    level_source: str
    family: str
    avoid_when: tuple[AvoidWhen, ...]
    should_feel: str
    should_not_feel: str
    max_pain: int
    max_pain_source: str
    illustration: str
    alt: str
    source: str

    @property
    def is_expert_only(self) -> bool:
        """True when the inclusion rests on expert opinion, with no evidence.md reference."""
        return not references(self.source)


def references(source: str) -> tuple[int, ...]:
    """The evidence.md reference numbers cited in a source string."""
    return tuple(int(n) for n in _REFERENCE.findall(source))


def _fail(where: str, message: str) -> ExerciseDataError:
    return ExerciseDataError(f"{where}: {message}")


def _text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"{key} must be non-empty text")
    return value.strip()


def _plain(raw: Mapping[str, Any], key: str, where: str) -> str:
    """Text shown to the person: numbers belong in the sourced fields, not here."""
    value = _text(raw, key, where)
    if _DIGIT.search(value):
        raise _fail(where, f"{key} must not contain digits (put numbers in a sourced field)")
    return value


def cited_source(raw: Mapping[str, Any], key: str, where: str) -> str:
    """The text at ``raw[key]``, which must cite evidence.md ("[66][67]", "[5]; reason")
    or give an expert's reason ("expert: ..."); raises ``ExerciseDataError`` naming
    ``where`` otherwise."""
    value = _text(raw, key, where)
    if not _SOURCE.match(value):
        raise _fail(where, f"{key} must cite evidence.md like '[66][67]' or start 'expert: '")
    return value


def _int(raw: Mapping[str, Any], key: str, where: str, low: int, high: int) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(where, f"{key} must be a whole number from {low} to {high}")
    return value


def _choice(value: object, allowed: tuple[str, ...] | frozenset[str], what: str, where: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise _fail(where, f"unknown {what} {value!r}; allowed: {', '.join(sorted(allowed))}")
    return value


def _ids(
    raw: Mapping[str, Any], key: str, allowed: frozenset[str] | tuple[str, ...], where: str
) -> tuple[str, ...]:
    values = raw.get(key)
    if not isinstance(values, list) or not values:
        raise _fail(where, f"{key} must be a non-empty list")
    if len(set(values)) != len(values):
        raise _fail(where, f"{key} lists an id twice")
    return tuple(_choice(v, allowed, key.rstrip("s"), where) for v in values)


def parse_dosage(raw: object, where: str) -> Dosage:
    """A dosage mapping (kind, sides, sets, reps or hold or minutes, rest, per day, days a
    week, tempo) checked against its kind's fields and limits; raises
    ``ExerciseDataError`` naming ``where`` when it is malformed."""
    where = f"{where} dosage"
    if not isinstance(raw, Mapping):
        raise _fail(where, "must be a mapping")
    kind = _choice(raw.get("kind"), KINDS, "kind", where)
    numbers, extras = _DOSAGE_FIELDS[kind]
    unknown = set(raw) - _DOSAGE_COMMON - numbers - extras
    if unknown:
        raise _fail(where, f"unexpected fields for kind {kind}: {', '.join(sorted(unknown))}")
    limits = {"hold_seconds": 600, "minutes": 120, "rest_seconds": 600, "reps": 50, "sets": 10}
    values = {key: _int(raw, key, where, 1, limits[key]) for key in numbers}
    tempo = raw.get("tempo")
    if tempo is not None:
        tempo = _plain(raw, "tempo", where)
    return Dosage(
        kind=cast(Kind, kind),
        sides=cast(Sides, _choice(raw.get("sides"), SIDES, "sides", where)),
        per_day=_int(raw, "per_day", where, 1, 6),
        days_per_week=_int(raw, "days_per_week", where, 1, 7),
        tempo=tempo,
        **values,
    )


def _avoid(raw: object, where: str) -> tuple[AvoidWhen, ...]:
    if not isinstance(raw, list):
        raise _fail(where, "avoid_when must be a list (may be empty)")
    rules: list[AvoidWhen] = []
    for item in raw:
        keys = {"condition", "phase", "caution", "reason", "for_a_child"}
        if not isinstance(item, Mapping) or set(item) - keys:
            raise _fail(where, f"avoid_when entry {item!r} has unexpected fields")
        reason = _plain(item, "reason", f"{where} avoid_when")
        child = _child_reason(item, reason, where)
        if ("condition" in item) == ("caution" in item):
            raise _fail(where, "each avoid_when entry names either a condition or a caution")
        if "caution" in item:
            if "phase" in item:
                raise _fail(where, "a caution applies in every phase; drop its phase")
            caution = _choice(item["caution"], CAUTIONS, "caution", where)
            rules.append(AvoidWhen(reason=reason, caution=caution, child_reason=child))
            continue
        condition = _choice(item["condition"], CONDITIONS, "condition", where)
        phase = item.get("phase")
        if phase is not None:
            phase = _choice(phase, PHASES, "phase", where)
        rules.append(
            AvoidWhen(
                reason=reason,
                condition=condition,
                phase=cast(Phase | None, phase),
                child_reason=child,
            )
        )
    return tuple(rules)


def _child_reason(item: Mapping[str, Any], reason: str, where: str) -> str | None:
    """An avoid_when reason as a child's parent reads it. Every reason can be shown with a
    child's program (a caution as a "take care" note; any reason beside an exercise a
    therapist chose), so one that speaks to "you" needs it, and it must not itself."""
    child = item.get("for_a_child")
    if child is None:
        if speaks_to_the_patient(reason):
            raise _fail(
                where,
                f'the avoid_when reason {reason!r} speaks to "you", and a child\'s parent can '
                "be shown it: give for_a_child: {reason: ...}, the wording a parent reads",
            )
        return None
    if not isinstance(child, Mapping) or set(child) != {"reason"}:
        raise _fail(where, "an avoid_when entry's for_a_child is {reason: ...}")
    worded = _plain(child, "reason", f"{where} avoid_when for_a_child")
    if speaks_to_the_patient(worded):
        raise _fail(where, f'for_a_child reason {worded!r} still speaks to "you"')
    return worded


def _exercise(raw: object, index: int, illustration_dir: Path | None) -> Exercise:
    where = f"exercise #{index + 1}"
    if not isinstance(raw, Mapping):
        raise _fail(where, "must be a mapping")
    ident = raw.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        raise _fail(where, "id must be lower_snake_case")
    where = f"exercise {ident!r}"
    if missing := _KEYS - set(raw):
        raise _fail(where, f"missing fields: {', '.join(sorted(missing))}")
    if unknown := set(raw) - _KEYS:
        raise _fail(where, f"unknown fields: {', '.join(sorted(unknown))}")
    steps = raw["steps"]
    if not isinstance(steps, list) or not 3 <= len(steps) <= 6:
        raise _fail(where, "steps must list 3 to 6 steps")
    illustration = _text(raw, "illustration", where)
    if not _ID.match(illustration):
        raise _fail(where, "illustration must be a lower_snake_case file stem")
    if illustration_dir is not None and not (illustration_dir / f"{illustration}.svg").is_file():
        raise _fail(where, f"illustration file {illustration}.svg is missing")
    family = _text(raw, "family", where)
    if not _ID.match(family):
        raise _fail(where, "family must be lower_snake_case")
    return Exercise(
        id=ident,
        name=_plain(raw, "name", where),
        summary=_plain(raw, "summary", where),
        steps=tuple(_plain({"step": s}, "step", where) for s in steps),
        dosage=parse_dosage(raw["dosage"], where),
        dosage_source=cited_source(raw, "dosage_source", where),
        conditions=_ids(raw, "conditions", CONDITIONS, where),
        phases=cast(tuple[Phase, ...], _ids(raw, "phases", PHASES, where)),
        level=_int(raw, "level", where, 1, 5),
        level_source=cited_source(raw, "level_source", where),
        family=family,
        avoid_when=_avoid(raw["avoid_when"], where),
        should_feel=_plain(raw, "should_feel", where),
        should_not_feel=_plain(raw, "should_not_feel", where),
        max_pain=_int(raw, "max_pain", where, 0, 10),
        max_pain_source=cited_source(raw, "max_pain_source", where),
        illustration=illustration,
        alt=_plain(raw, "alt", where),
        source=cited_source(raw, "source", where),
    )


def _check_library(exercises: tuple[Exercise, ...]) -> None:
    seen: set[str] = set()
    levels: dict[str, list[int]] = {}
    for exercise in exercises:
        if exercise.id in seen:
            raise ExerciseDataError(f"exercise {exercise.id!r} is listed twice")
        seen.add(exercise.id)
        levels.setdefault(exercise.family, []).append(exercise.level)
    for family, found in levels.items():
        if sorted(found) != list(range(1, len(found) + 1)):
            raise ExerciseDataError(
                f"family {family!r} must have levels 1..{len(found)} once each, got {sorted(found)}"
            )


def parse_exercises(
    text: str, *, illustration_dir: Path | None = ILLUSTRATION_DIR
) -> tuple[Exercise, ...]:
    """Parse and validate exercise YAML. ``illustration_dir=None`` skips the file check
    (used when the illustrations are being generated)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ExerciseDataError(f"exercises.yaml is not valid YAML: {error}") from error
    if not isinstance(data, list) or not data:
        raise ExerciseDataError("exercises.yaml must be a non-empty list of exercises")
    exercises = tuple(_exercise(raw, i, illustration_dir) for i, raw in enumerate(data))
    _check_library(exercises)
    return exercises


def read_exercises(*, check_illustrations: bool = True) -> tuple[Exercise, ...]:
    """Parse the packaged file (uncached)."""
    directory = ILLUSTRATION_DIR if check_illustrations else None
    return parse_exercises(DATA_FILE.read_text(encoding="utf-8"), illustration_dir=directory)


@cache
def load_exercises() -> tuple[Exercise, ...]:
    """The packaged exercise library, parsed and validated once per process."""
    return read_exercises()


@cache
def _by_id() -> Mapping[str, Exercise]:
    return {exercise.id: exercise for exercise in load_exercises()}


def get_exercise(exercise_id: str) -> Exercise:
    """One exercise by id; raises KeyError for an unknown id."""
    try:
        return _by_id()[exercise_id]
    except KeyError:
        raise KeyError(f"unknown exercise {exercise_id!r}") from None
