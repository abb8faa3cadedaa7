"""What a new patient in New York tripped on when walking the service on a phone (390×844,
touch, America/New_York, en-US), each checked in real Chromium after its fix."""

from __future__ import annotations

from typing import Any

import pytest

from tests.booking.support import make_patient
from tests.browser.axe import assert_accessible, assert_fits_phone_width
from tests.browser.phones import phone_page
from tests.browser.signin import sign_in
from tests.care.helpers import make_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Counts the calls of the browser's print dialog, which a headless browser cannot show.
COUNT_PRINTS = "window.__prints = 0; window.print = () => { window.__prints += 1; };"


def test_the_printable_result_has_a_print_button(browser: Any, live_server: Any) -> None:
    assessment = make_assessment("self_care")
    with phone_page(browser, locale="en-US", timezone_id="America/New_York") as page:
        page.add_init_script(COUNT_PRINTS)
        page.goto(f"{live_server.url}/assessment/result/{assessment.pk}/")
        page.get_by_role("link", name="Printable version").click()
        page.wait_for_url("**/print/")
        # Before: the page had no way to print it; a phone keeps Print in its Share menu.
        button = page.get_by_role("button", name="Print or save as PDF")
        assert button.is_visible()
        box = button.bounding_box()
        assert box and box["height"] >= 24 and box["width"] >= 24, box
        # Next after "Back to your result" for a keyboard.
        page.get_by_role("link", name="Back to your result").focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.hasAttribute('data-print')")
        button.click()
        assert page.evaluate("window.__prints") == 1
        assert_fits_phone_width(page)
        assert_accessible(page)


def test_without_javascript_the_print_page_shows_no_dead_button(
    browser: Any, live_server: Any
) -> None:
    assessment = make_assessment("self_care")
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/assessment/result/{assessment.pk}/print/")
        assert page.get_by_text("Back to your result").is_visible()
        assert not page.get_by_role("button", name="Print or save as PDF").is_visible()
    finally:
        context.close()


def test_the_saved_note_stands_apart_from_the_result_buttons(
    browser: Any, live_server: Any
) -> None:
    patient = make_patient("riley.runner@example.org", "Riley Runner")
    assessment = make_assessment("self_care", owner=patient)
    with phone_page(browser, locale="en-US", timezone_id="America/New_York") as page:
        sign_in(page, live_server.url, patient)
        page.goto(f"{live_server.url}/assessment/result/{assessment.pk}/")
        note = page.get_by_text("This result is saved to your account.")
        assert note.is_visible()
        last = page.get_by_role("link", name="Start a new check").bounding_box()
        top = note.bounding_box()
        assert last and top
        # Before: 4 px below "Start a new check", where it read as that button's caption.
        gap = top["y"] - (last["y"] + last["height"])
        assert gap >= 16, gap
        assert_fits_phone_width(page)
