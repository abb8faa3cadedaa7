"""A New York patient's search in real Chromium: daytime times first (a London
therapist's 09:00 is 04:00 in New York), the night's one labelled link away, and the
time-of-day control's night choice; every page checked for accessibility."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

import pytest

from tests.booking.support import make_therapist
from tests.browser.axe import assert_accessible, assert_fits_phone_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICE_HOURS = {day: ((time(9, 0), time(17, 0)),) for day in range(7)}


def first_times(page: Any) -> list[str]:
    """The clock times ("06:00") of the search's first therapist's first free times."""
    texts = page.locator(".therapist-card .slot-list a").all_inner_texts()
    return [re.search(r"(\d\d):(\d\d) E[SD]T", text)[1] for text in texts]


def test_the_night_s_times_are_one_link_away_and_a_choice_of_the_filter(
    phone_page: Any, live_server: Any
) -> None:
    make_therapist("Alex London", zone="Europe/London", hours=OFFICE_HOURS, with_user=False)
    page = phone_page
    page.goto(f"{live_server.url}/booking/?tz=America/New_York")
    hours = first_times(page)
    assert hours and all(6 <= int(h) < 22 for h in hours)  # 06:00 New York first
    note = page.locator("#time-of-day-note")
    assert "Times at night (22:00 to 06:00" in note.inner_text()
    assert_accessible(page)
    assert_fits_phone_width(page)

    # The link is reached from the keyboard and says what it shows.
    link = page.get_by_role("link", name="Show night-time times too (22:00 to 06:00)")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**time_of_day=any**")
    assert int(first_times(page)[0]) < 6  # 04:00 or 05:00 in New York
    assert page.locator("#time-of-day-note").count() == 0
    assert_accessible(page)

    page.get_by_label("Time of day").select_option("night")
    page.get_by_role("button", name="Show therapists").click()
    page.wait_for_url("**time_of_day=night**")
    hours = first_times(page)
    assert hours and all(int(h) < 6 or int(h) >= 22 for h in hours)
    assert_accessible(page)
