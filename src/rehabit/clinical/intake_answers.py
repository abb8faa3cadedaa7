"""The answers of a stored assessment in clinical words, for the intake summary
(``intake.py``): each answer, the warning signs and history as asked and answered, the
red flags raised and the answers behind them, and the likely causes with the answers that
weighed most for and against each (the stored reasons traced back to the findings of
``data/differential.yaml`` and the patient's own answers). Pure, no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rehabit.clinical.datafiles import load_yaml
from rehabit.clinical.differential import shown_first
from rehabit.clinical.intake_complaint import duration
from rehabit.clinical.intake_findings import NEGATIVE, NOT_ASKED, POSITIVE, VALUES, YES_NO
from rehabit.clinical.intake_impression import CONDITIONS, DISPOSITIONS
from rehabit.clinical.intake_labels import LABELS
from rehabit.clinical.phrases import Status, Text, _, join, join_or, listing, ngettext, verbatim
from rehabit.clinical.questionnaire import Question, Questionnaire
from rehabit.clinical.redflags import UNSURE, RedFlag
from rehabit.clinical.redflags_file import load_red_flags
from rehabit.clinical.triage import is_soon_doctor, is_soon_doctor_days, within_two_days

MAX_WEIGHTS = 4  # answers shown for and against each cause
SCREENING_SECTION = "warning_signs"


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


# ------------------------------------------------------------------------ answers
def as_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def as_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def answer_text(
    question: Question, value: object, *, conjunction: Callable[[Sequence[Text]], Text] = join
) -> Text:
    """An answer in clinical words (the questionnaire's wording when none is written)."""
    if isinstance(value, list):
        return conjunction([answer_text(question, v) for v in value])
    if question.type in ("integer", "scale"):
        number = as_int(value)
        if number is None:
            return verbatim(str(value))
        if question.type == "scale":
            return _("{score}/10", score=number)
        if question.id == "days_since_onset":
            return duration(number)
        if question.id == "age":
            return ngettext("{count} year", "{count} years", number)
        return verbatim(str(number))
    key = str(value)
    own = VALUES.get(question.id, {})
    if key in own:
        return own[key]
    if question.type == "yes_no" and key in YES_NO:
        return YES_NO[key]
    return verbatim(question.labels.get(key, key))


def label_of(question: Question) -> Text:
    return LABELS.get(question.id) or verbatim(question.text)


def labelled(question: Question, value: object) -> Text:
    """ "pain quality: shooting or electric"."""
    return _("{label}: {answer}", label=label_of(question), answer=answer_text(question, value))


def _status(question: Question, value: object) -> Status:
    if value is None:
        return "not_asked"
    if isinstance(value, list):  # a multiple choice: "none of these" or "not sure" alone
        value = value[0] if len(value) == 1 and value[0] in ("none", UNSURE) else "chosen"
    key = str(value)
    if key in POSITIVE.get(question.id, ()):
        return "yes"
    if key in NEGATIVE.get(question.id, ()):
        return "no"
    if key in ("yes", "no", UNSURE):
        return key  # type: ignore[return-value]
    return "yes" if key not in ("none",) else "no"


def screened(q: Questionnaire, answers: Mapping[str, object], section: str) -> list[Screened]:
    out = []
    for question in q.questions.values():
        if question.section != section or question.id == "lump_features":
            continue
        value = answers.get(question.id)
        rule = question.show_if
        if value is None and rule is not None and rule.evaluate(answers) is not True:
            continue  # does not apply to this person (pregnancy for a man): not "not asked"
        status = _status(question, value)
        answer = NOT_ASKED if value is None else answer_text(question, value)
        if question.id == "lump" and "lump_features" in answers:
            answer = _(
                "{answer} ({features})",
                answer=answer,
                features=answer_text(q.questions["lump_features"], answers["lump_features"]),
            )
        out.append(Screened(question.id, label_of(question), status, answer))
    return out


def finding(item: Screened) -> Text:
    """A positive or unsure screening answer as a finding ("leg or foot weakness:
    progressing over days"); a plain "yes" is just its label."""
    if item.answer in (YES_NO["yes"], YES_NO["not_sure"]):
        return item.label
    return _("{label}: {answer}", label=item.label, answer=item.answer)


# ------------------------------------------------------------------------ flags and causes
@lru_cache(maxsize=1)
def _reasons() -> Mapping[str, tuple[Mapping[str, Any], bool]]:
    """Reason text (as stored in results) -> (the finding's rule, present?)."""
    data = load_yaml("differential.yaml")
    out: dict[str, tuple[Mapping[str, Any], bool]] = {}
    for raw in data.get("context") or []:
        out[str(raw["text"])] = (raw["rule"], True)
        child = raw.get("for_a_child") or {}
        if child.get("text"):  # the same reason as a child's parent read it
            out[str(child["text"])] = (raw["rule"], True)
    for raw in data.get("findings") or []:
        child = raw.get("for_a_child") or {}
        for key, present in (("text_present", True), ("text_absent", False)):
            for text in (raw.get(key), child.get(key)):
                if text:
                    out[str(text)] = (raw["rule"], present)
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
                missing = answer_text(question, list(wanted), conjunction=join_or)
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
    return CONDITIONS.get(str(cid)) if cid else None


def flags_raised(
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
        unsure = flag.is_unsure_label(label)
        # The answers of the case the person was told (a flag with an either-or), or of
        # the whole rule.
        branch = flag.told_by(label)
        refs = branch.rule.refs if branch is not None else flag.rule.refs
        by_id = {s.question_id: s for s in screened(q, answers, SCREENING_SECTION)}
        told: list[Text] = []
        for qid in (i for i in q.questions if i in refs):
            item = by_id.get(qid)
            if item is not None:
                if item.status in ("yes", "not_sure"):
                    told.append(finding(item))
            elif qid in answers and not _reassuring(answers[qid]):
                told.append(labelled(q.questions[qid], answers[qid]))
        text = listing(told) if told else verbatim(label)
        out.append(FlagRaised(fid, level, unsure, text, _condition(flag.condition)))
    return tuple(out)


def causes_weighed(
    q: Questionnaire, answers: Mapping[str, object], stored: Sequence[Mapping[str, Any]]
) -> tuple[CauseWeighed, ...]:
    out = []
    for raw in shown_first(stored):
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


def disposition_of(result: Mapping[str, Any]) -> tuple[str, Text]:
    raw = result.get("disposition") or {}
    level = str(raw.get("level", ""))
    if is_soon_doctor(raw):  # in the person's words or a parent's
        return level, DISPOSITIONS["soon_doctor"]
    if is_soon_doctor_days(raw):
        return level, DISPOSITIONS["soon_doctor_days"]
    if within_two_days(raw):
        return level, DISPOSITIONS["urgent_days"]
    return level, DISPOSITIONS.get(level) or verbatim(str(raw.get("headline", level)))
