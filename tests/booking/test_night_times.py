"""A patient is not offered times in their own night first: a new patient in New York
opening the search saw a London therapist's 09:00 as 04:00. The search and the therapist's
week show the daytime (06:00-22:00 on the clock the page shows times in) unless asked
otherwise; the night's times are one link away, the page says they exist (how many this
week), and a therapist free only at night says so with their earliest such time, never
left out in silence. At any test clock: only the two clocks' hours are relied on."""

from __future__ import annotations

import re
from datetime import datetime, time
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from rehabit.booking.models import Therapist
from tests.booking.support import make_therapist
from tests.booking.test_day_parts import card_of, shown_starts

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
NY = "tz=America/New_York"


def at_night(start: datetime) -> bool:
    local = start.astimezone(NEW_YORK).time()
    return local >= time(22) or local < time(6)


@pytest.fixture
def office() -> Therapist:
    """09:00-17:00 in London: 04:00-12:00 in New York (05:00-13:00 while New York is on
    summer time and London not yet): its first two or so hours are New York's night."""
    hours = {day: ((time(9, 0), time(17, 0)),) for day in range(7)}
    return make_therapist("Alex London", zone="Europe/London", hours=hours, with_user=False)


@pytest.fixture
def nights() -> Therapist:
    """03:00-09:00 in London: 22:00-04:00 or 23:00-05:00 in New York, all of it night."""
    hours = {day: ((time(3, 0), time(9, 0)),) for day in range(7)}
    return make_therapist("Nigel Nights", zone="Europe/London", hours=hours, with_user=False)


def test_the_search_offers_a_new_york_patient_daytime_times_first(office: Any) -> None:
    page = Client().get(f"/booking/?{NY}")
    html = page.content.decode()
    assert page.status_code == 200
    first = shown_starts(card_of(html, "Alex London"))
    assert len(first) == 3 and not any(at_night(s) for s in first)
    assert first[0].astimezone(NEW_YORK).time() == time(6)  # 11:00 or 10:00 in London
    assert re.search(r'<option value="daytime" selected>Daytime, 06:00 to 22:00</option>', html)
    # The page says what it leaves out, on its clock, and leads to it.
    note = re.search(r'<p class="zone-note" id="time-of-day-note">(.*?)</p>', html, re.S)[1]
    assert (
        "Times at night (22:00 to 06:00, E" in note and "America/New York) are not shown." in note
    )
    link = re.search(r'<a href="([^"]+)" id="any-time-link">([^<]+)</a>', note)
    assert link[2] == "Show night-time times too (22:00 to 06:00)"
    everything = Client().get(unescape(link[1])).content.decode()
    assert "time_of_day=any" in link[1] and 'id="time-of-day-note"' not in everything
    assert at_night(shown_starts(card_of(everything, "Alex London"))[0])  # 04:00 or 05:00


def test_a_therapist_free_only_at_night_says_so_in_the_search(office: Any, nights: Any) -> None:
    html = Client().get(f"/booking/?{NY}").content.decode()
    assert "2 therapists" in html
    assert html.index("Alex London") < html.index("Nigel Nights")  # daytime times first
    card = card_of(html, "Nigel Nights")
    assert shown_starts(card) == []  # not offered among the daytime times ...
    said = re.search(r'<p class="night-only">(.*?)</p>', card, re.S)[1]
    # ... but said to exist, with the earliest, on the page's clock and with its zone.
    assert "Free only at night (22:00 to 06:00) in the next 30 days: the earliest is " in said
    assert re.search(
        r"the earliest is \w+ \d+ \w+ \d{4}, \d\d:\d\d \(E[SD]T, America/New York\)", said
    )
    link = re.search(r'<a href="([^"]+)">Night-time times with Nigel Nights</a>', said)[1]
    assert "Join the waitlist" in said
    week = Client().get(unescape(link)).content.decode()
    starts = shown_starts(week)
    assert starts and all(at_night(s) for s in starts)
    assert re.search(r'<option value="night" selected>Night, 22:00 to 06:00</option>', week)


def test_the_therapist_week_shows_the_daytime_and_counts_the_night_s_times(office: Any) -> None:
    url = f"/booking/therapists/{office.pk}/?{NY}&session=first_assessment"
    html = Client().get(url).content.decode()
    shown = shown_starts(html)
    assert shown and not any(at_night(s) for s in shown)
    everything = shown_starts(Client().get(f"{url}&time_of_day=any").content.decode())
    night = [s for s in everything if at_night(s)]
    assert night and shown == [s for s in everything if not at_night(s)]
    note = re.search(r'<p class="zone-note" id="time-of-day-note">(.*?)</p>', html, re.S)[1]
    assert f"are not shown. This week has {len(night)} of them." in note
    assert "Show night-time times too (22:00 to 06:00)" in note
    # The week's links keep the daytime; any time, once chosen, is kept too.
    assert "time_of_day=daytime" in re.search(r'href="([^"]+)">Later week', html)[1]
    chosen = Client().get(f"{url}&time_of_day=any").content.decode()
    assert "time_of_day=any" in re.search(r'href="([^"]+)">Later week', chosen)[1]


def test_a_therapist_free_only_at_night_says_when_on_their_page(nights: Any) -> None:
    url = f"/booking/therapists/{nights.pk}/?{NY}&session=first_assessment"
    html = Client().get(url).content.decode()
    said = re.search(r'<p id="no-times-in-part">(.*?)</p>', html, re.S)[1]
    assert "No free time in the daytime in this week." in said
    assert "There is none in the next 30 days either: only times at night (22:00 to 06:00)." in said
    book = re.search(r'<a href="([^"]+)" id="book-next-at-night">Book it</a>', said)[1]
    (start,) = shown_starts(book)
    assert at_night(start)
    assert start == min(shown_starts(Client().get(f"{url}&time_of_day=night").content.decode()))
    assert "This week has " in html  # the note counts them too


def test_american_english_says_nighttime_on_a_twelve_hour_clock(office: Any, nights: Any) -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE="en-US").get(f"/booking/?{NY}").content.decode()
    note = re.search(r'<p class="zone-note" id="time-of-day-note">(.*?)</p>', html, re.S)[1]
    assert "Times at night (10:00 PM to 6:00 AM, E" in note
    assert "Show nighttime times too (10:00 PM to 6:00 AM)</a>" in note
    card = card_of(html, "Nigel Nights")
    assert "Free only at night (10:00 PM to 6:00 AM) in the next 30 days" in card
    assert "Nighttime times with Nigel Nights</a>" in card
    assert "night-time" not in html.lower()
