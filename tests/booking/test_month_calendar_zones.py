"""Every time on the availability page's month calendar carries its zone: a time-off mark
says the zone's abbreviation in force at that moment ("Time off from 14:00 BST"), so a
mark either side of a clock change, or a span across one, reads right. London's clocks go
forward at 01:00 UTC on Sunday 28 March 2027 (01:00 GMT -> 02:00 BST) and back at 01:00
UTC on Sunday 31 October 2027 (02:00 BST -> 01:00 GMT)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from rehabit.accounts.models import Profile
from rehabit.booking.models import TimeOff
from tests.accounts.helpers import login
from tests.booking.support import make_therapist

pytestmark = pytest.mark.django_db

# Half an hour before London's clocks go forward (tests/clock.py's "london-dst").
SPRING = datetime(2027, 3, 28, 0, 30, tzinfo=UTC)
# Half an hour before they go back.
AUTUMN = datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def _off(therapist: Any, start: datetime, end: datetime, reason: str = "") -> None:
    TimeOff.objects.create(therapist=therapist, start=start, end=end, reason=reason)


def _month(header: str, therapist: Any, month: str, now: datetime) -> str:
    with time_machine.travel(now, tick=False):
        client = login(Client(HTTP_ACCEPT_LANGUAGE=header), therapist.user, mfa=True)
        response = client.get(f"/booking/availability/?month={month}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def tara(db: Any) -> Any:
    with time_machine.travel(SPRING, tick=False):
        therapist = make_therapist("Tara Therapist", zone="Europe/London")
    Profile.objects.filter(user=therapist.user).update(language="")
    return therapist


@pytest.mark.parametrize(
    ("header", "marks"),
    [
        (
            "en-GB",
            [
                "Time off from 22:00 GMT (Travel)",
                "Time off until 09:00 BST (Travel)",
                "Time off 00:30 GMT–03:00 BST",
                "Time off 14:00–16:00 BST",
            ],
        ),
        (
            "en-US",
            [
                "Time off from 10:00 PM GMT (Travel)",
                "Time off until 9:00 AM BST (Travel)",
                "Time off 12:30 AM GMT–3:00 AM BST",
                "Time off 2:00 PM–4:00 PM BST",
            ],
        ),
    ],
)
def test_time_off_marks_say_the_zone_in_force_across_the_spring_change(
    tara: Any, header: str, marks: list[str]
) -> None:
    # Saturday 22:00 GMT to Monday 09:00 BST: across the change, over three days.
    _off(
        tara,
        datetime(2027, 3, 27, 22, 0, tzinfo=UTC),
        datetime(2027, 3, 29, 8, 0, tzinfo=UTC),
        "Travel",
    )
    # On the day of the change, 00:30 GMT to 03:00 BST: one span, two abbreviations.
    _off(tara, datetime(2027, 3, 28, 0, 30, tzinfo=UTC), datetime(2027, 3, 28, 2, 0, tzinfo=UTC))
    # A day after it, on summer time.
    _off(tara, datetime(2027, 3, 30, 13, 0, tzinfo=UTC), datetime(2027, 3, 30, 15, 0, tzinfo=UTC))
    html = _month(header, tara, "2027-03", SPRING)
    for mark in marks:
        assert mark in html, (header, mark)
    assert "Time off all day (Travel)" in html


@pytest.mark.parametrize(
    ("header", "mark"),
    [("en-GB", "Time off 01:30 BST–01:30 GMT"), ("en-US", "Time off 1:30 AM BST–1:30 AM GMT")],
)
def test_an_hour_that_happens_twice_reads_with_both_zones(
    tara: Any, header: str, mark: str
) -> None:
    # 00:30 to 01:30 UTC on 31 October: 01:30 on the clock both times, an hour apart.
    _off(tara, datetime(2027, 10, 31, 0, 30, tzinfo=UTC), datetime(2027, 10, 31, 1, 30, tzinfo=UTC))
    html = _month(header, tara, "2027-10", AUTUMN)
    assert mark in html, header


@pytest.mark.parametrize(
    ("header", "marks"),
    [
        (
            "en-GB",
            [
                "Other hours: 09:00–13:00 GMT",
                "Other hours: 00:30 GMT–04:00 BST",
                "Other hours: 09:00–13:00 BST, 22:00–02:00 BST (next day)",
            ],
        ),
        (
            "en-US",
            [
                "Other hours: 9:00 AM–1:00 PM GMT",
                "Other hours: 12:30 AM GMT–4:00 AM BST",
                "Other hours: 9:00 AM–1:00 PM BST, 10:00 PM–2:00 AM BST (next day)",
            ],
        ),
    ],
)
def test_other_hours_say_their_zone_and_each_end_across_a_clock_change(
    tara: Any, header: str, marks: list[str]
) -> None:
    """A date's other working hours are on the therapist's clock: the mark says which
    (before, they read "Other hours: 09:00–13:00" with no zone)."""
    from datetime import date, time

    from rehabit.booking.models import DateOverride

    for day, start, end in [
        (date(2027, 3, 26), time(9), time(13)),  # winter time
        (date(2027, 3, 28), time(0, 30), time(4)),  # the clocks go forward at 01:00
        (date(2027, 3, 30), time(9), time(13)),  # summer time
        (date(2027, 3, 30), time(22), time(2)),  # past midnight
    ]:
        DateOverride.objects.create(therapist=tara, day=day, start=start, end=end)
    html = _month(header, tara, "2027-03", SPRING)
    for mark in marks:
        assert mark in html, (header, mark)
