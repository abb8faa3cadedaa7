"""Outcome measures: scoring, "is this real improvement?", and when each one is asked.

Pure Python, no Django. The numbers live in ``data/outcomes.yaml``, each with its citation
(evidence.md section 6):

- **NPRS** (pain 0-10): better when the pain fell by at least 2 points *and* at least 30 %
  of the starting score (Farrar [71], Abbott & Schmitt [72]); worse when it rose by 2.
  The assessment's answers (``pain_now``, ``pain_worst``) are the starting scores; the
  current score is the average of the last 7 days of ratings.
- **PSFS** (3-5 of the person's own activities, each 0-10, scored as their mean): better
  or worse by at least 1.3 points, the minimum important difference [72]; 2.3 and 2.7 are
  medium and large changes.
- **Single-leg bridge** (repetitions to fatigue on the sore leg [70]): better or worse by
  at least 3 repetitions and 20 % of the first count (expert: no published threshold).

A change smaller than its threshold is always "no real change yet", never improvement.
Every verdict carries its words (template and values, so the web layer can translate).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any, Literal

from rehabit.clinical.outcome_rules import (
    MEASURES,
    SIZES,
    OutcomeDataError,
    OutcomeRules,
    load_outcomes,
    parse_outcomes,
)

Verdict = Literal["better", "no_change", "worse", "too_early"]
VERDICTS: tuple[Verdict, ...] = ("better", "no_change", "worse", "too_early")

__all__ = [
    "MEASURES",
    "VERDICTS",
    "Advice",
    "Change",
    "OutcomeDataError",
    "OutcomeRules",
    "Progress",
    "Rating",
    "baseline_pain",
    "bridge_symmetry",
    "compare",
    "due_measures",
    "first_and_latest",
    "judge",
    "load_outcomes",
    "nprs_change",
    "parse_outcomes",
    "score_nprs",
    "score_psfs",
    "shown_score",
    "tenths",
]


@dataclass(frozen=True, slots=True)
class Change:
    """One measure compared with its start. ``change`` is signed, in the measure's units,
    positive when it got better; ``needed`` is the improvement that counts as real."""

    measure: str
    verdict: Verdict
    before: float | None
    now: float | None
    change: float | None
    needed: float | None
    size: str | None
    template: str
    params: Mapping[str, object]

    @property
    def text(self) -> str:
        return self.template.format(**self.params)

    def to_dict(self) -> dict[str, object]:
        return {
            "measure": self.measure,
            "verdict": self.verdict,
            "before": self.before,
            "now": self.now,
            "change": self.change,
            "needed": self.needed,
            "size": self.size,
            "text": self.text,
            "template": self.template,
            "params": dict(self.params),
        }


@dataclass(frozen=True, slots=True)
class Advice:
    key: str
    template: str
    params: Mapping[str, object]

    @property
    def text(self) -> str:
        return self.template.format(**self.params)


@dataclass(frozen=True, slots=True)
class Progress:
    """The answer to "is this real improvement?" across the measures."""

    verdict: Verdict
    label: str
    changes: tuple[Change, ...]
    advice: tuple[Advice, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "label": self.label,
            "changes": [c.to_dict() for c in self.changes],
            "advice": [{"key": a.key, "text": a.text} for a in self.advice],
        }


# --- Scoring ----------------------------------------------------------------------------


def _whole(value: object, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{what} must be a whole number {low}-{high}, got {value!r}")
    return value


def score_nprs(value: object) -> int:
    """A pain rating: a whole number 0-10."""
    rules = load_outcomes().measures["nprs"]
    return _whole(value, rules.low, rules.high, "a pain rating")


def score_psfs(ratings: Sequence[object]) -> float:
    """The PSFS score: the mean of 3-5 activity ratings, each 0-10 (Stratford [75])."""
    outcome = load_outcomes()
    fewest, most = outcome.psfs_activities
    if not fewest <= len(ratings) <= most:
        raise ValueError(f"the PSFS needs {fewest} to {most} activity ratings, got {len(ratings)}")
    rules = outcome.measures["psfs"]
    values = [_whole(r, rules.low, rules.high, "an activity rating") for r in ratings]
    return round(sum(values) / len(values), 2)


def bridge_symmetry(sore: object, other: object) -> int | None:
    """The sore side's repetitions as a whole percentage of the other side's (None when the
    other side did none)."""
    high = load_outcomes().measures["bridge"].high
    sore_reps = _whole(sore, 0, high, "repetitions")
    other_reps = _whole(other, 0, high, "repetitions")
    return None if other_reps == 0 else round(100 * sore_reps / other_reps)


def average(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


# --- Is this real improvement? ----------------------------------------------------------


def tenths(value: float) -> float:
    """A score to one decimal, halves rounded up (2.55 -> 2.6), as it is shown. Rounded
    from the number as written (``repr``), so 7.35 is 7.4 although the nearest float is a
    hair below 7.35; Python's own rounding (``round``, ``f"{x:.1f}"``) rounds halves to
    even and gives 7.2 for 7.25."""
    return float(Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def shown_score(value: float) -> str:
    """A score as people read it, the one rule for every place that shows one (the
    verdicts' words, the tables, the charts' text, the report): to one decimal with halves
    rounded up (``tenths``: 7.25 -> "7.3"), a whole number without a decimal point ("4")."""
    rounded = tenths(value)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:.1f}"


def compare(measure: str, before: float | None, now: float | None) -> Change:
    """One measure now against its start: better, no real change yet, worse (or too early
    when either score is missing). Never "better" for a change below the threshold."""
    outcome = load_outcomes()
    rules = outcome.measures[measure]
    if before is not None and now is not None and not (math.isnan(before) or math.isnan(now)):
        # Compared as shown: to one decimal, so the words and the verdict agree.
        before, now = tenths(before), tenths(now)
    if before is None or now is None or math.isnan(before) or math.isnan(now):
        template = outcome.messages[f"{measure}_too_early"]
        return Change(measure, "too_early", before, now, None, None, None, template, {})
    gain = round((now - before) if rules.higher_is_better else (before - now), 6)
    needed_up = rules.improvement.needed(before)
    needed_down = rules.worsening.needed(before)
    verdict: Verdict = "no_change"
    if gain >= needed_up:
        verdict = "better"
    elif -gain >= needed_down:
        verdict = "worse"
    size = None
    if verdict == "better" and rules.sizes:
        size = [s for s in SIZES if gain >= rules.sizes[s]][-1]
    params: dict[str, object] = {
        "before": shown_score(before),
        "now": shown_score(now),
        "change": shown_score(abs(gain)),
        "needed": shown_score(needed_up),
        "size": outcome.sizes[size] if size else "",
    }
    if measure == "nprs":  # pain now is the average of the window's ratings
        params["days"] = outcome.nprs_window_days
    template = outcome.messages[f"{measure}_{verdict}"]
    return Change(measure, verdict, before, now, round(gain, 2), needed_up, size, template,
                  MappingProxyType(params))  # fmt: skip


@dataclass(frozen=True, slots=True)
class Rating:
    """One dated score (a day's pain rating, an activities score, a bridge count)."""

    on: date
    value: float


def window_average(ratings: Sequence[Rating], *, end: date, start_after: date) -> float | None:
    """The average of the ratings in the NPRS window ending on ``end`` (inclusive), only
    those after ``start_after`` (the baseline day is the start, not a follow-up)."""
    days = load_outcomes().nprs_window_days
    first = max(end - timedelta(days=days - 1), start_after + timedelta(days=1))
    return average([r.value for r in ratings if first <= r.on <= end])


def nprs_change(
    before: float | None, ratings: Sequence[Rating], *, baseline_day: date, today: date
) -> tuple[Change, Change]:
    """Pain now (the last week's average) and a week earlier, each against the start.
    Without a starting score from the assessment, the first rating is the start."""
    ordered = sorted(ratings, key=lambda r: r.on)
    start_after = baseline_day
    if before is None and ordered:
        before, start_after = ordered[0].value, max(baseline_day, ordered[0].on)
    days = load_outcomes().nprs_window_days
    now = window_average(ordered, end=today, start_after=start_after)
    earlier = window_average(ordered, end=today - timedelta(days=days), start_after=start_after)
    return compare("nprs", before, now), compare("nprs", before, earlier)


def first_and_latest(measure: str, ratings: Sequence[Rating]) -> tuple[Change, Change]:
    """A weekly measure (PSFS, bridge): the latest and the one before, each against the
    first (the start)."""
    ordered = sorted(ratings, key=lambda r: r.on)
    if len(ordered) < 2:
        before = ordered[0].value if ordered else None
        return compare(measure, before, None), compare(measure, before, None)
    first = ordered[0].value
    earlier = ordered[-2].value if len(ordered) >= 3 else None
    return compare(measure, first, ordered[-1].value), compare(measure, first, earlier)


def judge(
    latest: Sequence[Change],
    earlier: Sequence[Change] = (),
    *,
    ceiling: int,
    mornings_worse_twice: bool = False,
) -> Progress:
    """The overall answer: worse when any measure is really worse, better when one is
    really better and none worse, else no real change yet (too early without data).

    Worse brings the pain-monitoring rule's advice (step back to a level that felt fine,
    pain during exercise at or below ``ceiling``) and the warning signs; worse at two
    checks in a row, or two worse next mornings in a row, brings "book a physiotherapist"
    (programs.yaml progression, evidence.md 5.5 [60][61]).
    """
    outcome = load_outcomes()
    verdicts = {c.verdict for c in latest}
    verdict: Verdict
    if "worse" in verdicts:
        verdict = "worse"
    elif "better" in verdicts:
        verdict = "better"
    elif verdicts <= {"too_early"}:
        verdict = "too_early"
    else:
        verdict = "no_change"
    worse_now = {c.measure for c in latest if c.verdict == "worse"}
    worse_before = {c.measure for c in earlier if c.verdict == "worse"}
    keys: list[str] = []
    if verdict == "worse":
        keys.append("step_back")
    if worse_now & worse_before or mornings_worse_twice:
        keys.append("book")
    if verdict == "worse" or keys:
        keys.append("warning_signs")
    advice = tuple(
        Advice(k, outcome.advice[k], MappingProxyType({"ceiling": ceiling})) for k in keys
    )
    return Progress(verdict, outcome.overall[verdict], tuple(latest), advice)


# --- Schedule ---------------------------------------------------------------------------


def due_measures(
    *,
    baseline_day: date,
    today: date,
    last_done: Mapping[str, date | None],
    phase: str | None,
) -> tuple[str, ...]:
    """The measures to ask for today: pain every day for the first two weeks, then once a
    week; activities and the bridge test at the start, then once a week (the bridge test
    not while the injury is in its first days, nor without an exercise programme)."""
    outcome = load_outcomes()
    schedule = outcome.schedule
    day = (today - baseline_day).days
    due = []
    for measure in MEASURES:
        last = last_done.get(measure)
        if last is not None and last >= today:
            continue
        if measure == "bridge" and (phase is None or phase in outcome.bridge.not_in_phases):
            continue
        daily = measure == "nprs" and 0 <= day < schedule.nprs_daily_until_day
        if daily or last is None or (today - last).days >= schedule.every_days[measure]:
            due.append(measure)
    return tuple(due)


def baseline_pain(answers: Mapping[str, Any]) -> dict[str, int | None]:
    """The starting pain scores the assessment already asked: now, and worst in 24 h."""

    def rating(key: str) -> int | None:
        value = answers.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            return None
        return value

    return {"pain_now": rating("pain_now"), "pain_worst": rating("pain_worst")}
