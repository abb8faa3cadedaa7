"""The time-of-day filter on the booking pages: a patient in New York asking for morning
times with a therapist whose hours are in London (09:00-17:00 there, 04:00-12:00 or
05:00-13:00 in New York) sees New York mornings only, in the search, the therapist's week
and the move page; asking for the evening, none, and says so; a wrong value in the
address is the form's error, never a server error."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from html import unescape
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from rehabit.booking.models import Therapist
from tests.accounts.helpers import login
from tests.booking.support import book, free_start, make_patient, make_therapist

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
NY = "tz=America/New_York"
OFFICE_HOURS = {day: ((time(9, 0), time(17, 0)),) for day in range(7)}
MORNING = (time(6, 0), time(12, 0))
EVENING = (time(17, 0), time(22, 0))


@pytest.fixture
def london() -> Therapist:
    """Alphabetically first, so being listed last means being ordered last."""
    return make_therapist("Alex London", zone="Europe/London", hours=OFFICE_HOURS, with_user=False)


@pytest.fixture
def new_york() -> Therapist:
    return make_therapist(
        "Nina Newyork",
        zone="America/New_York",
        hours={day: ((time(9, 0), time(20, 0)),) for day in range(7)},
        with_user=False,
    )


def shown_starts(html: str) -> list[datetime]:
    """The instants of the times a page offers: its booking links and its move buttons."""
    found = [unquote(v) for v in re.findall(r'[?&](?:amp;)?start=([^&"#]+)', html)]
    found += re.findall(r'name="start" value="([^"]+)"', html)
    return [datetime.fromisoformat(value.replace("Z", "+00:00")) for value in found if "T" in value]


def on_ny_clock(starts: list[datetime], span: tuple[time, time]) -> bool:
    return all(span[0] <= s.astimezone(NEW_YORK).time() < span[1] for s in starts)


def card_of(html: str, name: str) -> str:
    """The search result card (its HTML) of the therapist called ``name``."""
    for card in html.split('<article class="card therapist-card">')[1:]:
        if name in card.split("</article>")[0]:
            return card.split("</article>")[0]
    raise AssertionError(f"no card for {name}")


def test_the_therapist_week_in_the_morning_lists_only_new_york_mornings(london: Any) -> None:
    url = f"/booking/therapists/{london.pk}/?{NY}&session=first_assessment"
    everything = shown_starts(Client().get(f"{url}&time_of_day=any").content.decode())
    page = Client().get(f"{url}&time_of_day=morning")
    html = page.content.decode()
    assert page.status_code == 200
    mornings = shown_starts(html)
    assert mornings and on_ny_clock(mornings, MORNING)
    # Every New York morning time of the week, and nothing else (no 04:00, 05:00 ...).
    assert mornings == [s for s in everything if on_ny_clock([s], MORNING)]
    assert len(mornings) < len(everything)
    assert "Only times that start in the morning (06:00 to 12:00, " in html
    assert "America/New York) are shown." in html
    # The week links keep the choice; the selector shows it; "any time" is one link away.
    assert "time_of_day=morning" in re.search(r'<nav class="button-row".*?</nav>', html, re.S)[0]
    assert re.search(r'<option value="morning" selected>Morning, 06:00 to 12:00</option>', html)
    assert "time_of_day=any" in html and "Show times at any time of day" in html


def test_the_therapist_week_in_the_evening_has_none_and_says_so(london: Any) -> None:
    url = f"/booking/therapists/{london.pk}/?{NY}&session=first_assessment&time_of_day=evening"
    page = Client().get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert shown_starts(html) == []
    assert "No free time in the evening in this week." in html
    assert "There is none in the next 30 days either." in html
    assert "free times at other hours" in html
    assert "Join the waitlist for an earlier time" in html


def test_a_day_whose_free_times_are_all_at_other_hours_says_so(db: Any) -> None:
    """Mornings on Mondays only: the other six days of the week have free times, none of
    them in the morning, and each says so rather than being left out in silence."""
    mondays = make_therapist(
        "Morgan Mondays",
        zone="Europe/London",
        hours={0: ((time(9, 0), time(12, 0)),)}
        | {day: ((time(13, 0), time(17, 0)),) for day in range(1, 7)},
        with_user=False,
    )
    week = timezone.now().astimezone(ZoneInfo("Europe/London")).date() + timedelta(days=2)
    url = (
        f"/booking/therapists/{mondays.pk}/?tz=Europe/London&session=first_assessment"
        f"&start={week.isoformat()}&time_of_day=morning"
    )
    html = Client().get(url).content.decode()
    days = re.findall(r'<section class="day".*?</section>', html, re.S)
    assert len(days) == 7
    with_times = [day for day in days if "/book/?" in day]
    assert len(with_times) == 1 and "Monday" in with_times[0]
    assert all(
        "No free time in the morning on this day." in day for day in days if "/book/?" not in day
    )
    assert "No free time in the morning in this week." not in html


def test_a_wrong_time_of_day_in_the_address_is_the_form_s_error(london: Any) -> None:
    for url in (f"/booking/?{NY}", f"/booking/therapists/{london.pk}/?{NY}"):
        page = Client().get(f"{url}&time_of_day=midnight&specialty=hamstring")
        html = page.content.decode()
        assert page.status_code == 422, url
        assert "“midnight” is not a time of day you can choose" in unescape(html)
        assert "choose daytime, morning, afternoon, evening, night or any time." in html
        assert shown_starts(html), url  # the daytime's times, as with no choice
    # The search still answers the rest of the question (the specialty).
    other = make_therapist("Kneel Knee", specialties=("knee",), with_user=False)
    html = Client().get(f"/booking/?{NY}&time_of_day=3&specialty=hamstring").content.decode()
    assert "Alex London" in html and other.name not in html


def test_the_search_keeps_to_the_part_for_the_first_times_and_the_order(
    london: Any, new_york: Any
) -> None:
    evening = Client().get(f"/booking/?{NY}&time_of_day=evening")
    html = evening.content.decode()
    assert evening.status_code == 200 and "2 therapists" in html
    # New York's evening is London's night: Alex (first by name) comes last, and says so.
    assert html.index("Nina Newyork") < html.index("Alex London")
    nina, alex = card_of(html, "Nina Newyork"), card_of(html, "Alex London")
    assert "Earliest free times in the evening:" in nina
    assert len(shown_starts(nina)) == 3 and on_ny_clock(shown_starts(nina), EVENING)
    assert "time_of_day=evening" in nina  # "More times with" keeps the choice
    assert shown_starts(alex) == []
    assert "No free time in the evening in the next 30 days." in alex
    assert (
        f"/booking/therapists/{london.pk}/?{NY}&amp;session=first_assessment&amp;time_of_day=any"
        in alex
    )
    assert "Join the waitlist" in alex
    # In the morning both have times; each card's first times are New York mornings.
    morning = Client().get(f"/booking/?{NY}&time_of_day=morning").content.decode()
    for name in ("Alex London", "Nina Newyork"):
        starts = shown_starts(card_of(morning, name))
        assert len(starts) == 3 and on_ny_clock(starts, MORNING), name
    # 06:00 in New York is 10:00 or 11:00 in London, before Nina starts at 09:00.
    assert morning.index("Alex London") < morning.index("Nina Newyork")
    # Any time is the page without the filter: London's 04:00 or 05:00 come first.
    plain = Client().get(f"/booking/?{NY}&time_of_day=any").content.decode()
    assert not on_ny_clock(shown_starts(card_of(plain, "Alex London")), MORNING)


def test_any_time_shows_every_time_and_says_nothing_of_the_filter(london: Any) -> None:
    chosen = Client().get(f"/booking/?{NY}&time_of_day=any").content.decode()
    assert "Only times that start" not in chosen and "Earliest free times:" in chosen
    assert 'id="time-of-day-note"' not in chosen
    assert re.search(r'<option value="any" selected>Any time, day or night</option>', chosen)
    # Its first times are the engine's earliest, at any hour: London's 09:00 is 04:00.
    assert shown_starts(chosen)[0].astimezone(NEW_YORK).time() < time(6)


def test_paging_keeps_the_part_and_therapists_without_a_time_in_it_come_last(db: Any) -> None:
    for i in range(20):
        make_therapist(f"Therapist {i:02d}", zone="Europe/London", with_user=False)
    late = make_therapist("Aaron Office", zone="Europe/London", hours=OFFICE_HOURS, with_user=False)
    first = Client().get(f"/booking/?{NY}&time_of_day=evening").content.decode()
    assert "21 therapists" in first and "Showing 1 to 20" in first
    assert late.name not in first  # no New York evening: after the twenty who have one
    more = re.search(r'<a href="([^"]+)">More therapists \(after 20\)', first)[1]
    assert "time_of_day=evening" in more
    second = Client().get(unescape(more)).content.decode()
    assert "Showing 21 to 21" in second and late.name in second
    assert "No free time in the evening in the next 30 days." in second


def test_the_kept_search_page_is_one_per_time_of_day(
    london: Any, new_york: Any, django_assert_num_queries: Any
) -> None:
    """Signed-out visitors share the search page for a few seconds, kept under its whole
    address: the time of day is part of it (no ``tz``, which this visitor's session
    would remember: their times are in UTC)."""
    visitor = Client()
    morning = visitor.get("/booking/?time_of_day=morning").content
    evening = visitor.get("/booking/?time_of_day=evening").content
    assert morning != evening
    assert "Only times that start in the evening" in evening.decode()
    with django_assert_num_queries(0):  # each kept under its own address
        assert visitor.get("/booking/?time_of_day=morning").content == morning
        assert visitor.get("/booking/?time_of_day=evening").content == evening


def test_the_move_page_lists_new_times_in_the_chosen_part(london: Any) -> None:
    patient = make_patient("nora.york@example.org", "Nora York", zone="America/New_York")
    appointment = book(patient, london, free_start(london))
    client = login(Client(), patient)
    url = f"/booking/appointments/{appointment.pk}/reschedule/"
    everything = shown_starts(client.get(url).content.decode())
    page = client.get(f"{url}?time_of_day=morning")
    html = page.content.decode()
    assert page.status_code == 200
    mornings = shown_starts(html)
    assert mornings and on_ny_clock(mornings, MORNING)
    assert set(mornings) == {s for s in everything if on_ny_clock([s], MORNING)} - {
        appointment.start
    }
    assert re.search(r'<option value="morning" selected>', html)
    # A pick posts back to the same address: the confirmation, then the list it came from.
    confirm = client.post(f"{url}?time_of_day=morning", {"start": mornings[0].isoformat()})
    assert confirm.status_code == 200 and "Confirm the new time" in confirm.content.decode()
    evening = client.get(f"{url}?time_of_day=evening&{NY}").content.decode()
    assert shown_starts(evening) == []
    assert "No free time in the evening in the next two weeks." in evening
    assert 'name="tz" value="America/New_York"' in evening  # the form keeps the zone asked for
    wrong = client.get(f"{url}?time_of_day=noon")
    assert wrong.status_code == 422
    assert "“noon” is not a time of day you can choose" in unescape(wrong.content.decode())
