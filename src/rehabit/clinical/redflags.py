"""Red-flag screening (``data/red_flags.yaml``): run before, and above, any ranking."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rehabit.clinical.questionnaire import Questionnaire, citation_problem, load_yaml
from rehabit.clinical.rules import Answers, Dispatch, Rule, RuleError, compile_rule
from rehabit.clinical.triage import RANK, Level

FLAG_LEVELS: frozenset[str] = frozenset({"emergency", "urgent", "soon"})
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = frozenset({"id", "label", "disposition", "advice", "rule", "condition", "source", "expert"})


class RedFlagError(ValueError):
    """The red-flag data is malformed."""


@dataclass(frozen=True, slots=True)
class RedFlag:
    id: str
    label: str  # plain language: what the person told us
    disposition: Level
    advice: str  # what to do now
    rule: Rule
    condition: str | None  # linked condition id, ranked first when the flag fires

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "label": self.label,
            "disposition": self.disposition,
            "advice": self.advice,
        }


class RedFlags(tuple[RedFlag, ...]):
    """The compiled flags, most urgent first, with their rules arranged for fast screening."""

    dispatch: Dispatch[int]  # rule -> index of the flag in this tuple

    def __new__(cls, flags: Iterable[RedFlag], questionnaire: Questionnaire) -> RedFlags:
        self = super().__new__(cls, flags)
        self.dispatch = Dispatch.build(
            [(flag.rule, index, None) for index, flag in enumerate(self)],
            questionnaire.domains,
            questionnaire.multi_ids,
        )
        return self


def parse_red_flags(
    data: object, questionnaire: Questionnaire, condition_ids: Collection[str]
) -> RedFlags:
    """Compile the flags; every rule and condition reference is checked here."""
    if not isinstance(data, Mapping) or not isinstance(data.get("red_flags"), list):
        raise RedFlagError("red_flags: top level needs a 'red_flags' list")
    flags: list[RedFlag] = []
    for index, raw in enumerate(data["red_flags"]):
        where = f"red_flags[{index}]"
        if not isinstance(raw, Mapping) or not _ID.match(str(raw.get("id", ""))):
            raise RedFlagError(f"{where}: needs a snake_case id")
        where = f"red flag {raw['id']!r}"
        if set(raw) - _KEYS:
            raise RedFlagError(f"{where}: unknown keys {sorted(set(raw) - _KEYS)}")
        if any(f.id == raw["id"] for f in flags):
            raise RedFlagError(f"{where}: duplicate id")
        for key in ("label", "advice"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise RedFlagError(f"{where}: {key} must be non-empty text")
        if raw.get("disposition") not in FLAG_LEVELS:
            raise RedFlagError(f"{where}: disposition must be one of {sorted(FLAG_LEVELS)}")
        condition = raw.get("condition")
        if condition is not None and condition not in condition_ids:
            raise RedFlagError(f"{where}: unknown condition {condition!r}")
        problem = citation_problem(raw)
        if problem:
            raise RedFlagError(f"{where}: {problem}")
        try:
            rule = compile_rule(raw.get("rule"), questionnaire.questions, f"{where}.rule")
        except RuleError as exc:
            raise RedFlagError(str(exc)) from exc
        flags.append(
            RedFlag(
                id=raw["id"],
                label=raw["label"].strip(),
                disposition=raw["disposition"],
                advice=raw["advice"].strip(),
                rule=rule,
                condition=condition,
            )
        )
    # Most urgent first, then file order: the order in which fired flags are reported.
    order = {f.id: i for i, f in enumerate(flags)}
    ordered = sorted(flags, key=lambda f: (-RANK[f.disposition], order[f.id]))
    return RedFlags(ordered, questionnaire)


@lru_cache(maxsize=8)
def load_red_flags(questionnaire: Questionnaire) -> RedFlags:
    """The packaged red flags compiled against ``questionnaire`` (cached)."""
    from rehabit.clinical.conditions import load_conditions

    return parse_red_flags(load_yaml("red_flags.yaml"), questionnaire, load_conditions())


def screen(flags: Sequence[RedFlag], answers: Answers) -> tuple[RedFlag, ...]:
    """The flags that fire on these (cleaned) answers, in the order given (most urgent first).

    A flag about an unanswered question does not fire (nothing is guessed); the emergency
    questions are required, so they are always answered.
    """
    if isinstance(flags, RedFlags):
        return tuple(flags[i] for i in sorted(flags.dispatch.collect(answers)))
    return tuple(f for f in flags if f.rule.evaluate(answers) is True)
