"""An administrator cancels a departing therapist's sessions on a phone, in real Chromium:
the page fits a 320 px screen, passes axe's WCAG 2.2 A/AA rules, and a missing reason is
announced in a summary that links to the field."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from rehabit.booking.models import Appointment, AppointmentStatus
from tests.accounts.helpers import TOTP_SECRET, make_user
from tests.booking.support import book, free_start, make_patient, make_therapist
from tests.browser.axe import assert_accessible, assert_fits_phone_width
from tests.browser.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cancelling_a_therapists_sessions_on_a_phone(phone_page: Any, live_server: Any) -> None:
    therapist = make_therapist("Lee Leaving")
    for n in range(2):
        patient = make_patient(f"p{n}@example.org", f"Patient {n}")
        book(patient, therapist, free_start(therapist, after=timedelta(days=2 + 3 * n)))
    admin = make_user("ada.admin@example.org", role="admin", name="Ada", totp_secret=TOTP_SECRET)
    page, base = phone_page, live_server.url
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, base, admin, mfa=True)
    page.goto(f"{base}/booking/therapists/{therapist.pk}/sessions/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sessions to come with Lee Leaving"
    assert_accessible(page)
    assert_fits_phone_width(page)

    page.get_by_role("button", name="Cancel the chosen sessions").tap()
    summary = page.locator(".error-summary")
    assert "Write the reason each patient will read." in summary.inner_text()
    summary.get_by_role("link").first.tap()
    assert page.evaluate("document.activeElement.id") == "id_reason"
    assert_accessible(page)
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 2

    page.get_by_label("Reason, shown to each patient").fill("Lee has left. Please book again.")
    page.get_by_role("button", name="Cancel the chosen sessions").tap()
    assert "2 sessions were cancelled." in page.locator(".messages").inner_text()
    assert not Appointment.objects.filter(status=AppointmentStatus.BOOKED).exists()
    assert_accessible(page)
    assert_fits_phone_width(page)
