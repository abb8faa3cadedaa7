"""Red-flag screening (``data/red_flags.yaml``): run before, and above, any ranking.

The flags are read and checked at load by ``redflags_file``; this module holds what a flag
is and how the fired flags are found, worded as the person told them, and weighed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from rehabit.clinical.child_wording import is_child
from rehabit.clinical.flag_branches import Branch
from rehabit.clinical.levels import RANK, Level
from rehabit.clinical.questionnaire import Questionnaire
from rehabit.clinical.rules import Answers, Dispatch, Rule

UNSURE = "not_sure"


class RedFlagError(ValueError):
    """The red-flag data is malformed."""


@dataclass(frozen=True, slots=True)
class RedFlag:
    id: str
    # Plain language: what the person told us. A flag whose rule has an either-or says it
    # through its ``branches`` instead (``as_told`` puts the matched one's label here).
    label: str
    disposition: Level
    advice: str  # what to do now
    rule: Rule
    condition: str | None  # linked condition id, ranked first when the flag fires
    ends_check: bool = False  # the check stops here: the advice is all there is to say
    # An urgent flag whose advice gives a day or two ("two_days"), not "today": when every
    # reason for the urgent level says so, the result's headline does too (triage.decide).
    # A soon flag whose advice gives a few days ("few_days"), not a week or two: the
    # result's headline says a few days when any such flag fired.
    within: str = "today"
    label_unsure: str | None = None  # what we say when it fired only on "Not sure"
    # A "soon" flag is a clinical rule that is also evidence for its condition: when it
    # fires, this likelihood ratio applies to that condition (cited like the flag).
    lr: float | None = None
    # Other can't-miss conditions that cause the same warning sign (an urgent or emergency
    # flag only): listed with the linked condition, the more likely of them first.
    also: tuple[str, ...] = ()
    # Flags this one says everything of, in words for the person it is about (a child's
    # fever with a limp covers the adult's fever): when both fire, only this one is
    # reported, unless it was told only on "Not sure" and the other for sure
    # (``screen_as_told``). Checked at load: at least as urgent, naming the covered cause.
    covers: tuple[str, ...] = ()
    # Self-tests its advice rules out ("Keep your child off their feet": no 10-step walk):
    # once it has fired they are not asked (``flow.visible``). Checked at load.
    forbids: tuple[str, ...] = ()
    # Told only on "Not sure" answers (``as_told``): the flag still sets the advice, but a
    # "Not sure" is no evidence for a cause (as in the ranking, differential.no_information).
    unsure: bool = False
    # The cases of the rule's either-or, each worded after what it needs (flag_branches):
    # the reason names the case that holds, never the other cases joined with "or".
    branches: tuple[Branch, ...] = ()
    # The flag as a child's parent reads it (``for_a_child``), where its own wording speaks
    # to "you": "Your child has numbness ...", "Take your child to the emergency
    # department now ...". Picked by ``as_told`` when the answers are a child's.
    child_label: str | None = None
    child_label_unsure: str | None = None
    child_advice: str | None = None

    def as_told(self, answers: Answers) -> RedFlag:
        """This flag as the person told it: worded after the case of its rule that holds
        (``branches``, the first in file order, one that holds on definite answers before
        one that holds only on "Not sure"); when it fires only because of "Not sure"
        answers, its label says they were not sure (never reported as a "yes"). For a
        child (an age under 16: a parent answers, ``is_child``) its label and advice are
        the child's wording where it has one."""
        child = is_child(answers.get("age"))
        if self.label_unsure is None and not self.branches and not child:
            return self
        sure = {k: v for k, v in answers.items() if v != UNSURE}
        # As before cases: told only on "Not sure" when the rule needs one to hold.
        unsure = self.label_unsure is not None and self.rule.evaluate(sure) is not True
        advice = (child and self.child_advice) or self.advice
        branch = next((b for b in self.branches if b.holds(sure)), None)
        if branch is None:  # none held on definite answers: one that holds on "Not sure"
            branch = next((b for b in self.branches if b.holds(answers)), None)
        if branch is not None:
            label = branch.told(unsure=unsure, child=child)
        elif unsure and self.label_unsure is not None:
            label = (child and self.child_label_unsure) or self.label_unsure
        else:
            label = (child and self.child_label) or self.label
        if (label, advice, unsure) == (self.label, self.advice, self.unsure):
            return self
        return replace(self, label=label, advice=advice, unsure=unsure)

    def told_by(self, label: str) -> Branch | None:
        """The case a label given for this flag names (None: the flag's own label)."""
        return next((b for b in self.branches if label in b.labels), None)

    def is_unsure_label(self, label: str) -> bool:
        """Was ``label`` given for this flag when it fired only on "Not sure" answers?"""
        unsure = {self.label_unsure, self.child_label_unsure}
        for b in self.branches:
            unsure |= {b.label_unsure, b.child_label_unsure}
        return label in unsure - {None}

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


def flag_urgency(flags: Sequence[RedFlag]) -> dict[str, int]:
    """Each condition linked to a fired urgent or emergency flag (its ``condition`` and its
    ``also``), with the place its most urgent flag gives it (a larger number is listed
    first): twice the urgency's rank, plus one when the flag was told on definite answers
    (not only on "Not sure", see ``as_told``). These causes are listed first, most urgent
    first: a red flag is never outranked by a likely cause; at one urgency, what the person
    said comes before what they were not sure of. A "soon" flag raises the advice but does
    not reorder."""
    out: dict[str, int] = {}
    for flag in flags:
        if RANK[flag.disposition] < RANK["urgent"]:
            continue
        linked = flag.also if flag.condition is None else (flag.condition, *flag.also)
        for cid in linked:
            out[cid] = max(out.get(cid, 0), 2 * RANK[flag.disposition] + (not flag.unsure))
    return out


def flag_evidence(flags: Sequence[RedFlag], linked_lr: float) -> dict[str, float]:
    """The log likelihood ratio that fired flags add to the conditions they name: a "soon"
    flag its own ``lr`` to its condition; an urgent or emergency flag ``linked_lr`` to each
    condition it lists first (``flag_urgency``), since a warning sign is evidence for the
    causes it names. A flag told only on "Not sure" answers adds nothing: a "Not sure" is
    no evidence (as in the ranking). Several flags for one condition: the strongest counts.
    ``linked_lr`` has no default: every caller passes the differential's
    ``warning_sign_lr`` (1 for none), so none can leave it out by mistake."""
    out: dict[str, float] = {}

    def add(cid: str, lr: float) -> None:
        if lr > 1.0:
            out[cid] = max(out.get(cid, 0.0), math.log(lr))

    for flag in flags:
        if flag.lr is not None and flag.condition is not None and not flag.unsure:
            add(flag.condition, flag.lr)
    for cid in flag_urgency([f for f in flags if not f.unsure]):
        add(cid, linked_lr)
    return out


def screen(flags: Sequence[RedFlag], answers: Answers) -> tuple[RedFlag, ...]:
    """The flags that fire on these (cleaned) answers, in the order given (most urgent first).

    A flag about an unanswered question does not fire (nothing is guessed); the emergency
    questions are required, so they are always answered.
    """
    if isinstance(flags, RedFlags):
        return tuple(flags[i] for i in sorted(flags.dispatch.collect(answers)))
    return tuple(f for f in flags if f.rule.evaluate(answers) is True)


def screen_as_told(flags: Sequence[RedFlag], answers: Answers) -> tuple[RedFlag, ...]:
    """``screen``, each fired flag as the person told it (``as_told``), less any that a
    fired flag covers (``covers``: it says the same for this person) and is at least as
    sure of (a flag told only on "Not sure" does not hide one told for sure, whose
    evidence would be lost). What the result, the ranking and the guided pages use."""
    told = tuple(f.as_told(answers) for f in screen(flags, answers))
    if not any(f.covers for f in told):
        return told
    unsure = {f.id for f in told if f.unsure}
    hidden = {cid for f in told for cid in f.covers if not f.unsure or cid in unsure}
    return tuple(f for f in told if f.id not in hidden)
