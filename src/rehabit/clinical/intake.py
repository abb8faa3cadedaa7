"""The clinician's intake summary of a stored assessment: pure, no Django.

``intake_summary`` reads the answers a patient gave (through ``upgrade.current_answers``,
so an earlier questionnaire reads in today's ids) and the result they were given, and
returns what a therapist needs before the first call, in the third person and clinical
terms: who (age, sex, answered by a parent or carer for a child), where and since when
(side, region, onset date, mechanism), how bad (NPRS now and at worst, course), the
warning signs asked and how they were answered ("not sure" stays "not sure"), risk
factors and history, the self-tests, the disposition given with the flags behind it, and
the most likely causes with the answers that weighed most for and against each.

Every phrase is a ``Text`` (``intake_terms``) the web layer translates. Nothing is
guessed: a question the patient was not asked is reported as not asked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from rehabit.clinical import intake_terms as terms
from rehabit.clinical.intake_terms import Status, Text, _, join, listing, verbatim
from rehabit.clinical.questionnaire import Question, Questionnaire, load_questionnaire, load_yaml
from rehabit.clinical.redflags import UNSURE, RedFlag, load_red_flags
from rehabit.clinical.triage import SOON_DOCTOR
from rehabit.clinical.upgrade import current_answers

CHILD_UNDER = 16  # the questionnaire asks a parent or carer to answer under 16
TOP_CAUSES = 3
MAX_WEIGHTS = 4  # answers shown for and against each cause
SCREENING_SECTION = "warning_signs"
HISTORY_SECTION = "history"
SYMPTOM_SECTIONS = ("pain_details", "symptoms")
SELF_TEST_SECTION = "self_tests"


@dataclass(frozen=True, slots=True)
class Fact:
    label: Text
    value: Text


@dataclass(frozen=True, slots=True)
class Screened:
    """One screening or history question: what it asks (clinically) and the answer."""

    question_id: str
    label: Text
    status: Status
    answer: Text


@dataclass(frozen=True, slots=True)
class FlagRaised:
    id: str
    level: str
    unsure: bool  # raised only because of "not sure" answers
    text: Text
    condition: Text | None


@dataclass(frozen=True, slots=True)
class CauseWeighed:
    id: str
    name: Text
    probability: float
    linked_to_flag: bool
    weighs_for: tuple[Text, ...]
    weighs_against: tuple[Text, ...]


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


# ------------------------------------------------------------------------ answers
def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def answer_text(
    question: Question, value: object, *, conjunction: Callable[[Sequence[Text]], Text] = join
) -> Text:
    """An answer in clinical words (the questionnaire's wording when none is written)."""
    if isinstance(value, list):
        return conjunction([answer_text(question, v) for v in value])
    if question.type in ("integer", "scale"):
        number = _int(value)
        if number is None:
            return verbatim(str(value))
        if question.type == "scale":
            return _("{score}/10", score=number)
        if question.id == "days_since_onset":
            return terms.duration(number)
        if question.id == "age":
            return terms.ngettext("{count} year", "{count} years", number)
        return verbatim(str(number))
    key = str(value)
    own = terms.VALUES.get(question.id, {})
    if key in own:
        return own[key]
    if question.type == "yes_no" and key in terms.YES_NO:
        return terms.YES_NO[key]
    return verbatim(question.labels.get(key, key))


def label_of(question: Question) -> Text:
    return terms.LABELS.get(question.id) or verbatim(question.text)


def labelled(question: Question, value: object) -> Text:
    """ "pain quality: shooting or electric"."""
    return _("{label}: {answer}", label=label_of(question), answer=answer_text(question, value))


def _status(question: Question, value: object) -> Status:
    if value is None:
        return "not_asked"
    key = str(value)
    if key in terms.POSITIVE.get(question.id, ()):
        return "yes"
    if key in terms.NEGATIVE.get(question.id, ()):
        return "no"
    if key in ("yes", "no", UNSURE):
        return key  # type: ignore[return-value]
    return "yes" if key not in ("none",) else "no"


def _screened(q: Questionnaire, answers: Mapping[str, object], section: str) -> list[Screened]:
    out = []
    for question in q.questions.values():
        if question.section != section or question.id == "lump_features":
            continue
        value = answers.get(question.id)
        status = _status(question, value)
        answer = terms.NOT_ASKED if value is None else answer_text(question, value)
        if question.id == "lump" and "lump_features" in answers:
            answer = _(
                "{answer} ({features})",
                answer=answer,
                features=answer_text(q.questions["lump_features"], answers["lump_features"]),
            )
        out.append(Screened(question.id, label_of(question), status, answer))
    return out


def _finding(item: Screened) -> Text:
    """A positive or unsure screening answer as a finding ("leg or foot weakness:
    progressing over days"); a plain "yes" is just its label."""
    if item.answer in (terms.YES_NO["yes"], terms.YES_NO["not_sure"]):
        return item.label
    return _("{label} ({answer})", label=item.label, answer=item.answer)


# ------------------------------------------------------------------------ flags and causes
@lru_cache(maxsize=1)
def _reasons() -> Mapping[str, tuple[Mapping[str, Any], bool]]:
    """Reason text (as stored in results) -> (the finding's rule, present?)."""
    data = load_yaml("differential.yaml")
    out: dict[str, tuple[Mapping[str, Any], bool]] = {}
    for raw in data.get("context") or []:
        out[str(raw["text"])] = (raw["rule"], True)
    for raw in data.get("findings") or []:
        out[str(raw["text_present"])] = (raw["rule"], True)
        if raw.get("text_absent"):
            out[str(raw["text_absent"])] = (raw["rule"], False)
    return out


def _leaves(rule: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    if "q" in rule:
        return [rule]
    for key in ("all", "any"):
        if key in rule:
            return [leaf for part in rule[key] for leaf in _leaves(part)]
    if "not" in rule:
        return _leaves(rule["not"])
    return []


def _why(
    q: Questionnaire, answers: Mapping[str, object], rule: Mapping[str, Any], present: bool
) -> list[tuple[str, Text]]:
    """The answers a finding looked at, as (question id, clinical text): for a choice of
    several answers the ones that count ("pain location: calf"), or, when the finding
    is absent, what was not chosen ("pain location: not calf")."""
    out = []
    for leaf in _leaves(rule):
        qid = str(leaf["q"])
        question = q.questions.get(qid)
        if question is None or qid not in answers:
            continue
        value = answers[qid]
        wanted = leaf.get("in", leaf.get("all_of"))
        if question.type == "multi" and isinstance(wanted, list) and "q" in rule:
            chosen = [v for v in wanted if isinstance(value, list) and v in value]
            if present and chosen:
                out.append((f"{qid}={chosen}", labelled(question, chosen)))
                continue
            if not present:
                missing = answer_text(question, list(wanted), conjunction=terms.join_or)
                out.append(
                    (
                        f"{qid}!={wanted}",
                        _("{label}: not {answer}", label=label_of(question), answer=missing),
                    )
                )
                continue
        out.append((qid, labelled(question, value)))
    return out


def _weights(
    q: Questionnaire, answers: Mapping[str, object], reasons: Sequence[object]
) -> tuple[Text, ...]:
    """The answers behind a cause's reasons, each once, strongest first."""
    known = _reasons()
    seen: set[str] = set()
    out: list[Text] = []
    for reason in reasons:
        text = str(reason)
        found = _why(q, answers, *known[text]) if text in known else []
        if not found:  # a reason from an older model: its own words
            found = [(text, verbatim(text))]
        for key, shown in found:
            if key not in seen:
                seen.add(key)
                out.append(shown)
    return tuple(out[:MAX_WEIGHTS])


def _reassuring(value: object) -> bool:
    """An answer that says a sign is absent ("no", "none", nothing chosen)."""
    if isinstance(value, list):
        return all(_reassuring(v) for v in value)
    return value in ("no", "none")


def _condition(cid: object) -> Text | None:
    return terms.CONDITIONS.get(str(cid)) if cid else None


def _flags(
    q: Questionnaire, answers: Mapping[str, object], stored: Sequence[Mapping[str, Any]]
) -> tuple[FlagRaised, ...]:
    known: dict[str, RedFlag] = {f.id: f for f in load_red_flags(q)}
    out = []
    for raw in stored:
        fid, label = str(raw.get("id", "")), str(raw.get("label", ""))
        level = str(raw.get("disposition", ""))
        flag = known.get(fid)
        if flag is None:
            out.append(FlagRaised(fid, level, False, verbatim(label), None))
            continue
        unsure = flag.label_unsure is not None and label == flag.label_unsure
        screened = {s.question_id: s for s in _screened(q, answers, SCREENING_SECTION)}
        told: list[Text] = []
        for qid in (i for i in q.questions if i in flag.rule.refs):
            item = screened.get(qid)
            if item is not None:
                if item.status in ("yes", "not_sure"):
                    told.append(_finding(item))
            elif qid in answers and not _reassuring(answers[qid]):
                told.append(labelled(q.questions[qid], answers[qid]))
        text = listing(told) if told else verbatim(label)
        out.append(FlagRaised(fid, level, unsure, text, _condition(flag.condition)))
    return tuple(out)


def _causes(
    q: Questionnaire, answers: Mapping[str, object], stored: Sequence[Mapping[str, Any]]
) -> tuple[CauseWeighed, ...]:
    out = []
    for raw in stored[:TOP_CAUSES]:
        cid = str(raw.get("id", ""))
        probability = raw.get("probability", 0.0)
        out.append(
            CauseWeighed(
                id=cid,
                name=_condition(cid) or verbatim(str(raw.get("name", cid))),
                probability=float(probability) if isinstance(probability, int | float) else 0.0,
                linked_to_flag=bool(raw.get("red_flag")),
                weighs_for=_weights(q, answers, list(raw.get("why_for") or [])),
                weighs_against=_weights(q, answers, list(raw.get("why_against") or [])),
            )
        )
    return tuple(out)


def _disposition(result: Mapping[str, Any]) -> tuple[str, Text]:
    raw = result.get("disposition") or {}
    level = str(raw.get("level", ""))
    if level == "soon" and raw.get("headline") == SOON_DOCTOR:
        return level, terms.DISPOSITIONS["soon_doctor"]
    return level, terms.DISPOSITIONS.get(level) or verbatim(str(raw.get("headline", level)))


# ------------------------------------------------------------------------ the summary
def _headline(answers: Mapping[str, object], q: Questionnaire) -> Text:
    """ "34-year-old woman, right mid posterior thigh pain for 6 days after sprinting, felt
    a pop"."""
    age, sex = _int(answers.get("age")), _str(answers.get("sex"))
    regions = [
        terms.VALUES["location"].get(str(v)) or verbatim(str(v))
        for v in answers.get("location") or []  # type: ignore[attr-defined]
    ]
    parts: list[Text] = [terms.side_pain(_str(answers.get("side")), regions)]
    days = _int(answers.get("days_since_onset"))
    if days is not None:
        parts = [_("{pain} for {duration}", pain=parts[0], duration=terms.duration(days))]
    mechanism = terms.MECHANISM.get(str(answers.get("onset")))
    if mechanism is not None:
        parts = [_("{pain} {mechanism}", pain=parts[0], mechanism=mechanism)]
    earlier = terms.EARLIER_PAIN.get(str(answers.get("earlier_pain")))
    if earlier is not None:
        parts.append(earlier)
    pop = terms.POP.get(str(answers.get("pop")))
    if pop is not None:
        parts.append(pop)
    clause = parts[0]
    for part in parts[1:]:
        clause = _("{clause}, {more}", clause=clause, more=part)
    return _("{person}, {clause}.", person=terms.person(age, sex), clause=clause)


def _pain(answers: Mapping[str, object], q: Questionnaire) -> list[Text]:
    now, worst = _int(answers.get("pain_now")), _int(answers.get("pain_worst"))
    course = terms.VALUES["course"].get(str(answers.get("course")))
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
    positive = [_finding(s) for s in items if s.status == "yes"]
    unsure = [s.label for s in items if s.status == "not_sure"]
    negative = [s.label for s in items if s.status == "no"]
    out: list[Text] = []
    if positive:
        out.append(_("Reports {items}.", items=listing(positive)))
    if unsure:
        out.append(_("Not sure about {items}.", items=listing(unsure)))
    if negative:
        out.append(_("No {items}.", items=listing(negative)))
    return out


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
        out.append(_("No {items}.", items=listing(negative)))
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
    days = _int(answers.get("days_since_onset"))
    if days is not None:
        onset_date = assessed_on - timedelta(days=days)
        facts.append(
            Fact(
                _("onset"),
                _(
                    "{date} ({duration} before the assessment)",
                    date=onset_date,
                    duration=terms.duration(days),
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
    age = _int(now_answers.get("age"))
    child = age is not None and age < CHILD_UNDER
    facts, onset_date = _facts(now_answers, q, version, assessed_on)
    if child:
        facts.insert(1, Fact(_("answered by"), _("a parent or carer, with or for the child")))
    screening = _screened(q, now_answers, SCREENING_SECTION)
    history = _screened(q, now_answers, HISTORY_SECTION)
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
            else terms.NOT_ASKED,
        )
        for question in q.questions.values()
        if question.section == SELF_TEST_SECTION
    )
    level, disposition = _disposition(result)
    flags = _flags(q, now_answers, list(result.get("red_flags") or []))
    causes = _causes(q, now_answers, list(result.get("causes") or []))

    narrative: list[Text] = [_headline(now_answers, q)]
    if child:
        narrative.append(_("Answered by or with a parent or carer (child under 16)."))
    narrative += _pain(now_answers, q)
    narrative += _screening_sentences(screening)
    narrative += _history_sentences(history)
    tried = [
        _("{test}: {result}", test=f.label, result=f.value)
        for f in self_tests
        if f.value is not terms.NOT_ASKED
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
        sex=_str(now_answers.get("sex")),
        side=_str(now_answers.get("side")),
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
    level = terms.FLAG_LEVELS.get(flag.level) or verbatim(flag.level)
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
