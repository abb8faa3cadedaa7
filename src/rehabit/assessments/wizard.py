"""The multi-step assessment form: a draft of answers kept in the server-side session.

Works without JavaScript. Each step is one section of the questionnaire; answers are kept
when the person goes back, skip logic hides questions that do not apply, and the clinical
core's own validator checks every answer, so the page and the API accept exactly the same
input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.http import QueryDict
from django.utils.translation import gettext as _

from rehabit.clinical import AnswerErrors, load_questionnaire
from rehabit.clinical.validation import validate_answers

DRAFT_KEY = "assessment_draft"


@dataclass
class Draft:
    version: str
    answers: dict[str, Any] = field(default_factory=dict)
    # What the person typed into number fields, kept even when it is not a number, so a
    # mistake is shown back to them instead of being lost.
    raw: dict[str, str] = field(default_factory=dict)

    def to_session(self) -> dict[str, Any]:
        return {"version": self.version, "answers": self.answers, "raw": self.raw}


def load_draft(session: SessionBase) -> Draft:
    questionnaire = load_questionnaire()
    stored = session.get(DRAFT_KEY)
    if not isinstance(stored, dict) or stored.get("version") != questionnaire.version:
        return Draft(version=questionnaire.version)
    return Draft(version=stored["version"], answers=stored["answers"], raw=stored["raw"])


def save_draft(session: SessionBase, draft: Draft) -> None:
    session[DRAFT_KEY] = draft.to_session()


def clear_draft(session: SessionBase) -> None:
    session.pop(DRAFT_KEY, None)


def sections() -> Sequence[Any]:
    return load_questionnaire().sections


def section_index(section_id: str) -> int | None:
    for index, section in enumerate(sections()):
        if section.id == section_id:
            return index
    return None


def applies(question: Any, answers: Mapping[str, object]) -> bool:
    """Skip logic: does this question apply, given the answers so far?"""
    rule = question.show_if
    return rule is None or rule.holds(answers)


def prune(answers: Mapping[str, object]) -> dict[str, object]:
    """Drop answers to questions that no longer apply (repeat until stable: rules can chain)."""
    questionnaire = load_questionnaire()
    current = dict(answers)
    while True:
        kept = {
            qid: value
            for qid, value in current.items()
            if qid in questionnaire.questions and applies(questionnaire.questions[qid], current)
        }
        if kept == current:
            return kept
        current = kept


def same_section_refs(section: Any, question: Any) -> bool:
    ids = {q.id for q in section.questions}
    return question.show_if is not None and bool(question.show_if.refs & ids)


def visible_questions(section: Any, answers: Mapping[str, object]) -> list[Any]:
    """Questions shown on this step.

    A question whose skip logic depends on another question on the same page is always
    shown (the page works without JavaScript), with its condition stated; answers to it are
    dropped afterwards if the condition does not hold.
    """
    return [q for q in section.questions if same_section_refs(section, q) or applies(q, answers)]


def parse_step(
    section: Any, post: QueryDict, draft: Draft
) -> tuple[dict[str, object], dict[str, str], dict[str, list[str]]]:
    """Read this step's fields from the form into typed values.

    Returns the new answers (whole draft, this step replaced), raw texts of number fields and
    the errors that come from parsing alone (text that is not a whole number).
    """
    answers = {k: v for k, v in draft.answers.items() if k not in {q.id for q in section.questions}}
    raw = {k: v for k, v in draft.raw.items() if k not in {q.id for q in section.questions}}
    errors: dict[str, list[str]] = {}
    for question in section.questions:
        if question.type == "multi":
            values = [v for v in post.getlist(question.id) if v]
            if values:
                answers[question.id] = values
            continue
        text = post.get(question.id, "").strip()
        if not text:
            continue
        if question.type in ("integer", "scale"):
            raw[question.id] = text
            try:
                answers[question.id] = int(text)
            except ValueError:
                errors[question.id] = [_("Enter a whole number, for example 35.")]
        else:
            answers[question.id] = text
    return answers, raw, errors


def step_errors(section: Any, answers: Mapping[str, object]) -> dict[str, list[str]]:
    """The clinical validator's errors that belong to the questions shown on this step."""
    shown = {q.id for q in visible_questions(section, answers)}
    try:
        validate_answers(load_questionnaire(), prune(answers))
    except AnswerErrors as exc:
        return {qid: msgs for qid, msgs in exc.errors.items() if qid in shown}
    return {}


def first_section_with_errors(errors: Mapping[str, object]) -> str:
    questionnaire = load_questionnaire()
    for section in questionnaire.sections:
        if any(q.id in errors for q in section.questions):
            return str(section.id)
    return str(questionnaire.sections[0].id)


def condition_hint(questionnaire: Any, question: Any) -> dict[str, Any]:
    """What a page without JavaScript says about a question that may not apply: the
    question it depends on and, for a plain "one of these answers" rule, those answers.
    Built from the data (each part translatable), never from an English sentence."""
    raw = next(
        (
            q.get("show_if")
            for s in questionnaire.raw.get("sections", [])
            for q in s.get("questions", [])
            if q.get("id") == question.id
        ),
        None,
    )
    ref = sorted(question.show_if.refs)[0]
    depends_on = questionnaire.questions[ref]
    answers: list[str] = []
    if isinstance(raw, dict) and raw.get("q") == ref and isinstance(raw.get("in"), list):
        answers = [depends_on.labels[str(v)] for v in raw["in"] if str(v) in depends_on.labels]
    return {"question": depends_on.text, "answers": answers}
