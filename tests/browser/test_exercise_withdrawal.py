"""An administrator takes an exercise out of use on a phone, in real Chromium, and the
patient whose program had it reads why on theirs: both pages fit a 320 px screen, pass
axe's WCAG 2.2 A/AA rules, and the form's errors are announced and linked."""

from __future__ import annotations

from typing import Any

import pytest

from rehabit.care.models import ExerciseWithdrawal
from rehabit.care.programs import program_for
from tests.accounts.helpers import TOTP_SECRET, make_user
from tests.browser.axe import assert_accessible, assert_fits_phone_width
from tests.browser.signin import sign_in
from tests.clinic.support import make_clinic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Paused while we check the pictures. Do the rest of your program."


def test_out_of_use_on_a_phone_and_the_patient_is_told(phone_page: Any, live_server: Any) -> None:
    clinic = make_clinic()
    exercise = program_for(clinic.assessment).items[0].exercise
    admin = make_user("ada.admin@example.org", role="admin", name="Ada", totp_secret=TOTP_SECRET)
    page, base = phone_page, live_server.url
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, base, admin, mfa=True)
    page.goto(f"{base}/account/")
    page.get_by_role("link", name="Exercises in use: take one out of use, or bring it back").tap()
    assert page.get_by_role("heading", level=1).inner_text() == "Exercises in use"
    assert_accessible(page)
    assert_fits_phone_width(page)

    # Without a reason: an error summary that takes the focus and links to the field.
    page.get_by_label("Exercise", exact=True).select_option(exercise.id)
    page.get_by_role("button", name="Take it out of use").tap()
    summary = page.locator(".error-summary")
    assert "Say why, in words a patient understands" in summary.inner_text()
    summary.get_by_role("link").first.tap()
    assert page.evaluate("document.activeElement.id") == "id_reason"
    assert page.get_by_label("Exercise", exact=True).input_value() == exercise.id  # kept
    assert_accessible(page)

    page.get_by_label("Reason, shown to patients").fill(REASON)
    page.get_by_role("button", name="Take it out of use").tap()
    assert "The exercise is out of use" in page.locator(".messages").inner_text()
    assert ExerciseWithdrawal.objects.get().exercise_id == exercise.id
    assert_accessible(page)
    assert_fits_phone_width(page)

    sign_in(page, base, clinic.patient)
    page.goto(f"{base}/care/{clinic.assessment.pk}/program/")
    notice = page.locator("#not-in-use")
    assert REASON in notice.inner_text()
    assert page.locator(f'a[href="/exercises/{exercise.id}/"]').count() == 0
    assert_accessible(page)
    assert_fits_phone_width(page)
