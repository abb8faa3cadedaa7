"""The slot engine on worked examples: hours, buffers, notice, horizon, limits, reasons."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rehabit.scheduling import (
    AvailabilityRules,
    Busy,
    DateOverride,
    Reason,
    SessionType,
    Slot,
    TimeOff,
    UnknownTimeZone,
    WeeklyHours,
    WorkingInterval,
    bookable_slots,
    first_free_slots,
    is_bookable,
    nearest_alternatives,
)
from rehabit.scheduling.rules import BusyLike

FIRST = SessionType("first-assessment", 45)
FOLLOW_UP = SessionType("follow-up", 30)
MONDAY = date(2026, 6, 1)  # British Summer Time: London = UTC+1
NOW = datetime(2026, 5, 29, 12, tzinfo=UTC)  # the Friday before


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def make_rules(**changes: object) -> AvailabilityRules:
    values: dict[str, object] = {
        "zone": "Europe/London",
        "weekly_hours": WeeklyHours.same_days([("09:00", "12:00"), ("13:00", "17:00")], range(5)),
        "session_types": (FIRST, FOLLOW_UP),
        "slot_step_minutes": 30,
        "horizon_days": 30,
    }
    values.update(changes)
    return AvailabilityRules(**values)  # type: ignore[arg-type]


def local_starts(slots: list[Slot], zone: str = "Europe/London") -> list[str]:
    return [s.in_zone(zone)[0].strftime("%a %H:%M") for s in slots]


def day(
    rules: AvailabilityRules,
    busy: BusyLike = (),
    *,
    on: date = MONDAY,
    session: SessionType | str = FOLLOW_UP,
    viewer: str = "Europe/London",
    now: datetime = NOW,
) -> list[Slot]:
    return bookable_slots(
        rules,
        session,
        busy,
        range_start=on,
        range_end=on,
        viewer_zone=viewer,
        now=now,
    )


def test_working_hours_on_the_therapist_wall_clock() -> None:
    slots = day(make_rules(), session=FIRST)
    assert local_starts(slots) == [
        "Mon 09:00", "Mon 09:30", "Mon 10:00", "Mon 10:30", "Mon 11:00",
        "Mon 13:00", "Mon 13:30", "Mon 14:00", "Mon 14:30", "Mon 15:00", "Mon 15:30", "Mon 16:00",
    ]  # fmt: skip
    assert all(s.duration == timedelta(minutes=45) for s in slots)
    assert all(s.session_type_id == "first-assessment" for s in slots)
    assert slots[0].start == utc(2026, 6, 1, 8)
    assert slots[0].start.tzinfo is UTC
    assert day(make_rules(), on=date(2026, 6, 6)) == []  # Saturday


def test_grid_starts_at_each_interval_start() -> None:
    rules = make_rules(weekly_hours=WeeklyHours.same_days([("09:10", "10:30")], [0]))
    assert local_starts(day(rules)) == ["Mon 09:10", "Mon 09:40"]
    # 10:10 would end at 10:40, after closing: not offered.


def test_back_to_back_sessions_touch_without_buffers() -> None:
    busy = [(utc(2026, 6, 1, 9), utc(2026, 6, 1, 9, 30))]  # 10:00-10:30 BST
    starts = local_starts(day(make_rules(), busy))
    assert "Mon 09:30" in starts and "Mon 10:30" in starts
    assert "Mon 10:00" not in starts


@pytest.mark.parametrize(("before", "after"), [(15, 0), (0, 15), (15, 15), (5, 15), (15, 5)])
def test_buffers_keep_the_larger_buffer_free_on_both_sides(before: int, after: int) -> None:
    rules = make_rules(
        weekly_hours=WeeklyHours.same_days([("09:00", "17:00")], range(5)),
        buffer_before_minutes=before,
        buffer_after_minutes=after,
        slot_step_minutes=5,
    )
    busy = [(utc(2026, 6, 1, 10), utc(2026, 6, 1, 10, 30))]  # 11:00-11:30 BST
    starts = local_starts(day(rules, busy))
    # 30-minute follow-ups: the latest before must end by 10:45, the earliest after
    # start at 11:45, whichever of the two buffers is 15 minutes.
    assert "Mon 10:15" in starts and "Mon 10:20" not in starts
    assert "Mon 11:45" in starts and "Mon 11:40" not in starts


def test_minimum_notice_and_past() -> None:
    now = utc(2026, 6, 1, 9, 5)  # Monday 10:05 BST
    rules = make_rules(minimum_notice_minutes=60)
    assert local_starts(day(rules, now=now))[0] == "Mon 11:30"
    verdict = is_bookable(rules, FOLLOW_UP, [], utc(2026, 6, 1, 8), now)
    assert verdict.reason == Reason.IN_THE_PAST and not verdict
    verdict = is_bookable(rules, FOLLOW_UP, [], utc(2026, 6, 1, 10), now)
    assert verdict.reason == "too_soon"
    # Exactly the minimum notice is enough.
    edge = utc(2026, 6, 1, 10, 30) - timedelta(minutes=60)
    assert is_bookable(rules, FOLLOW_UP, [], utc(2026, 6, 1, 10, 30), edge).ok
    assert not is_bookable(
        rules, FOLLOW_UP, [], utc(2026, 6, 1, 10, 30), edge + timedelta(microseconds=1)
    )


def test_horizon() -> None:
    rules = make_rules(horizon_days=3)  # now is Friday 13:00 BST: up to Monday 13:00 BST
    assert local_starts(day(rules))[-1] == "Mon 13:00"
    verdict = is_bookable(rules, FOLLOW_UP, [], utc(2026, 6, 1, 12, 30), NOW)
    assert verdict.reason == Reason.BEYOND_HORIZON
    assert is_bookable(rules, FOLLOW_UP, [], utc(2026, 6, 1, 12), NOW)


def test_override_replaces_the_day_and_empty_override_is_a_day_off() -> None:
    rules = make_rules(
        overrides=[
            DateOverride(MONDAY, (WorkingInterval.of("18:00", "19:00"),)),
            DateOverride(date(2026, 6, 2)),
        ]
    )
    assert local_starts(day(rules)) == ["Mon 18:00", "Mon 18:30"]
    assert day(rules, on=date(2026, 6, 2)) == []
    assert is_bookable(rules, FOLLOW_UP, [], utc(2026, 6, 2, 8), NOW).reason == "not_offered"
    assert len(day(rules, on=date(2026, 6, 3))) > 0


def test_time_off_blocks_sessions_that_touch_it() -> None:
    leave = TimeOff(utc(2026, 6, 1, 10), utc(2026, 6, 1, 13), reason="dentist")  # 11-14 BST
    rules = make_rules(time_off=[leave], buffer_after_minutes=10)
    assert local_starts(day(rules)) == [
        "Mon 09:00", "Mon 09:30", "Mon 10:00", "Mon 10:30", "Mon 14:00", "Mon 14:30",
        "Mon 15:00", "Mon 15:30", "Mon 16:00", "Mon 16:30",
    ]  # fmt: skip
    assert is_bookable(rules, FOLLOW_UP, [], utc(2026, 6, 1, 10), NOW).reason == "not_offered"


def test_daily_maximum_counts_appointments_on_the_therapist_local_day() -> None:
    rules = make_rules(daily_maximum=2)
    # Two sessions that start on Monday in London (one at 00:30 BST = Sunday 23:30 UTC).
    busy = [
        (utc(2026, 5, 31, 23, 30), utc(2026, 5, 31, 23, 45)),
        (utc(2026, 6, 1, 8), utc(2026, 6, 1, 8, 30)),
        (utc(2026, 6, 2, 8), utc(2026, 6, 2, 8, 30)),
    ]
    assert day(rules, busy) == []
    assert is_bookable(rules, FOLLOW_UP, busy, utc(2026, 6, 1, 14), NOW).reason == "daily_limit"
    tuesday = day(rules, busy, on=date(2026, 6, 2))
    assert "Tue 09:00" not in local_starts(tuesday) and len(tuesday) > 5
    # An appointment at 23:30 BST on Monday counts for Monday, not Tuesday (UTC).
    late = [(utc(2026, 6, 1, 22, 30), utc(2026, 6, 1, 23))] * 2
    assert day(rules, late) == [] and day(rules, late, on=date(2026, 6, 2))


def test_is_bookable_reasons_and_the_slot_it_returns() -> None:
    rules = make_rules()
    busy = Busy([(utc(2026, 6, 1, 9), utc(2026, 6, 1, 9, 30))])
    ok = is_bookable(rules, FIRST, busy, utc(2026, 6, 1, 12), NOW)
    assert ok and ok.ok and ok.reason is None
    assert ok.slot == Slot(utc(2026, 6, 1, 12), utc(2026, 6, 1, 12, 45), "first-assessment")
    assert is_bookable(rules, FIRST, busy, utc(2026, 6, 1, 9), NOW).reason == "taken"
    assert is_bookable(rules, FIRST, busy, utc(2026, 6, 1, 12, 10), NOW).reason == "not_offered"
    assert is_bookable(rules, FIRST, busy, utc(2026, 6, 1, 15, 30), NOW).reason == "not_offered"
    assert is_bookable(rules, FIRST, busy, utc(2026, 6, 1, 20), NOW).reason == "not_offered"
    odd = utc(2026, 6, 1, 12) + timedelta(microseconds=1)
    assert is_bookable(rules, FIRST, busy, odd, NOW).reason == "not_offered"
    assert is_bookable(rules, "massage", busy, utc(2026, 6, 1, 12), NOW).reason == (
        "unknown_session_type"
    )
    london = utc(2026, 6, 1, 12).astimezone(ZoneInfo("Europe/London"))
    assert is_bookable(rules, "first-assessment", busy, london, NOW)
    with pytest.raises(ValueError, match="no time zone"):
        is_bookable(rules, FIRST, busy, datetime(2026, 6, 1, 12), NOW)


def test_unknown_session_types_offer_nothing() -> None:
    rules = make_rules()
    assert day(rules, session="massage") == []
    assert day(rules, session=SessionType("follow-up", 60)) == []  # stale definition
    assert nearest_alternatives(rules, "massage", [], utc(2026, 6, 1, 9), NOW) == []
    assert first_free_slots(rules, "massage", [], now=NOW) == []


def test_nearest_alternatives_around_a_taken_time() -> None:
    rules = make_rules()
    busy = [(utc(2026, 6, 1, 9), utc(2026, 6, 1, 10))]  # 10:00-11:00 BST
    near = nearest_alternatives(rules, FOLLOW_UP, busy, utc(2026, 6, 1, 9), NOW, n=3)
    # 09:30 and 11:00 are 30 minutes away; then 09:00 beats 11:30 (a tie goes earlier).
    assert local_starts(near) == ["Mon 09:00", "Mon 09:30", "Mon 11:00"]
    assert nearest_alternatives(rules, FOLLOW_UP, busy, utc(2026, 6, 1, 9), NOW, n=0) == []


def test_nearest_alternatives_reach_across_a_weekend_and_stop_at_the_horizon() -> None:
    rules = make_rules(weekly_hours=WeeklyHours.same_days([("09:00", "10:00")], [0]))
    saturday = utc(2026, 6, 6, 12)
    near = nearest_alternatives(rules, FOLLOW_UP, [], saturday, NOW, n=2)
    assert [s.start for s in near] == [utc(2026, 6, 8, 8), utc(2026, 6, 8, 8, 30)]
    everything = nearest_alternatives(rules, FOLLOW_UP, [], saturday, NOW, n=50)
    assert len(everything) == 8  # four Mondays within 30 days, two slots each
    assert everything == sorted(everything)


def test_first_free_slots() -> None:
    rules = make_rules()
    first = first_free_slots(rules, FOLLOW_UP, [], now=NOW, n=3)
    assert local_starts(first) == ["Fri 13:00", "Fri 13:30", "Fri 14:00"]
    later = first_free_slots(rules, FOLLOW_UP, [], now=NOW, n=2, not_before=utc(2026, 6, 1, 15, 1))
    assert local_starts(later) == ["Mon 16:30", "Tue 09:00"]
    assert first_free_slots(rules, FOLLOW_UP, [], now=NOW, n=0) == []


def test_viewer_dates_choose_the_window_not_the_slots() -> None:
    rules = make_rules()
    london = day(rules, viewer="Europe/London")
    # A patient in Sydney asking for Monday gets Monday in Sydney: London's Sunday night
    # and Monday morning (before 15:00 BST = Tuesday 00:00 AEST).
    sydney = day(rules, viewer="Australia/Sydney")
    assert [s.in_zone("Australia/Sydney")[0].date() for s in sydney] == [MONDAY] * len(sydney)
    assert set(sydney) < set(london)
    assert local_starts(sydney, "Australia/Sydney")[0] == "Mon 18:00"
    sydney_tuesday = day(rules, viewer="Australia/Sydney", on=date(2026, 6, 2))
    assert set(sydney) | set(sydney_tuesday) >= set(london)


def test_therapist_in_kolkata_seen_from_london() -> None:
    rules = make_rules(
        zone="Asia/Kolkata", weekly_hours=WeeklyHours.same_days([("09:00", "11:00")], [0])
    )
    slots = day(rules, viewer="Asia/Kolkata")
    assert [s.start for s in slots] == [
        utc(2026, 6, 1, 3, 30), utc(2026, 6, 1, 4), utc(2026, 6, 1, 4, 30), utc(2026, 6, 1, 5)
    ]  # fmt: skip
    assert local_starts(slots, "Europe/London") == [
        "Mon 04:30",
        "Mon 05:00",
        "Mon 05:30",
        "Mon 06:00",
    ]


def test_therapist_in_kathmandu() -> None:
    rules = make_rules(
        zone="Asia/Kathmandu", weekly_hours=WeeklyHours.same_days([("09:00", "10:00")], [0])
    )
    assert [s.start for s in day(rules, viewer="Asia/Kathmandu")] == [
        utc(2026, 6, 1, 3, 15), utc(2026, 6, 1, 3, 45)
    ]  # fmt: skip


def test_evening_shift_past_midnight() -> None:
    rules = make_rules(
        weekly_hours=WeeklyHours.same_days([("20:00", "02:00")], [0]),
        overrides=[DateOverride(date(2026, 6, 2))],  # Tuesday off: Monday night still runs
        slot_step_minutes=60,
        daily_maximum=1,
    )
    monday = day(rules, session=FIRST)
    tuesday = day(rules, session=FIRST, on=date(2026, 6, 2))
    assert local_starts(monday) == ["Mon 20:00", "Mon 21:00", "Mon 22:00", "Mon 23:00"]
    assert local_starts(tuesday) == ["Tue 00:00", "Tue 01:00"]
    assert tuesday[-1].in_zone("Europe/London")[1].strftime("%H:%M") == "01:45"
    # The daily maximum counts calendar days: a 23:00 Monday booking fills Monday only.
    busy = [(utc(2026, 6, 1, 22), utc(2026, 6, 1, 22, 45))]
    assert day(rules, busy, session=FIRST) == []
    assert len(day(rules, busy, session=FIRST, on=date(2026, 6, 2))) == 2


def test_overlapping_evening_shift_and_early_hours_are_offered_once() -> None:
    rules = make_rules(
        weekly_hours=WeeklyHours.from_mapping({0: [("22:00", "03:00")], 1: [("01:00", "04:00")]}),
        slot_step_minutes=60,
    )
    tuesday = day(rules, on=date(2026, 6, 2))
    assert local_starts(tuesday) == ["Tue 00:00", "Tue 01:00", "Tue 02:00", "Tue 03:00"]
    assert tuesday == sorted(set(tuesday))


def test_across_the_date_line() -> None:
    # Kiritimati (UTC+14) and Pago Pago (UTC-11) are 25 hours apart.
    rules = make_rules(
        zone="Pacific/Kiritimati", weekly_hours=WeeklyHours.same_days([("09:00", "10:00")], [0])
    )
    pago_sunday = day(rules, viewer="Pacific/Pago_Pago", on=date(2026, 5, 31))
    assert local_starts(pago_sunday, "Pacific/Pago_Pago") == ["Sun 08:00", "Sun 08:30"]
    assert local_starts(pago_sunday, "Pacific/Kiritimati") == ["Mon 09:00", "Mon 09:30"]
    assert day(rules, viewer="Pacific/Pago_Pago") == []
    auckland = make_rules(
        zone="Pacific/Auckland", weekly_hours=WeeklyHours.same_days([("08:00", "09:00")], [0])
    )
    seen_from_london = day(auckland, viewer="Europe/London", on=date(2026, 5, 31))
    assert local_starts(seen_from_london) == ["Sun 21:00", "Sun 21:30"]


def test_input_errors() -> None:
    rules = make_rules()
    with pytest.raises(UnknownTimeZone):
        day(rules, viewer="Mars/Olympus")
    with pytest.raises(ValueError, match="before range_start"):
        bookable_slots(
            rules,
            FIRST,
            [],
            range_start=MONDAY,
            range_end=date(2026, 5, 31),
            viewer_zone="UTC",
            now=NOW,
        )
    with pytest.raises(TypeError, match="dates"):
        bookable_slots(rules, FIRST, [], range_start=NOW, range_end=NOW, viewer_zone="UTC", now=NOW)
    with pytest.raises(ValueError, match="no time zone"):
        day(rules, now=datetime(2026, 5, 29))
    # Absurd ranges are clipped to what could be bookable, not computed (or overflowed).
    huge = bookable_slots(
        rules, FIRST, [], range_start=date.min, range_end=date.max, viewer_zone="UTC", now=NOW
    )
    assert huge == first_free_slots(rules, FIRST, [], now=NOW, n=10_000)
    assert (
        bookable_slots(
            rules,
            FIRST,
            [],
            range_start=date(2030, 1, 1),
            range_end=date.max,
            viewer_zone="UTC",
            now=NOW,
        )
        == []
    )
    viewer = ZoneInfo("Asia/Tokyo")
    assert bookable_slots(
        rules, FIRST, [], range_start=MONDAY, range_end=MONDAY, viewer_zone=viewer, now=NOW
    )


def test_busy() -> None:
    busy = Busy(
        iter(
            [(utc(2026, 6, 1, 10), utc(2026, 6, 1, 11)), (utc(2026, 6, 1, 9), utc(2026, 6, 1, 12))]
        )
    )
    assert len(busy) == 2
    with pytest.raises(ValueError, match="no time zone"):
        Busy([(datetime(2026, 6, 1, 9), datetime(2026, 6, 1, 10))])
    with pytest.raises(ValueError, match="end after"):
        Busy([(utc(2026, 6, 1, 10), utc(2026, 6, 1, 10))])
    # The same Busy can be reused across calls and session types.
    rules = make_rules()
    assert day(rules, busy) == day(rules, list(busy_spans()))
    assert local_starts(day(rules, busy)) == [
        "Mon 09:00", "Mon 09:30", "Mon 13:00", "Mon 13:30", "Mon 14:00",
        "Mon 14:30", "Mon 15:00", "Mon 15:30", "Mon 16:00", "Mon 16:30",
    ]  # fmt: skip


def busy_spans() -> list[tuple[datetime, datetime]]:
    return [(utc(2026, 6, 1, 9), utc(2026, 6, 1, 12))]


def test_slot_value() -> None:
    slot = Slot(utc(2026, 6, 1, 8), utc(2026, 6, 1, 8, 45), "first-assessment")
    same = Slot(
        utc(2026, 6, 1, 8).astimezone(ZoneInfo("Asia/Kolkata")),
        utc(2026, 6, 1, 8, 45),
        "first-assessment",
    )
    assert slot == same and hash(slot) == hash(same) and len({slot, same}) == 1
    assert slot != Slot(utc(2026, 6, 1, 8), utc(2026, 6, 1, 8, 45), "follow-up")
    assert slot != (utc(2026, 6, 1, 8), utc(2026, 6, 1, 8, 45))
    with pytest.raises(TypeError):
        assert slot < (utc(2026, 6, 1, 9),)
    assert slot < Slot(utc(2026, 6, 1, 9), utc(2026, 6, 1, 9, 45), "first-assessment")
    start, end = slot.in_zone("America/New_York")
    assert (start.isoformat(), end.isoformat()) == (
        "2026-06-01T04:00:00-04:00",
        "2026-06-01T04:45:00-04:00",
    )
    assert slot.in_zone(ZoneInfo("UTC"))[0] == slot.start
    assert "2026-06-01T08:00:00+00:00" in repr(slot)
    with pytest.raises(ValueError, match="end after"):
        Slot(utc(2026, 6, 1, 8), utc(2026, 6, 1, 8), "x")
