"""Reading and checking ``data/questionnaire.yaml`` into a ``Questionnaire``
(``questionnaire.py`` holds the data classes): every key, type, option and ``show_if`` rule
is checked, and a question or section a child's parent can be shown must have a parent's
wording where it speaks to "you".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType
from typing import Any, cast

from rehabit.clinical.child_wording import never_true_for_a_child, speaks_to_you
from rehabit.clinical.datafiles import load_yaml
from rehabit.clinical.questionnaire import (
    ASK_VALUES,
    QUESTION_TYPES,
    SCALE_MAX,
    SCALE_MIN,
    YES_NO_LABELS,
    YES_NO_VALUES,
    Option,
    Question,
    Questionnaire,
    QuestionnaireError,
    QuestionType,
    Section,
)
from rehabit.clinical.rules import RuleError, compile_rule

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_QUESTION_KEYS = frozenset(
    {
        "id",
        "text",
        "help",
        "type",
        "min",
        "max",
        "unit",
        "required",
        "options",
        "exclusive",
        "show_if",
        "ask",
        "loads_the_leg",
        "asked_first",
        "for_a_child",
        "asks_whoever_answers",
    }
)


def _text(raw: Mapping[str, Any], key: str, where: str, *, optional: bool = False) -> str | None:
    value = raw.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise QuestionnaireError(f"{where}: '{key}' must be non-empty text")
    return value.strip()


_CHILD_KEYS = frozenset({"text", "help", "options"})


def _child_wording(
    raw: Mapping[str, Any], where: str, options: Sequence[Option]
) -> tuple[str | None, str | None, Mapping[str, str]]:
    """A question's ``for_a_child`` wording: {text, help, options}, at least one of them;
    ``options`` maps some of the question's option values to a child's label."""
    child = raw.get("for_a_child")
    if child is None:
        return None, None, MappingProxyType({})
    where = f"{where}.for_a_child"
    if not isinstance(child, Mapping) or not child or set(child) - _CHILD_KEYS:
        raise QuestionnaireError(f"{where}: a mapping with text, help, options or some of them")
    text = _text(child, "text", where, optional=True)
    help_ = _text(child, "help", where, optional=True)
    return text, help_, _child_labels(child.get("options"), f"{where}.options", options)


def _child_labels(raw: object, where: str, options: Sequence[Option]) -> Mapping[str, str]:
    """``for_a_child.options``: option value -> the label a child's parent reads."""
    if raw is None:
        return MappingProxyType({})
    if not isinstance(raw, Mapping) or not raw:
        raise QuestionnaireError(f"{where}: a mapping of option value to label")
    own = {o.value: o.label for o in options}
    labels: dict[str, str] = {}
    for value, label in raw.items():
        if value not in own:
            known = ", ".join(own) if own else "none"
            raise QuestionnaireError(
                f"{where}: {value!r} is not an option of the question (options: {known})"
            )
        if not isinstance(label, str) or not label.strip():
            raise QuestionnaireError(f"{where}.{value}: label must be non-empty text")
        if label.strip() == own[value]:
            raise QuestionnaireError(
                f"{where}.{value}: the same as the option's own label; leave it out"
            )
        labels[value] = label.strip()
    return MappingProxyType(labels)


def _options(raw: Mapping[str, Any], qtype: str, where: str) -> tuple[Option, ...]:
    items = raw.get("options")
    if qtype in ("integer", "scale"):
        if items is not None:
            raise QuestionnaireError(f"{where}: {qtype} questions take no options")
        return ()
    if items is None and qtype == "yes_no":
        return tuple(Option(v, YES_NO_LABELS[v]) for v in YES_NO_VALUES)
    if not isinstance(items, Sequence) or not items:
        raise QuestionnaireError(f"{where}: options must be a non-empty list")
    options: list[Option] = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping) or set(item) != {"value", "label"}:
            raise QuestionnaireError(f"{where}.options[{i}]: needs exactly 'value' and 'label'")
        value, label = item["value"], item["label"]
        if not isinstance(value, str) or not _ID.match(value):
            raise QuestionnaireError(f"{where}.options[{i}]: value {value!r} must be snake_case")
        if not isinstance(label, str) or not label.strip():
            raise QuestionnaireError(f"{where}.options[{i}]: label must be non-empty text")
        options.append(Option(value, label.strip()))
    values = [o.value for o in options]
    if len(set(values)) != len(values):
        raise QuestionnaireError(f"{where}: duplicate option values")
    if qtype == "yes_no" and (
        not set(values) <= set(YES_NO_VALUES) or not {"yes", "no"} <= set(values)
    ):
        raise QuestionnaireError(f"{where}: yes_no options must be yes, no and optionally not_sure")
    return tuple(options)


def _question(raw: object, section: str, index: int, known: Mapping[str, Question]) -> Question:
    where = f"section {section!r} question {index}"
    if not isinstance(raw, Mapping):
        raise QuestionnaireError(f"{where}: must be a mapping")
    unknown = set(raw) - _QUESTION_KEYS
    if unknown:
        raise QuestionnaireError(f"{where}: unknown keys {sorted(unknown)}")
    qid = raw.get("id")
    if not isinstance(qid, str) or not _ID.match(qid):
        raise QuestionnaireError(f"{where}: id {qid!r} must be snake_case")
    where = f"question {qid!r}"
    qtype = raw.get("type")
    if qtype not in QUESTION_TYPES:
        raise QuestionnaireError(f"{where}: type must be one of {sorted(QUESTION_TYPES)}")
    required = raw.get("required", False)
    if not isinstance(required, bool):
        raise QuestionnaireError(f"{where}: required must be true or false")
    low, high = raw.get("min"), raw.get("max")
    if qtype == "integer":
        if (
            not (isinstance(low, int) and isinstance(high, int))
            or isinstance(low, bool)
            or low > high
        ):
            raise QuestionnaireError(f"{where}: integer questions need whole-number min <= max")
    elif low is not None or high is not None:
        raise QuestionnaireError(f"{where}: only integer questions take min/max")
    if qtype == "scale":
        low, high = SCALE_MIN, SCALE_MAX
    options = _options(raw, str(qtype), where)
    exclusive_raw = raw.get("exclusive", [])
    if exclusive_raw and qtype != "multi":
        raise QuestionnaireError(f"{where}: only multi questions take 'exclusive'")
    if not isinstance(exclusive_raw, list) or not set(exclusive_raw) <= {o.value for o in options}:
        raise QuestionnaireError(f"{where}: exclusive values must be options of the question")
    show_if = None
    if raw.get("show_if") is not None:
        try:
            show_if = compile_rule(raw["show_if"], known, f"{where}.show_if", two_valued=True)
        except RuleError as exc:  # only earlier questions may control visibility
            raise QuestionnaireError(f"{exc} (show_if may only use earlier questions)") from exc
    ask = raw.get("ask", "always")
    if ask not in ASK_VALUES:
        raise QuestionnaireError(f"{where}: ask must be one of {sorted(ASK_VALUES)}")
    if ask == "when_useful" and required:
        raise QuestionnaireError(f"{where}: a question asked only when useful must be optional")
    loads_the_leg = raw.get("loads_the_leg", False)
    if not isinstance(loads_the_leg, bool):
        raise QuestionnaireError(f"{where}: loads_the_leg must be true or false")
    if loads_the_leg and required:
        raise QuestionnaireError(f"{where}: a self-test that loads the leg must be optional")
    asked_first = raw.get("asked_first", False)
    if not isinstance(asked_first, bool):
        raise QuestionnaireError(f"{where}: asked_first must be true or false")
    child_text, child_help, child_labels = _child_wording(raw, where, options)
    asks_whoever_answers = raw.get("asks_whoever_answers", False)
    if not isinstance(asks_whoever_answers, bool):
        raise QuestionnaireError(f"{where}: asks_whoever_answers must be true or false")
    if asks_whoever_answers and (child_text is not None or child_help is not None):
        raise QuestionnaireError(
            f"{where}: a question put to whoever answers (asks_whoever_answers) keeps its "
            "own text and help; leave out for_a_child text and help"
        )
    labels = MappingProxyType({o.value: o.label for o in options})
    return Question(
        id=qid,
        section=section,
        text=cast(str, _text(raw, "text", where)),
        type=cast(QuestionType, qtype),
        required=required,
        help=_text(raw, "help", where, optional=True),
        min=low,
        max=high,
        unit=_text(raw, "unit", where, optional=True),
        options=options,
        exclusive=frozenset(exclusive_raw),
        show_if=show_if,
        ask=ask,
        loads_the_leg=loads_the_leg,
        asked_first=asked_first,
        child_text=child_text,
        child_help=child_help,
        child_labels=child_labels,
        asks_whoever_answers=asks_whoever_answers,
        labels=labels,
        values=frozenset(labels),
        option_values=tuple(labels),
    )


# "you", "your", "yours", "yourself" as whole words, in any case.
def check_child_wording(question: Question) -> None:
    """Refuse a question a child's parent can be shown that speaks to "you" without a
    child's wording: its text needs ``for_a_child.text``, its help ``for_a_child.help`` and
    each such answer label a ``for_a_child.options`` label ("Where does your child feel the
    pain?"), unless the question is put to whoever answers (``asks_whoever_answers``)."""
    if question.asks_whoever_answers:
        return
    where = f"question {question.id!r}"
    hint = (
        'speaks to "you", and a child\'s parent can be shown it: give for_a_child.{key}, '
        "the wording a parent reads about their child (or mark the question "
        "asks_whoever_answers: true if it is put to whoever fills in the check)"
    )
    if speaks_to_you(question.text) and question.child_text is None:
        raise QuestionnaireError(f"{where}: its text {hint.format(key='text')}")
    if speaks_to_you(question.help) and question.child_help is None:
        raise QuestionnaireError(f"{where}: its help {hint.format(key='help')}")
    for option in question.options:
        if speaks_to_you(option.label) and option.value not in question.child_labels:
            raise QuestionnaireError(
                f"{where}: the answer {option.value!r} {hint.format(key='options')}"
            )


_SECTION_CHILD_KEYS = frozenset({"title", "intro"})


def _section_child_wording(raw: Mapping[str, Any], where: str) -> tuple[str | None, str | None]:
    """A section's ``for_a_child`` wording: {title, intro}, at least one of them."""
    child = raw.get("for_a_child")
    if child is None:
        return None, None
    where = f"{where}.for_a_child"
    if not isinstance(child, Mapping) or not child or set(child) - _SECTION_CHILD_KEYS:
        raise QuestionnaireError(f"{where}: a mapping with title, intro or both")
    return _text(child, "title", where, optional=True), _text(child, "intro", where, optional=True)


def check_section_child_wording(section: Section) -> None:
    """Refuse a section a child's parent can be shown whose heading or intro speaks to
    "you" without a child's wording (``for_a_child.title`` / ``.intro``: "Your child's
    pain"), as ``check_child_wording`` does for a question. A section that asks the age
    (a question put to whoever answers) keeps its own: it is read before the age is known."""
    if any(q.asks_whoever_answers for q in section.questions):
        return
    hint = (
        'speaks to "you", and a child\'s parent can be shown it: give for_a_child.{key}, '
        "the wording a parent reads about their child"
    )
    where = f"section {section.id!r}"
    if speaks_to_you(section.title) and section.child_title is None:
        raise QuestionnaireError(f"{where}: its title {hint.format(key='title')}")
    if speaks_to_you(section.intro) and section.child_intro is None:
        raise QuestionnaireError(f"{where}: its intro {hint.format(key='intro')}")


def parse_questionnaire(data: object, *, child_wording: bool = True) -> Questionnaire:
    """Build a Questionnaire from parsed YAML; raise QuestionnaireError on any problem.

    ``child_wording``: refuse a question a child's parent can be shown that speaks to "you"
    without a child's wording (``check_child_wording``). Only a frozen copy of a version
    from before 2026.12.9, read as it was, is parsed without it."""
    if not isinstance(data, Mapping):
        raise QuestionnaireError("questionnaire: top level must be a mapping")
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise QuestionnaireError("questionnaire: 'version' must be a non-empty string")
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise QuestionnaireError("questionnaire: 'sections' must be a non-empty list")
    questions: dict[str, Question] = {}
    sections: list[Section] = []
    never_for_a_child: set[str] = set()  # questions a child's parent is never shown
    for raw_section in raw_sections:
        if not isinstance(raw_section, Mapping) or not _ID.match(str(raw_section.get("id", ""))):
            raise QuestionnaireError("questionnaire: each section needs a snake_case id")
        sid = str(raw_section["id"])
        if any(s.id == sid for s in sections):
            raise QuestionnaireError(f"questionnaire: duplicate section {sid!r}")
        items = raw_section.get("questions")
        if not isinstance(items, list) or not items:
            raise QuestionnaireError(f"section {sid!r}: 'questions' must be a non-empty list")
        section_questions = []
        for index, raw_question in enumerate(items):
            question = _question(raw_question, sid, index, questions)
            if question.id in questions:
                raise QuestionnaireError(f"question {question.id!r}: duplicate id")
            questions[question.id] = question
            section_questions.append(question)
            show_if = raw_question.get("show_if")
            if show_if is not None and never_true_for_a_child(show_if, never_for_a_child):
                never_for_a_child.add(question.id)
            elif child_wording:
                check_child_wording(question)
        child_title, child_intro = _section_child_wording(raw_section, f"section {sid!r}")
        section = Section(
            id=sid,
            title=cast(str, _text(raw_section, "title", f"section {sid!r}")),
            intro=_text(raw_section, "intro", f"section {sid!r}", optional=True),
            questions=tuple(section_questions),
            child_title=child_title,
            child_intro=child_intro,
        )
        if child_wording and not all(q.id in never_for_a_child for q in section_questions):
            check_section_child_wording(section)
        sections.append(section)
    return Questionnaire(
        version,
        tuple(sections),
        MappingProxyType(questions),
        data,
        frozenset(never_for_a_child),
    )


@lru_cache(maxsize=1)
def load_questionnaire() -> Questionnaire:
    """The packaged questionnaire, parsed and compiled once per process."""
    return parse_questionnaire(load_yaml("questionnaire.yaml"))
