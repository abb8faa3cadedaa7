"""Parts of the day on the viewer's clock: the bounds, clock changes, half-hour offsets, and
the earliest free slots in a part against a plain filter of every slot."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehabit.scheduling import (
    AvailabilityRules,
    DateOverride,
    SessionType,
    WeeklyHours,
    WorkingInterval,
    bookable_slots,
    earliest_slots,
    first_free_slots,
)
from rehabit.scheduling.day_parts import (
    BOUNDS,
    DayPart,
    earliest_in_part,
    first_slots_in_part,
    in_day_part,
    may_start_in_part,
    slots_in_part,
    starts_in_part,
)
from tests.scheduling.test_properties import PROPERTY, ZONES, Scenario, scenarios

MORNING, AFTERNOON, EVENING, NIGHT, DAYTIME, ANY = (
    DayPart.MORNING, DayPart.AFTERNOON, DayPart.EVENING, DayPart.NIGHT, DayPart.DAYTIME,
    DayPart.ANY,
)  # fmt: skip
# The four parts that share the day out between them (daytime is the first three together).
PARTS = (MORNING, AFTERNOON, EVENING, NIGHT)
NEW_YORK, LONDON = ZoneInfo("America/New_York"), ZoneInfo("Europe/London")
FOLLOW_UP = SessionType("follow-up", 30)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def parts_of(local: time) -> set[DayPart]:
    return {part for part in PARTS if in_day_part(local, part)}


@pytest.mark.parametrize(
    ("local", "parts"),
    [
        (time(5, 59), {NIGHT}),
        (time(6, 0), {MORNING}),
        (time(11, 59), {MORNING}),
        (time(12, 0), {AFTERNOON}),  # noon is the afternoon's first minute, not the morning's
        (time(16, 59), {AFTERNOON}),
        (time(17, 0), {EVENING}),
        (time(21, 59), {EVENING}),
        (time(22, 0), {NIGHT}),  # the night starts at 22:00 ...
        (time(23, 59), {NIGHT}),
        (time(0, 0), {NIGHT}),  # ... goes on past midnight ...
        (time(3, 0), {NIGHT}),
    ],
)
def test_each_time_is_in_exactly_one_part_start_included_end_not(
    local: time, parts: set[DayPart]
) -> None:
    assert parts_of(local) == parts
    assert in_day_part(local, ANY) and in_day_part(local, "any")
    # The daytime is the morning, the afternoon and the evening: everything but the night.
    assert in_day_part(local, DAYTIME) == (parts != {NIGHT})


def test_the_parts_follow_each_other_without_overlap() -> None:
    spans = [BOUNDS[part] for part in PARTS]
    assert spans == [
        (time(6), time(12)),
        (time(12), time(17)),
        (time(17), time(22)),
        (time(22), time(6)),  # to 06:00 the next morning
    ]
    assert BOUNDS[DAYTIME] == (time(6), time(22))
    for minute in range(24 * 60):
        local = time(minute // 60, minute % 60)
        assert len(parts_of(local)) == 1
        assert in_day_part(local, DAYTIME) != in_day_part(local, NIGHT)


def test_a_part_is_named_by_its_value_and_an_unknown_one_is_refused() -> None:
    assert in_day_part(time(7), "morning") and not in_day_part(time(7), "evening")
    assert in_day_part(time(3), "night") and in_day_part(time(7), "daytime")
    with pytest.raises(ValueError):
        in_day_part(time(7), "midnight")


def test_an_aware_wall_clock_time_is_read_as_it_reads() -> None:
    assert in_day_part(time(6, 0, tzinfo=NEW_YORK), MORNING)


@pytest.mark.parametrize(
    ("instant", "part"),
    [
        # 14 March 2027: New York's clocks go forward at 02:00 (07:00 UTC), EST -> EDT.
        (utc(2027, 3, 13, 11, 30), MORNING),  # 06:30 EST
        (utc(2027, 3, 14, 10, 30), MORNING),  # 06:30 EDT: an hour earlier in UTC
        (utc(2027, 3, 13, 10, 30), NIGHT),  # 05:30 EST
        (utc(2027, 3, 14, 16, 0), AFTERNOON),  # 12:00 EDT
        (utc(2027, 3, 13, 16, 0), MORNING),  # 11:00 EST
        (utc(2027, 3, 14, 21, 0), EVENING),  # 17:00 EDT
        (utc(2027, 3, 14, 7, 0), NIGHT),  # 03:00 EDT, the first instant after the gap
        # 7 November 2027: back at 02:00 EDT (06:00 UTC); 01:00-02:00 happens twice.
        (utc(2027, 11, 7, 5, 30), NIGHT),  # 01:30 EDT
        (utc(2027, 11, 7, 6, 30), NIGHT),  # 01:30 EST, the second time
        (utc(2027, 11, 7, 11, 0), MORNING),  # 06:00 EST
        (utc(2027, 11, 6, 10, 0), MORNING),  # 06:00 EDT, the day before
        (utc(2027, 11, 7, 10, 59), NIGHT),  # 05:59 EST
        (utc(2027, 11, 7, 22, 0), EVENING),  # 17:00 EST
        (utc(2027, 11, 8, 3, 0), NIGHT),  # 22:00 EST
    ],
)
def test_new_york_s_parts_follow_its_clock_through_both_changes(
    instant: datetime, part: DayPart
) -> None:
    assert {p for p in PARTS if starts_in_part(instant, p, "America/New_York")} == {part}
    assert starts_in_part(instant, DAYTIME, "America/New_York") == (part is not NIGHT)


@pytest.mark.parametrize(
    ("instant", "part"),
    [
        (utc(2027, 1, 13, 0, 29), NIGHT),  # 05:59 IST (UTC+05:30)
        (utc(2027, 1, 13, 0, 30), MORNING),  # 06:00
        (utc(2027, 1, 13, 6, 29), MORNING),  # 11:59
        (utc(2027, 1, 13, 6, 30), AFTERNOON),  # 12:00
        (utc(2027, 1, 13, 11, 30), EVENING),  # 17:00
        (utc(2027, 1, 13, 16, 29), EVENING),  # 21:59
        (utc(2027, 1, 13, 16, 30), NIGHT),  # 22:00
    ],
)
def test_a_half_hour_offset_moves_the_bounds_by_its_half_hour(
    instant: datetime, part: DayPart
) -> None:
    kolkata = ZoneInfo("Asia/Kolkata")
    assert {p for p in PARTS if starts_in_part(instant, p, kolkata)} == {part}


def test_a_date_without_a_clock_change_needs_no_clock_reading_per_start() -> None:
    """Between the bounds placed on the clock when no change is near (then every start in
    them is in the part); widened, and each start read on the clock, when one is."""
    from rehabit.scheduling.day_parts import _SLACK, _window

    def us(moment: datetime) -> int:
        return round(moment.timestamp() * 1_000_000)

    morning = _window(NEW_YORK, date(2027, 3, 10).toordinal(), MORNING)
    assert morning == (us(utc(2027, 3, 10, 11)), us(utc(2027, 3, 10, 17)), True)
    # Chile's clocks go back at midnight at the start of Sunday 4 April 2027 (03:00 UTC),
    # three hours after Saturday evening's end: that evening is read start by start.
    santiago = ZoneInfo("America/Santiago")
    saturday = _window(santiago, date(2027, 4, 3).toordinal(), EVENING)
    opens = us(datetime(2027, 4, 3, 17, tzinfo=santiago))
    closes = us(datetime(2027, 4, 3, 22, tzinfo=santiago))
    assert saturday == (opens - _SLACK, closes + _SLACK, False)
    assert _window(santiago, date(2027, 4, 4).toordinal(), EVENING)[2]


def london(hours: tuple[str, str] = ("09:00", "17:00"), horizon: int = 30) -> AvailabilityRules:
    return AvailabilityRules(
        zone="Europe/London",
        weekly_hours=WeeklyHours.same_days([hours], range(7)),
        session_types=(FOLLOW_UP,),
        slot_step_minutes=30,
        minimum_notice_minutes=0,
        horizon_days=horizon,
    )


# Wednesday 10 March 2027, 05:00 UTC: New York is on EST (-5) until Sunday the 14th, then
# EDT (-4) while London stays on GMT until the 28th.
NOW = utc(2027, 3, 10, 5)


def test_a_london_therapist_seen_from_new_york_offers_only_new_york_mornings() -> None:
    rules = london()
    morning = first_slots_in_part(rules, FOLLOW_UP, [], now=NOW, part=MORNING, zone=NEW_YORK, n=500)
    assert morning
    for slot in morning:
        assert time(6) <= slot.start.astimezone(NEW_YORK).time() < time(12)
        assert time(9) <= slot.start.astimezone(LONDON).time() < time(17)
    # 06:00 EST is 11:00 in London; 06:00 EDT (from the 14th) is 10:00 in London.
    assert morning[0].start == utc(2027, 3, 10, 11)
    sunday = [s.start for s in morning if s.start.astimezone(NEW_YORK).date() == date(2027, 3, 14)]
    assert sunday[0] == utc(2027, 3, 14, 10)
    # New York's evening (17:00-22:00) is 21:00-03:00 in London: never in these hours.
    assert first_slots_in_part(rules, FOLLOW_UP, [], now=NOW, part=EVENING, zone=NEW_YORK) == []
    assert first_slots_in_part(rules, "massage", [], now=NOW, part=MORNING, zone=NEW_YORK) == []
    assert (
        first_slots_in_part(rules, FOLLOW_UP, [], now=NOW, part=MORNING, zone=NEW_YORK, n=0) == []
    )


def test_a_london_therapist_s_first_times_seen_from_new_york_are_its_night_then_its_day() -> None:
    """London's 09:00 is 04:00 in New York (05:00 once New York is on EDT): its first times
    are in New York's night, 04:00-05:59; the daytime starts at 06:00 on that clock."""
    rules = london()
    night = first_slots_in_part(rules, FOLLOW_UP, [], now=NOW, part=NIGHT, zone=NEW_YORK, n=500)
    assert night[0].start == utc(2027, 3, 10, 9)  # 04:00 EST
    for slot in night:
        local = slot.start.astimezone(NEW_YORK).time()
        assert time(4) <= local < time(6)
    daytime = first_slots_in_part(rules, FOLLOW_UP, [], now=NOW, part=DAYTIME, zone=NEW_YORK, n=3)
    assert [s.start for s in daytime] == [
        utc(2027, 3, 10, 11),
        utc(2027, 3, 10, 11, 30),
        utc(2027, 3, 10, 12),
    ]
    assert may_start_in_part(rules, FOLLOW_UP, now=NOW, part=NIGHT, zone=NEW_YORK)
    # 13:00-23:00 in London is 08:00-18:00 in New York: no night there ...
    assert not may_start_in_part(
        london(("13:00", "23:00")), FOLLOW_UP, now=NOW, part=NIGHT, zone=NEW_YORK
    )
    # ... and 22:00-23:00 in London is 17:00-18:00: no night either, but to 03:30 (past
    # London's midnight) it is New York's 22:00 on: the night that began the evening before.
    late = london(("19:00", "03:30"))
    assert may_start_in_part(late, FOLLOW_UP, now=NOW, part=NIGHT, zone=NEW_YORK)
    first = first_slots_in_part(late, FOLLOW_UP, [], now=NOW, part=NIGHT, zone=NEW_YORK, n=1)
    assert first[0].start.astimezone(NEW_YORK).time() == time(22)


def test_any_time_is_the_engine_s_own_answer() -> None:
    rules = london()
    assert first_slots_in_part(
        rules, FOLLOW_UP, [], now=NOW, part=ANY, zone="America/New_York", n=4
    ) == first_free_slots(rules, FOLLOW_UP, [], now=NOW, n=4)
    candidates = [("a", rules, FOLLOW_UP, [])]
    assert earliest_in_part(
        candidates, now=NOW, part="any", zone=NEW_YORK, per_therapist=2
    ) == earliest_slots(candidates, now=NOW, per_therapist=2)
    slots = first_free_slots(rules, FOLLOW_UP, [], now=NOW, n=5)
    assert slots_in_part(slots, ANY, NEW_YORK) == slots


def test_the_search_orders_therapists_by_their_first_time_in_the_part() -> None:
    new_york = AvailabilityRules(
        zone="America/New_York",
        weekly_hours=WeeklyHours.same_days([("09:00", "20:00")], range(7)),
        session_types=(FOLLOW_UP,),
        slot_step_minutes=30,
        minimum_notice_minutes=0,
    )
    candidates = [("ny", new_york, FOLLOW_UP, []), ("london", london(), FOLLOW_UP, [])]
    morning = earliest_in_part(candidates, now=NOW, part=MORNING, zone=NEW_YORK, per_therapist=2)
    assert list(morning) == ["london", "ny"]  # 06:00 in New York is London's 11:00
    assert [s.start for s in morning["ny"]] == [utc(2027, 3, 10, 14), utc(2027, 3, 10, 14, 30)]
    evening = earliest_in_part(candidates, now=NOW, part=EVENING, zone=NEW_YORK)
    assert list(evening) == ["ny"]  # the London therapist has no New York evening
    assert evening["ny"][0].start == utc(2027, 3, 10, 22)  # 17:00 EST
    # Booked from 17:00 to 18:00: the first evening time moves to 18:00.
    booked = [("ny", new_york, FOLLOW_UP, [(utc(2027, 3, 10, 22), utc(2027, 3, 10, 23))])]
    assert earliest_in_part(booked, now=NOW, part=EVENING, zone=NEW_YORK)["ny"][0].start == utc(
        2027, 3, 10, 23
    )
    with pytest.raises(ValueError):
        earliest_in_part(candidates * 2, now=NOW, part=MORNING, zone=NEW_YORK)


@PROPERTY
@given(
    scenarios(),
    st.sampled_from(ZONES),
    st.sampled_from([MORNING, AFTERNOON, EVENING, NIGHT, DAYTIME]),
    st.integers(1, 5),
)
def test_the_first_slots_in_a_part_are_the_first_of_every_slot_in_it(
    s: Scenario, zone: str, part: DayPart, n: int
) -> None:
    """The same answer as the obvious way: every free slot of the horizon, filtered."""
    viewer = ZoneInfo(zone)
    everything = bookable_slots(
        s.rules,
        s.session,
        s.busy,
        range_start=(s.now - timedelta(days=2)).date(),
        range_end=(s.now + timedelta(days=s.rules.horizon_days + 2)).date(),
        viewer_zone="UTC",
        now=s.now,
    )
    expected = [
        slot for slot in everything if in_day_part(slot.start.astimezone(viewer).time(), part)
    ][:n]
    got = first_slots_in_part(s.rules, s.session, s.busy, now=s.now, part=part, zone=zone, n=n)
    assert got == expected


def test_hours_that_never_reach_the_part_are_known_without_reading_a_date() -> None:
    """Whether a therapist's hours can place a start in the part at all, from the hours,
    the session's length and the two clocks: a search then skips their appointments."""
    rules = london(horizon=3)  # to 13 March: New York on EST, five hours behind London

    def may(rules: AvailabilityRules, part: DayPart, zone: ZoneInfo = NEW_YORK) -> bool:
        return may_start_in_part(rules, FOLLOW_UP, now=NOW, part=part, zone=zone)

    assert not may(rules, EVENING)  # 17:00-22:00 in New York is 22:00-03:00 in London
    assert may(rules, MORNING) and may(rules, AFTERNOON) and may(rules, ANY)
    assert not may_start_in_part(rules, "massage", now=NOW, part=ANY, zone=NEW_YORK)
    # The session must fit: 09:00-17:00 on a New York clock starts no 30 minutes at 16:45.
    new_york = AvailabilityRules(
        zone="America/New_York",
        weekly_hours=WeeklyHours.same_days([("09:00", "17:00")], range(5)),
        session_types=(FOLLOW_UP,),
        horizon_days=3,
    )
    assert not may(new_york, EVENING) and may(new_york, AFTERNOON)
    # Nor over New York's change on the 14th, its own clock moving with it.
    assert not may(replace(new_york, horizon_days=30), EVENING)
    # Seen from New York, one late override in London is an evening (22:00 GMT is 17:00 EST).
    late = AvailabilityRules(
        zone="Europe/London",
        weekly_hours=WeeklyHours.same_days([("09:00", "17:00")], range(7)),
        session_types=(FOLLOW_UP,),
        overrides=(DateOverride(date(2027, 3, 12), (WorkingInterval.of("22:00", "23:00"),)),),
        horizon_days=3,
    )
    assert may(late, EVENING)
    assert first_slots_in_part(late, FOLLOW_UP, [], now=NOW, part=EVENING, zone=NEW_YORK)
    # Over the change on the 14th, New York is four hours behind: still no evening, and a
    # New York day to 17:30 (its own clock, whichever offset) starts its last at 17:00.
    assert not may(london(horizon=30), EVENING)
    to_half_past = AvailabilityRules(
        zone="America/New_York",
        weekly_hours=WeeklyHours.same_days([("09:00", "17:30")], range(7)),
        session_types=(FOLLOW_UP,),
        horizon_days=30,
    )
    assert may(to_half_past, EVENING)

    # Kolkata's 09:00-17:00 is 03:30-11:30 in London on GMT: mornings there, never an
    # afternoon; on BST (from the 28th) it is 04:30-12:30, and a last start at 16:30 is
    # London's 12:00, an afternoon one. Never an evening.
    def kolkata(horizon: int) -> AvailabilityRules:
        return AvailabilityRules(
            zone="Asia/Kolkata",
            weekly_hours=WeeklyHours.same_days([("09:00", "17:00")], range(7)),
            session_types=(FOLLOW_UP,),
            horizon_days=horizon,
        )

    assert may(kolkata(10), MORNING, LONDON) and not may(kolkata(10), AFTERNOON, LONDON)
    assert may(kolkata(30), AFTERNOON, LONDON) and not may(kolkata(30), EVENING, LONDON)


@PROPERTY
@given(
    scenarios(),
    st.sampled_from(ZONES),
    st.sampled_from([MORNING, AFTERNOON, EVENING, NIGHT, DAYTIME]),
)
def test_hours_said_never_to_reach_a_part_have_no_time_in_it_even_unbooked(
    s: Scenario, zone: str, part: DayPart
) -> None:
    """``may_start_in_part`` may say yes for nothing, never no for something: with no
    appointment at all, not one free time of the horizon starts in the part."""
    if may_start_in_part(s.rules, s.session, now=s.now, part=part, zone=zone):
        return
    everything = bookable_slots(
        s.rules,
        s.session,
        [],
        range_start=(s.now - timedelta(days=2)).date(),
        range_end=(s.now + timedelta(days=s.rules.horizon_days + 2)).date(),
        viewer_zone="UTC",
        now=s.now,
    )
    assert slots_in_part(everything, part, zone) == []
