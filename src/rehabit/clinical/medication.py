"""Medicine safety: screen for the anti-inflammatory (NSAID) cautions before any mention.

The screen lives in ``data/medication_safety.yaml`` (evidence.md 4.3). Answers the assessment
already holds (age, blood thinners, pregnancy or hormones, sex) answer their items without
asking again; the rest are short yes/no questions. Any "yes", "not sure" or unanswered item
means "ask a pharmacist or doctor first": a caution is never guessed away. No advice text
gives a dose beyond "as the label says".
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
from rehabit.clinical.validation import AnswerErrors

ScreenAnswer = Literal["yes", "no", "not_sure"]
ScreenStatus = Literal["clear", "caution", "unanswered"]
SCREEN_ANSWERS: tuple[ScreenAnswer, ...] = ("yes", "no", "not_sure")
_CAUTION_ORDER: Mapping[str, int] = {"no": 0, "not_sure": 1, "yes": 2}
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


@dataclass(frozen=True, slots=True)
class Caution:
    id: str
    reason: str
    answer: str  # "yes", "not_sure" or "age" (derived, never asked)

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "reason": self.reason, "answer": self.answer}


@dataclass(frozen=True, slots=True)
class MedicationScreen:
    """The screen's outcome: every item resolved, with the cautions in plain words."""

    status: ScreenStatus
    answers: Mapping[str, ScreenAnswer]  # resolved answers (from the assessment or asked)
    cautions: tuple[Caution, ...]
    unanswered: tuple[str, ...]  # items still to ask, in screen order
    question_help: Mapping[str, str]  # the help each question to ask has for this person
    for_a_child: bool = False  # a parent answers for a child: questions in a parent's words

    @property
    def questions(self) -> tuple[ScreeningItem, ...]:
        """The questions still to ask (never one the assessment already answered), each with
        the help chosen for this person's answers, in a parent's words for a child."""
        by_id = {item.id: item for item in load_medication_data().screening}
        if self.for_a_child:
            by_id = {i: item.worded_for_a_child() for i, item in by_id.items()}
        return tuple(
            replace(by_id[i], help=self.question_help.get(i), help_if=()) for i in self.unanswered
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "status": self.status,
            "cautions": [c.to_dict() for c in self.cautions],
            "unanswered": list(self.unanswered),
            "questions": [q.to_dict() for q in self.questions],
        }


@dataclass(frozen=True, slots=True)
class MedicationAdvice:
    screen: MedicationScreen
    items: tuple[PlanItem, ...]

    def to_dict(self) -> dict[str, object]:
        return {**self.screen.to_dict(), "items": [i.to_dict() for i in self.items]}


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


def validate_medication_answers(medication: Mapping[str, object] | None) -> dict[str, ScreenAnswer]:
    """Clean the person's screen answers; raise AnswerErrors with field-level messages.

    Values are "yes", "no" or "not_sure" (true / false are accepted for yes / no).
    """
    if not medication:
        return {}
    known = set(load_medication_data().ids)
    errors: dict[str, list[str]] = {}
    clean: dict[str, ScreenAnswer] = {}
    for key, value in medication.items():
        if key not in known:
            errors[str(key)] = ["Unknown medicine safety question."]
        elif value is None:
            continue
        elif isinstance(value, bool):
            clean[key] = "yes" if value else "no"
        elif value in SCREEN_ANSWERS:
            clean[key] = value
        else:
            errors[key] = [f"Expected one of: {', '.join(SCREEN_ANSWERS)}."]
    if errors:
        raise AnswerErrors(errors)
    return clean


def _derived(item: ScreeningItem, answers: Mapping[str, object]) -> ScreenAnswer | None:
    for rule, answer in item.derive:
        if rule.holds(answers):
            return answer
    return None


def screen(
    answers: Mapping[str, object], medication: Mapping[str, object] | None
) -> MedicationScreen:
    """Resolve every screening item from the assessment answers and the screen answers.

    When both hold an answer, the more cautious one wins ("yes" over "not sure" over "no").
    """
    data = load_medication_data()
    given = validate_medication_answers(medication)
    resolved: dict[str, ScreenAnswer] = {}
    cautions: list[Caution] = []
    unanswered: list[str] = []
    question_help: dict[str, str] = {}
    child = data.under_16.holds(answers)
    for item in data.screening:
        candidates = [a for a in (_derived(item, answers), given.get(item.id)) if a is not None]
        if not candidates:
            unanswered.append(item.id)
            help_text = item.help_for(answers, child=child)
            if help_text:
                question_help[item.id] = help_text
            continue
        answer = max(candidates, key=lambda a: _CAUTION_ORDER[a])
        resolved[item.id] = answer
        if answer != "no":
            cautions.append(Caution(item.id, item.reason_for(child=child), answer))
    if child:
        cautions.append(Caution("under_16", data.under_16_reason, "age"))
    status: ScreenStatus = "caution" if cautions else ("unanswered" if unanswered else "clear")
    return MedicationScreen(
        status,
        MappingProxyType(resolved),
        tuple(cautions),
        tuple(unanswered),
        MappingProxyType(question_help),
        for_a_child=child,
    )


def medication_advice(
    answers: Mapping[str, object],
    medication: Mapping[str, object] | None,
    *,
    early_injury: bool,
) -> MedicationAdvice:
    """Pain-relief advice after the screen: paracetamol first, then anti-inflammatories only
    as the screen allows. ``early_injury``: the first days after an acute injury (PEACE)."""
    data = load_medication_data()
    result = screen(answers, medication)
    advice = data.advice_for(answers)  # a child's parent reads each in their words
    liver = result.answers.get("liver") in ("yes", "not_sure")
    # A child (the under-16 rule) reads a child's paracetamol advice, never the adult's.
    paracetamol = advice["paracetamol_child" if data.under_16.holds(answers) else "paracetamol"]
    items = [advice["paracetamol_liver"] if liver else paracetamol]
    if result.answers.get("pregnant") in ("yes", "not_sure"):
        items.append(advice["pregnancy_note"])
    if early_injury:
        items.append(advice["nsaid_early"])
    ask_first = _ask_first(result, advice)
    if ask_first is not None:
        items.append(ask_first)
    elif not early_injury:
        items.append(advice["nsaid_clear"])
    return MedicationAdvice(result, tuple(items))


def until_seen_advice(
    answers: Mapping[str, object], medication: Mapping[str, object] | None
) -> MedicationAdvice:
    """Until an urgent or emergency check (or a doctor's check after a warning sign): no
    painkiller is suggested, the clinician who sees the person advises on pain relief. Only
    the screen's cautions are told, so that nobody waits on a painkiller that is not safe
    for them (a child is always told never to take aspirin)."""
    data = load_medication_data()
    result = screen(answers, medication)
    advice = data.advice_for(answers)
    items = [advice["until_seen"]]
    if result.answers.get("liver") in ("yes", "not_sure"):
        items.append(advice["paracetamol_liver"])
    if result.answers.get("pregnant") in ("yes", "not_sure"):
        items.append(advice["pregnancy_note"])
    ask_first = _ask_first(result, advice)
    if ask_first is not None:
        items.append(ask_first)
    return MedicationAdvice(result, tuple(items))


def _ask_first(result: MedicationScreen, advice: Mapping[str, PlanItem]) -> PlanItem | None:
    """The "ask a pharmacist or doctor first" advice with the cautions; None when clear."""
    if result.status == "caution":
        base = advice["nsaid_caution"]
        told = tuple(c.reason for c in result.cautions if c.answer != "not_sure")
        unsure = tuple(c.reason for c in result.cautions if c.answer == "not_sure")
        return replace(base, reasons=told, reasons_unsure=unsure)
    if result.status == "unanswered":
        return advice["nsaid_unanswered"]
    return None
