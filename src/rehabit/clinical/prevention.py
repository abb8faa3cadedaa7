"""The hamstring prevention programme (``data/prevention.yaml``): routines for the guided
player, the Nordic curl's week-by-week plan, and the evidence behind them.

Pure Python, no Django. Each routine lists library exercises (``exercises.yaml``) with the
library's dosage, its own sourced dosage, or the Nordic plan's dose for the person's week.
Evidence and advice are cited claims with a grade (:mod:`rehabit.clinical.treatments`).
Anything malformed raises :class:`PreventionDataError` naming the entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from rehabit.clinical.datafiles import citation_problem, load_yaml
from rehabit.clinical.exercises import cited_source, get_exercise, parse_dosage
from rehabit.clinical.program import dosage_dict
from rehabit.clinical.treatments import Claim, TreatmentDataError, parse_claim

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_DIGIT = re.compile(r"\d")
NORDIC_CURL = "nordic_hamstring_curl"
MAX_WEEK = 520  # ten years: far enough for any plan, small enough to check


class PreventionDataError(ValueError):
    """The prevention data is malformed."""


@dataclass(frozen=True, slots=True)
class NordicStage:
    first_week: int
    last_week: int | None  # None: every week from first_week on (maintenance)
    sessions_per_week: int
    reps_per_set: tuple[int, ...]
    reps_up_to: int | None = None

    def covers(self, week: int) -> bool:
        return week >= self.first_week and (self.last_week is None or week <= self.last_week)


@dataclass(frozen=True, slots=True)
class RoutineItem:
    exercise_id: str
    dosage: Mapping[str, object] | None  # None: the Nordic plan's dose for the week
    dosage_source: str


@dataclass(frozen=True, slots=True)
class Routine:
    id: str
    name: str
    summary: str
    when: str
    source: str
    items: tuple[RoutineItem, ...]

    @property
    def uses_nordic_plan(self) -> bool:
        return any(item.dosage is None for item in self.items)


@dataclass(frozen=True, slots=True)
class Advice:
    title: str
    claim: Claim


@dataclass(frozen=True, slots=True)
class PreventionProgram:
    version: str
    title: str
    summary: str
    source: str
    who_for: tuple[str, ...]
    not_for: tuple[str, ...]
    routines: Mapping[str, Routine]
    nordic_stages: tuple[NordicStage, ...]
    nordic_rest_seconds: int
    nordic_source: str
    evidence: tuple[Claim, ...]
    advice: tuple[Advice, ...]

    def nordic_stage(self, week: int) -> NordicStage:
        """The Nordic plan's stage for a week (1 = the first week); raises ValueError for a
        week outside 1..MAX_WEEK."""
        if isinstance(week, bool) or not isinstance(week, int) or not 1 <= week <= MAX_WEEK:
            raise ValueError(f"week must be a whole number from 1 to {MAX_WEEK}")
        return next(stage for stage in self.nordic_stages if stage.covers(week))

    def nordic_dosage(self, week: int) -> dict[str, object]:
        """The Nordic curl's dose for a week, in the player's dosage fields: the sets may
        differ in repetitions (``reps_per_set``)."""
        stage = self.nordic_stage(week)
        return {
            "kind": "reps",
            "reps": stage.reps_per_set[0],
            "reps_per_set": list(stage.reps_per_set),
            "sets": len(stage.reps_per_set),
            "sides": "none",
            "rest_seconds": self.nordic_rest_seconds,
            "per_day": 1,
            "days_per_week": stage.sessions_per_week,
        }

    def dosage(self, item: RoutineItem, week: int = 1) -> dict[str, object]:
        """The dose the player runs for one routine item."""
        if item.dosage is None:
            return self.nordic_dosage(week)
        return dict(item.dosage)

    def claims(self) -> list[tuple[str, Claim]]:
        return [("evidence", c) for c in self.evidence] + [
            (f"advice {a.title!r}", a.claim) for a in self.advice
        ]


def week_of_plan(first_session: date | None, today: date) -> int:
    """Which week of the Nordic plan ``today`` falls in, counting the week of the first
    logged session as week 1 (no session yet, or one dated after today: week 1)."""
    if first_session is None or first_session > today:
        return 1
    return min(MAX_WEEK, (today - first_session).days // 7 + 1)


def _fail(where: str, message: str) -> PreventionDataError:
    return PreventionDataError(f"{where}: {message}")


def _text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"{key} must be non-empty text")
    if _DIGIT.search(value):
        raise _fail(where, f"{key} must not contain digits (numbers belong in cited claims)")
    return value.strip()


def _texts(raw: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    items = raw.get(key)
    if not isinstance(items, list) or not items:
        raise _fail(where, f"{key} must be a non-empty list")
    return tuple(_text({key: item}, key, where) for item in items)


def _cited(raw: Mapping[str, Any], where: str) -> str:
    problem = citation_problem(raw)
    if problem or "source" not in raw:
        raise _fail(where, problem or "needs a 'source' citing references")
    return str(raw["source"])


def _whole(raw: Mapping[str, Any], key: str, where: str, low: int, high: int) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(where, f"{key} must be a whole number from {low} to {high}")
    return value


def _item(raw: object, where: str) -> RoutineItem:
    if not isinstance(raw, Mapping) or set(raw) - {
        "exercise",
        "dosage",
        "dosage_source",
        "nordic_plan",
    }:
        raise _fail(where, "an item has exercise, and dosage with dosage_source or nordic_plan")
    try:
        exercise = get_exercise(str(raw.get("exercise")))
    except KeyError as exc:
        raise _fail(where, str(exc)) from None
    dosage = raw.get("dosage")
    if raw.get("nordic_plan") is not None:
        if raw["nordic_plan"] is not True or exercise.id != NORDIC_CURL or "dosage" in raw:
            raise _fail(where, "nordic_plan: true is only for the Nordic curl, without a dosage")
        return RoutineItem(exercise.id, None, "")
    if dosage is None:
        return RoutineItem(exercise.id, MappingProxyType(dosage_dict(exercise)), "")
    try:
        parsed = parse_dosage(dosage, where)
        source = cited_source(raw, "dosage_source", where)
    except ValueError as exc:
        raise _fail(where, str(exc)) from None
    fields = {k: v for k, v in asdict(parsed).items() if v is not None}
    return RoutineItem(exercise.id, MappingProxyType(fields), source)


def _routine(raw: object, index: int) -> Routine:
    where = f"routines[{index}]"
    keys = {"id", "name", "summary", "when", "source", "exercises"}
    if not isinstance(raw, Mapping) or set(raw) != keys or not _ID.match(str(raw["id"])):
        raise _fail(where, f"needs exactly {sorted(keys)} with a snake_case id")
    where = f"routine {raw['id']!r}"
    items = raw["exercises"]
    if not isinstance(items, list) or not 1 <= len(items) <= 6:
        raise _fail(where, "exercises must list 1 to 6 items")
    parsed = tuple(_item(item, f"{where} exercises[{n}]") for n, item in enumerate(items))
    if len({item.exercise_id for item in parsed}) != len(parsed):
        raise _fail(where, "lists an exercise twice")
    return Routine(
        id=str(raw["id"]),
        name=_text(raw, "name", where),
        summary=_text(raw, "summary", where),
        when=_text(raw, "when", where),
        source=_cited(raw, where),
        items=parsed,
    )


def _stages(raw: object) -> tuple[NordicStage, ...]:
    where = "nordic_progression.stages"
    if not isinstance(raw, list) or not raw:
        raise _fail(where, "must be a non-empty list")
    stages = []
    expected = 1
    for n, item in enumerate(raw):
        here = f"{where}[{n}]"
        if not isinstance(item, Mapping):
            raise _fail(here, "must be a mapping")
        first = _whole(item, "first_week", here, 1, MAX_WEEK)
        if first != expected:
            raise _fail(here, f"weeks must run on without gaps: start at week {expected}")
        last = (
            None
            if item.get("last_week") is None
            else _whole(item, "last_week", here, first, MAX_WEEK)
        )
        reps = item.get("reps_per_set")
        if not isinstance(reps, list) or not 1 <= len(reps) <= 5:
            raise _fail(here, "reps_per_set must list 1 to 5 whole numbers")
        values = tuple(_whole({"r": r}, "r", here, 1, 30) for r in reps)
        up_to = item.get("reps_up_to")
        if up_to is not None:
            up_to = _whole(item, "reps_up_to", here, max(values), 30)
        sessions = _whole(item, "sessions_per_week", here, 1, 7)
        stages.append(NordicStage(first, last, sessions, values, up_to))
        if last is None:
            if n + 1 != len(raw):
                raise _fail(here, "only the last stage may be open-ended")
            return tuple(stages)
        expected = last + 1
    raise _fail(where, "the last stage must be open-ended (no last_week): the maintenance dose")


def _claims(raw: object, where: str) -> tuple[Claim, ...]:
    if not isinstance(raw, list) or not raw:
        raise _fail(where, "must be a non-empty list of claims")
    try:
        return tuple(parse_claim(item, f"{where}[{n}]") for n, item in enumerate(raw))
    except TreatmentDataError as exc:
        raise PreventionDataError(str(exc)) from None


def _advice(raw: object) -> tuple[Advice, ...]:
    if not isinstance(raw, list) or not raw:
        raise _fail("advice", "must be a non-empty list")
    out = []
    for n, item in enumerate(raw):
        if not isinstance(item, Mapping):
            raise _fail(f"advice[{n}]", "must be a mapping")
        title = _text(item, "title", f"advice[{n}]")
        claim = _claims([{k: v for k, v in item.items() if k != "title"}], f"advice[{n}]")[0]
        out.append(Advice(title, claim))
    return tuple(out)


def parse_prevention(data: object) -> PreventionProgram:
    """Build the programme from parsed YAML."""
    keys = {"version", "title", "summary", "source", "who_for", "not_for", "routines",
            "nordic_progression", "evidence", "advice"}  # fmt: skip
    if not isinstance(data, Mapping) or set(data) != keys:
        raise PreventionDataError(f"prevention.yaml: needs exactly {sorted(keys)}")
    routines: dict[str, Routine] = {}
    if not isinstance(data["routines"], list) or not data["routines"]:
        raise PreventionDataError("prevention.yaml: routines must be a non-empty list")
    for index, raw in enumerate(data["routines"]):
        routine = _routine(raw, index)
        if routine.id in routines:
            raise _fail(f"routine {routine.id!r}", "is listed twice")
        routines[routine.id] = routine
    nordic = data["nordic_progression"]
    if not isinstance(nordic, Mapping) or set(nordic) != {"source", "rest_seconds", "stages"}:
        raise PreventionDataError("nordic_progression: needs source, rest_seconds and stages")
    return PreventionProgram(
        version=str(data["version"]),
        title=_text(data, "title", "prevention.yaml"),
        summary=_text(data, "summary", "prevention.yaml"),
        source=_cited(data, "prevention.yaml"),
        who_for=_texts(data, "who_for", "prevention.yaml"),
        not_for=_texts(data, "not_for", "prevention.yaml"),
        routines=MappingProxyType(routines),
        nordic_stages=_stages(nordic["stages"]),
        nordic_rest_seconds=_whole(nordic, "rest_seconds", "nordic_progression", 10, 600),
        nordic_source=_cited(nordic, "nordic_progression"),
        evidence=_claims(data["evidence"], "evidence"),
        advice=_advice(data["advice"]),
    )


@lru_cache(maxsize=1)
def load_prevention() -> PreventionProgram:
    """The packaged prevention programme, parsed and checked once per process."""
    return parse_prevention(load_yaml("prevention.yaml"))
