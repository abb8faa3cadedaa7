"""Clock changes: both 2026 transitions in London, New York and Sydney, and friends.

Expected instants were worked out by hand from the tz database's 2026 transitions:
London 29 Mar 01:00 UTC (+0 -> +1) and 25 Oct 01:00 UTC (+1 -> +0); New York 8 Mar 07:00
UTC (-5 -> -4) and 1 Nov 06:00 UTC (-4 -> -5); Sydney 4 Apr 16:00 UTC (+11 -> +10) and
3 Oct 16:00 UTC (+10 -> +11).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from rehabit.scheduling import (
    AvailabilityRules,
    DateOverride,
    SessionType,
    Slot,
    WeeklyHours,
    WorkingInterval,
    bookable_slots,
    is_bookable,
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def rules_for(
    zone: str,
    on: date,
    hours: tuple[str, str],
    *,
    step: int = 30,
    duration: int = 30,
    **changes: object,
) -> AvailabilityRules:
    values: dict[str, object] = {
        "zone": zone,
        "weekly_hours": WeeklyHours(),
        "overrides": (DateOverride(on, (WorkingInterval.of(*hours),)),),
        "session_types": (SessionType("s", duration),),
        "slot_step_minutes": step,
        "horizon_days": 400,
    }
    values.update(changes)
    return AvailabilityRules(**values)  # type: ignore[arg-type]


def offered(rules: AvailabilityRules, on: date, viewer: str | None = None) -> list[Slot]:
    return bookable_slots(
        rules,
        "s",
        [],
        range_start=on - timedelta(days=1),
        range_end=on + timedelta(days=1),
        viewer_zone=viewer or rules.zone,
        now=utc(2025, 12, 1),
    )


def labels(slots: list[Slot], zone: str) -> list[str]:
    return [s.in_zone(zone)[0].strftime("%H:%M %Z") for s in slots]


def check_real_durations(slots: list[Slot], minutes: int) -> None:
    for slot in slots:
        assert slot.end - slot.start == timedelta(minutes=minutes)
        assert slot.in_zone("UTC")[1] - slot.in_zone("UTC")[0] == timedelta(minutes=minutes)
    assert len({s.start for s in slots}) == len(slots)


LONDON_SPRING = date(2026, 3, 29)
LONDON_AUTUMN = date(2026, 10, 25)
NY_SPRING = date(2026, 3, 8)
NY_AUTUMN = date(2026, 11, 1)
SYDNEY_AUTUMN = date(2026, 4, 5)
SYDNEY_SPRING = date(2026, 10, 4)


def test_london_spring_gap_is_skipped_and_sessions_last_real_minutes() -> None:
    rules = rules_for("Europe/London", LONDON_SPRING, ("00:00", "04:00"))
    slots = offered(rules, LONDON_SPRING)
    assert labels(slots, "Europe/London") == [
        "00:00 GMT", "00:30 GMT", "02:00 BST", "02:30 BST", "03:00 BST", "03:30 BST"
    ]  # fmt: skip
    assert [s.start for s in slots] == [
        utc(2026, 3, 29, 0) + timedelta(minutes=30 * i) for i in range(6)
    ]
    check_real_durations(slots, 30)
    hour = rules_for("Europe/London", LONDON_SPRING, ("00:00", "04:00"), duration=60)
    long = offered(hour, LONDON_SPRING)
    assert labels(long, "Europe/London") == [
        "00:00 GMT", "00:30 GMT", "02:00 BST", "02:30 BST", "03:00 BST"
    ]  # fmt: skip
    check_real_durations(long, 60)
    # 00:30 GMT to 02:30 BST reads as two hours on the wall but is one real hour.
    assert long[1].in_zone("Europe/London")[1].strftime("%H:%M") == "02:30"


def test_london_autumn_repeated_hour_is_offered_once() -> None:
    rules = rules_for("Europe/London", LONDON_AUTUMN, ("00:00", "03:00"))
    slots = offered(rules, LONDON_AUTUMN)
    assert labels(slots, "Europe/London") == [
        "00:00 BST", "00:30 BST", "01:00 BST", "01:30 BST", "02:00 GMT", "02:30 GMT"
    ]  # fmt: skip
    assert [s.start for s in slots] == [
        utc(2026, 10, 24, 23), utc(2026, 10, 24, 23, 30), utc(2026, 10, 25, 0),
        utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 2), utc(2026, 10, 25, 2, 30),
    ]  # fmt: skip
    check_real_durations(slots, 30)
    now = utc(2026, 10, 1)
    assert is_bookable(rules, "s", [], utc(2026, 10, 25, 0), now)  # 01:00 BST
    assert is_bookable(rules, "s", [], utc(2026, 10, 25, 1), now).reason == "not_offered"
    assert is_bookable(rules, "s", [], utc(2026, 10, 25, 1, 30), now).reason == "not_offered"


def test_new_york_spring_with_boundaries_in_the_gap() -> None:
    rules = rules_for("America/New_York", NY_SPRING, ("01:00", "04:00"))
    slots = offered(rules, NY_SPRING)
    assert labels(slots, "America/New_York") == ["01:00 EST", "01:30 EST", "03:00 EDT", "03:30 EDT"]
    assert slots[2].start == utc(2026, 3, 8, 7)
    check_real_durations(slots, 30)
    # Hours that open at 02:30 (which does not exist) open when the clocks jump.
    opens_in_gap = offered(rules_for("America/New_York", NY_SPRING, ("02:30", "05:00")), NY_SPRING)
    assert labels(opens_in_gap, "America/New_York") == [
        "03:00 EDT",
        "03:30 EDT",
        "04:00 EDT",
        "04:30 EDT",
    ]
    # Hours that close at 02:30 close when the clocks jump: the 01:30 session ends at 03:00.
    closes_in_gap = offered(rules_for("America/New_York", NY_SPRING, ("00:00", "02:30")), NY_SPRING)
    assert labels(closes_in_gap, "America/New_York") == [
        "00:00 EST",
        "00:30 EST",
        "01:00 EST",
        "01:30 EST",
    ]
    assert closes_in_gap[-1].end == utc(2026, 3, 8, 7)


def test_new_york_autumn() -> None:
    rules = rules_for("America/New_York", NY_AUTUMN, ("00:00", "03:00"), step=60, duration=60)
    slots = offered(rules, NY_AUTUMN)
    assert [s.start for s in slots] == [
        utc(2026, 11, 1, 4),
        utc(2026, 11, 1, 5),
        utc(2026, 11, 1, 7),
    ]
    assert labels(slots, "America/New_York") == ["00:00 EDT", "01:00 EDT", "02:00 EST"]
    check_real_durations(slots, 60)


def test_sydney_autumn_and_spring() -> None:
    autumn = offered(
        rules_for("Australia/Sydney", SYDNEY_AUTUMN, ("01:00", "04:00")), SYDNEY_AUTUMN
    )
    assert [s.start for s in autumn] == [
        utc(2026, 4, 4, 14), utc(2026, 4, 4, 14, 30), utc(2026, 4, 4, 15),
        utc(2026, 4, 4, 15, 30), utc(2026, 4, 4, 17), utc(2026, 4, 4, 17, 30),
    ]  # fmt: skip
    assert labels(autumn, "Australia/Sydney") == [
        "01:00 AEDT", "01:30 AEDT", "02:00 AEDT", "02:30 AEDT", "03:00 AEST", "03:30 AEST"
    ]  # fmt: skip
    check_real_durations(autumn, 30)
    spring = offered(
        rules_for("Australia/Sydney", SYDNEY_SPRING, ("01:00", "04:00")), SYDNEY_SPRING
    )
    assert [s.start for s in spring] == [
        utc(2026, 10, 3, 15), utc(2026, 10, 3, 15, 30),
        utc(2026, 10, 3, 16), utc(2026, 10, 3, 16, 30),
    ]  # fmt: skip
    assert labels(spring, "Australia/Sydney") == [
        "01:00 AEST",
        "01:30 AEST",
        "03:00 AEDT",
        "03:30 AEDT",
    ]


def test_a_long_session_across_the_change_keeps_its_real_length() -> None:
    rules = rules_for("Europe/London", LONDON_AUTUMN, ("00:00", "03:00"), step=60, duration=90)
    slots = offered(rules, LONDON_AUTUMN)
    # 00:00 BST + 90 real minutes = 01:30 BST; 01:00 BST + 90 = 01:30 GMT (the wall clock
    # shows the same end twice); 02:00 GMT + 90 would end at 03:30, after closing.
    assert labels(slots, "Europe/London") == ["00:00 BST", "01:00 BST"]
    assert [s.in_zone("Europe/London")[1].strftime("%H:%M %Z") for s in slots] == [
        "01:30 BST", "01:30 GMT"
    ]  # fmt: skip
    check_real_durations(slots, 90)


@pytest.mark.parametrize(
    ("zone", "before", "after", "offsets"),
    [
        ("Europe/London", date(2026, 3, 27), date(2026, 3, 30), (9, 8)),
        ("Europe/London", date(2026, 10, 23), date(2026, 10, 26), (8, 9)),
        ("America/New_York", date(2026, 3, 6), date(2026, 3, 9), (14, 13)),
        ("America/New_York", date(2026, 10, 30), date(2026, 11, 2), (13, 14)),
    ],
)
def test_daytime_hours_keep_their_wall_time_across_the_change(
    zone: str, before: date, after: date, offsets: tuple[int, int]
) -> None:
    rules = AvailabilityRules(
        zone=zone,
        weekly_hours=WeeklyHours.same_days([("09:00", "17:00")], range(7)),
        session_types=(SessionType("s", 45),),
        horizon_days=400,
    )
    for day, hour in zip((before, after), offsets, strict=True):
        first = offered(rules, day, viewer=zone)
        first = [s for s in first if s.in_zone(zone)[0].date() == day]
        assert first[0].start == datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
        assert first[0].in_zone(zone)[0].strftime("%H:%M") == "09:00"
        assert first[-1].in_zone(zone)[1].strftime("%H:%M") == "17:00"


def _weekly(zone: str, hours: tuple[str, str] = ("09:00", "12:00")) -> AvailabilityRules:
    return AvailabilityRules(
        zone=zone,
        weekly_hours=WeeklyHours.same_days([hours], range(7)),
        session_types=(SessionType("s", 45),),
        horizon_days=400,
    )


def _day_in(rules: AvailabilityRules, viewer: str, on: date) -> list[str]:
    slots = bookable_slots(
        rules, "s", [], range_start=on, range_end=on, viewer_zone=viewer, now=utc(2025, 12, 1)
    )
    return [s.in_zone(viewer)[0].strftime("%a %d %H:%M %Z") for s in slots]


def test_new_york_therapist_and_london_patient_between_the_two_changes() -> None:
    rules = _weekly("America/New_York", ("09:00", "10:00"))
    # Before 8 March both are on winter time (5 h apart), between 8 and 29 March only New
    # York has moved (4 h apart), after 29 March both have (5 h apart again).
    assert _day_in(rules, "Europe/London", date(2026, 3, 6))[0] == "Fri 06 14:00 GMT"
    assert _day_in(rules, "Europe/London", date(2026, 3, 9))[0] == "Mon 09 13:00 GMT"
    assert _day_in(rules, "Europe/London", date(2026, 3, 30))[0] == "Mon 30 14:00 BST"
    # The autumn mirror: London moves on 25 October, New York on 1 November.
    assert _day_in(rules, "Europe/London", date(2026, 10, 26))[0] == "Mon 26 13:00 GMT"
    assert _day_in(rules, "Europe/London", date(2026, 11, 2))[0] == "Mon 02 14:00 GMT"


def test_sydney_therapist_and_london_patient_as_both_clocks_move() -> None:
    rules = _weekly("Australia/Sydney", ("09:00", "10:00"))
    # Sydney 09:00 on Monday 23 March (AEDT, London GMT) is Sunday 22:00 in London.
    assert _day_in(rules, "Europe/London", date(2026, 3, 22))[0] == "Sun 22 22:00 GMT"
    # London moved on 29 March: Sydney's Monday 09:00 is Sunday 23:00 BST.
    assert _day_in(rules, "Europe/London", date(2026, 3, 29))[0] == "Sun 29 23:00 BST"
    # Sydney moved back on 5 April: Monday 09:00 AEST is Monday 00:00 BST in London, so a
    # London patient asking for Monday 6 April gets it, and asking for Sunday does not.
    assert _day_in(rules, "Europe/London", date(2026, 4, 6))[0] == "Mon 06 00:00 BST"
    assert "Sun 05 23:00 BST" not in _day_in(rules, "Europe/London", date(2026, 4, 5))
    # Spring in Sydney (4 Oct) then autumn in London (25 Oct).
    assert _day_in(rules, "Europe/London", date(2026, 10, 4))[0] == "Sun 04 23:00 BST"
    assert _day_in(rules, "Europe/London", date(2026, 10, 25))[0] == "Sun 25 22:00 GMT"


def test_london_therapist_and_sydney_patient_on_the_change_weekend() -> None:
    rules = _weekly("Europe/London", ("09:00", "10:00"))
    # Sunday 29 March 09:00 BST = 08:00 UTC = 19:00 AEDT on Sunday in Sydney.
    assert _day_in(rules, "Australia/Sydney", date(2026, 3, 29)) == [
        "Sun 29 19:00 AEDT", "Sun 29 19:15 AEDT"
    ]  # fmt: skip
    # Sunday 5 April 09:00 BST = 08:00 UTC = 18:00 AEST.
    assert _day_in(rules, "Australia/Sydney", date(2026, 4, 5))[0] == "Sun 05 18:00 AEST"


def test_minimum_notice_that_ends_on_the_change_day() -> None:
    rules = AvailabilityRules(
        zone="Europe/London",
        weekly_hours=WeeklyHours.same_days([("09:00", "17:00")], range(7)),
        session_types=(SessionType("s", 30),),
        minimum_notice_minutes=24 * 60,
        slot_step_minutes=30,
    )
    now = utc(2026, 3, 28, 12)  # Saturday 12:00 GMT; notice ends Sunday 12:00 UTC = 13:00 BST
    sunday = bookable_slots(
        rules, "s", [], range_start=LONDON_SPRING, range_end=LONDON_SPRING,
        viewer_zone="Europe/London", now=now,
    )  # fmt: skip
    assert labels(sunday, "Europe/London")[0] == "13:00 BST"
    assert is_bookable(rules, "s", [], utc(2026, 3, 29, 11, 30), now).reason == "too_soon"
    assert is_bookable(rules, "s", [], utc(2026, 3, 29, 12), now)


def test_half_hour_zone_with_daylight_saving() -> None:
    rules = _weekly("Australia/Adelaide")
    # Monday 6 April 09:00 ACST (+09:30) = Sunday 23:30 UTC; a week earlier (ACDT +10:30)
    # it was 22:30 UTC.
    monday = bookable_slots(
        rules, "s", [], range_start=date(2026, 4, 6), range_end=date(2026, 4, 6),
        viewer_zone="Australia/Adelaide", now=utc(2025, 12, 1),
    )  # fmt: skip
    assert monday[0].start == utc(2026, 4, 5, 23, 30)
    earlier = bookable_slots(
        rules, "s", [], range_start=date(2026, 3, 30), range_end=date(2026, 3, 30),
        viewer_zone="Australia/Adelaide", now=utc(2025, 12, 1),
    )  # fmt: skip
    assert earlier[0].start == utc(2026, 3, 29, 22, 30)


def test_lord_howe_half_hour_clock_change() -> None:
    # Lord Howe moves by 30 minutes: 02:00 -> 02:30 on 4 October 2026.
    rules = rules_for(
        "Australia/Lord_Howe", SYDNEY_SPRING, ("01:00", "04:00"), step=15, duration=30
    )
    slots = offered(rules, SYDNEY_SPRING)
    walls = [s.in_zone("Australia/Lord_Howe")[0].strftime("%H:%M") for s in slots]
    assert "02:00" not in walls and "02:15" not in walls and "02:30" in walls
    assert walls[0] == "01:00" and walls[-1] == "03:30"
    check_real_durations(slots, 30)
