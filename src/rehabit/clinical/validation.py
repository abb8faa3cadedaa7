"""Check a person's answers against the questionnaire, with precise field-level messages."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import lru_cache

from rehabit.clinical.child_wording import is_child
from rehabit.clinical.questionnaire import Question, Questionnaire
from rehabit.clinical.rules import Rule

ALL = "__all__"
REQUIRED = "This question is required."


class AnswerErrors(ValueError):
    """The answers are not valid. ``errors`` maps question id (or "__all__") to messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        summary = "; ".join(f"{key}: {' '.join(msgs)}" for key, msgs in sorted(errors.items()))
        super().__init__(f"Invalid answers: {summary}")


def _allowed(question: Question) -> str:
    return ", ".join(question.option_values)


def _check_integer(question: Question, raw: object) -> tuple[object, list[str]]:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None, ["Expected a whole number."]
    if isinstance(raw, float):
        if not raw.is_integer():
            return None, ["Expected a whole number."]
        raw = int(raw)
    low, high = question.min, question.max
    assert low is not None and high is not None  # set for integer and scale questions
    if not low <= raw <= high:
        return None, [f"Must be between {low} and {high}."]
    return raw, []


def _check_single(question: Question, raw: object) -> tuple[object, list[str]]:
    if type(raw) is str and raw in question.values:
        return raw, []
    if not isinstance(raw, str):
        return None, [f"Expected one option as text. Allowed values: {_allowed(question)}."]
    if raw not in question.labels:
        return None, [f"Unknown option '{raw}'. Allowed values: {_allowed(question)}."]
    return raw, []


def _check_multi(question: Question, raw: object) -> tuple[object, list[str]]:
    if type(raw) is list and raw and all(type(v) is str for v in raw):  # fast path
        chosen = set(raw)
        if (
            len(chosen) == len(raw)
            and chosen <= question.values
            and (len(chosen) == 1 or chosen.isdisjoint(question.exclusive))
        ):
            return [v for v in question.option_values if v in chosen], []
    if not isinstance(raw, list | tuple) or not all(isinstance(v, str) for v in raw):
        return None, [f"Expected a list of options as text. Allowed values: {_allowed(question)}."]
    if not raw:
        return None, ["Choose at least one option."]
    messages: list[str] = []
    seen: set[str] = set()
    for value in raw:
        if value in seen:
            messages.append(f"Option '{value}' is chosen more than once.")
        seen.add(value)
    unknown = [v for v in dict.fromkeys(raw) if v not in question.labels]
    messages.extend(f"Unknown option '{v}'. Allowed values: {_allowed(question)}." for v in unknown)
    if len(seen) > 1:
        for value in question.option_values:
            if value in seen and value in question.exclusive:
                messages.append(
                    f"'{value}' ({question.labels[value]}) cannot be combined with other options."
                )
    if messages:
        return None, messages
    return [v for v in question.option_values if v in seen], []


Check = Callable[[Question, object], tuple[object, list[str]]]
_CHECKS: Mapping[str, Check] = {
    "integer": _check_integer,
    "scale": _check_integer,
    "single": _check_single,
    "yes_no": _check_single,
    "multi": _check_multi,
}


def validate_answers(
    questionnaire: Questionnaire, answers: Mapping[str, object]
) -> dict[str, object]:
    """Return the cleaned answers (questionnaire order; multi values in option order).

    ``None`` counts as "not answered". Raises AnswerErrors listing every problem found.
    """
    return validate_and_show(questionnaire, answers)[0]


def validate_and_show(
    questionnaire: Questionnaire, answers: Mapping[str, object]
) -> tuple[dict[str, object], frozenset[str]]:
    """``validate_answers`` plus the ids of the conditional questions that are shown."""
    if not isinstance(answers, Mapping):
        raise AnswerErrors({ALL: ["Answers must be an object that maps question ids to answers."]})
    plan = _plan(questionnaire)
    known = _ids(questionnaire)
    errors: dict[str, list[str]] = {}
    if not known.issuperset(answers):
        for key in answers:
            if not isinstance(key, str):
                errors.setdefault(ALL, []).append(f"Question ids must be text, got {key!r}.")
            elif key not in known:
                errors[key] = [f"Unknown question '{key}'."]
    cleaned: dict[str, object] = {}
    unsettled: set[str] = set()  # invalid or missing: later skip logic cannot be judged on them
    conditional: set[str] = set()  # conditional questions that are shown
    get = answers.get
    for qid, question, check, rule, choices, low, high in plan:
        raw = get(qid)
        value: object = None
        if raw is not None:
            # Fast paths for the commonest answers: a valid option, a whole number in range.
            if (choices is not None and type(raw) is str and raw in choices) or (
                type(raw) is int and low <= raw <= high
            ):
                value = raw
            else:
                value, messages = check(question, raw)
                if messages:
                    errors[qid] = messages
                    unsettled.add(qid)
                    continue
            if rule is None:
                cleaned[qid] = value
                continue
        elif rule is None:
            if question.required:
                errors[qid] = [REQUIRED]
                unsettled.add(qid)
            continue
        if unsettled and not rule.refs.isdisjoint(unsettled):
            unsettled.add(qid)
            continue
        shown = rule.evaluate(cleaned) is True
        if shown:
            conditional.add(qid)
        if raw is not None:
            if shown:
                cleaned[qid] = value
            else:
                when = _worded(questionnaire, rule, cleaned.get("age"))
                errors[qid] = [f"This question only applies when {when}; remove this answer."]
                unsettled.add(qid)
        elif shown and question.required:
            errors[qid] = [REQUIRED]
            unsettled.add(qid)
    if errors:
        raise AnswerErrors(errors)
    return cleaned, frozenset(conditional)


def _worded(questionnaire: Questionnaire, rule: Rule, age: object) -> str:
    """The rule in words, quoting its questions as this person was asked them: a child's
    parent was asked "Where does your child feel the pain?" (``Question.worded_for``)."""
    sentence = rule.sentence
    if not is_child(age):
        return sentence
    for qid in sorted(rule.refs):
        question = questionnaire.questions[qid]
        worded = question.worded_for(age)
        if worded is not question:
            sentence = sentence.replace(f'"{question.text}"', f'"{worded.text}"')
            for value, label in question.child_labels.items():  # "Yes, but my child limps"
                sentence = sentence.replace(f'"{question.labels[value]}"', f'"{label}"')
    return sentence


PlanItem = tuple[str, Question, Check, Rule | None, frozenset[str] | None, float, float]


@lru_cache(maxsize=8)
def _plan(questionnaire: Questionnaire) -> tuple[PlanItem, ...]:
    """Per question, in order: id, question, type check, skip rule, and for the fast paths
    the option values (single/yes_no) or the bounds (integer/scale; empty range otherwise)."""
    items = []
    for qid, q in questionnaire.questions.items():
        choices = q.values if q.type in ("single", "yes_no") else None
        numeric = q.min is not None and q.max is not None
        low, high = (q.min, q.max) if numeric else (math.inf, -math.inf)
        items.append((qid, q, _CHECKS[q.type], q.show_if, choices, low, high))
    return tuple(items)  # type: ignore[arg-type]


@lru_cache(maxsize=8)
def _ids(questionnaire: Questionnaire) -> frozenset[str]:
    return frozenset(questionnaire.questions)


def shown_questions(questionnaire: Questionnaire, cleaned: Mapping[str, object]) -> list[str]:
    """Ids of the questions that apply given (valid, cleaned) answers, in display order."""
    return [
        qid
        for qid, q in questionnaire.questions.items()
        if q.show_if is None or q.show_if.evaluate(cleaned) is True
    ]
