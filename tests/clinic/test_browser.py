"""In real Chromium: the therapist changes the program and writes on a desktop; the patient
sees the change with the reason, and the message, on a phone. Both accessible (axe)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.accounts.helpers import login
from tests.browser.axe import assert_accessible, assert_fits_phone_width
from tests.clinic.support import make_clinic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "We saw on video that you are ready for the heel dig."


def sign_in(page: Any, live_server: Any, user: Any, *, mfa: bool = False) -> None:
    cookie = login(Client(), user, mfa=mfa).cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_program_changed_on_a_desktop_is_seen_on_a_phone(
    page: Any, phone_page: Any, live_server: Any
) -> None:
    clinic = make_clinic()
    base = live_server.url
    sign_in(page, live_server, clinic.therapist.user, mfa=True)
    page.goto(f"{base}/clinic/patients/{clinic.patient.pk}/program/")
    assert_accessible(page)
    item = page.locator("#family-hamstring_isometric")
    item.get_by_text("Change this exercise").click()
    item.get_by_label("Exercise and level").select_option("isometric_heel_dig")
    item.get_by_label("Hold at this level").check()
    item.get_by_label("Note for the patient (optional)").fill("Press gently into the floor.")
    item.get_by_label("Reason for the change (shown to the patient)").fill(REASON)
    item.get_by_role("button", name="Save the change").click()
    page.wait_for_url("**/program/#program")
    assert page.get_by_text("The program is changed.").is_visible()
    assert_accessible(page)

    page.goto(f"{base}/booking/appointments/{clinic.appointment.pk}/")
    page.get_by_role("button", name="Message the patient").click()
    page.wait_for_url("**/clinic/messages/*/")
    assert page.get_by_text("not for emergencies").first.is_visible()
    page.get_by_label("Your message").fill("Your program changed: see the heel dig.")
    page.get_by_role("button", name="Send").click()
    assert page.get_by_text("Your message is sent.").is_visible()
    assert_accessible(page)

    phone = phone_page
    sign_in(phone, live_server, clinic.patient)
    phone.goto(f"{base}/care/{clinic.assessment.pk}/program/")
    card = phone.locator(".program-item", has_text="Set by your physiotherapist")
    assert card.get_by_text(REASON).is_visible()
    assert card.get_by_text("Press gently into the floor.").is_visible()
    assert_fits_phone_width(phone)
    assert_accessible(phone)
    menu = phone.locator("summary.menu-button")  # a phone may fold the navigation away
    if menu.count() and menu.is_visible():
        menu.tap()
    phone.get_by_role("link", name="Messages (1 unread)").tap()
    phone.wait_for_url("**/clinic/messages/")
    phone.locator(".thread-list a").first.tap()
    phone.wait_for_url("**/clinic/messages/*/")
    assert phone.get_by_text("Your program changed: see the heel dig.").is_visible()
    assert phone.get_by_text("Messages are not for emergencies").is_visible()
    assert_fits_phone_width(phone)
    assert_accessible(phone)


def test_the_therapists_alerts_attendance_and_settings_pages_are_accessible(
    page: Any, live_server: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from rehabit.care.services import check_in, log_session
    from tests.clinic.support import start_session

    clinic = make_clinic()
    data = {"exercise_ids": ["walking_programme"], "pain_during": 2, "pain_after": 2,
            "difficulty": "about_right", "note": "Tired."}  # fmt: skip
    session, _ = log_session(clinic.assessment, data, now=timezone.now() - timedelta(hours=9))
    check_in(clinic.assessment, session.pk,
             {"next_morning": "same", "settled_within_24h": True, "signs": ["fever"]})  # fmt: skip
    start_session(clinic.appointment)
    sign_in(page, live_server, clinic.therapist.user, mfa=True)
    page.goto(f"{live_server.url}/clinic/alerts/")
    assert page.get_by_text("Warning sign reported").first.is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Mark as seen").click()
    page.wait_for_url("**/clinic/alerts/")
    assert page.get_by_text("No open alerts.").is_visible()
    page.goto(f"{live_server.url}/clinic/appointments/{clinic.appointment.pk}/attendance/")
    assert_accessible(page)
    page.get_by_label("Attended").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/booking/appointments/*/")
    assert page.locator("#attendance").inner_text() == "Attended"
    page.goto(f"{live_server.url}/clinic/settings/")
    assert_accessible(page)


def test_a_clearance_recorded_on_a_desktop_opens_the_program_seen_on_a_phone(
    page: Any, phone_page: Any, live_server: Any
) -> None:
    from django.utils import timezone

    from rehabit.assessments.models import Assessment
    from tests.care.helpers import make_assessment

    clinic = make_clinic()
    urgent = make_assessment("urgent", owner=clinic.patient)
    Assessment.objects.filter(pk=urgent.pk).update(created_at=timezone.now())
    base = live_server.url
    sign_in(page, live_server, clinic.therapist.user, mfa=True)
    page.goto(f"{base}/clinic/patients/{clinic.patient.pk}/program/")
    form = page.locator("#clearance")
    form.get_by_role("button", name="Record the findings").click()
    page.wait_for_load_state()
    assert page.get_by_text("Nothing was recorded.").is_visible()  # nothing typed: refused
    assert_accessible(page)
    form = page.locator("#clearance")
    form.get_by_label("Who examined the patient").fill("Dr Lee, St Mary's emergency department")
    today = form.get_by_label("Day of the examination").get_attribute("max")
    form.get_by_label("Day of the examination").fill(str(today))
    form.get_by_label("What they found").fill("Ultrasound showed no clot; a calf strain.")
    form.get_by_label("I have read the clinician's findings").check()
    form.get_by_role("button", name="Record the findings").click()
    page.wait_for_url("**/program/#clearance")
    assert page.get_by_text("The clinician's findings are recorded.").is_visible()
    add = page.locator("#add")
    add.get_by_label("Exercise and level").select_option("walking_programme")
    add.get_by_label("Reason for the change (shown to the patient)").fill("Short walks first.")
    add.get_by_role("button", name="Add to the program").click()
    page.wait_for_url("**/program/#program")
    assert page.locator("#family-walking").is_visible()
    assert_accessible(page)

    phone = phone_page
    sign_in(phone, live_server, clinic.patient)
    phone.goto(f"{base}/care/{urgent.pk}/program/")
    assert phone.locator("#clearance").get_by_text("Ultrasound showed no clot").is_visible()
    assert phone.locator(".program-item", has_text="Short walks first.").is_visible()
    assert_fits_phone_width(phone)
    assert_accessible(phone)


def test_every_text_field_of_the_program_page_is_a_full_size_field_on_a_phone(
    phone_page: Any, live_server: Any
) -> None:
    """The clearance's "Who examined the patient", its withdrawal reason and the reasons
    for going back to the automatic program are styled text fields (at least 48 px high), as
    every other: without type="text" they were the browser's bare 21 px box."""
    from django.utils import timezone

    from rehabit.assessments.models import Assessment
    from tests.care.helpers import make_assessment

    clinic = make_clinic()
    urgent = make_assessment("urgent", owner=clinic.patient)
    Assessment.objects.filter(pk=urgent.pk).update(created_at=timezone.now())
    url = f"/clinic/patients/{clinic.patient.pk}/program/"
    heights = "els => els.map(e => [e.id, Math.round(e.getBoundingClientRect().height)])"
    phone = phone_page
    sign_in(phone, live_server, clinic.therapist.user, mfa=True)
    phone.goto(live_server.url + url)
    before = phone.eval_on_selector_all("#clearance input:not([type=checkbox])", heights)
    assert dict(before)["checked-by"] >= 44, before

    therapist = login(Client(), clinic.therapist.user, mfa=True)
    today = timezone.localdate(timezone.now()).isoformat()
    cleared = therapist.post(url, {"action": "clear", "checked_by": "Dr Lee", "checked_on": today,
                                   "finding": "No clot.", "confirmed": "on"})  # fmt: skip
    assert cleared.status_code == 302, cleared.content.decode()[:500]
    added = therapist.post(url, {"action": "add", "exercise": "walking_programme",
                                 "rule": "automatic", "reason": "Short walks first."})  # fmt: skip
    assert added.status_code == 302
    phone.goto(live_server.url + url)
    phone.eval_on_selector_all("details", "els => els.forEach(d => { d.open = true; })")
    fields = phone.eval_on_selector_all("main input[name=reason]", heights)
    assert {name for name, _ in fields} >= {"withdraw-reason", "reset-walking"}, fields
    assert all(height >= 44 for _, height in fields), fields
    assert_fits_phone_width(phone)
