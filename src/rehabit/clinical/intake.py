"""The clinician's intake summary of a stored assessment: pure, no Django.

``intake_summary`` reads the answers a patient gave (through ``upgrade.current_answers``,
so an earlier questionnaire reads in today's ids) and the result they were given, and
returns what a therapist needs before the first call, in the third person and clinical
terms: who (age, sex, answered by a parent or carer for a child), where and since when
(side, region, onset date, mechanism), how bad (NPRS now and at worst, course), the
warning signs asked and how they were answered ("not sure" stays "not sure"), risk
factors and history, the self-tests, the disposition given with the flags behind it, and
the most likely causes with the answers that weighed most for and against each.

Every phrase is a ``Text`` (``phrases``) the web layer translates; the clinical words
are in ``intake_labels`` (the questions), ``intake_findings`` (the answers),
``intake_complaint`` (the opening sentence) and ``intake_impression`` (conditions,
disposition, flag levels). Nothing is guessed: a question the patient was not asked is
reported as not asked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from rehabit.clinical.intake_answers import (
    SCREENING_SECTION,
    CauseWeighed,
    Fact,
    FlagRaised,
    Screened,
    answer_text,
    as_int,
    as_str,
    causes_weighed,
    disposition_of,
    finding,
    flags_raised,
    label_of,
    labelled,
    screened,
)
from rehabit.clinical.intake_complaint import (
    EARLIER_PAIN,
    MECHANISM,
    POP,
    duration,
    person,
    side_pain,
)
from rehabit.clinical.intake_findings import NOT_ASKED, VALUES
from rehabit.clinical.intake_impression import FLAG_LEVELS
from rehabit.clinical.phrases import Text, _, listing, verbatim
from rehabit.clinical.questionnaire import SELF_TEST_SECTION, Questionnaire
from rehabit.clinical.questionnaire_file import load_questionnaire
from rehabit.clinical.upgrade import current_answers

__all__ = ["CauseWeighed", "Fact", "FlagRaised", "IntakeSummary", "Screened", "intake_summary"]

CHILD_UNDER = 16  # the questionnaire asks a parent or carer to answer under 16
HISTORY_SECTION = "history"
SYMPTOM_SECTIONS = ("pain_details", "symptoms")


@dataclass(frozen=True, slots=True)
class IntakeSummary:
    questionnaire_version: str
    assessed_on: date
    age: int | None
    sex: str | None
    side: str | None
    onset_date: date | None
    child: bool  # under 16: answered by or with a parent or carer
    facts: tuple[Fact, ...]
    screening: tuple[Screened, ...]
    history: tuple[Screened, ...]
    symptoms: tuple[Fact, ...]
    self_tests: tuple[Fact, ...]
    disposition_level: str
    disposition: Text
    flags: tuple[FlagRaised, ...]
    causes: tuple[CauseWeighed, ...]
    narrative: tuple[Text, ...]  # the summary as sentences, in the order above

    def english(self) -> str:
        return " ".join(t.english() for t in self.narrative)


# ------------------------------------------------------------------------ the summary
def _headline(answers: Mapping[str, object], q: Questionnaire) -> Text:
    """ "34-year-old woman, right mid posterior thigh pain for 6 days after sprinting, felt
    a pop"."""
    age, sex = as_int(answers.get("age")), as_str(answers.get("sex"))
    regions = [
        VALUES["location"].get(str(v)) or verbatim(str(v))
        for v in answers.get("location") or []  # type: ignore[attr-defined]
    ]
    parts: list[Text] = [side_pain(as_str(answers.get("side")), regions)]
    days = as_int(answers.get("days_since_onset"))
    if days is not None:
        parts = [_("{pain} for {duration}", pain=parts[0], duration=duration(days))]
    mechanism = MECHANISM.get(str(answers.get("onset")))
    if mechanism is not None:
        parts = [_("{pain} {mechanism}", pain=parts[0], mechanism=mechanism)]
    earlier = EARLIER_PAIN.get(str(answers.get("earlier_pain")))
    if earlier is not None:
        parts.append(earlier)
    pop = POP.get(str(answers.get("pop")))
    if pop is not None:
        parts.append(pop)
    clause = parts[0]
    for part in parts[1:]:
        clause = _("{clause}, {more}", clause=clause, more=part)
    return _("{person}, {clause}.", person=person(age, sex), clause=clause)


def _pain(answers: Mapping[str, object], q: Questionnaire) -> list[Text]:
    now, worst = as_int(answers.get("pain_now")), as_int(answers.get("pain_worst"))
    course = VALUES["course"].get(str(answers.get("course")))
    out: list[Text] = []
    if now is not None and worst is not None:
        first = _(
            "NPRS {now}/10 now, {worst}/10 at worst in the last 24 hours", now=now, worst=worst
        )
    elif now is not None:
        first = _("NPRS {now}/10 now (worst not recorded)", now=now)
    else:
        first = _("pain score not recorded")
    if course is not None:
        out.append(_("{pain}; {course} since onset.", pain=first, course=course))
    else:
        out.append(_("{pain}.", pain=first))
    described = [
        labelled(q.questions[qid], answers[qid])
        for qid in ("pain_quality", "worse", "eases")
        if qid in answers and qid in q.questions
    ]
    if described:
        out.append(_("{items}.", items=listing(described)))
    return out


def _screening_sentences(items: Sequence[Screened]) -> list[Text]:
    positive = [finding(s) for s in items if s.status == "yes"]
    unsure = [s.label for s in items if s.status == "not_sure"]
    negative = [s.label for s in items if s.status == "no"]
    out: list[Text] = []
    if positive:
        out.append(_("Reports {items}.", items=listing(positive)))
    if unsure:
        out.append(_("Not sure about {items}.", items=listing(unsure)))
    if negative:
        out.append(_denied(negative))
    return out


def _denied(labels: Sequence[Text]) -> Text:
    """Everything answered "no", under one heading: read quickly, no later item of the
    list passes for a finding (a bare "No a; b; c" did)."""
    return _("Denied: {items}.", items=listing(labels))


def _history_sentences(items: Sequence[Screened]) -> list[Text]:
    given = [
        _("{label}: {answer}", label=s.label, answer=s.answer)
        for s in items
        if s.status != "not_asked" and s.status != "no"
    ]
    negative = [s.label for s in items if s.status == "no"]
    missing = [s.label for s in items if s.status == "not_asked"]
    out: list[Text] = []
    if given:
        out.append(_("History: {items}.", items=listing(given)))
    if negative:
        out.append(_denied(negative))
    if missing:
        out.append(_("Not asked: {items}.", items=listing(missing)))
    return out


def _facts(
    answers: Mapping[str, object], q: Questionnaire, version: str, assessed_on: date
) -> tuple[list[Fact], date | None]:
    facts: list[Fact] = []
    onset_date = None
    for qid in ("age", "sex", "side", "location"):
        if qid in answers:
            facts.append(
                Fact(label_of(q.questions[qid]), answer_text(q.questions[qid], answers[qid]))
            )
    days = as_int(answers.get("days_since_onset"))
    if days is not None:
        onset_date = assessed_on - timedelta(days=days)
        facts.append(
            Fact(
                _("onset"),
                _(
                    "{date} ({duration} before the assessment)",
                    date=onset_date,
                    duration=duration(days),
                ),
            )
        )
    for qid in ("onset", "earlier_pain", "pop", "course", "pain_now", "pain_worst"):
        if qid in answers and qid in q.questions:
            facts.append(
                Fact(label_of(q.questions[qid]), answer_text(q.questions[qid], answers[qid]))
            )
    facts.append(Fact(_("assessed on"), _("{date}", date=assessed_on)))
    facts.append(Fact(_("questionnaire version"), Text(version, verbatim=True)))
    return facts, onset_date


def intake_summary(
    *,
    version: str,
    answers: Mapping[str, object],
    result: Mapping[str, Any],
    assessed_on: date,
    questionnaire: Questionnaire | None = None,
) -> IntakeSummary:
    """The intake summary of one stored assessment (``version`` and ``answers`` as stored,
    ``result`` its stored result, ``assessed_on`` the day it was done in the reader's
    zone). Raises ``ValueError`` for a questionnaire version it cannot read."""
    q = questionnaire if questionnaire is not None else load_questionnaire()
    now_answers = current_answers(version, answers)
    age = as_int(now_answers.get("age"))
    child = age is not None and age < CHILD_UNDER
    facts, onset_date = _facts(now_answers, q, version, assessed_on)
    if child:
        facts.insert(1, Fact(_("answered by"), _("a parent or carer, with or for the child")))
    screening = screened(q, now_answers, SCREENING_SECTION)
    history = screened(q, now_answers, HISTORY_SECTION)
    symptoms = tuple(
        Fact(label_of(question), answer_text(question, now_answers[question.id]))
        for question in q.questions.values()
        if question.section in SYMPTOM_SECTIONS and question.id in now_answers
    )
    self_tests = tuple(
        Fact(
            label_of(question),
            answer_text(question, now_answers.get(question.id))
            if question.id in now_answers
            else NOT_ASKED,
        )
        for question in q.questions.values()
        if question.section == SELF_TEST_SECTION
    )
    level, disposition = disposition_of(result)
    flags = flags_raised(q, now_answers, list(result.get("red_flags") or []))
    causes = causes_weighed(q, now_answers, list(result.get("causes") or []))

    narrative: list[Text] = [_headline(now_answers, q)]
    if child:
        narrative.append(_("Answered by or with a parent or carer (child under 16)."))
    narrative += _pain(now_answers, q)
    narrative += _screening_sentences(screening)
    narrative += _history_sentences(history)
    tried = [
        _("{test}: {result}", test=f.label, result=f.value)
        for f in self_tests
        if f.value is not NOT_ASKED
    ]
    if tried:
        narrative.append(_("Self-tests: {items}.", items=listing(tried)))
    if flags:
        narrative += [_flag(f) for f in flags]
    narrative.append(_("Disposition given: {disposition}.", disposition=disposition))
    if causes:
        narrative.append(
            _("Ranking on the answers: {items}.", items=listing([_cause(c) for c in causes]))
        )
    return IntakeSummary(
        questionnaire_version=version,
        assessed_on=assessed_on,
        age=age,
        sex=as_str(now_answers.get("sex")),
        side=as_str(now_answers.get("side")),
        onset_date=onset_date,
        child=child,
        facts=tuple(facts),
        screening=tuple(screening),
        history=tuple(history),
        symptoms=symptoms,
        self_tests=self_tests,
        disposition_level=level,
        disposition=disposition,
        flags=flags,
        causes=causes,
        narrative=tuple(narrative),
    )


def _flag(flag: FlagRaised) -> Text:
    level = FLAG_LEVELS.get(flag.level) or verbatim(flag.level)
    if flag.unsure:
        return _(
            "Red flag ({level}, raised on a not-sure answer): {flag}.", flag=flag.text, level=level
        )
    return _("Red flag ({level}): {flag}.", flag=flag.text, level=level)


def _cause(cause: CauseWeighed) -> Text:
    percent = _percent(cause.probability)
    if cause.linked_to_flag:
        return _("{name} ({percent}%, linked to a red flag)", name=cause.name, percent=percent)
    return _("{name} ({percent}%)", name=cause.name, percent=percent)


def _percent(probability: float) -> str:
    pct = probability * 100
    if 0 < pct < 1:
        return "<1"
    if 99 < pct < 100:
        return ">99"
    return str(round(pct))
