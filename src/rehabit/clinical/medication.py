"""Medicine safety: screen for the anti-inflammatory (NSAID) cautions before any mention.

The screen lives in ``data/medication_safety.yaml`` (evidence.md 4.3), read and checked by
``medication_file``. Answers the assessment already holds (age, blood thinners, pregnancy or
hormones, sex) answer their items without asking again; the rest are short yes/no questions.
Any "yes", "not sure" or unanswered item means "ask a pharmacist or doctor first": a caution
is never guessed away. No advice text gives a dose beyond "as the label says".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Literal

from rehabit.clinical.datafiles import PlanItem
from rehabit.clinical.medication_file import ScreenAnswer, ScreeningItem, load_medication_data
from rehabit.clinical.validation import AnswerErrors

ScreenStatus = Literal["clear", "caution", "unanswered"]
SCREEN_ANSWERS: tuple[ScreenAnswer, ...] = ("yes", "no", "not_sure")
_CAUTION_ORDER: Mapping[str, int] = {"no": 0, "not_sure": 1, "yes": 2}


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
    answers: Mapping[str, object],
    medication: Mapping[str, object] | None,
    *,
    child: bool | None = None,
) -> MedicationScreen:
    """Resolve every screening item from the assessment answers and the screen answers.

    When both hold an answer, the more cautious one wins ("yes" over "not sure" over "no").
    ``child``: who reads a child's screen (``_in_parent_words``); wording only.
    """
    data = load_medication_data()
    given = validate_medication_answers(medication)
    resolved: dict[str, ScreenAnswer] = {}
    cautions: list[Caution] = []
    unanswered: list[str] = []
    question_help: dict[str, str] = {}
    under_16 = data.under_16.holds(answers)
    child = _in_parent_words(answers, child)
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
    if under_16:
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
    child: bool | None = None,
) -> MedicationAdvice:
    """Pain-relief advice after the screen: paracetamol first, then anti-inflammatories only
    as the screen allows. ``early_injury``: the first days after an acute injury (PEACE).
    ``child``: who reads a child's advice (``_in_parent_words``); wording only."""
    data = load_medication_data()
    result = screen(answers, medication, child=child)
    advice = _advice(answers, child)  # a child's parent reads each in their words
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
    answers: Mapping[str, object],
    medication: Mapping[str, object] | None,
    *,
    child: bool | None = None,
) -> MedicationAdvice:
    """Until an urgent or emergency check (or a doctor's check after a warning sign): no
    painkiller is suggested, the clinician who sees the person advises on pain relief. Only
    the screen's cautions are told, so that nobody waits on a painkiller that is not safe
    for them (a child is always told never to take aspirin). ``child``: who reads a
    child's advice (``_in_parent_words``); wording only."""
    result = screen(answers, medication, child=child)
    advice = _advice(answers, child)
    items = [advice["until_seen"]]
    if result.answers.get("liver") in ("yes", "not_sure"):
        items.append(advice["paracetamol_liver"])
    if result.answers.get("pregnant") in ("yes", "not_sure"):
        items.append(advice["pregnancy_note"])
    ask_first = _ask_first(result, advice)
    if ask_first is not None:
        items.append(ask_first)
    return MedicationAdvice(result, tuple(items))


def _in_parent_words(answers: Mapping[str, object], child: bool | None) -> bool:
    """Whether the screen and the advice are worded for a child's parent: the under-16
    rule holds and the caller did not say that someone else reads (``child`` False: the
    patient's own words, for the treating therapist or an admin; see
    ``child_wording.parent_reads``). What is advised (a child's paracetamol advice, the
    under-16 caution) follows the rule whoever reads."""
    return load_medication_data().under_16.holds(answers) and child is not False


def _advice(answers: Mapping[str, object], child: bool | None) -> Mapping[str, PlanItem]:
    data = load_medication_data()
    return data.child_advice if _in_parent_words(answers, child) else data.advice


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
