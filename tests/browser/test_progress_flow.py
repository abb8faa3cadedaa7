"""Issue 12 on a phone in real Chromium: log a week of the pain diary, see the chart and
the table beside it (accessible, no sideways scroll), download the PDF report and read
its text back."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from rehabit.core.timefmt import format_day
from tests.browser.axe import assert_accessible, assert_fits_phone_width
from tests.outcomes.helpers import assessment_days_ago, diary_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WEEK = [(3, 5), (2, 4), (1, 1), (0, 1), (0, 0), (0, 0), (0, 0)]  # (now, worst)
# The smallest chart text a phone may show, in CSS px as rendered (the page's own is 17).
MIN_CHART_TEXT_PX = 11
# Each text of the charts as rendered: its font size times the scale from the SVG's units to
# CSS px (the viewBox fitted to the chart's width, and any rotation or transform on the way).
CHART_TEXT_PX = """() => [...document.querySelectorAll('svg.chart-svg text')].map(t => {
  const m = t.getScreenCTM();
  return [t.textContent, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b)];
})"""


def test_a_week_of_the_diary_the_chart_and_table_and_the_pdf_on_a_phone(
    phone_page: Any, live_server: Any, tmp_path: Path
) -> None:
    page = phone_page
    assessment = assessment_days_ago(6)
    today = timezone.localdate()
    page.goto(f"{live_server.url}/care/{assessment.pk}/program/")
    page.get_by_role("link", name="Your pain diary and progress").click()
    page.wait_for_url("**/progress/**")
    # The check asked about pain: that is the start, not the first diary entry.
    assert "Your starting point is the pain you gave in your check." in page.content()
    for n, (now, worst) in enumerate(WEEK):
        page.goto(f"{live_server.url}/care/{assessment.pk}/diary/")
        if n == 0:
            assert_accessible(page)
            assert_fits_phone_width(page)
        day = today - timedelta(days=6 - n)
        if day != today:  # a missed day, chosen from the list: the questions ask about it
            page.locator(".missed-days").get_by_role("link", name=format_day(day)).click()
            page.wait_for_url(f"**?day={day.isoformat()}*")
            heading = f"Entry for {format_day(day)}"
            assert page.get_by_role("heading", name=heading).is_visible()
            assert page.get_by_text("How bad was it at its worst that day?").is_visible()
        page.locator(f"#pain_now-{now}").check()
        page.locator(f"#pain_worst-{worst}").check()
        page.locator("#sleep_disturbed").check()
        page.fill("#activity", f"Walked {10 + n} minutes")
        page.get_by_role("button", name="Save this day's entry").click()
        page.wait_for_url("**/progress/")
        # The message names the day the entry was for (today's, or an earlier day's).
        said = (
            "Thank you. Today's entry is saved."
            if day == today
            else f"Thank you. The entry for {format_day(day)} is saved."
        )
        assert page.get_by_text(said).is_visible()

    chart = page.locator("#pain svg.chart-svg")
    assert chart.is_visible() and chart.get_attribute("role") == "img"
    box = chart.bounding_box()
    assert box["width"] <= 375 and box["height"] > 150
    table = page.locator("#pain table.trend-table")
    assert table.locator("tbody tr").count() == 7
    assert table.locator("tbody tr").first.locator("td").first.text_content() == "5"
    assert page.get_by_role("heading", name="Is this real improvement? Better").is_visible()
    assert "You logged on 7 days in the last 7. 7 days in a row." in page.content()
    assert_accessible(page)
    assert_fits_phone_width(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (PDF)").click()
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for expected in ("Rehabit progress report", "Is this real improvement?", "Pain diary",
                     "Walked 16 minutes", "Worst in 24 hours", "Exercises"):  # fmt: skip
        assert expected in text, expected


def test_recent_diary_entries_read_without_scrolling_sideways_at_320_px(
    browser: Any, live_server: Any
) -> None:
    """The recent entries were a five-column table scrolling inside its box: at 320 px
    the note the person wrote showed two letters a line, cut off at the right edge."""
    context = browser.new_context(
        viewport={"width": 320, "height": 740}, is_mobile=True, has_touch=True, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        assessment = assessment_days_ago(1)
        page.goto(f"{live_server.url}/care/{assessment.pk}/diary/")
        # The scale wraps to two rows; its two ends are one per line, not spread over the
        # first row with "10 = worst pain imaginable" above 2 to 4.
        low, high = page.locator(".scale-ends").first.locator("span").all()
        low_box, high_box = low.bounding_box(), high.bounding_box()
        assert low_box is not None and high_box is not None
        assert high_box["y"] >= low_box["y"] + low_box["height"] - 1
        page.locator("#pain_now-5").check()
        page.locator("#pain_worst-6").check()
        page.fill("#activity", "Limped home from the track, iced it")
        page.get_by_role("button", name="Save this day's entry").click()
        page.wait_for_url("**/progress/")
        page.goto(f"{live_server.url}/care/{assessment.pk}/diary/")
        note = page.locator("table.diary-table td.note").first
        assert note.is_visible()
        box = note.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
        # Each value says what it is, as the column heading did.
        assert note.evaluate("e => getComputedStyle(e, '::before').content") == '"What you did: "'
        region = page.locator(".table-scroll", has=page.locator("table.diary-table"))
        assert region.evaluate("e => e.scrollWidth - e.clientWidth") <= 1
        assert_fits_phone_width(page)
        assert_accessible(page)
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 360])
def test_the_chart_text_is_readable_at_phone_widths_and_nothing_scrolls_sideways(
    browser: Any, live_server: Any, width: int
) -> None:
    """The chart was drawn 5.2 in wide and scaled down to the phone: at 320 px its axis and
    marker labels were 7 to 8.5 px, and the table beside it scrolled sideways in its box."""
    assessment = assessment_days_ago(6)
    client, today = Client(), timezone.localdate()
    for n, (now, worst) in enumerate(WEEK):
        day = today - timedelta(days=6 - n)
        response = client.post(f"/care/{assessment.pk}/diary/", diary_form(day, now, worst))
        assert response.status_code == 302
    context = browser.new_context(
        viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/care/{assessment.pk}/progress/")
        texts = page.evaluate(CHART_TEXT_PX)
        assert len(texts) >= 10  # the axes' numbers and days, the unit, the legend
        smallest = min(texts, key=lambda t: t[1])
        assert smallest[1] >= MIN_CHART_TEXT_PX, f"{smallest[0]!r} is {smallest[1]:.1f} px"
        assert_fits_phone_width(page)
        region = page.locator("#pain .table-scroll")  # the table beside the chart
        assert region.evaluate("e => e.scrollWidth - e.clientWidth") <= 1
        assert_accessible(page)
    finally:
        context.close()


def test_a_refused_pain_score_is_read_with_its_scale_and_the_summary_leads_there(
    phone_page: Any, live_server: Any
) -> None:
    """A pain score refused on the diary: the error summary's link takes the focus to the
    scale, whose group a screen reader reads with the problem (it said nothing of it)."""
    from playwright.sync_api import expect

    page = phone_page
    assessment = assessment_days_ago(1)
    page.goto(f"{live_server.url}/care/{assessment.pk}/diary/")
    page.locator("#pain_now-5").check()
    page.locator("#pain_worst-3").check()  # lower than the pain now
    page.get_by_role("button", name="Save this day's entry").click()
    problem = "The worst pain in the last 24 hours cannot be lower than the pain now."
    summary = page.locator(".error-summary")
    summary.get_by_role("link", name=problem).tap()
    assert page.evaluate("document.activeElement.id") == "pain_worst-0"
    scale = page.get_by_role("group", name="How bad was it at its worst in the last 24 hours?")
    expect(scale).to_have_accessible_description(f"Error: {problem}")
    assert page.locator("#pain_worst-3").evaluate("e => e.checked && e.ariaInvalid") == "true"
    expect(
        page.get_by_role("group", name="How bad is the pain right now?")
    ).to_have_accessible_description("")
    assert_accessible(page)
    assert_fits_phone_width(page)
