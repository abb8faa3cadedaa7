"""The guided check, page by page: which questions to show, and when to stop early.

* **Pages.** Each section becomes one page, and a question that depends on another
  question of its own section moves to a follow-up page after it. So every question on a
  page depends only on answers already given, and a page never needs "answer only if"
  hints: it shows exactly the questions that apply. A screening question marked
  ``asked_first`` has a page of its own, and its follow-ups the next, before the rest of
  its section.
* **Only useful questions.** A question marked ``ask: when_useful`` is shown only when one
  of its answers could change what the check says: the advice (disposition), the most
  likely cause, or the probability of one of the three most likely causes by at least
  ``USEFUL_CHANGE``. Everything else the person would be asked is safety screening, which is
  always shown.
* **Stop at an emergency.** After every page the red flags are screened on the answers so
  far; an emergency flag (or one that ends the check) means the next page is the advice.
* **No loading on a leg sent to a doctor.** Once a warning sign says to see a doctor today
  or sooner, the self-tests that load or stretch the leg (``loads_the_leg``) are not asked;
  after emergency advice (a person who chose to finish the check), no self-test is; and a
  self-test that a fired warning sign's advice rules out (its ``forbids``: "Keep your child
  off their feet" and the 10-step walk) is not asked either.

Everything here works on partial answers, as the pages collect them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rehabit.clinical.engine import ClinicalModel, load_model
from rehabit.clinical.levels import RANK
from rehabit.clinical.questionnaire import SELF_TEST_SECTION, Question, Questionnaire, Section
from rehabit.clinical.redflags import RedFlag, flag_evidence, flag_urgency, screen_as_told
from rehabit.clinical.triage import MILD_ANSWERS, RankedCause, decide

# A "when useful" question is asked when one of its answers could change the advice (its
# level, or a warning sign at least as urgent), the first cause, or the probability of one
# of the three most likely causes by this much; or when it is needed, with others on the
# same page, to decide a warning sign. Set on the tuning part of the published-case set:
# median questions shown <= 30 without losing accuracy or any warning sign's advice.
USEFUL_CHANGE = 0.3
SCALE_PROBES = (0, 3, 6, 9)
# How long the guided check is, as the start and home pages say: the median number of
# questions the pages show over the tuning part of the published-case set
# (bench/clinical_cases.py; tests/assessments/test_pages.py checks it), and the time at
# about 15 seconds a question.
TYPICAL_QUESTIONS = 28
TYPICAL_MINUTES = 7


@dataclass(frozen=True, slots=True)
class Page:
    """One page of the guided check: a section, or a follow-up page of it."""

    id: str  # the section id, or "<section>-2", "<section>-3" for the pages after it
    section: Section
    questions: tuple[Question, ...]
    # Its questions follow up answers on an earlier page of the section ("a few more
    # questions"); the rest of a section after its asked-first questions is not one.
    follow_up: bool = False


@lru_cache(maxsize=8)
def pages(questionnaire: Questionnaire) -> tuple[Page, ...]:
    out: list[Page] = []
    for section in questionnaire.sections:
        first, rest = _asked_first(section)
        levels = [(level > 0, items) for part in (first, rest) for level, items in _levels(part)]
        for number, (follow_up, items) in enumerate(levels, start=1):
            page_id = section.id if number == 1 else f"{section.id}-{number}"
            out.append(Page(page_id, section, items, follow_up))
    return tuple(out)


def _asked_first(section: Section) -> tuple[list[Question], list[Question]]:
    """A section's questions asked first (``asked_first`` and the follow-ups that depend
    only on them within the section), and the rest. A screening question with follow-ups
    that can end the check (the cauda equina items) is asked first, so a "yes" leads
    straight to its follow-ups, and an emergency to the advice, instead of after the rest
    of the section."""
    first: list[Question] = []
    rest: list[Question] = []
    own = {q.id for q in section.questions}
    first_ids: set[str] = set()
    for question in section.questions:
        refs = question.show_if.refs & own if question.show_if is not None else frozenset()
        if question.asked_first or (refs and refs <= first_ids):
            first.append(question)
            first_ids.add(question.id)
        else:
            rest.append(question)
    return first, rest


def _levels(questions: Sequence[Question]) -> list[tuple[int, tuple[Question, ...]]]:
    """Questions in pages, numbered from 0: a question that depends on another of the same
    list goes on a follow-up page after it."""
    own = {q.id for q in questions}
    depth: dict[str, int] = {}
    for question in questions:
        refs = question.show_if.refs & own if question.show_if is not None else frozenset()
        depth[question.id] = 1 + max((depth[r] for r in refs), default=-1)
    return [
        (level, tuple(q for q in questions if depth[q.id] == level))
        for level in range(max(depth.values(), default=-1) + 1)
    ]


@dataclass(frozen=True, slots=True)
class Outlook:
    """What the check would say on these answers: the advice and the ranking."""

    level: str
    probabilities: Mapping[str, float]
    top: tuple[str, ...]  # ids, most likely first (flag-linked causes first)
    flags: frozenset[str]  # fired red flags: each brings its own advice


def outlook(
    answers: Mapping[str, object],
    model: ClinicalModel | None = None,
    *,
    flags: Sequence[RedFlag] | None = None,
) -> Outlook:
    """Red flags, ranking and disposition on partial answers (nothing is required).
    ``flags``: these answers' red flags, when the caller has screened them already."""
    model = model or load_model()
    if flags is None:
        flags = screen_as_told(model.red_flags, answers)
    flagged = flag_urgency(flags)
    differential = model.differential
    evidence = flag_evidence(flags, differential.warning_sign_lr)
    causes = differential.rank(differential.informative(answers), flagged, evidence)
    conditions = model.conditions
    first = causes[0]
    ranked = [RankedCause(conditions[first.id], first.probability)] + [
        RankedCause(conditions[c.id], c.probability) for c in causes[1:] if conditions[c.id].floors
    ]
    disposition = decide(flags, ranked, answers)
    return Outlook(
        disposition.level,
        {c.id: c.probability for c in causes},
        tuple(c.id for c in causes[:3]),
        frozenset(f.id for f in flags),
    )


def probes(question: Question) -> Sequence[object]:
    """The answers tried when asking whether a question is worth asking."""
    if question.type == "scale":
        return SCALE_PROBES
    if question.type == "integer":
        assert question.min is not None and question.max is not None
        return (question.min, question.max)
    if question.type == "multi":
        # Each option alone, and every option that can be combined at once (a rule may
        # need two of them, e.g. worse on running and on walking).
        combinable = [v for v in question.option_values if v not in question.exclusive]
        return [[value] for value in question.option_values] + [combinable]
    return question.option_values


def is_useful(
    question: Question,
    answers: Mapping[str, object],
    *,
    model: ClinicalModel | None = None,
    now: Outlook | None = None,
    passed: frozenset[str] = frozenset(),
) -> bool:
    """Could any answer to ``question`` change the advice (its level, or a warning sign
    with advice of its own), the first cause, or the probability of one of the three most
    likely causes by ``USEFUL_CHANGE``?"""
    model = model or load_model()
    now = now or outlook(answers, model)
    if completes_a_flag(question, answers, model, passed, now.level):
        return True
    watched = now.top
    model_flags = _flag_levels(model)
    if question.id in MILD_ANSWERS and now.level != "self_care" and question.id not in answers:
        # "Mild" needs every one of its answers (triage.MILD_ANSWERS), so one of them alone
        # never changes the advice: ask each while, with all of them mild, it would.
        mild = {qid: value for qid, value in MILD_ANSWERS.items() if qid not in answers}
        if outlook({**answers, **mild}, model).level != now.level:
            return True
    for value in probes(question):
        then = outlook({**answers, question.id: value}, model)
        if then.level != now.level or then.top[:1] != now.top[:1]:
            return True
        if any(RANK[model_flags[f]] >= RANK[now.level] for f in then.flags ^ now.flags):
            return True  # a warning sign with advice of its own, at least as urgent
        for cid in watched:
            if abs(then.probabilities[cid] - now.probabilities[cid]) >= USEFUL_CHANGE:
                return True
    return False


def completes_a_flag(
    question: Question,
    answers: Mapping[str, object],
    model: ClinicalModel,
    passed: frozenset[str] = frozenset(),
    level: str = "self_care",
) -> bool:
    """Is ``question`` needed to decide a red flag that is still undecided on these
    answers? One question at a time cannot show that a flag needs two answers together
    (worse on walking and eased by standing still, a bruise and a weak knee bend), so a
    flag's questions are asked while the flag can still be decided (none of the questions
    it waits for was already passed over on an earlier page) and it is an urgent or
    emergency flag at least as urgent as the advice so far. ("Soon" flags are caught when
    one answer decides them.)"""
    for flag in flags_using(model, question.id):
        if RANK[flag.disposition] < max(RANK[level], RANK["urgent"]):
            continue  # its advice would not add to what is already said
        if flag.rule.evaluate(answers) is not None:
            continue  # decided already
        waiting = {ref for ref in flag.rule.refs if ref not in answers}
        if not waiting & passed:
            return True
    return False


@lru_cache(maxsize=8)
def _flag_levels(model: ClinicalModel) -> dict[str, str]:
    return {f.id: f.disposition for f in model.red_flags}


@lru_cache(maxsize=256)
def _flags_using(model: ClinicalModel, question_id: str) -> tuple[RedFlag, ...]:
    return tuple(f for f in model.red_flags if question_id in f.rule.refs)


def flags_using(model: ClinicalModel, question_id: str) -> tuple[RedFlag, ...]:
    return _flags_using(model, question_id)


def applies(question: Question, answers: Mapping[str, object]) -> bool:
    return question.show_if is None or question.show_if.evaluate(answers) is True


def prune(answers: Mapping[str, object], model: ClinicalModel | None = None) -> dict[str, object]:
    """The answers to questions that apply: an answer whose question is unknown or whose
    skip logic is false is dropped (repeated until stable, as rules can chain)."""
    questions = (model or load_model()).questionnaire.questions
    current = dict(answers)
    while True:
        kept = {
            qid: value
            for qid, value in current.items()
            if qid in questions and applies(questions[qid], current)
        }
        if kept == current:
            return kept
        current = kept


def visible(
    page: Page, answers: Mapping[str, object], *, model: ClinicalModel | None = None
) -> list[Question]:
    """The questions this page shows, given the answers from earlier pages."""
    model = model or load_model()
    shown = [q for q in page.questions if applies(q, answers)]
    flags = None  # screened once per page, when a self-test page needs them
    if shown and page.section.id == SELF_TEST_SECTION:
        flags = screen_as_told(model.red_flags, answers)
        if any(_stops(f) for f in flags):
            # After emergency advice, no self-test at all, not even the walk: nothing a
            # test could show raises the advice, and a person waiting for an ambulance or
            # on the way to the emergency department should not be walking, hopping or
            # stretching.
            return []
        # A warning sign whose advice rules a self-test out ("Keep your child off their
        # feet") is not followed by that test.
        forbidden = {qid for f in flags for qid in f.forbids}
        shown = [q for q in shown if q.id not in forbidden]
    if not any(q.ask == "when_useful" or q.loads_the_leg for q in shown):
        return shown
    now = outlook(answers, model, flags=flags)
    if any(q.loads_the_leg for q in shown) and doctor_today(now, model):
        # No hop, bridge, resisted knee bend or strong stretch on a leg a warning sign sends
        # to a doctor today: it may be broken, torn, clotted or infected.
        shown = [q for q in shown if not q.loads_the_leg]
    passed = _passed_before(model.questionnaire, page.id)
    return [
        q
        for q in shown
        if q.ask == "always" or is_useful(q, answers, model=model, now=now, passed=passed)
    ]


def doctor_today(now: Outlook, model: ClinicalModel) -> bool:
    """Has a warning sign said to see a doctor today or sooner?"""
    levels = _flag_levels(model)
    return any(RANK[levels[f]] >= RANK["urgent"] for f in now.flags)


@lru_cache(maxsize=64)
def _passed_before(questionnaire: Questionnaire, page_id: str) -> frozenset[str]:
    """The questions of the pages before this one: asked then, or never."""
    out: set[str] = set()
    for page in pages(questionnaire):
        if page.id == page_id:
            break
        out.update(q.id for q in page.questions)
    return frozenset(out)


def stopping_flags(
    answers: Mapping[str, object], model: ClinicalModel | None = None
) -> tuple[RedFlag, ...]:
    """Flags that mean the next page is the advice: an emergency, or the end of the check."""
    model = model or load_model()
    return tuple(f for f in screen_as_told(model.red_flags, answers) if _stops(f))


def _stops(flag: RedFlag) -> bool:
    """Does this flag make the next page the advice (an emergency, or the end)?"""
    return flag.disposition == "emergency" or flag.ends_check


def urgent_flags(
    answers: Mapping[str, object], model: ClinicalModel | None = None
) -> tuple[RedFlag, ...]:
    """Urgent flags, shown at once while the person goes on with the check."""
    model = model or load_model()
    return tuple(f for f in screen_as_told(model.red_flags, answers) if f.disposition == "urgent")


def walk(full: Mapping[str, object]) -> tuple[dict[str, object], int]:
    """A person with these answers going through the guided pages to the end: the answers
    they are asked for (only shown questions, as given in ``full``), and how many
    questions they were shown. Used to score the published cases and to measure length."""
    model = load_model()
    given: dict[str, object] = {}
    shown = 0
    for page in pages(model.questionnaire):
        questions = visible(page, given, model=model)
        shown += len(questions)
        for question in questions:
            if question.id in full:
                given[question.id] = full[question.id]
    return given, shown


def most_urgent(levels: Sequence[str]) -> str | None:
    return max(levels, key=RANK.__getitem__) if levels else None
