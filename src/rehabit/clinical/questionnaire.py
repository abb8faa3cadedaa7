"""The self-assessment questionnaire: its immutable data classes.

The questionnaire lives in ``data/questionnaire.yaml`` (reviewed data, with a ``version``);
``questionnaire_file`` reads and checks it once, compiling every ``show_if`` rule at load
time, and ``load_questionnaire`` there gives the packaged one.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Literal

from rehabit.clinical.child_wording import (
    always_true_for_a_child,
    is_child,
    never_true_for_a_child,
    rule_questions,
)
from rehabit.clinical.rules import Rule

QuestionType = Literal["integer", "scale", "single", "multi", "yes_no"]
QUESTION_TYPES: frozenset[str] = frozenset({"integer", "scale", "single", "multi", "yes_no"})
YES_NO_VALUES = ("yes", "no", "not_sure")
YES_NO_LABELS = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}
SCALE_MIN, SCALE_MAX = 0, 10
# When the guided pages ask a question: always (when its show_if holds), or only when one
# of its answers could change the advice or the likely causes (clinical/flow.py).
ASK_VALUES = frozenset({"always", "when_useful"})
# The section of self-tests (walking, hopping, stretching): the guided pages ask none of them
# after emergency advice (clinical/flow.py), and the therapist's intake lists them apart.
SELF_TEST_SECTION = "self_tests"
# Integer questions with more possible answers than this are not tabulated by rule
# dispatch (a 100-year range of days would be 36,501 entries per rule).
MAX_TABULATED_INTEGERS = 4000


class QuestionnaireError(ValueError):
    """The questionnaire data is malformed."""


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True, eq=False)
class Question:
    id: str
    section: str
    text: str
    type: QuestionType
    required: bool
    help: str | None = None
    min: int | None = None
    max: int | None = None
    unit: str | None = None
    options: tuple[Option, ...] = ()
    exclusive: frozenset[str] = frozenset()
    show_if: Rule | None = None
    ask: str = "always"
    # A self-test that puts load or a strong stretch on the leg: the guided pages do not ask
    # it once a warning sign says to see a doctor today or sooner (clinical/flow.py).
    loads_the_leg: bool = False
    # A screening question the guided pages ask on a page of its own, with its follow-ups
    # on the next, before the rest of its section (clinical/flow.py pages()).
    asked_first: bool = False
    # The wording shown for a child under CHILD_UNDER (a parent or carer answers), where it
    # differs: its text and its help (a help only for children leaves adults without one),
    # and labels of some options (option value -> label; "Yes, but my child limps").
    child_text: str | None = None
    child_help: str | None = None
    child_labels: Mapping[str, str] = field(default_factory=dict)
    # Put to whoever fills in the check, in words that fit a parent too ("How old are
    # you?"): it keeps its wording for a child (see check_child_wording).
    asks_whoever_answers: bool = False
    labels: Mapping[str, str] = field(default_factory=dict)
    values: frozenset[str] = frozenset()  # the option values, for fast membership tests
    option_values: tuple[str, ...] = ()  # the option values in display order

    def answer_domain(self, max_options: int = 12) -> tuple[Hashable, ...] | None:
        """Every possible answer (multi: every subset, as frozensets), or None if too many."""
        if self.type in ("integer", "scale"):
            assert self.min is not None and self.max is not None
            if self.max - self.min > MAX_TABULATED_INTEGERS:
                return None
            return tuple(range(self.min, self.max + 1))
        if self.type != "multi":
            return self.option_values
        if len(self.options) > max_options:
            return None
        values = self.option_values
        return tuple(
            frozenset(v for i, v in enumerate(values) if mask >> i & 1)
            for mask in range(1, 2 ** len(values))
        )

    def worded_for(self, age: object) -> Question:
        """The question as a person of this age reads it: the ``for_a_child`` wording under
        CHILD_UNDER (text, help and option labels), its own wording otherwise (or when the
        age is not known yet). The option values stay the same."""
        if not is_child(age) or (
            self.child_text is None and self.child_help is None and not self.child_labels
        ):
            return self
        options = self.options
        if self.child_labels:
            options = tuple(
                Option(o.value, self.child_labels.get(o.value, o.label)) for o in self.options
            )
        return replace(
            self,
            text=self.child_text or self.text,
            help=self.child_help if self.child_help is not None else self.help,
            options=options,
            labels=MappingProxyType({o.value: o.label for o in options}),
        )

    def to_dict(self) -> dict[str, object]:
        """The question in the data-file schema (yes_no options filled in)."""
        out: dict[str, object] = {"id": self.id, "text": self.text, "type": self.type}
        if self.help is not None:
            out["help"] = self.help
        child: dict[str, object] = {"text": self.child_text, "help": self.child_help}
        if self.child_labels:  # in display order
            child["options"] = {
                v: self.child_labels[v] for v in self.option_values if v in self.child_labels
            }
        if any(child.values()):
            out["for_a_child"] = {k: v for k, v in child.items() if v is not None}
        if self.type in ("integer", "scale"):
            out["min"], out["max"] = self.min, self.max
        if self.unit is not None:
            out["unit"] = self.unit
        out["required"] = self.required
        out["ask"] = self.ask
        if self.loads_the_leg:
            out["loads_the_leg"] = True
        if self.asked_first:
            out["asked_first"] = True
        if self.options:
            out["options"] = [{"value": o.value, "label": o.label} for o in self.options]
        if self.exclusive:
            out["exclusive"] = [v for v in self.option_values if v in self.exclusive]
        return out


@dataclass(frozen=True, slots=True, eq=False)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]
    intro: str | None = None
    # The heading and intro shown for a child under CHILD_UNDER (a parent or carer
    # answers), where they differ ("Your child's pain"); see ``worded_for``.
    child_title: str | None = None
    child_intro: str | None = None

    def worded_for(self, age: object) -> Section:
        """The section as a person of this age reads it: the ``for_a_child`` heading and
        intro under CHILD_UNDER, its own otherwise (or when the age is not known yet, as
        on the start page, which lists the headings before the age is asked)."""
        if not is_child(age) or (self.child_title is None and self.child_intro is None):
            return self
        return replace(
            self,
            title=self.child_title or self.title,
            intro=self.child_intro if self.child_intro is not None else self.intro,
        )


@dataclass(frozen=True, slots=True, eq=False)
class Questionnaire:
    """Hashable by identity, so compiled models can be cached per questionnaire."""

    version: str
    sections: tuple[Section, ...]
    questions: Mapping[str, Question]  # in display order
    raw: Mapping[str, Any] = field(repr=False, default_factory=dict)
    # Questions a child's parent is never shown (their show_if needs an age of CHILD_UNDER
    # or more, or an answer to such a question): see ``can_apply_to_a_child``.
    never_for_a_child: frozenset[str] = frozenset()

    def can_apply_to_a_child(self, rule: Mapping[str, Any]) -> bool:
        """Whether a (valid, raw) rule about these questions can hold for a child under
        CHILD_UNDER (see ``never_true_for_a_child``: anything it cannot tell counts as yes)."""
        return not never_true_for_a_child(rule, set(self.never_for_a_child))

    def can_fail_for_a_child(self, rule: Mapping[str, Any]) -> bool:
        """Whether a (valid, raw) rule can be false for a child, its questions answered
        (the counterpart of ``can_apply_to_a_child``, for what "is not so" says)."""
        if all(q in self.never_for_a_child for q in rule_questions(rule)):
            return False  # never answered for a child: nothing is known to be false
        return not always_true_for_a_child(rule, set(self.never_for_a_child))

    @property
    def domains(self) -> dict[str, tuple[Hashable, ...] | None]:
        """Possible answers per question (see ``Question.answer_domain``)."""
        return {qid: q.answer_domain() for qid, q in self.questions.items()}

    @property
    def multi_ids(self) -> frozenset[str]:
        return frozenset(qid for qid, q in self.questions.items() if q.type == "multi")

    def to_dict(self) -> dict[str, object]:
        """The whole questionnaire (raw show_if rules included) for generic renderers."""
        sections = []
        raw_sections = {s["id"]: s for s in self.raw.get("sections", [])}
        for section in self.sections:
            raw_questions = {
                q["id"]: q for q in raw_sections.get(section.id, {}).get("questions", [])
            }
            items = []
            for q in section.questions:
                item = q.to_dict()
                show_if = raw_questions.get(q.id, {}).get("show_if")
                if show_if is not None:
                    item["show_if"] = show_if
                items.append(item)
            entry: dict[str, object] = {"id": section.id, "title": section.title}
            if section.intro is not None:
                entry["intro"] = section.intro
            child = {"title": section.child_title, "intro": section.child_intro}
            if any(child.values()):
                entry["for_a_child"] = {k: v for k, v in child.items() if v is not None}
            entry["questions"] = items
            sections.append(entry)
        return {"version": self.version, "sections": sections}
