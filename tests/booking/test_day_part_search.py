"""The search with a time of day gives the answer of the search without it, filtered; and
it reads no appointments of a therapist whose hours never reach the part on the patient's
clock (a London office day is night in a New York evening, booked or not).

The clock is frozen on Wednesday 10 March 2027, 12:00 UTC: New York moves to EDT on the
14th and London to BST on the 28th, inside the 30-day horizon, so the clocks' difference
changes twice on the way."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rehabit.booking import day_parts
from rehabit.booking import slots as engine
from rehabit.booking.models import DateOverride, Therapist
from rehabit.scheduling import Slot
from tests.booking.support import FIRST, book, make_patient, make_therapist

pytestmark = pytest.mark.django_db

NEW_YORK = "America/New_York"
EVENING = day_parts.DayPart.EVENING
OFFICE_HOURS: dict[int, tuple[tuple[time, time], ...]] = {
    day: ((time(9, 0), time(17, 0)),) for day in range(5)
}


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(datetime(2027, 3, 10, 12, 0, tzinfo=UTC), tick=False):
        yield


def office(name: str, zone: str) -> Therapist:
    return make_therapist(name, zone=zone, hours=OFFICE_HOURS, with_user=False)


def evening_search() -> tuple[list[Therapist], dict[int, list[Slot]]]:
    return day_parts.search_therapists(kind=FIRST, now=timezone.now(), part=EVENING, zone=NEW_YORK)


def unfiltered_then_filtered() -> tuple[list[str], dict[int, list[Slot]]]:
    """Every free time of every therapist (the plain search, asked for all of them), kept
    when it starts in a New York evening: the first three of each, soonest therapist
    first (ties and those with none in name order)."""
    found, everything = engine.search_therapists(kind=FIRST, now=timezone.now(), per_therapist=9999)
    kept = {
        t.id: day_parts.slots_in_part(everything.get(t.id, []), EVENING, NEW_YORK)[:3]
        for t in found
    }
    by_name = sorted(found, key=lambda t: t.name)
    with_times = sorted((t for t in by_name if kept[t.id]), key=lambda t: kept[t.id][0].start)
    order = with_times + [t for t in by_name if not kept[t.id]]
    return [t.name for t in order], {t.id: kept[t.id] for t in with_times}


def test_the_evening_search_is_the_plain_search_filtered(db: Any) -> None:
    patient = make_patient("pat.evening@example.org", "Pat Evening", zone=NEW_YORK)
    london = office("Alex London", "Europe/London")
    sydney = office("Sam Sydney", "Australia/Sydney")  # 09:00 in Sydney: 18:00 in New York
    new_york = make_therapist(
        "Nina Newyork",
        zone=NEW_YORK,
        hours={day: ((time(9, 0), time(20, 0)),) for day in range(7)},
        with_user=False,
    )
    # A London therapist whose only New York evening is one late shift, on Friday the 19th.
    late = office("Lee Late", "Europe/London")
    DateOverride.objects.create(therapist=late, day=date(2027, 3, 19), start=time(22), end=time(2))
    office("Kim Kolkata", "Asia/Kolkata")
    # Nina's first evenings booked: her first times move on.
    first, _ = evening_search()
    assert first[0] == new_york
    for _ in range(2):
        book(patient, new_york, evening_search()[1][new_york.id][0].start)
    book(patient, london, datetime(2027, 3, 11, 10, 0, tzinfo=UTC))

    found, slots = evening_search()
    names, expected = unfiltered_then_filtered()
    assert [t.name for t in found] == names
    assert slots == expected
    assert list(slots) == list(expected)  # the same order of therapists
    assert set(slots) == {new_york.id, sydney.id, late.id}
    assert slots[late.id][0].start == datetime(2027, 3, 19, 22, 0, tzinfo=UTC)  # 18:00 EDT


def test_a_therapist_whose_hours_never_reach_the_evening_is_not_read(
    db: Any, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    patient = make_patient("pat.evening@example.org", "Pat Evening", zone=NEW_YORK)
    london = office("Alex London", "Europe/London")
    book(patient, london, datetime(2027, 3, 11, 10, 0, tzinfo=UTC))
    # Only therapists who never reach a New York evening: the therapists and their rules
    # (five queries), no appointment at all.
    with CaptureQueriesContext(connection) as queries:
        found, slots = evening_search()
    assert found == [london] and slots == {}
    assert len(queries.captured_queries) == 5
    assert not [q for q in queries.captured_queries if "booking_appointment" in q["sql"]]

    # With one who does, only their appointments are read (one query more).
    evening = office("Sam Sydney", "Australia/Sydney")
    read: list[list[int]] = []
    load_busy = engine.load_busy

    def spy(therapist_ids: Any, *args: Any, **kwargs: Any) -> Any:
        read.append(list(therapist_ids))
        return load_busy(therapist_ids, *args, **kwargs)

    monkeypatch.setattr(engine, "load_busy", spy)
    with django_assert_num_queries(6):
        found, slots = evening_search()
    assert read == [[evening.id]]
    assert found == [evening, london] and list(slots) == [evening.id]
    # The plain search still reads both (its first few days, then the whole horizon).
    engine.search_therapists(kind=FIRST, now=timezone.now())
    assert read[1] == [london.id, evening.id]
