"""A patient with back-of-thigh pain walks their progress on a phone in real Chromium over
several weeks: a late-night entry in Sydney (after midnight there, still the day before in
UTC), a week of the daily diary missed in Los Angeles across the clocks going forward, the
charts with their text alternatives, the verdicts and the PDF report. Each page is checked
for accessibility and sideways scrolling; the clock is frozen at each step."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from tests.browser.axe import assert_accessible, assert_fits_phone_width
from tests.browser.phones import phone_page
from tests.outcomes.helpers import assessment_days_ago

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SYDNEY, LOS_ANGELES = ZoneInfo("Australia/Sydney"), ZoneInfo("America/Los_Angeles")
FROM_CHECK = "The start is the worst pain in 24 hours you gave in your check."


def save_entry(page: Any, now: int, worst: int, note: str) -> None:
    page.locator(f"#pain_now-{now}").check()
    page.locator(f"#pain_worst-{worst}").check()
    page.fill("#activity", note)
    page.get_by_role("button", name="Save this day's entry").click()
    page.wait_for_url("**/progress/")


def report_text(page: Any, tmp_path: Path) -> str:
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (PDF)").click()
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_a_sydney_entry_after_midnight_is_for_the_sydney_day_and_the_start_is_named(
    browser: Any, live_server: Any, tmp_path: Path
) -> None:
    # 00:30 on Thursday 14 January in Sydney: still Wednesday 13 January in UTC.
    with time_machine.travel(datetime(2027, 1, 14, 0, 30, tzinfo=SYDNEY), tick=True):
        assessment = assessment_days_ago(2)
        with phone_page(browser, timezone_id="Australia/Sydney") as page:
            page.goto(f"{live_server.url}/care/{assessment.pk}/diary/")
            page.wait_for_url("**tz=Australia*")  # the browser told the page its zone
            hint = page.locator("#entry_date-hint").inner_text()
            assert "to today (Thursday 14 January 2027); days in Australia/Sydney" in hint
            assert page.locator("#entry_date").input_value() == "2027-01-14"
            # A day in the future is refused with the days allowed; what was typed stays.
            page.fill("#entry_date", "2027-01-15")
            page.locator("#pain_now-4").check()
            page.locator("#pain_worst-6").check()
            page.fill("#activity", "Sat through a film")
            page.get_by_role("button", name="Save this day's entry").click()
            problem = page.locator(".error-summary").inner_text()
            assert "to today (Thursday 14 January 2027)" in problem
            assert page.locator("#pain_worst-6").is_checked()
            assert page.locator("#activity").input_value() == "Sat through a film"
            assert_accessible(page)
            page.fill("#entry_date", "2027-01-14")
            page.get_by_role("button", name="Save this day's entry").click()
            page.wait_for_url("**/progress/")
            assert page.get_by_text("Thank you. Today's entry is saved.").is_visible()
            # The day before, from the missed days: two days make a chart.
            page.goto(f"{live_server.url}/care/{assessment.pk}/diary/")
            missed = page.locator(".missed-days")
            missed.get_by_role("link", name="Wednesday 13 January 2027").click()
            save_entry(page, 5, 7, "Desk work")
            assert page.get_by_text(
                "Thank you. The entry for Wednesday 13 January 2027 is saved."
            ).is_visible()
            rows = page.locator("#pain table.trend-table tbody th").all_inner_texts()
            assert rows == ["Wednesday 13 January 2027", "Thursday 14 January 2027"]
            # The band's start (4, from the check) is said to be the check's, on the page
            # and to a screen reader.
            caption = page.locator("#pain figcaption").inner_text()
            assert "from your start (4)." in caption and FROM_CHECK in caption
            assert FROM_CHECK in page.locator("#chart-pain-desc").text_content()
            assert_accessible(page)
            assert_fits_phone_width(page)
            text = report_text(page, tmp_path)
    assert "Data up to Thursday 14 January 2027; days and times in Australia/Sydney" in text
    assert "Sat through a film" in text
    assert ".," not in text  # each part of an exercise's dose on its own line
    assert "both ways." in text


def test_a_missed_daily_week_across_the_clock_change_breaks_the_line_and_is_said(
    browser: Any, live_server: Any
) -> None:
    with time_machine.travel(datetime(2027, 3, 1, 23, 10, tzinfo=LOS_ANGELES), tick=True):
        assessment = assessment_days_ago(0)
    days = [1, 2, 3, 4, 5, 6, 7, 16]  # the clocks go forward on Sunday 14 March
    with phone_page(browser, timezone_id="America/Los_Angeles") as page:
        for n, day in enumerate(days):
            # 23:40 in Los Angeles: already the next day in UTC.
            instant = datetime(2027, 3, day, 23, 40, tzinfo=LOS_ANGELES)
            with time_machine.travel(instant, tick=True):
                page.goto(f"{live_server.url}/care/{assessment.pk}/diary/")
                if n == 0:
                    page.wait_for_url("**tz=America*")
                if day == 16:
                    missed = page.locator(".missed-days li").all_inner_texts()
                    assert missed[0] == "Monday 15 March 2027"
                    assert "Sunday 14 March 2027" in missed
                save_entry(page, max(0, 5 - n // 2), max(0, 7 - n // 2), f"Walked {day}")
                assert page.get_by_text("Thank you. Today's entry is saved.").is_visible()
        rows = page.locator("#pain table.trend-table tbody th").all_inner_texts()
        assert rows[-2:] == ["Sunday 7 March 2027", "Tuesday 16 March 2027"]
        desc = page.locator("#chart-pain-desc").text_content()
        assert re.search(
            "Nothing was recorded between Sunday 7 March 2027 and Tuesday 16 March 2027, "
            "so the line breaks there.",
            desc,
        ), desc
        assert_accessible(page)
        assert_fits_phone_width(page)


def test_the_measures_problems_are_read_with_their_fields_on_a_phone(
    browser: Any, live_server: Any
) -> None:
    """Too few activities named, then a bridge count out of range: the error summary leads
    to the field and a screen reader hears the problem there; what was typed stays."""
    from playwright.sync_api import expect

    assessment = assessment_days_ago(9)
    with phone_page(browser, timezone_id="America/Los_Angeles") as page:
        page.goto(f"{live_server.url}/care/{assessment.pk}/progress/activities/")
        page.get_by_label("Activity 1").fill("Running for the bus")
        page.get_by_role("button", name="Save my activities").click()
        problem = "Name from 3 to 5 activities (you named 1)."
        page.locator(".error-summary").get_by_role("link", name=problem).tap()
        assert page.evaluate("document.activeElement.id") == "activity-1"
        expect(page.get_by_label("Activity 1")).to_have_accessible_description(f"Error: {problem}")
        expect(page.get_by_label("Activity 1")).to_have_value("Running for the bus")
        assert_accessible(page)
        assert_fits_phone_width(page)

        page.goto(f"{live_server.url}/care/{assessment.pk}/progress/bridge/")
        page.get_by_label("Full repetitions on your sore leg").fill("250")
        page.get_by_role("button", name="Save the test").click()
        sore = page.get_by_label("Full repetitions on your sore leg")
        expect(sore).to_have_accessible_description(
            "Error: Enter how many full repetitions you did on your sore leg (0 to 100)."
        )
        expect(sore).to_have_value("250")
        assert sore.get_attribute("aria-invalid") == "true"
        assert_accessible(page)
        assert_fits_phone_width(page)
