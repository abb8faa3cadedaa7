"""Searching several therapists for the earliest free sessions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rehabit.scheduling import (
    AvailabilityRules,
    Busy,
    SearchCandidate,
    SessionType,
    WeeklyHours,
    earliest_slots,
    first_free_slots,
)
from rehabit.scheduling.rules import BusyLike
from tests.scheduling.test_properties import PROPERTY, Scenario, scenarios

FOLLOW_UP = SessionType("follow-up", 30)
NOW = datetime(2026, 6, 1, 6, tzinfo=UTC)  # Monday 07:00 in London


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def therapist(zone: str, hours: tuple[str, str] = ("09:00", "17:00")) -> AvailabilityRules:
    return AvailabilityRules(
        zone=zone,
        weekly_hours=WeeklyHours.same_days([hours], range(5)),
        session_types=(FOLLOW_UP,),
        slot_step_minutes=30,
    )


def test_therapists_are_ordered_by_their_first_free_slot() -> None:
    london, kolkata, new_york = (
        therapist("Europe/London"), therapist("Asia/Kolkata"), therapist("America/New_York")
    )  # fmt: skip
    found = earliest_slots(
        [
            ("ny", new_york, FOLLOW_UP, []),
            SearchCandidate("london", london, "follow-up", Busy()),
            ("kolkata", kolkata, FOLLOW_UP, [(utc(2026, 6, 1, 6), utc(2026, 6, 1, 7, 30))]),
        ],
        now=NOW,
        per_therapist=2,
    )
    assert list(found) == ["kolkata", "london", "ny"]
    # In Kolkata it is already 11:30 IST; the therapist is booked until 13:00 IST.
    assert [s.start for s in found["kolkata"]] == [utc(2026, 6, 1, 7, 30), utc(2026, 6, 1, 8)]
    assert [s.start for s in found["london"]] == [utc(2026, 6, 1, 8), utc(2026, 6, 1, 8, 30)]
    assert [s.start for s in found["ny"]] == [utc(2026, 6, 1, 13), utc(2026, 6, 1, 13, 30)]


def test_ties_keep_the_input_order_and_limit_cuts_the_list() -> None:
    rules = therapist("Europe/London")
    candidates: list[tuple[str, AvailabilityRules, SessionType, BusyLike]] = [
        (name, rules, FOLLOW_UP, []) for name in ("b", "a", "c")
    ]
    assert list(earliest_slots(candidates, now=NOW)) == ["b", "a", "c"]
    assert list(earliest_slots(candidates, now=NOW, limit=2)) == ["b", "a"]
    assert earliest_slots(candidates, now=NOW, limit=0) == {}
    assert all(len(v) == 3 for v in earliest_slots(candidates, now=NOW).values())


def test_therapists_without_slots_or_the_session_type_are_left_out() -> None:
    full = therapist("Europe/London")
    busy_all_month = [(utc(2026, 5, 1), utc(2026, 8, 1))]
    found = earliest_slots(
        [
            (1, full, FOLLOW_UP, busy_all_month),
            (2, full, "first-assessment", []),
            (3, full, FOLLOW_UP, []),
        ],
        now=NOW,
    )
    assert list(found) == [3]


def test_not_before_and_duplicates() -> None:
    rules = therapist("Europe/London")
    later = earliest_slots([(1, rules, FOLLOW_UP, [])], now=NOW, not_before=utc(2026, 6, 2, 15, 31))
    # Tuesday's last start (16:30 BST) is before 16:31 BST: Wednesday 09:00 BST comes next.
    assert [s.start for s in later[1]] == [
        utc(2026, 6, 3, 8), utc(2026, 6, 3, 8, 30), utc(2026, 6, 3, 9)
    ]  # fmt: skip
    with pytest.raises(ValueError, match="listed twice"):
        earliest_slots([(1, rules, FOLLOW_UP, []), (1, rules, FOLLOW_UP, [])], now=NOW)


@settings(PROPERTY, max_examples=40)
@given(st.lists(scenarios(), min_size=1, max_size=4), st.integers(1, 4))
def test_search_is_each_therapists_first_free_slots(group: list[Scenario], n: int) -> None:
    now = group[0].now
    found = earliest_slots(
        ((i, s.rules, s.session, s.busy) for i, s in enumerate(group)), now=now, per_therapist=n
    )
    expected = {
        i: first_free_slots(s.rules, s.session, s.busy, now=now, n=n) for i, s in enumerate(group)
    }
    assert found == {i: slots for i, slots in expected.items() if slots}
    firsts = [slots[0].start for slots in found.values()]
    assert firsts == sorted(firsts)
