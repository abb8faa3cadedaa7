"""Reading and checking ``data/medication_safety.yaml`` (evidence.md 4.3): the screening
questions with the rules that answer them from the assessment (``derive``) and the help shown
under them (``help_if``), the under-16 rule and the advice items, each with a parent's wording
about their child (``for_a_child``), checked once at load. The screen is run on this data by
``medication``. Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Literal

from rehabit.clinical.child_wording import speaks_to_the_patient
from rehabit.clinical.datafiles import (
    PlanItem,
    answer_rule,
    cited,
    load_yaml,
    plan_item,
    text_field,
)
from rehabit.clinical.questionnaire_file import load_questionnaire
from rehabit.clinical.rules import Rule

ScreenAnswer = Literal["yes", "no", "not_sure"]
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
ADVICE_KEYS = (
    "paracetamol",
    "paracetamol_child",
    "paracetamol_liver",
    "pregnancy_note",
    "nsaid_early",
    "nsaid_clear",
    "nsaid_caution",
    "nsaid_unanswered",
    "until_seen",
)
# Advice a child's parent never reads: a child gets "paracetamol_child" instead of the
# adult's paracetamol advice, and the under_16 caution always holds for a child, so the
# screen is never "clear" or "unanswered" for them (nsaid_clear, nsaid_unanswered). The
# child's own paracetamol advice is in a parent's words already. Every other advice item
# that speaks to "you" needs for_a_child wording (checked at load).
ADULT_ONLY_ADVICE = frozenset({"paracetamol", "nsaid_clear", "nsaid_unanswered"})
CHILD_ONLY_ADVICE = frozenset({"paracetamol_child"})
_CHILD_ADVICE_KEYS = frozenset({"title", "text", "steps"})
_CHILD_SCREEN_KEYS = frozenset({"text", "help", "reason"})


class MedicationDataError(ValueError):
    """The medication-safety data is malformed."""


@dataclass(frozen=True, slots=True)
class ScreeningItem:
    id: str
    text: str  # the yes/no question
    reason: str  # what the caution means, in plain words
    derive: tuple[tuple[Rule, ScreenAnswer], ...] = ()
    source: str | None = None
    expert: str | None = None
    help: str | None = None  # why it is asked, shown under the question
    help_if: tuple[tuple[Rule, str], ...] = ()  # (rule over the assessment answers, help)
    # A parent's wording about their child (``for_a_child``): "Does your child take ...?"
    child_text: str | None = None
    child_help: str | None = None
    child_reason: str | None = None

    def help_for(self, answers: Mapping[str, object], *, child: bool = False) -> str | None:
        """The help for this person: the first ``help_if`` whose rule holds, else ``help``
        (a child's parent: its child wording, if any)."""
        for rule, text in self.help_if:
            if rule.holds(answers):
                return text
        return (self.child_help or self.help) if child else self.help

    def reason_for(self, *, child: bool) -> str:
        return (self.child_reason or self.reason) if child else self.reason

    def worded_for_a_child(self) -> ScreeningItem:
        """The question as a child's parent is asked it."""
        return replace(
            self,
            text=self.child_text or self.text,
            help=self.child_help or self.help,
            reason=self.child_reason or self.reason,
        )

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"id": self.id, "text": self.text, "type": "yes_no"}
        if self.help:
            out["help"] = self.help
        return out


@dataclass(frozen=True, slots=True)
class MedicationData:
    version: str
    screening: tuple[ScreeningItem, ...]
    under_16: Rule
    under_16_reason: str
    advice: Mapping[str, PlanItem]
    # The same advice as a child's parent reads it (each item's for_a_child wording, if any).
    child_advice: Mapping[str, PlanItem]

    def advice_for(self, answers: Mapping[str, object]) -> Mapping[str, PlanItem]:
        return self.child_advice if self.under_16.holds(answers) else self.advice

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.screening)


def _screening_item(raw: object, index: int) -> ScreeningItem:
    where = f"screening[{index}]"
    if not isinstance(raw, Mapping) or not _ID.match(str(raw.get("id", ""))):
        raise MedicationDataError(f"{where}: needs a snake_case id")
    where = f"screening item {raw['id']!r}"
    known = {"id", "text", "reason", "derive", "help", "help_if", "for_a_child"}
    unknown = set(raw) - known - {"source", "expert"}
    if unknown:
        raise MedicationDataError(f"{where}: unknown keys {sorted(unknown)}")
    child = _child_wording(raw, where, _CHILD_SCREEN_KEYS)
    questions = load_questionnaire().questions
    derive: list[tuple[Rule, ScreenAnswer]] = []
    for i, entry in enumerate(raw.get("derive") or []):
        if not isinstance(entry, Mapping) or entry.get("answer") not in ("yes", "no"):
            raise MedicationDataError(f"{where}.derive[{i}]: needs a rule and answer yes or no")
        derive.append(
            (
                answer_rule(
                    entry.get("rule"), questions, f"{where}.derive[{i}]", MedicationDataError
                ),
                entry["answer"],
            )
        )
    help_if: list[tuple[Rule, str]] = []
    raw_help_if = raw.get("help_if") or []
    if not isinstance(raw_help_if, list):
        raise MedicationDataError(f"{where}: help_if must be a list of {{rule, help}}")
    for i, entry in enumerate(raw_help_if):
        at = f"{where}.help_if[{i}]"
        if not isinstance(entry, Mapping) or set(entry) != {"rule", "help"}:
            raise MedicationDataError(f"{at}: needs exactly a rule and a help")
        help_if.append(
            (
                answer_rule(entry["rule"], questions, at, MedicationDataError),
                text_field(entry, "help", at, MedicationDataError),
            )
        )
    source, expert = cited(raw, where, MedicationDataError)
    return ScreeningItem(
        id=str(raw["id"]),
        text=text_field(raw, "text", where, MedicationDataError),
        reason=text_field(raw, "reason", where, MedicationDataError),
        derive=tuple(derive),
        source=source,
        expert=expert,
        help=text_field(raw, "help", where, MedicationDataError) if "help" in raw else None,
        help_if=tuple(help_if),
        child_text=child.get("text"),
        child_help=child.get("help"),
        child_reason=child.get("reason"),
    )


def _child_wording(raw: Mapping[str, Any], where: str, keys: frozenset[str]) -> dict[str, Any]:
    """An entry's ``for_a_child`` wording, each key only beside the entry's own."""
    child = raw.get("for_a_child")
    if child is None:
        return {}
    where = f"{where}.for_a_child"
    if not isinstance(child, Mapping) or not child or set(child) - keys:
        raise MedicationDataError(f"{where}: a mapping with {', '.join(sorted(keys))} or some")
    out: dict[str, Any] = {}
    for key in child:
        if raw.get(key) is None:
            raise MedicationDataError(f"{where}: {key} has no {key} of its own to stand for")
        if key == "steps":
            steps = child["steps"]
            if not isinstance(steps, list) or len(steps) != len(raw["steps"]):
                raise MedicationDataError(f"{where}: steps must match the item's, one each")
            out[key] = tuple(
                text_field({"s": x}, "s", f"{where}.steps", MedicationDataError) for x in steps
            )
        else:
            out[key] = text_field(child, key, where, MedicationDataError)
    return out


def _settled_no_for_a_child(raw: Mapping[str, Any]) -> bool:
    """Whether a screening item is answered "no" for every child by its derive rules (the
    first that can hold for a child always does, and says "no"): never asked of a child's
    parent, nor told as a caution (age_65_plus)."""
    questionnaire = load_questionnaire()
    for entry in raw.get("derive") or []:
        rule = entry["rule"]
        if not questionnaire.can_apply_to_a_child(rule):
            continue
        return entry["answer"] == "no" and not questionnaire.can_fail_for_a_child(rule)
    return False


def check_child_wording(item: ScreeningItem, raw: Mapping[str, Any]) -> None:
    """Refuse a screening item a child's parent can be asked (or told as a caution) whose
    text, help or reason speaks to "you" without ``for_a_child`` wording ("Does your child
    take ...?"); a ``help_if`` help such a parent can be shown must not say "you" at all.
    Child wording on an item never asked for a child is refused too (unused)."""
    where = f"screening item {item.id!r}"
    child = {"text": item.child_text, "help": item.child_help, "reason": item.child_reason}
    if _settled_no_for_a_child(raw):
        if any(v is not None for v in child.values()):
            raise MedicationDataError(f"{where}: for_a_child, but a child is never asked it")
        return
    own = {"text": item.text, "help": item.help, "reason": item.reason}
    for key, text in own.items():
        if speaks_to_the_patient(text) and child[key] is None:
            raise MedicationDataError(
                f'{where}: its {key} speaks to "you", and a child\'s parent can be asked it: '
                f"give for_a_child.{key}, the wording a parent reads about their child"
            )
    for _, text in item.help_if:
        if speaks_to_the_patient(text):
            raise MedicationDataError(
                f'{where}: a help_if help speaks to "you", and a child\'s parent can be '
                "shown it: word it for anyone"
            )


def _child_advice(key: str, raw: Mapping[str, Any], item: PlanItem) -> PlanItem:
    """An advice item as a child's parent reads it; refuse one that speaks to "you"
    without ``for_a_child`` wording where a child's parent reads it (see
    ADULT_ONLY_ADVICE), and child wording where no parent reads it."""
    where = f"advice {key!r}"
    child = _child_wording(raw, where, _CHILD_ADVICE_KEYS)
    if key in ADULT_ONLY_ADVICE or key in CHILD_ONLY_ADVICE:
        if child:
            raise MedicationDataError(f"{where}: for_a_child, but a child's parent never reads it")
        return item
    worded = replace(item, **child)
    said = {"title": item.title, "text": item.text, "steps": " ".join(item.steps)}
    for name, text in said.items():
        if name not in child and speaks_to_the_patient(text):
            raise MedicationDataError(
                f'{where}: its {name} speaks to "you", and a child\'s parent can read it: '
                f"give for_a_child.{name}, the wording a parent reads about their child"
            )
    return worded


def parse_medication_data(data: object) -> MedicationData:
    """Build and check the screen from parsed YAML; raise MedicationDataError on problems."""
    if not isinstance(data, Mapping) or not isinstance(data.get("screening"), list):
        raise MedicationDataError("medication_safety: top level needs a 'screening' list")
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise MedicationDataError("medication_safety: 'version' must be a non-empty string")
    items = tuple(_screening_item(raw, i) for i, raw in enumerate(data["screening"]))
    for item, raw in zip(items, data["screening"], strict=True):
        check_child_wording(item, raw)
    if len({i.id for i in items}) != len(items):
        raise MedicationDataError("medication_safety: duplicate screening ids")
    under = data.get("under_16")
    if not isinstance(under, Mapping):
        raise MedicationDataError("medication_safety: needs an 'under_16' entry")
    cited(under, "under_16", MedicationDataError)
    raw_advice = data.get("advice")
    if not isinstance(raw_advice, Mapping) or set(raw_advice) != set(ADVICE_KEYS):
        raise MedicationDataError(f"medication_safety: 'advice' needs exactly {list(ADVICE_KEYS)}")
    advice = {
        k: plan_item(raw_advice[k], f"advice {k!r}", MedicationDataError, kind="medication")
        for k in ADVICE_KEYS
    }
    child_advice = {k: _child_advice(k, raw_advice[k], advice[k]) for k in ADVICE_KEYS}
    return MedicationData(
        version=version,
        screening=items,
        under_16=answer_rule(
            under.get("rule"), load_questionnaire().questions, "under_16.rule", MedicationDataError
        ),
        under_16_reason=text_field(under, "reason", "under_16", MedicationDataError),
        advice=MappingProxyType(advice),
        child_advice=MappingProxyType(child_advice),
    )


@lru_cache(maxsize=1)
def load_medication_data() -> MedicationData:
    """The packaged medication-safety screen, parsed and checked once per process."""
    return parse_medication_data(load_yaml("medication_safety.yaml"))
