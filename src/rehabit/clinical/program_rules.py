"""Reading and checking ``data/programs.yaml``: the rules that choose a home exercise
program (how likely a cause must be, how many exercises, the pain that keeps them gentle or
stops them, the causes that get none), how each caution in the exercise library is judged,
the order of the exercise families per cause, and the notes and reasons with a parent's
wording about their child (``for_a_child``), each checked once at load. The program is
built from these rules by ``program``. Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from rehabit.clinical.child_wording import speaks_to_the_patient
from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.datafiles import answer_rule, cited, load_yaml
from rehabit.clinical.exercises import CAUTIONS
from rehabit.clinical.questionnaire_file import load_questionnaire
from rehabit.clinical.rules import Rule

NOTE_KEYS = (
    "start_low",
    "gentle_only",
    "no_exercises_pain",
    "no_exercises_serious",
    "suppressed",
    "none_found",
)
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class ProgramDataError(ValueError):
    """The program data is malformed."""


@dataclass(frozen=True, slots=True)
class CautionRule:
    id: str
    excludes: bool
    rule: Rule | None = None
    early_strain: bool = False
    except_families: frozenset[str] = frozenset()

    def applies(self, answers: Mapping[str, object], early_strain: bool) -> bool:
        return (self.early_strain and early_strain) or (
            self.rule is not None and self.rule.holds(answers)
        )


@dataclass(frozen=True, slots=True)
class ProgramRules:
    version: str
    cause_threshold: float
    max_causes: int
    caution_threshold: float
    max_exercises: int
    gentle_from: int
    none_from: int
    no_exercises: frozenset[str]
    cautions: Mapping[str, CautionRule]
    family_priority: Mapping[str, tuple[str, ...]]  # per condition id, and "default"
    family_reasons: Mapping[str, str]
    notes: Mapping[str, str]
    # A parent's wording about their child (``for_a_child``), where the text differs.
    child_family_reasons: Mapping[str, str]
    child_notes: Mapping[str, str]

    def note(self, key: str, child: bool) -> str:
        return (self.child_notes.get(key) or self.notes[key]) if child else self.notes[key]

    def reason(self, family: str, child: bool) -> str | None:
        own = self.family_reasons.get(family)
        return (self.child_family_reasons.get(family) or own) if child else own


def _cited(raw: Mapping[str, Any], where: str) -> None:
    cited(raw, where, ProgramDataError)


def _number(raw: Mapping[str, Any], key: str, low: float, high: float) -> Any:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ProgramDataError(f"selection: {key} must be a number {low}-{high}")
    return value


def _caution(cid: str, raw: object) -> CautionRule:
    where = f"cautions.{cid}"
    if (
        cid not in CAUTIONS
        or not isinstance(raw, Mapping)
        or not isinstance(raw.get("excludes"), bool)
    ):
        raise ProgramDataError(f"{where}: unknown caution, or 'excludes' is not true/false")
    _cited(raw, where)
    rule = raw.get("rule")
    return CautionRule(
        id=cid,
        excludes=raw["excludes"],
        rule=None
        if rule is None
        else answer_rule(rule, load_questionnaire().questions, f"{where}.rule", ProgramDataError),
        early_strain=raw.get("early_strain") is True,
        except_families=frozenset(raw.get("except_families") or ()),
    )


def parse_program_rules(data: object) -> ProgramRules:
    """Build and check the program rules from parsed YAML."""
    if not isinstance(data, Mapping) or not isinstance(data.get("version"), str):
        raise ProgramDataError("programs: top level needs a 'version'")
    sel, none = data.get("selection"), data.get("no_exercises")
    if not isinstance(sel, Mapping) or not isinstance(none, Mapping):
        raise ProgramDataError("programs: needs 'selection' and 'no_exercises'")
    _cited(sel, "selection")
    _cited(none, "no_exercises")
    if not set(none.get("conditions") or ()) <= set(load_conditions()):
        raise ProgramDataError("no_exercises: unknown condition")
    raw_cautions = data.get("cautions")
    if not isinstance(raw_cautions, Mapping) or set(raw_cautions) != set(CAUTIONS):
        raise ProgramDataError(f"cautions: must judge exactly the library's {sorted(CAUTIONS)}")
    reasons, notes = data.get("family_reasons"), data.get("notes")
    if not isinstance(reasons, Mapping) or not isinstance(notes, Mapping):
        raise ProgramDataError("programs: needs 'family_reasons' and 'notes'")
    child_reasons: dict[str, str] = {}
    for family, raw in reasons.items():
        if not isinstance(raw, Mapping) or not str(raw.get("text", "")).strip():
            raise ProgramDataError(f"family_reasons.{family}: needs text")
        _cited(raw, f"family_reasons.{family}")
        child = raw.get("for_a_child")
        if child is not None:
            if not isinstance(child, Mapping) or set(child) != {"text"}:
                raise ProgramDataError(f"family_reasons.{family}.for_a_child: is {{text: ...}}")
            child_reasons[str(family)] = str(child["text"]).strip()
    if set(notes) != set(NOTE_KEYS) or not all(isinstance(v, str) and v for v in notes.values()):
        raise ProgramDataError(f"notes: needs exactly {NOTE_KEYS}")
    child_notes = data.get("notes_for_a_child") or {}
    if not isinstance(child_notes, Mapping) or not set(child_notes) <= set(NOTE_KEYS):
        raise ProgramDataError(f"notes_for_a_child: keys must be some of {NOTE_KEYS}")
    _check_child_wording(
        [(f"notes.{k}", str(v), child_notes.get(k)) for k, v in notes.items()]
        + [
            (f"family_reasons.{f}", str(r["text"]), child_reasons.get(str(f)))
            for f, r in reasons.items()
        ]
    )
    priority = data.get("family_priority")
    if not isinstance(priority, Mapping) or "default" not in priority:
        raise ProgramDataError("family_priority: needs a 'default' order")
    _cited(priority, "family_priority")
    orders = {k: v for k, v in priority.items() if k not in ("source", "expert")}
    if not set(orders) - {"default"} <= set(load_conditions()):
        raise ProgramDataError("family_priority: unknown condition")
    for key, order in orders.items():
        if not isinstance(order, list) or not all(
            isinstance(f, str) and _ID.match(f) for f in order
        ):
            raise ProgramDataError(f"family_priority.{key}: must be a list of family ids")
    gentle, none_from = _number(sel, "gentle_from", 1, 10), _number(sel, "none_from", 1, 11)
    if not (isinstance(gentle, int) and isinstance(none_from, int) and gentle <= none_from):
        raise ProgramDataError("selection: need whole numbers gentle_from <= none_from")
    return ProgramRules(
        version=data["version"],
        cause_threshold=float(_number(sel, "cause_threshold", 0, 1)),
        max_causes=int(_number(sel, "max_causes", 1, 5)),
        caution_threshold=float(_number(sel, "caution_threshold", 0, 1)),
        max_exercises=int(_number(sel, "max_exercises", 1, 12)),
        gentle_from=gentle,
        none_from=none_from,
        no_exercises=frozenset(none.get("conditions") or ()),
        cautions=MappingProxyType({c: _caution(c, raw_cautions[c]) for c in sorted(CAUTIONS)}),
        family_priority=MappingProxyType({k: tuple(v) for k, v in orders.items()}),
        family_reasons=MappingProxyType({f: str(r["text"]).strip() for f, r in reasons.items()}),
        notes=MappingProxyType(dict(notes)),
        child_family_reasons=MappingProxyType(child_reasons),
        child_notes=MappingProxyType({str(k): str(v).strip() for k, v in child_notes.items()}),
    )


def _check_child_wording(texts: Sequence[tuple[str, str, object]]) -> None:
    """Refuse a note or reason a child's parent can be shown (every one can) that speaks to
    "you" without ``for_a_child`` wording about their child, and child wording that still
    speaks to "you" without naming the child. ``texts``: (where, text, child wording)."""
    for where, text, child in texts:
        if child is None:
            if speaks_to_the_patient(text):
                raise ProgramDataError(
                    f'{where}: speaks to "you", and a child\'s parent can be shown it: give '
                    "its for_a_child wording, the wording a parent reads about their child"
                )
            continue
        if not isinstance(child, str) or not child.strip():
            raise ProgramDataError(f"{where}: its for_a_child wording must be text")
        if speaks_to_the_patient(child):
            raise ProgramDataError(f'{where}: its for_a_child wording still speaks to "you"')


@lru_cache(maxsize=1)
def load_program_rules() -> ProgramRules:
    """The packaged program rules, parsed and checked once per process."""
    return parse_program_rules(load_yaml("programs.yaml"))
