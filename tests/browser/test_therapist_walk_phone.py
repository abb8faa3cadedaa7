"""A therapist's walk on a 390 px phone, in real Chromium, along the ways found missing
in December 2026: from an alert to the patient's chart, from the chart to the home
program and back; a stopped exercise restored without a reason is refused with the
reason's box marked and its message beside it (it said nothing before); the change form
shows only the exercise's own dosage boxes, each with the number in use. Every page
fits the screen and axe finds no serious or critical problem."""

from __future__ import annotations

from typing import Any

import pytest

from rehabit.care.programs import program_for
from tests.browser.axe import assert_accessible, assert_fits_phone_width
from tests.browser.phones import phone_page
from tests.browser.signin import sign_in
from tests.charts.support import logged_with_check_in
from tests.clinic.support import make_clinic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alert_to_chart_to_program_and_a_refused_restore_on_a_phone(
    browser: Any, live_server: Any
) -> None:
    clinic = make_clinic()
    logged_with_check_in(clinic.assessment)  # a warning sign: an alert
    patient = clinic.patient.pk
    with phone_page(browser) as page:
        base = live_server.url
        sign_in(page, base, clinic.therapist.user, mfa=True)
        page.goto(base + "/clinic/alerts/")
        page.get_by_role("link", name="Open the patient's chart").click()
        page.wait_for_url(f"**/therapist/patients/{patient}/")
        assert page.get_by_role("button", name="Message the patient").is_visible()
        page.get_by_role("link", name="Change the home program").click()
        page.wait_for_url(f"**/clinic/patients/{patient}/program/")
        walking = page.locator("#family-walking")
        walking.locator("summary").click()
        boxes = walking.locator(".dosage-grid label")
        assert boxes.count() == 3, boxes.all_inner_texts()  # minutes, times a day, days a week
        assert "(now" in boxes.first.inner_text()
        assert_fits_phone_width(page)
        assert_accessible(page)

        walking.get_by_label("Exercise and level").select_option("stop")
        walking.get_by_label("Reason for the change (shown to the patient)").fill("Rest a week.")
        walking.get_by_role("button", name="Save the change").click()
        stopped = page.locator("#stopped")
        assert "Rest a week." in stopped.inner_text()
        stopped.get_by_role("button", name="Restore").click()
        box = page.locator("#stopped").get_by_label(
            "Reason for restoring it (shown to the patient)"
        )
        assert box.get_attribute("aria-invalid") == "true"
        assert page.locator("#restore-walking-error").is_visible()
        assert "Write the reason for the change." in page.locator("#stopped").inner_text()
        assert_fits_phone_width(page)
        assert_accessible(page)
        assert program_for(clinic.assessment).item_for("walking") is None

        box.fill("Walking again, shorter.")
        page.locator("#stopped").get_by_role("button", name="Restore").click()
        page.wait_for_url("**/program/#program")
        assert program_for(clinic.assessment).item_for("walking") is not None
        page.get_by_role("link", name="Back to the chart of Pat Clinic").click()
        page.wait_for_url(f"**/therapist/patients/{patient}/")
