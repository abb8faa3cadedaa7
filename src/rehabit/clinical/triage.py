"""Disposition levels and the triage decision.

Red flags decide first: the level is the most urgent fired flag, and nothing from the
ranking can lower it (evidence.md 2.3). The ranking can only raise it: a can't-miss cause
whose probability reaches one of its floors (conditions.yaml) sets at least that level, and
the most likely cause sets its own disposition, adjusted for severity. The text never
claims a diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from rehabit.clinical.child_wording import is_child
from rehabit.clinical.levels import RANK, Level
from rehabit.clinical.triage_words import (
    BEST_FIT,
    CHILD_HEADLINE_TEXTS,
    CHILD_PAIN_NOW,
    CHILD_PAIN_WORST,
    CHILD_SOON_DOCTOR,
    CHILD_SOON_DOCTOR_DAYS,
    CHILD_URGENT_DAYS,
    NOT_A_DIAGNOSIS,
    PAIN_NOW,
    PAIN_WORST,
    RULE_OUT,
    SEVERITY_REASONS,
    SOON_DOCTOR,
    SOON_DOCTOR_DAYS,
    URGENT_DAYS,
    words_for,
)

if TYPE_CHECKING:
    from rehabit.clinical.conditions import Condition
    from rehabit.clinical.redflags import RedFlag


# Severity bands (NPRS 0-10). Expert: 8+ is "severe" in common triage use; 6+ or a limp is a
# limited picture that should see a professional; mild needs walking normally and <= 3/10.
SEVERE_PAIN, LIMITED_PAIN, MILD_PAIN = 8, 6, 3
# The answers that, with low pain, make a problem "mild" (``severity``): all are needed. A
# leg the person has already called weak on the warning-sign page ("weak, but not getting
# weaker") is not mild, whatever the later, optional weakness question says.
MILD_ANSWERS: Mapping[str, str] = MappingProxyType(
    {"walk_test": "normal", "weakness": "no", "leg_weakness": "no"}
)
# "Acute" for the re-check interval: a sudden injury or a new-training start within the
# last 2 weeks (expert; evidence.md 2.3 gives 48-72 h for acute injuries).
ACUTE_DAYS = 14
ACUTE_ONSETS = frozenset({"sprinting", "stretch_kick_split", "fall_or_blow", "after_more_training"})


@dataclass(frozen=True, slots=True)
class Disposition:
    level: Level
    headline: str
    reasons: tuple[str, ...]
    advice: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "level": self.level,
            "headline": self.headline,
            "reasons": list(self.reasons),
            "advice": list(self.advice),
        }


def most_urgent(levels: Iterable[Level]) -> Level | None:
    best: Level | None = None
    for level in levels:
        if best is None or RANK[level] > RANK[best]:
            best = level
    return best


def severity(answers: Mapping[str, object]) -> tuple[str, list[str]]:
    """("severe" | "limited" | "mild" | "usual", plain-language reasons): a parent's words
    about their child when the age is a child's."""
    child = is_child(answers.get("age"))
    suffix = ":child" if child else ""
    pain_now, pain_worst = (CHILD_PAIN_NOW, CHILD_PAIN_WORST) if child else (PAIN_NOW, PAIN_WORST)
    reasons: list[str] = []
    pain = answers.get("pain_now")
    walk = answers.get("walk_test")
    if answers.get("bear_weight") in ("no", "not_sure"):
        reasons.append(SEVERITY_REASONS["cannot_stand" + suffix])
    if walk == "could_not":
        reasons.append(SEVERITY_REASONS["could_not_walk" + suffix])
    if isinstance(pain, int) and pain >= SEVERE_PAIN:
        reasons.append(pain_now.format(n=pain))
    if reasons:
        return "severe", reasons
    if walk == "limp":
        reasons.append(SEVERITY_REASONS["limp" + suffix])
    worst = answers.get("pain_worst")
    if isinstance(pain, int) and pain >= LIMITED_PAIN:
        reasons.append(pain_now.format(n=pain))
    elif isinstance(worst, int) and worst >= SEVERE_PAIN:
        reasons.append(pain_worst.format(n=worst))
    if reasons:
        return "limited", reasons
    mild = (
        all(answers.get(qid) == value for qid, value in MILD_ANSWERS.items())
        and isinstance(pain, int)
        and pain <= MILD_PAIN
        and not (isinstance(worst, int) and worst > MILD_PAIN + 2)
    )
    if mild:
        return "mild", [SEVERITY_REASONS["mild" + suffix]]
    return "usual", []


def is_acute(answers: Mapping[str, object]) -> bool:
    days = answers.get("days_since_onset")
    return answers.get("onset") in ACUTE_ONSETS and isinstance(days, int) and days <= ACUTE_DAYS


class RankedCause(NamedTuple):
    """What triage needs from the ranking (most likely first)."""

    condition: Condition
    probability: float


def _ranking_level(
    ranked: Sequence[RankedCause], answers: Mapping[str, object]
) -> tuple[Level, list[str], Condition | None, frozenset[str]]:
    """The level the ranking sets, its reasons, the cause that decided it, and every cause
    that on its own asks for a doctor today or sooner (urgent or emergency)."""
    reasons: list[str] = []
    level: Level = "self_care"
    decider: Condition | None = None
    urgent_by: set[str] = set()
    for cause in ranked[1:] if ranked else ():
        floor = cause.condition.floor(cause.probability)
        if floor is None:
            continue
        reasons.append(RULE_OUT.format(name=cause.condition.name))
        if RANK[floor] >= RANK["urgent"]:
            urgent_by.add(cause.condition.id)
        if RANK[floor] > RANK[level]:
            level, decider = floor, cause.condition
    if not ranked:
        return level, reasons, decider, frozenset(urgent_by)
    top = ranked[0].condition
    band, band_reasons = severity(answers)
    top_level = top.default_disposition
    if band == "mild" and top.if_mild is not None:
        top_level = top.if_mild
    elif band == "severe" and top.if_severe is not None:
        top_level = top.if_severe
    if band in ("severe", "limited") and RANK[top_level] < RANK["soon"]:
        top_level = "soon"
    floor = top.floor(ranked[0].probability)
    if floor is not None and RANK[floor] > RANK[top_level]:
        top_level = floor
    reasons.insert(0, BEST_FIT.format(name=top.name))
    reasons.extend(band_reasons)
    if RANK[top_level] >= RANK["urgent"]:
        urgent_by.add(top.id)
    if RANK[top_level] >= RANK[level]:
        level, decider = top_level, top
    return level, reasons, decider, frozenset(urgent_by)


def within_two_days(disposition: Mapping[str, object]) -> bool:
    """Is this (stored) disposition the urgent level that gives a day or two?"""
    return disposition.get("level") == "urgent" and disposition.get("headline") in (
        URGENT_DAYS,
        CHILD_URGENT_DAYS,
    )


def in_child_words(disposition: Mapping[str, object]) -> bool:
    """Was this (stored) disposition given in a parent's words about their child? One made
    before triage had them has a child's age but the person's words ("See a doctor today")."""
    return disposition.get("headline") in CHILD_HEADLINE_TEXTS


def is_soon_doctor(disposition: Mapping[str, object]) -> bool:
    """Is this (stored) disposition the "soon" level that sends to a doctor (either voice)?"""
    return disposition.get("level") == "soon" and disposition.get("headline") in (
        SOON_DOCTOR,
        CHILD_SOON_DOCTOR,
    )


def is_soon_doctor_days(disposition: Mapping[str, object]) -> bool:
    """Is this (stored) disposition the "soon" level with a doctor in the next few days?"""
    return disposition.get("level") == "soon" and disposition.get("headline") in (
        SOON_DOCTOR_DAYS,
        CHILD_SOON_DOCTOR_DAYS,
    )


def _within_two_days(flags: Sequence[RedFlag], urgent_by: frozenset[str]) -> bool:
    """Does every reason for an urgent level give a day or two? Each urgent flag must say
    so, and every cause that asks for a doctor today on its own must be one they name."""
    urgent = [f for f in flags if f.disposition == "urgent"]
    if not urgent or any(f.within != "two_days" for f in urgent):
        return False
    named = {c for f in urgent for c in (f.condition, *f.also) if c is not None}
    return urgent_by <= named


def _signs_stand_in(
    level: str,
    at_level: Sequence[RedFlag],
    rank_level: str,
    decider: Condition | None,
    urgent_by: frozenset[str],
    two_days: bool,
) -> bool:
    """Do the warning signs at the level decided say all that its action says (where to go
    and how soon), so that their advice can stand in it? Not when the ranking asks for the
    same level for a cause they do not name (a clot to rule out today beside a torn tendon's
    "within a day or two"), nor when a sign gives a day or two under a "today" headline."""
    if not at_level:
        return False
    named = {c for f in at_level for c in (f.condition, *f.also) if c is not None}
    if level == "urgent":
        return urgent_by <= named and (two_days or all(f.within != "two_days" for f in at_level))
    return rank_level != level or (decider is not None and decider.id in named)


def decide(
    flags: Sequence[RedFlag], ranked: Sequence[RankedCause], answers: Mapping[str, object]
) -> Disposition:
    """The disposition: flags first (never lowered), then the ranking, never below flags."""
    flag_level = most_urgent(f.disposition for f in flags)
    rank_level, rank_reasons, decider, urgent_by = _ranking_level(ranked, answers)
    level: Level = rank_level
    reasons = [f.label for f in flags]  # each label says what the person told us
    if flag_level is None or RANK[rank_level] >= RANK[flag_level]:
        reasons.extend(rank_reasons)  # the ranking contributed to (or set) the level
    else:
        level = flag_level
    words = words_for(answers)  # a parent's words about their child, or the person's own
    headline, action = words.headlines[level], words.actions[level]
    rest = words.action_rest.get(level)
    two_days = level == "urgent" and _within_two_days(flags, urgent_by)
    if two_days:
        headline, action = words.urgent_days, words.urgent_days_action
        rest = words.urgent_days_rest
    # Only the flags at the level decided give their own advice: a less urgent flag's
    # advice names a slower timeframe ("in the next few days") beside "today" or "now".
    # Its label still says what was noticed (``reasons``).
    # Flags at the level that name the same cause give one advice, the first's: each says
    # what to do about that cause (a phone walk read "See a doctor today and ask to be
    # checked for a blood clot (DVT) ... Do not massage the leg" twice in a row, from a
    # clot risk and a calf that gets worse). Their labels all stay in ``reasons``.
    said: dict[str, str] = {}
    for f in flags:
        if f.disposition == level:
            said.setdefault(f.condition or f.id, f.advice)
    own = list(dict.fromkeys(said.values()))
    at_level = [f for f in flags if f.disposition == level]
    if rest is not None and _signs_stand_in(
        level, at_level, rank_level, decider, urgent_by, two_days
    ):
        # The signs' own advice says where to go, how soon and what to say there: it stands
        # in the level's action, which would say the same again; what the action adds
        # follows (ACTION_REST).
        advice = [*own, rest]
    else:
        advice = [action, *own]
    if level == "soon":
        by_doctor = any(f.disposition == "soon" for f in flags) or (
            decider is not None and decider.see == "doctor" and flag_level is None
        )
        headline = words.soon_doctor if by_doctor else headline
        if any(f.disposition == "soon" and f.within == "few_days" for f in flags):
            headline = words.soon_doctor_days
    if level in ("soon", "self_care"):
        acute = is_acute(answers)
        advice.append(words.safety_net_emergency)
        advice.append(words.safety_net_same_day)
        if level == "soon":
            advice.append(words.recheck_soon_acute if acute else words.recheck_soon_gradual)
        else:
            advice.append(words.recheck_acute if acute else words.recheck_gradual)
    elif level == "urgent":
        advice.append(words.safety_net_emergency)
    advice.append(NOT_A_DIAGNOSIS)
    return Disposition(level, headline, tuple(reasons), tuple(advice))
