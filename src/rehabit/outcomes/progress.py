"""Reading the diary and the measures: "is this real improvement?", what is due today, the
streak (shown without guilt), and the trend behind the charts.

``trend_for(assessment)`` is the one source of the chart data: the person's progress page,
the PDF report and the therapist's view of a patient all draw it with
``rehabit.outcomes.charts.render_chart``. Days are the viewer's calendar days (the active
time zone); the assessment's day is the start (day 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from rehabit.care.models import ProgressionStep
from rehabit.care.presenters import phase_label, phase_short
from rehabit.care.programs import days_since_onset, plan_for, program_for
from rehabit.clinical.exercises import get_exercise
from rehabit.clinical.outcomes import (
    Change,
    Progress,
    Rating,
    baseline_pain,
    compare,
    due_measures,
    first_and_latest,
    judge,
    load_outcomes,
    nprs_change,
)
from rehabit.clinical.program import build_program
from rehabit.clinical.progression import ceiling_for
from rehabit.core.reviewed_text import tr
from rehabit.outcomes.models import DiaryEntry, Measure, MeasureRecord

PHASE_DAYS_MAX = 366  # phase changes are looked for over at most a year of the chart


def first_day(assessment: Any) -> date:
    """The start: the assessment's calendar day in the viewer's zone."""
    return timezone.localdate(assessment.created_at)


def entries_of(assessment: Any) -> list[DiaryEntry]:
    return list(DiaryEntry.objects.filter(assessment=assessment).order_by("entry_date"))


def records_of(assessment: Any, measure: str) -> list[MeasureRecord]:
    return list(
        MeasureRecord.objects.filter(assessment=assessment, measure=measure).order_by("taken_on")
    )


# --- Streak ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Streak:
    """Days logged: in the last 7 days, in a row up to today (or yesterday, so a day not
    logged yet does not break it), and in all. Shown as encouragement, never as a loss."""

    last_7_days: int
    in_a_row: int
    total: int


def streak_of(days: set[date], today: date) -> Streak:
    week = sum(1 for n in range(7) if today - timedelta(days=n) in days)
    day = today if today in days else today - timedelta(days=1)
    run = 0
    while day in days:
        run += 1
        day -= timedelta(days=1)
    return Streak(last_7_days=week, in_a_row=run, total=len(days))


# --- Is this real improvement? ----------------------------------------------------------------


@dataclass
class Summary:
    progress: Progress
    rows: list[dict[str, Any]]
    due: tuple[str, ...]
    streak: Streak
    ceiling: int
    phase: str | None
    warning_signs: list[dict[str, Any]] = field(default_factory=list)
    # Whether the check asked about pain: then its answers are the pain's start, not the
    # first diary entry (the streak's words before any entry say which).
    pain_from_check: bool = False


def _mornings_worse_twice(entries: list[DiaryEntry]) -> bool:
    answered = [e for e in entries if e.next_morning]
    if len(answered) < 2:
        return False
    last, before = answered[-1], answered[-2]
    consecutive = (last.entry_date - before.entry_date).days == 1
    return consecutive and last.next_morning == before.next_morning == "worse"


def summary_for(assessment: Any, *, today: date | None = None) -> Summary:
    """Each measure against its start, the overall answer with its advice, what is due
    today and the streak."""
    today = today or timezone.localdate()
    start = first_day(assessment)
    entries = entries_of(assessment)
    seeded = baseline_pain(assessment.answers)
    rows = []
    latest: list[Change] = []
    earlier: list[Change] = []
    for key, label in (
        ("pain_worst", _("Worst pain in 24 hours")),
        ("pain_now", _("Pain now")),
    ):
        ratings = [Rating(e.entry_date, getattr(e, key)) for e in entries]
        now, before = nprs_change(seeded[key], ratings, baseline_day=start, today=today)
        rows.append({"key": key, "label": label, "change": now})
        latest.append(now)
        earlier.append(before)
    for measure, label in (
        (Measure.PSFS, _("Activities you find hard")),
        (Measure.BRIDGE, _("Single-leg bridge, sore leg")),
    ):
        scores = [Rating(r.taken_on, r.score) for r in records_of(assessment, measure)]
        now, before = first_and_latest(str(measure), scores)
        rows.append({"key": str(measure), "label": label, "change": now})
        latest.append(now)
        earlier.append(before)
    care = program_for(assessment)
    ceiling = ceiling_for(acute_strain=care.acute_strain)
    progress = judge(
        latest, earlier, ceiling=ceiling, mornings_worse_twice=_mornings_worse_twice(entries)
    )
    last_done: dict[str, date | None] = {
        "nprs": entries[-1].entry_date if entries else None,
        "psfs": _last_day(assessment, Measure.PSFS),
        "bridge": _last_day(assessment, Measure.BRIDGE),
    }
    phase = None if care.suppressed or not care.items else care.phase
    due = due_measures(baseline_day=start, today=today, last_done=last_done, phase=phase)
    signs = []
    if any(a.key == "warning_signs" for a in progress.advice):
        signs = list(plan_for(assessment).get("watch_for") or [])
    return Summary(
        progress=progress,
        rows=rows,
        due=due,
        streak=streak_of({e.entry_date for e in entries}, today),
        ceiling=ceiling,
        phase=phase,
        warning_signs=signs,
        pain_from_check=any(value is not None for value in seeded.values()),
    )


def _last_day(assessment: Any, measure: str) -> date | None:
    found = (
        MeasureRecord.objects.filter(assessment=assessment, measure=measure)
        .order_by("-taken_on")
        .values_list("taken_on", flat=True)
        .first()
    )
    return found


# --- Trend (the charts' data) -------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    on: date
    value: float


@dataclass(frozen=True)
class Series:
    """One line of a chart. ``gaps``: (the day before, the day after) each stretch without
    a rating longer than the measure's usual spacing (``gaps_in``); the chart breaks its
    line there instead of drawing a change nobody measured."""

    key: str
    label: str
    points: tuple[Point, ...]
    gaps: tuple[tuple[date, date], ...] = ()


@dataclass(frozen=True)
class Band:
    """Scores inside ``low``-``high`` are no real change from the start."""

    low: float
    high: float
    start: float
    # The start is a score the check asked (the pain scores), not a point of the chart: the
    # caption says where it came from, or "your start (4)" is a number found nowhere else.
    from_check: bool = False


@dataclass(frozen=True)
class Marker:
    on: date
    kind: str  # "phase" | "level"
    label: str
    short: str


@dataclass(frozen=True)
class Chart:
    key: str  # pain | function | strength
    title: str
    unit: str
    low: float
    high: float
    series: tuple[Series, ...]
    band: Band | None


@dataclass(frozen=True)
class Trend:
    start: date
    end: date
    charts: tuple[Chart, ...]
    markers: tuple[Marker, ...]

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)


# A stretch without a rating is a gap when it is longer than this many times the measure's
# usual spacing: a weekly rating a few days late is not one, a week missed is (14 days > 10.5);
# in the daily weeks of the pain diary a missed day is.
GAP_FACTOR = 1.5


def usual_spacing(measure: str, day: int) -> int:
    """Days between two ratings of a measure on its schedule, ``day`` days after the start:
    pain daily for the first weeks, then weekly; activities and the bridge test weekly."""
    schedule = load_outcomes().schedule
    if measure == "nprs" and day < schedule.nprs_daily_until_day:
        return 1
    return schedule.every_days[measure]


def gaps_in(measure: str, points: tuple[Point, ...], start: date) -> tuple[tuple[date, date], ...]:
    """(The day before, the day after) each stretch between two ratings longer than
    ``GAP_FACTOR`` times the usual spacing when the next rating was due (the day after the
    earlier one). Taken at the later rating, a week of the daily pain diary missed just
    before the weekly ratings began (day 6 to day 15) was no gap, and the line ran straight
    across it as though the pain had stayed the same all week."""
    return tuple(
        (before.on, after.on)
        for before, after in zip(points, points[1:], strict=False)
        if (after.on - before.on).days
        > GAP_FACTOR * usual_spacing(measure, (before.on - start).days + 1)
    )


def _series(measure: str, key: str, label: str, points: tuple[Point, ...], start: date) -> Series:
    return Series(key, label, points, gaps_in(measure, points, start))


def _band(
    measure: str, start: float | None, low: float, high: float, *, from_check: bool = False
) -> Band | None:
    if start is None:
        return None
    rules = load_outcomes().measures[measure]
    up, down = rules.improvement.needed(start), rules.worsening.needed(start)
    if rules.higher_is_better:
        lower, upper = start - down, start + up
    else:
        lower, upper = start - up, start + down
    return Band(low=max(low, lower), high=min(high, upper), start=start, from_check=from_check)


def _phase_markers(assessment: Any, start: date, end: date) -> list[Marker]:
    """The days the plan's stage changed, from the core's own stage rule."""
    if days_since_onset(assessment, timezone.now()) is None:
        return []
    base = assessment.answers.get("days_since_onset")
    markers: list[Marker] = []
    previous: str | None = None
    for offset in range(min((end - start).days, PHASE_DAYS_MAX) + 1):
        program = build_program(
            assessment.result, assessment.answers, days_since_onset=base + offset, pain_now=None
        )
        phase = None if program.suppressed else program.phase
        if offset and phase != previous and phase:
            day = start + timedelta(days=offset)
            label = _("Stage: %(stage)s") % {"stage": phase_label(phase)}
            markers.append(Marker(day, "phase", label, phase_short(phase)))
        previous = phase
    return markers


def _level_markers(assessment: Any) -> list[Marker]:
    markers = []
    for step in ProgressionStep.objects.filter(assessment=assessment).order_by("decided_at"):
        if step.to_level == step.from_level:
            continue
        exercise = (step.params.get("level_exercises") or {}).get(str(step.to_level), "")
        try:
            name = tr(get_exercise(exercise).name) if exercise else ""
        except KeyError:
            name = ""
        arrow = "↑" if step.to_level > step.from_level else "↓"
        label = _("Exercise level %(level)s: %(name)s") % {"level": step.to_level, "name": name}
        markers.append(
            Marker(timezone.localdate(step.decided_at), "level", label, f"{arrow}{step.to_level}")
        )
    return markers


def trend_for(assessment: Any, *, today: date | None = None) -> Trend:
    """Pain and function over time with the no-real-change bands, the plan's stage changes
    and the exercise level changes (for the charts and the tables beside them)."""
    today = today or timezone.localdate()
    start = first_day(assessment)
    entries = entries_of(assessment)
    seeded = baseline_pain(assessment.answers)
    pain_start = seeded["pain_worst"]
    if pain_start is None:
        pain_start = entries[0].pain_worst if entries else None
    pain = Chart(
        key="pain",
        title=_("Pain (0 = none, 10 = worst imaginable)"),
        unit=_("out of 10"),
        low=0,
        high=10,
        series=(
            _series(
                "nprs",
                "pain_worst",
                _("Worst in 24 hours"),
                tuple(Point(e.entry_date, e.pain_worst) for e in entries),
                start,
            ),
            _series(
                "nprs",
                "pain_now",
                _("Now"),
                tuple(Point(e.entry_date, e.pain_now) for e in entries),
                start,
            ),
        ),
        band=_band("nprs", pain_start, 0, 10, from_check=seeded["pain_worst"] is not None),
    )
    psfs = records_of(assessment, Measure.PSFS)
    function = Chart(
        key="function",
        title=_("Activities you find hard (0 = cannot do, 10 = as before)"),
        unit=_("out of 10"),
        low=0,
        high=10,
        series=(
            _series(
                "psfs",
                "psfs",
                _("Activities score"),
                tuple(Point(r.taken_on, r.score) for r in psfs),
                start,
            ),
        ),
        band=_band("psfs", psfs[0].score if psfs else None, 0, 10),
    )
    bridges = records_of(assessment, Measure.BRIDGE)
    most = max([r.score for r in bridges] + [r.values.get("other") or 0 for r in bridges] + [10])
    strength = Chart(
        key="strength",
        title=_("Single-leg bridge (repetitions)"),
        unit=_("repetitions"),
        low=0,
        high=float(most) * 1.15,
        series=(
            _series(
                "bridge",
                "sore",
                _("Sore leg"),
                tuple(Point(r.taken_on, r.score) for r in bridges),
                start,
            ),
            _series(
                "bridge",
                "other",
                _("Other leg"),
                tuple(
                    Point(r.taken_on, float(r.values["other"]))
                    for r in bridges
                    if r.values.get("other") is not None
                ),
                start,
            ),
        ),
        band=_band("bridge", bridges[0].score if bridges else None, 0, float(most) * 1.15),
    )
    last = max([today] + [e.entry_date for e in entries])
    markers = sorted(
        _phase_markers(assessment, start, last) + _level_markers(assessment), key=lambda m: m.on
    )
    return Trend(start=start, end=last, charts=(pain, function, strength), markers=tuple(markers))


def compare_rows(summary: Summary) -> list[dict[str, Any]]:
    """The rows of the "is this real improvement?" table, with the verdict's label."""
    labels = load_outcomes().overall
    return [{**row, "verdict_label": tr(labels[row["change"].verdict])} for row in summary.rows]


__all__ = ["Summary", "Trend", "compare", "summary_for", "trend_for"]
