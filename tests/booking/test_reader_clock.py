"""The therapist's workspace on the reader's clock and in the reader's order of a date: a
British reader (en-GB, the source language) sees "16:30" and "Friday 15 January", an
American one (en-US) "4:30 PM" and "Friday, January 15" (config/formats), each time with
its zone. The schedule's week and day, the month calendar of the availability page and
the working hours in words all read so; a time picker's value stays "16:30" (HTML's
``<input type="time">`` always takes 24-hour HH:MM)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from rehabit.accounts.models import Profile
from rehabit.booking.models import DateOverride, TimeOff
from rehabit.booking.week_grid import rows_of, span_text
from rehabit.core import timefmt
from tests.accounts.helpers import login
from tests.booking.support import book, make_therapist

pytestmark = pytest.mark.django_db

# A Wednesday morning; the session is on the Friday after it, 16:30-17:15 in London (GMT).
NOW = datetime(2027, 1, 13, 9, 30, tzinfo=UTC)
SESSION = datetime(2027, 1, 15, 16, 30, tzinfo=UTC)


def _therapist_page(header: str, therapist: Any, path: str) -> str:
    client = login(Client(HTTP_ACCEPT_LANGUAGE=header), therapist.user, mfa=True)
    response = client.get(path)
    assert response.status_code == 200, (header, path, response.status_code)
    return response.content.decode()


@pytest.fixture
def booked(patient: Any) -> Any:
    """Tara (London) with Pat's first assessment on Friday 15 January 2027 at 16:30 GMT,
    the profile's language left to the browser."""
    with time_machine.travel(NOW, tick=False):
        therapist = make_therapist("Tara Therapist")
        Profile.objects.filter(user=therapist.user).update(language="")
        book(patient, therapist, SESSION)
    return therapist


@pytest.mark.parametrize(
    ("header", "session", "heading", "caption"),
    [
        (
            "en-GB",
            "16:30–17:15 GMT",
            "Friday 15 January",
            "Week of 11 January to 17 January 2027, times in GMT, Europe/London",
        ),
        (
            "en-US",
            "4:30 PM–5:15 PM GMT",
            "Friday, January 15",
            "Week of January 11 to January 17, 2027, times in GMT, Europe/London",
        ),
    ],
)
def test_the_schedule_reads_the_readers_clock_and_date_order_with_the_zone(
    booked: Any, header: str, session: str, heading: str, caption: str
) -> None:
    with time_machine.travel(NOW, tick=False):
        week = _therapist_page(header, booked, "/therapist/schedule/?date=2027-01-15")
        day = _therapist_page(header, booked, "/therapist/schedule/?view=day&date=2027-01-15")
    for html in (week, day):
        assert session in html, header
        assert "Pat Booker" in html
    assert heading in week and caption in week
    # Working hours in words: the whole day, from midnight to midnight, is "All day" on
    # either clock (it read "00:00–00:00 (next day)", a therapist's walk).
    assert "All day" in week
    assert "00:00–00:00" not in week and "12:00 AM–12:00 AM" not in week


@pytest.mark.parametrize(
    ("header", "marks"),
    [
        (
            "en-GB",
            ["Friday 15 January 2027", "Other hours: 09:00–13:00 GMT", "Time off 16:30–18:00 GMT"],
        ),
        (
            "en-US",
            [
                "Friday, January 15, 2027",
                "Other hours: 9:00 AM–1:00 PM GMT",
                "Time off 4:30 PM–6:00 PM GMT",
            ],
        ),
    ],
)
def test_the_month_calendar_reads_the_readers_clock_and_date_order(
    booked: Any, header: str, marks: list[str]
) -> None:
    DateOverride.objects.create(
        therapist=booked, day=date(2027, 1, 15), start=time(9), end=time(13)
    )
    TimeOff.objects.create(
        therapist=booked,
        start=datetime(2027, 1, 16, 16, 30, tzinfo=UTC),
        end=datetime(2027, 1, 16, 18, 0, tzinfo=UTC),
        reason="",
    )
    with time_machine.travel(NOW, tick=False):
        html = _therapist_page(header, booked, "/booking/availability/?month=2027-01")
    for mark in marks:
        assert mark in html, (header, mark)
    # The page names the clock the calendar's times are on.
    assert "GMT, Europe/London" in html


def test_a_time_pickers_value_stays_24_hour_for_an_american_reader() -> None:
    with translation.override("en-us"):
        rows = rows_of([(time(16, 30), time(17, 15))])
        shown = span_text(time(16, 30), time(17, 15))
    assert (rows[0].start, rows[0].end) == ("16:30", "17:15")
    assert shown == "4:30 PM–5:15 PM"


@pytest.mark.parametrize(
    ("language", "day", "birth", "short", "when"),
    [
        (
            "en-gb",
            "Friday 15 January 2027",
            "5 December 1980",
            "15 Jan",
            "Friday 15 January 2027, 11:30 (EST, America/New York)",
        ),
        (
            "en-us",
            "Friday, January 15, 2027",
            "December 5, 1980",
            "Jan 15",
            "Friday, January 15, 2027, 11:30 AM (EST, America/New York)",
        ),
    ],
)
def test_dates_read_in_the_languages_order(
    language: str, day: str, birth: str, short: str, when: str
) -> None:
    with translation.override(language):
        assert timefmt.format_day(date(2027, 1, 15)) == day
        assert timefmt.format_date(date(1980, 12, 5)) == birth
        assert timefmt.format_short_day(date(2027, 1, 15)) == short
        assert timefmt.format_month(date(2027, 1, 15)) == "January 2027"
        assert timefmt.format_when(SESSION, "America/New_York") == when
