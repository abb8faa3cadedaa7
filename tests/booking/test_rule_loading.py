"""The search's reads (``booking.loading``) give the same rules, appointments and slots as
reading the same rows the plain ORM way, whatever the zone, the clock and the data.

``load_rules`` reads rows unordered, names the therapists in one parameter and, on SQLite,
keeps times of day as stored text until rules are built; none of that may change a slot.
The reference below is the obvious reading, row by row through the ORM's own converters,
with every booked appointment of the therapist (not only those near the window).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rehabit.booking import slots as engine
from rehabit.booking.loading import MARGIN, THERAPIST_RULE_FIELDS, build_rules, load_rules
from rehabit.booking.models import (
    Appointment,
    AppointmentStatus,
    DateOverride,
    SessionType,
    Therapist,
    TimeOff,
    WorkingHours,
)
from rehabit.scheduling import AvailabilityRules, Busy, RulesError, bookable_slots, earliest_slots
from tests.booking.support import FIRST, FOLLOW_UP, make_patient, make_therapist

LONDON, NEW_YORK, SYDNEY = "Europe/London", "America/New_York", "Australia/Sydney"

# Each just before a change of the clocks (2027), so the horizon spans it.
CLOCKS = {
    "new-york-spring": "2027-03-13T18:00:00+00:00",  # 14 March, 02:00 -> 03:00
    "london-spring": "2027-03-27T23:30:00+00:00",  # 28 March, 01:00 -> 02:00
    "sydney-autumn": "2027-04-03T14:00:00+00:00",  # 4 April, 03:00 -> 02:00
    "sydney-spring": "2027-10-02T15:30:00+00:00",  # 3 October, 02:00 -> 03:00
    "london-autumn": "2027-10-30T23:30:00+00:00",  # 31 October, 02:00 -> 01:00
    "new-york-autumn": "2027-11-06T12:00:00+00:00",  # 7 November, 02:00 -> 01:00
}
CHANGES = [date(2027, 3, 14), date(2027, 3, 28), date(2027, 4, 4)]
CHANGES += [date(2027, 10, 3), date(2027, 10, 31), date(2027, 11, 7)]

T = time
# Hours through the hour the clocks skip or repeat, past midnight, and the whole of Sunday.
NIGHTS = {
    **{
        d: ((T(1), T(3)), (T(9), T(12, 30)), (T(13, 30), T(17, 30)), (T(20), T(0, 30)))
        for d in range(5)
    },
    5: ((T(22), T(2, 30)),),
    6: ((T(3), T(0)),),
}
OFFICE = {d: ((T(8, 15), T(12)), (T(12), T(16, 45))) for d in range(6)}  # touching: joined


def _therapists() -> list[Therapist]:
    made = [
        make_therapist("Lena London", zone=LONDON, hours=NIGHTS, buffer_after=15, with_user=False),
        make_therapist(
            "Nat New York",
            zone=NEW_YORK,
            hours=NIGHTS,
            buffer_before=10,
            buffer_after=5,
            daily_maximum=2,
            notice_minutes=0,
            with_user=False,
        ),
        make_therapist(
            "Syd Sydney", zone=SYDNEY, hours=NIGHTS, step=20, horizon_days=12, with_user=False
        ),
        make_therapist(
            "Olu Office",
            zone=LONDON,
            hours=OFFICE,
            notice_minutes=90,
            kinds={FOLLOW_UP: 30},
            with_user=False,
        ),
        make_therapist("Ada Always", zone=SYDNEY, with_user=False),  # every hour of the week
    ]
    # Rows that make no valid rules: left out by both readings.
    broken = make_therapist("Bo Broken", zone=NEW_YORK, hours=OFFICE, with_user=False)
    WorkingHours.objects.create(therapist=broken, weekday=0, start=T(9), end=T(10))  # overlap
    seconds = make_therapist("Sec Seconds", zone=LONDON, hours=OFFICE, with_user=False)
    WorkingHours.objects.create(therapist=seconds, weekday=6, start=T(9, 0, 30), end=T(10))
    SessionType.objects.filter(therapist=made[4], kind=FOLLOW_UP).update(is_offered=False)
    return [*made, broken, seconds]


def _fill(therapists: list[Therapist], now: datetime) -> None:
    """Overrides (days off, other hours, past midnight, on every change of the clocks, some
    already past), time off (across a change of the clocks, long over, just over, soon) and
    booked appointments, many across midnight, plus cancelled ones."""
    patient = make_patient("pat.loading@example.org", "Pat Loading")
    appointments = []
    for n, therapist in enumerate(therapists):
        zone = ZoneInfo(therapist.time_zone)
        today = now.astimezone(zone).date()
        session = SessionType.objects.filter(therapist=therapist).order_by("kind").first()
        assert session is not None

        def at(day: date, hour: int, minute: int = 0, *, zone: ZoneInfo = zone) -> datetime:
            return datetime.combine(day, T(hour, minute), zone).astimezone(UTC)

        for i, day in enumerate([*CHANGES, today - timedelta(days=3), today + timedelta(days=2)]):
            if i % 3 == n % 3:
                DateOverride.objects.create(therapist=therapist, day=day)  # a day off
            else:
                DateOverride.objects.create(therapist=therapist, day=day, start=T(0, 30), end=T(3))
                DateOverride.objects.create(therapist=therapist, day=day, start=T(21), end=T(1))
        change = CHANGES[n % len(CHANGES)]
        TimeOff.objects.create(therapist=therapist, start=at(change, 0), end=at(change, 6))
        TimeOff.objects.create(
            therapist=therapist, start=now - timedelta(days=9), end=now - timedelta(days=8)
        )
        TimeOff.objects.create(  # over, but within the two days still read
            therapist=therapist, start=now - timedelta(hours=36), end=now - timedelta(hours=30)
        )
        TimeOff.objects.create(
            therapist=therapist, start=now + timedelta(hours=30), end=now + timedelta(hours=33)
        )
        for d in range(-3, therapist.horizon_days + 4):
            day = today + timedelta(days=d)
            spans = []
            if d % 2 == 0:
                spans.append((at(day, 23, 40), timedelta(minutes=50)))  # across midnight
            if d % 3 == n % 3:
                spans.append((at(day, 10), timedelta(minutes=45)))
            if day in CHANGES:
                spans.append((at(day, 1, 30), timedelta(minutes=45)))  # a skipped/repeated hour
            for k, (start, length) in enumerate(spans):
                status = AppointmentStatus.BOOKED
                if (d + k) % 7 == 3:
                    status = AppointmentStatus.CANCELLED
                appointments.append(
                    Appointment(
                        therapist=therapist,
                        patient=patient,
                        session_type=session,
                        start=start,
                        end=start + length,
                        status=status,
                        ical_uid=f"loading-{therapist.pk}-{d}-{k}@test",
                    )
                )
    Appointment.objects.bulk_create(appointments)


def _reference(therapist: Therapist, now: datetime) -> tuple[AvailabilityRules, Busy] | None:
    row = Therapist.objects.filter(pk=therapist.pk).values(*THERAPIST_RULE_FIELDS).get()
    try:
        rules = build_rules(
            row,
            therapist.working_hours.values_list("weekday", "start", "end"),
            therapist.overrides.filter(day__gte=(now - MARGIN).date()).values_list(
                "day", "start", "end"
            ),
            therapist.time_off.filter(end__gt=now - MARGIN).values_list("start", "end"),
            therapist.session_types.filter(is_offered=True)
            .order_by("kind")
            .values_list("kind", "duration_minutes"),
        )
    except RulesError:
        return None
    booked = therapist.appointments.filter(status=AppointmentStatus.BOOKED)
    return rules, Busy(list(booked.values_list("start", "end")))


@pytest.mark.parametrize("clock", list(CLOCKS))
def test_the_search_reads_exactly_what_the_plain_reading_gives(db: Any, clock: str) -> None:
    with time_machine.travel(datetime.fromisoformat(CLOCKS[clock]), tick=False):
        now = timezone.now()
        therapists = _therapists()
        _fill(therapists, now)
        expected = {t.pk: found for t in therapists if (found := _reference(t, now)) is not None}
        ids = [t.pk for t in therapists]
        assert len(expected) == 5  # the two broken ones are left out

        with CaptureQueriesContext(connection) as queries:
            loaded = load_rules(ids, now)
        assert loaded == {tid: rules for tid, (rules, _) in expected.items()}
        assert len(queries.captured_queries) == 5
        rows = list(Therapist.objects.filter(pk__in=ids))
        with CaptureQueriesContext(connection) as queries:
            assert load_rules(ids, now, therapists=rows) == loaded
            assert load_rules([], now) == {} and engine.load_busy([], now, now) == {}
        assert len(queries.captured_queries) == 4  # nobody asked about: no query

        schedules = engine.load_schedules(ids, now)
        assert set(schedules) == set(expected)
        listed = 0
        for tid, (rules, busy) in expected.items():
            for kind in (FIRST, FOLLOW_UP):
                for zone in (LONDON, NEW_YORK, SYDNEY):
                    first = now.astimezone(ZoneInfo(zone)).date() - timedelta(days=1)
                    last = first + timedelta(days=rules.horizon_days + 2)
                    got = engine.slots_between(schedules[tid], kind, first, last, zone, now)
                    assert got == bookable_slots(
                        rules,
                        kind,
                        busy,
                        range_start=first,
                        range_end=last,
                        viewer_zone=zone,
                        now=now,
                    ), (tid, kind, zone)
                    listed += len(got)
        assert listed > 1000

        by_name = sorted(therapists, key=lambda t: (t.name, t.pk))
        for kind in (FIRST, FOLLOW_UP):
            _, slots = engine.search_therapists(kind=kind, now=now)
            candidates = [
                (t.pk, rules, kind, busy)
                for t in by_name
                if t.pk in expected
                for rules, busy in [expected[t.pk]]
                if rules.session_type(kind) is not None
            ]
            plain = earliest_slots(candidates, now=now, per_therapist=3)
            assert list(slots.items()) == list(plain.items())
            assert len(slots) == 4  # Ada offers no follow-up, Olu only that


def test_a_changed_row_is_read_at_once(db: Any, therapist: Therapist) -> None:
    """Rules remembered per process are keyed by the rows themselves: a change of hours or
    a new override is never answered from what was built before."""
    now = timezone.now()
    before = load_rules([therapist.pk], now)[therapist.pk]
    WorkingHours.objects.filter(therapist=therapist, weekday=0).update(start=T(9), end=T(10))
    changed = load_rules([therapist.pk], now)[therapist.pk]
    assert changed.weekly_hours.on(0) != before.weekly_hours.on(0)
    assert changed.weekly_hours.on(0)[0].start == T(9)
    day = now.date() + timedelta(days=3)
    DateOverride.objects.create(therapist=therapist, day=day)
    assert load_rules([therapist.pk], now)[therapist.pk].intervals_on(day) == ()
