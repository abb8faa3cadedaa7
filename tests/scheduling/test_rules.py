"""Availability rule values: parsing, normalising and refusing bad settings."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from rehabit.scheduling import (
    AvailabilityRules,
    DateOverride,
    RulesError,
    SessionType,
    TimeOff,
    UnknownTimeZone,
    WeeklyHours,
    WorkingInterval,
)
from rehabit.scheduling.rules import parse_wall_time

FOLLOW_UP = SessionType("follow-up", 30)
FIRST = SessionType("first-assessment", 45, name="First assessment")


def rules(**changes: object) -> AvailabilityRules:
    values: dict[str, object] = {
        "zone": "Europe/London",
        "weekly_hours": WeeklyHours.same_days([("09:00", "17:00")], range(5)),
        "session_types": (FIRST, FOLLOW_UP),
    }
    values.update(changes)
    return AvailabilityRules(**values)  # type: ignore[arg-type]


def test_parse_wall_time() -> None:
    assert parse_wall_time("09:30") == time(9, 30)
    assert parse_wall_time(time(17)) == time(17)
    assert parse_wall_time("24:00", end=True) == time(0)
    for bad in ("24:00", "9h", "25:00", "", "09:00:30"):
        with pytest.raises(RulesError):
            parse_wall_time(bad)
    with pytest.raises(RulesError, match="whole minutes"):
        parse_wall_time(time(9, 0, 30))
    with pytest.raises(RulesError, match="wall-clock"):
        parse_wall_time(time(9, tzinfo=UTC))
    with pytest.raises(RulesError):
        parse_wall_time(900)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "end", "minutes", "label"),
    [
        ("09:00", "17:00", (540, 1020), "09:00-17:00"),
        ("09:00", "24:00", (540, 1440), "09:00-24:00"),
        ("09:00", "00:00", (540, 1440), "09:00-24:00"),
        ("20:00", "02:00", (1200, 1560), "20:00-02:00"),
        ("00:00", "00:00", (0, 1440), "00:00-24:00"),
        ("06:00", "06:00", (360, 1800), "06:00-06:00"),
    ],
)
def test_working_interval_minutes(
    start: str, end: str, minutes: tuple[int, int], label: str
) -> None:
    interval = WorkingInterval.of(start, end)
    assert (interval.start_minute, interval.end_minute) == minutes
    assert str(interval) == label
    assert WorkingInterval(start, end) == interval  # type: ignore[arg-type]


def test_day_intervals_are_sorted_joined_and_checked_for_overlap() -> None:
    week = WeeklyHours.from_mapping({0: [("13:00", "17:00"), ("09:00", "12:00")]})
    assert [str(i) for i in week.on(0)] == ["09:00-12:00", "13:00-17:00"]
    joined = WeeklyHours.from_mapping({1: [("09:00", "12:00"), ("12:00", "17:00")]})
    assert [str(i) for i in joined.on(1)] == ["09:00-17:00"]
    with pytest.raises(RulesError, match="09:00-12:00 and 11:00-13:00 on Wednesday overlap"):
        WeeklyHours.from_mapping({2: [("09:00", "12:00"), ("11:00", "13:00")]})
    with pytest.raises(RulesError, match="overlap"):
        WeeklyHours.from_mapping({3: [("20:00", "02:00"), ("22:00", "23:00")]})
    # Joining must not build an interval longer than a day.
    long = WeeklyHours.from_mapping({4: [("00:00", "20:00"), ("20:00", "02:00")]})
    assert len(long.on(4)) == 2


def test_weekly_hours_shapes() -> None:
    assert WeeklyHours().on(6) == ()
    weekdays = WeeklyHours.same_days([("09:00", "17:00")], range(5))
    assert all(weekdays.on(d) for d in range(5))
    assert not weekdays.on(5) and not weekdays.on(6)
    with pytest.raises(RulesError, match="Weekday 7"):
        WeeklyHours.from_mapping({7: [("09:00", "17:00")]})
    with pytest.raises(RulesError, match="7 weekdays"):
        WeeklyHours(((),) * 6)
    with pytest.raises(RulesError, match="not a working interval"):
        WeeklyHours.from_mapping({0: ["09:00-17:00"]})


def test_date_override_and_time_off_validation() -> None:
    assert DateOverride(date(2026, 4, 6)).intervals == ()
    override = DateOverride(date(2026, 4, 6), (WorkingInterval.of("10:00", "12:00"),))
    assert str(override.intervals[0]) == "10:00-12:00"
    with pytest.raises(RulesError, match="calendar date"):
        DateOverride(datetime(2026, 4, 6, tzinfo=UTC))
    with pytest.raises(RulesError, match="aware"):
        TimeOff(datetime(2026, 4, 6), datetime(2026, 4, 7))
    with pytest.raises(RulesError, match="end after"):
        TimeOff(datetime(2026, 4, 7, tzinfo=UTC), datetime(2026, 4, 6, tzinfo=UTC))


def test_session_type_validation() -> None:
    with pytest.raises(RulesError, match="non-empty id"):
        SessionType("", 30)
    for minutes in (0, -5, 1441, 30.0, True):
        with pytest.raises(RulesError, match="duration"):
            SessionType("x", minutes)  # type: ignore[arg-type]


def test_rules_validation() -> None:
    with pytest.raises(UnknownTimeZone):
        rules(zone="Mars/Olympus")
    with pytest.raises(RulesError, match="own id"):
        rules(session_types=(FIRST, SessionType("first-assessment", 60)))
    with pytest.raises(RulesError, match="two overrides"):
        rules(overrides=(DateOverride(date(2026, 4, 6)), DateOverride(date(2026, 4, 6))))
    bad = {
        "buffer_before_minutes": -1,
        "buffer_after_minutes": 2000,
        "minimum_notice_minutes": -10,
        "horizon_days": 0,
        "slot_step_minutes": 0,
        "daily_maximum": 0,
    }
    for name, value in bad.items():
        with pytest.raises(RulesError):
            rules(**{name: value})
    with pytest.raises(RulesError, match="WeeklyHours"):
        rules(weekly_hours={0: []})


def test_rules_lookups() -> None:
    holiday = date(2026, 4, 6)  # a Monday
    special = date(2026, 4, 7)
    r = rules(
        overrides=[
            DateOverride(holiday),
            DateOverride(special, (WorkingInterval.of("18:00", "21:00"),)),
        ],
        time_off=[TimeOff(datetime(2026, 5, 1, tzinfo=UTC), datetime(2026, 5, 8, tzinfo=UTC))],
    )
    assert isinstance(r.overrides, tuple) and isinstance(r.time_off, tuple)
    assert r.intervals_on(holiday) == ()
    assert [str(i) for i in r.intervals_on(special)] == ["18:00-21:00"]
    assert [str(i) for i in r.intervals_on(date(2026, 4, 8))] == ["09:00-17:00"]
    assert r.intervals_on(date(2026, 4, 11)) == ()  # Saturday
    assert r.minutes_on(holiday.toordinal()) == ()
    assert r.minutes_on(date(2026, 4, 8).toordinal()) == ((540, 1020),)
    assert r.session_type("follow-up") is FOLLOW_UP
    assert r.session_type(FIRST) is FIRST
    assert r.session_type("massage") is None
    assert r.session_type(SessionType("follow-up", 60)) is None  # a stale copy
    assert r.tzinfo.key == "Europe/London"
    assert r == rules(
        overrides=(
            DateOverride(holiday),
            DateOverride(special, (WorkingInterval.of("18:00", "21:00"),)),
        ),
        time_off=(TimeOff(datetime(2026, 5, 1, tzinfo=UTC), datetime(2026, 5, 8, tzinfo=UTC)),),
    )
    hash(r)
