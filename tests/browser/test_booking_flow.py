"""From an assessment result to a booked, moved and cancelled session, in real Chromium,
with an accessibility check on every page."""

from __future__ import annotations

from typing import Any

import pytest

from rehabit.booking.models import Appointment, Specialty
from tests.accounts.helpers import assessment_for
from tests.booking.support import make_patient, make_therapist
from tests.browser.axe import assert_accessible, assert_fits_phone_width
from tests.browser.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_book_move_and_cancel_from_an_assessment_result(page: Any, live_server: Any) -> None:
    make_therapist(
        "Tara Therapist",
        notice_minutes=26 * 60,  # every offered time is outside the 24-hour change window
        specialties=tuple(Specialty.values),
    )
    patient = make_patient("pat.browser@example.org", "Pat Browser", zone="Europe/London")
    assessment = assessment_for(patient)
    sign_in(page, live_server.url, patient)

    page.goto(f"{live_server.url}/assessment/result/{assessment.pk}/")
    page.get_by_role("link", name="Book an online session").click()
    page.wait_for_url("**/booking/?specialty=*")
    assert page.get_by_text("GMT, Europe/London").first.is_visible()
    assert_accessible(page)

    page.locator(".therapist-card .slot-list a").first.click()
    page.wait_for_url("**/book/**")
    assert page.get_by_role("heading", name="Confirm your session").is_visible()
    assert "Europe/London" in page.locator("#your-time").inner_text()
    assert_accessible(page)
    page.get_by_label("Share my assessments and progress with my therapist").check()
    page.get_by_role("button", name="Book this session").click()

    page.wait_for_url("**/booking/appointments/*/")
    assert page.locator("#status").inner_text() == "Booked"
    assert page.get_by_text("Your session is booked").is_visible()
    assert page.get_by_text("24 hours before it starts").first.is_visible()
    assert_accessible(page)
    first = Appointment.objects.get()
    assert first.share_record

    page.get_by_role("link", name="Move to another time").click()
    page.wait_for_url("**/reschedule/")
    assert_accessible(page)
    assert page.locator("#current-slot").is_visible()
    page.locator(".slot-list button").nth(5).click()
    assert page.get_by_role("heading", name="Confirm the new time").is_visible()
    assert "Europe/London" in page.locator("#new-time").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Move my session").click()
    page.wait_for_url("**/booking/appointments/*/")
    assert page.get_by_text("Your session was moved").is_visible()
    assert page.get_by_text("Moved from").is_visible()
    moved = Appointment.objects.get(moved_from=first)
    assert str(moved.pk) in page.url

    page.get_by_role("link", name="Cancel the session").click()
    page.wait_for_url("**/cancel/")
    assert_accessible(page)
    # The label names who reads the reason: the therapist.
    page.get_by_label(f"Reason (optional, shown to {moved.therapist.name})").fill("Feeling better")
    page.get_by_role("button", name="Cancel the session").click()
    page.wait_for_url(f"**/booking/appointments/{moved.pk}/")
    assert page.locator("#status").inner_text() == "Cancelled"
    assert_accessible(page)
    moved.refresh_from_db()
    assert moved.status == "cancelled"


def test_booking_pages_fit_a_phone(phone_page: Any, live_server: Any) -> None:
    therapist = make_therapist("Tara Therapist")
    phone_page.goto(f"{live_server.url}/booking/?tz=Asia/Kolkata")
    assert_fits_phone_width(phone_page)
    phone_page.goto(f"{live_server.url}/booking/therapists/{therapist.pk}/?tz=Asia/Kolkata")
    assert_fits_phone_width(phone_page)
    assert_accessible(phone_page)
