"""The guided assessment: a draft of answers kept in the server-side session.

Works without JavaScript. The pages come from the clinical core (``clinical.flow``): each
shows only the questions that apply given the answers on earlier pages, and "when useful"
questions only when they could change the result. The clinical core's own validator checks
every answer, so the pages and the API accept exactly the same input. After every page the
red flags are screened, so an emergency answer leads straight to the advice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.http import QueryDict
from django.utils.translation import gettext as _

from rehabit.clinical import AnswerErrors, flow, load_questionnaire
from rehabit.clinical.engine import load_model
from rehabit.clinical.flow import prune as prune  # drops answers that no longer apply
from rehabit.clinical.questionnaire import Question
from rehabit.clinical.upgrade import draft_answers
from rehabit.clinical.validation import REQUIRED, validate_answers
from rehabit.core.reviewed_text import tr

DRAFT_KEY = "assessment_draft"


@dataclass
class Draft:
    version: str
    answers: dict[str, Any] = field(default_factory=dict)
    # What the person typed into number fields, kept even when it is not a number, so a
    # mistake is shown back to them instead of being lost.
    raw: dict[str, str] = field(default_factory=dict)
    # Flags whose advice the person has already been shown (stop pages, urgent notices).
    seen_flags: list[str] = field(default_factory=list)

    def to_session(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "answers": self.answers,
            "raw": self.raw,
            "seen_flags": self.seen_flags,
        }


def load_draft(session: SessionBase) -> Draft:
    """The session's draft, in today's questionnaire. A draft begun under an earlier
    version (the service was upgraded mid-check) keeps its answers, read through the
    clinical core's upgrade; one it cannot read starts afresh."""
    questionnaire = load_questionnaire()
    stored = session.get(DRAFT_KEY)
    if not isinstance(stored, dict):
        return Draft(version=questionnaire.version)
    answers = stored.get("answers") or {}
    raw = stored.get("raw") or {}
    if stored.get("version") != questionnaire.version:
        try:
            answers = draft_answers(str(stored.get("version")), answers)
        except ValueError:
            return Draft(version=questionnaire.version)
        raw = {k: v for k, v in raw.items() if k in questionnaire.questions}
    return Draft(
        version=questionnaire.version,
        answers=answers,
        raw=raw,
        seen_flags=list(stored.get("seen_flags") or []),
    )


def save_draft(session: SessionBase, draft: Draft) -> None:
    session[DRAFT_KEY] = draft.to_session()


def clear_draft(session: SessionBase) -> None:
    session.pop(DRAFT_KEY, None)


def pages() -> Sequence[flow.Page]:
    return flow.pages(load_questionnaire())


def page_index(page_id: str) -> int | None:
    for index, page in enumerate(pages()):
        if page.id == page_id:
            return index
    return None


def before(index: int, answers: Mapping[str, object]) -> dict[str, object]:
    """The answers given on the pages before ``index`` (what the page may depend on)."""
    earlier = {q.id for page in pages()[:index] for q in page.questions}
    return prune({k: v for k, v in answers.items() if k in earlier})


def shown(index: int, answers: Mapping[str, object]) -> list[Question]:
    """The questions page ``index`` shows, given the answers on earlier pages."""
    return flow.visible(pages()[index], before(index, answers))


def next_index(index: int, answers: Mapping[str, object], step: int = 1) -> int | None:
    """The next page (or previous, ``step=-1``) that has something to ask, or None."""
    position = index + step
    while 0 <= position < len(pages()):
        if shown(position, answers):
            return position
        position += step
    return None


def step_number(
    index: int, answers: Mapping[str, object], following: int | None
) -> tuple[int, int]:
    """ "Step n of total" for page ``index`` (``following``: ``next_index`` of it). A step
    is a section in which a question is shown; a section's follow-up pages are the same
    step. The number counts the sections shown up to this one. The total adds every later
    section, since this page's answers may still bring any of them in, or none when no
    later page has anything to ask (then this is the last step, as the page's "See my
    result" button says). A section passed over counts in neither, so the number goes up
    by one from step to step, the total drops as sections are passed over, and the number
    is never above the total."""
    current = pages()[index].section
    earlier: set[str] = set()
    for position, page in enumerate(pages()[:index]):
        known = page.section is current or page.section.id in earlier
        if not known and shown(position, answers):
            earlier.add(page.section.id)
    number = len(earlier) + 1
    if following is None:
        return number, number
    later = {page.section.id for page in pages()[index + 1 :] if page.section is not current}
    return number, number + len(later)


def parse_page(
    questions: Sequence[Question], post: QueryDict, draft: Draft
) -> tuple[dict[str, object], dict[str, str], dict[str, list[str]]]:
    """Read this page's fields from the form into typed values.

    Returns the new answers (whole draft, this page replaced), raw texts of number fields and
    the errors that come from parsing alone (text that is not a whole number).
    """
    ids = {q.id for q in questions}
    answers = {k: v for k, v in draft.answers.items() if k not in ids}
    raw = {k: v for k, v in draft.raw.items() if k not in ids}
    errors: dict[str, list[str]] = {}
    for question in questions:
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
            number = read_number(question, text)
            if number is None:
                errors[question.id] = [number_error(question)]
            else:
                answers[question.id] = number
        else:
            answers[question.id] = text
    return answers, raw, errors


def page_errors(
    questions: Sequence[Question], answers: Mapping[str, object]
) -> dict[str, list[str]]:
    """The clinical validator's errors that belong to the questions on this page.

    Questions of later pages are not required yet: only this page's and earlier ones are
    checked.
    """
    by_id = {q.id: q for q in questions}
    try:
        validate_answers(load_questionnaire(), prune(answers))
    except AnswerErrors as exc:
        return {
            qid: _in_words(by_id[qid], answers.get(qid), msgs)
            for qid, msgs in exc.errors.items()
            if qid in by_id
        }
    return {}


def _in_words(question: Question, value: object, messages: list[str]) -> list[str]:
    """The validator's messages (plain English for API clients, never translated) as the page
    says them: in the reader's language, a number out of range in the question's unit."""
    low, high = question.min, question.max
    if isinstance(value, int) and low is not None and high is not None and not low <= value <= high:
        return [range_error(question)]
    if question.type == "multi" and isinstance(value, list) and len(set(value)) > 1:
        alone = [v for v in question.option_values if v in value and v in question.exclusive]
        if alone:  # "None of these" with another answer: only possible without JavaScript
            return [
                _(
                    "“%(option)s” cannot be chosen with other answers: untick it, or untick "
                    "the others."
                )
                % {"option": tr(question.labels[v])}
                for v in alone
            ]
    return [_("This question is required.") if m == REQUIRED else m for m in messages]


def errors_in_words(
    errors: Mapping[str, list[str]], answers: Mapping[str, object]
) -> dict[str, list[str]]:
    """The validator's errors for a whole check (the last page found one on an earlier
    page), as the pages say them."""
    questions = load_questionnaire().questions
    return {
        qid: _in_words(questions[qid], answers.get(qid), list(msgs))
        if qid in questions
        else list(msgs)
        for qid, msgs in errors.items()
    }


def range_error(question: Question) -> str:
    """What to say when a number is too small or too large ("130" for an age)."""
    bounds = {"low": question.min, "high": question.max}
    if question.unit == "days":
        return _("Enter a number of days from %(low)d to %(high)d.") % bounds
    if question.unit == "years":
        return _("Enter an age from %(low)d to %(high)d years.") % bounds
    return _("Enter a number from %(low)d to %(high)d.") % bounds


def first_page_with_errors(errors: Mapping[str, object]) -> str:
    for page in pages():
        if any(q.id in errors for q in page.questions):
            return page.id
    return pages()[0].id


def advice_given(flag_ids: Sequence[str]) -> set[str]:
    """The advice of the emergency signs the person has been shown at a stop (in the
    words for a child too: a parent is told a sign's ``for_a_child`` advice)."""
    seen = set(flag_ids)
    return {
        said
        for f in load_model().red_flags
        if f.id in seen and (f.disposition == "emergency" or f.ends_check)
        for said in (f.advice, f.child_advice)
        if said is not None
    }


def stopping(answers: Mapping[str, object]) -> tuple[Any, ...]:
    """Flags that mean the next page is the advice (an emergency, or the end of the check)."""
    return flow.stopping_flags(prune(answers))


def urgent(answers: Mapping[str, object]) -> tuple[Any, ...]:
    return flow.urgent_flags(prune(answers))


_NUMBER_AND_WORD = re.compile(r"(\d{1,9})\s*([^\W\d_]+)\.?")
# Words a number may carry in a field of each unit, and what each counts in that unit: the
# field shows its unit beside the box, and people type it too ("3 days", "2 weeks").
_UNIT_WORDS: dict[str, dict[str, int]] = {
    "days": {"day": 1, "days": 1, "d": 1, "week": 7, "weeks": 7, "wk": 7, "wks": 7},
    "years": {"year": 1, "years": 1, "yr": 1, "yrs": 1, "y": 1},
}


def read_number(question: Question, text: str) -> int | None:
    """A whole number as typed, alone or with the field's unit ("3 days", or "2 weeks" for
    14 days; the unit's name in the reader's language too); None for anything else."""
    try:
        return int(text)
    except ValueError:
        pass
    found = _NUMBER_AND_WORD.fullmatch(text.strip())
    words = dict(_UNIT_WORDS.get(question.unit or "", {}))
    if question.unit:
        words.setdefault(_(question.unit).casefold(), 1)
    if found is None or found[2].casefold() not in words:
        return None
    return int(found[1]) * words[found[2].casefold()]


def number_error(question: Question) -> str:
    """What to say when a number was expected and something else was typed ("three
    weeks"): in the question's own unit, with an example a person would give."""
    if question.unit == "days":
        return _("Enter a whole number of days, for example 21 for three weeks.")
    if question.unit == "years":
        return _("Enter the age in whole years, for example 35.")
    return _("Enter a whole number, for example 5.")
