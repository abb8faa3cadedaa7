"""Adherence: sessions done this week against the sessions the program plans.

A session is one sitting in which the person does some or all of their exercises. The
program's most frequent exercise sets how many sittings a week it asks for
(``per_day`` x ``days_per_week``); exercises asked for less often are done in some of them.
The week runs Monday to Sunday in the person's time zone. In the week the program began,
only the days left are planned (a program started on a Saturday asks for two days' worth),
and a week before it began plans nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo


@dataclass(frozen=True, slots=True)
class WeeklyPlan:
    sessions: int  # sittings asked for in a week
    per_day: int
    days_per_week: int


@dataclass(frozen=True, slots=True)
class Adherence:
    done: int
    planned: int  # per_day x days
    per_day: int
    days_per_week: int
    week_start: date  # Monday, in the person's zone
    week_end: date  # Sunday
    starts_at: datetime  # the week's bounds as instants (aware)
    ends_at: datetime
    days: int  # days with sessions this week: days_per_week, fewer in the first week
    began_on: date | None  # the day the program began, when it was in this week

    @property
    def meter_value(self) -> int:
        """Done, capped at planned, for a <progress> bar (extra sessions still count in
        ``done``)."""
        return min(self.done, self.planned)

    @property
    def short_first_week(self) -> bool:
        """The program began this week too late for all its days (planned says fewer)."""
        return self.began_on is not None and self.days < self.days_per_week


def weekly_plan(dosages: Sequence[Mapping[str, object]]) -> WeeklyPlan:
    """Sittings a week the program asks for: its most frequent exercise decides."""
    best = WeeklyPlan(0, 0, 0)
    for dosage in dosages:
        per_day, days = dosage.get("per_day"), dosage.get("days_per_week")
        if not isinstance(per_day, int) or not isinstance(days, int):
            continue
        if per_day * days > best.sessions:
            best = WeeklyPlan(per_day * days, per_day, days)
    return best


def week_bounds(now: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 in ``zone``, around the aware ``now``."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    start = datetime.combine(monday, time.min, tzinfo=zone)
    end = datetime.combine(monday + timedelta(days=7), time.min, tzinfo=zone)
    return start, end


def weekly_adherence(
    logged_at: Iterable[datetime],
    dosages: Sequence[Mapping[str, object]],
    *,
    now: datetime,
    zone: tzinfo,
    began: datetime | None = None,
) -> Adherence:
    """Sessions done in the week around ``now`` against those planned; ``began`` (aware):
    when the program began (its assessment), so that its first week asks only for the days
    left and the weeks before it for nothing."""
    plan = weekly_plan(dosages)
    start, end = week_bounds(now, zone)
    done = sum(1 for moment in logged_at if start <= moment < end)
    days, began_on = plan.days_per_week, None
    if began is not None and began >= end:
        days = 0
    elif began is not None and began > start:
        began_on = began.astimezone(zone).date()
        days_left = (end.date() - began_on).days
        days = min(plan.days_per_week, math.ceil(plan.days_per_week * days_left / 7))
    return Adherence(
        done=done,
        planned=plan.per_day * days,
        per_day=plan.per_day,
        days_per_week=plan.days_per_week,
        week_start=start.date(),
        week_end=(end - timedelta(days=1)).date(),
        starts_at=start,
        ends_at=end,
        days=days,
        began_on=began_on,
    )
