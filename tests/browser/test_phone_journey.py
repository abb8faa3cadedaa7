"""The moments of a new patient's journey that confused or annoyed on a 390×844 phone
(issue 13), each in real Chromium after its fix."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from rehabit.assessments.models import Assessment
from tests.accounts.helpers import fill_sign_up
from tests.browser.axe import assert_accessible, assert_fits_phone_width
from tests.browser.phones import phone_page
from tests.browser.signin import sign_in
from tests.browser.test_assessment_flow import go_through
from tests.support import guided_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    with phone_page(browser) as page:
        yield page


def test_the_result_page_links_to_sign_up_which_keeps_the_result(
    phone: Any, live_server: Any
) -> None:
    phone.goto(live_server.url + "/assessment/")
    go_through(phone, guided_case("self_care")["answers"])
    phone.wait_for_url("**/assessment/result/**")
    assessment_id = urlsplit(phone.url).path.rstrip("/").split("/")[-1]
    link = phone.get_by_role("link", name="Create an account to keep it private")
    assert link.is_visible()
    assert_accessible(phone)
    link.tap()
    phone.wait_for_url("**/account/signup/**")
    fill_sign_up(phone, "kept.private@example.org")
    phone.get_by_role("button", name="Create my account").tap()
    phone.wait_for_url("**/account/confirm-email/")
    assert phone.get_by_role("heading", name="Check your e-mail").is_visible()
    owner = get_user_model().objects.get(email="kept.private@example.org")
    assert Assessment.objects.get(pk=assessment_id).owner == owner
    assert_fits_phone_width(phone)


def test_when_not_to_do_it_names_the_condition(phone: Any, live_server: Any) -> None:
    from rehabit.care.presenters import condition_name

    phone.goto(live_server.url + "/exercises/nordic_hamstring_curl/")
    section = phone.locator("section", has=phone.get_by_role("heading", name="When not to do it"))
    strain = condition_name("hamstring_strain")
    line = section.locator("li", has_text="Far too much load")
    assert line.locator("strong").text_content() == f"{strain}, in the first days:"
    assert line.is_visible()
    assert_fits_phone_width(phone)
    assert_accessible(phone)


def test_booking_add_to_calendar_write_to_the_therapist_and_one_row_per_session(
    phone: Any, live_server: Any
) -> None:
    from datetime import timedelta

    from rehabit.booking import services
    from tests.booking.support import book, free_start, make_patient, make_therapist

    therapist = make_therapist("Tara Therapist")
    patient = make_patient("pat.phone@example.org", "Pat Phone")
    soon = book(patient, therapist, free_start(therapist, after=timedelta(hours=3)))
    later = book(patient, therapist, free_start(therapist, after=timedelta(days=4)))
    for _ in range(3):
        later = services.reschedule(later.pk, actor=patient, start=later.start + timedelta(days=1))
    services.cancel(later.pk, actor=patient, reason="")
    sign_in(phone, live_server.url, patient)

    # The confirmation page: the calendar file of the e-mail, downloaded.
    phone.goto(f"{live_server.url}/booking/appointments/{soon.pk}/")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Add to my calendar").tap()
    # Named for what it is and its day, in the patient's zone (Europe/London).
    day = soon.start.astimezone(ZoneInfo("Europe/London")).date().isoformat()
    assert download.value.suggested_filename == f"rehabit-session-{day}.ics"
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in content and soon.ical_uid in content
    assert_accessible(phone)

    # Inside the change window: a way to write to the therapist, right there.
    write = phone.get_by_role("button", name="Write to Tara Therapist")
    assert write.is_visible()
    write.tap()
    phone.wait_for_url("**/clinic/messages/*/")
    assert phone.get_by_label("Your message").is_visible()

    # One row for the session moved three times and cancelled, its earlier times folded.
    phone.goto(f"{live_server.url}/booking/appointments/")
    rows = phone.locator(".appointment-rows > li")
    assert rows.count() == 1
    history = rows.first.locator("details")
    assert not history.locator("ol").is_visible()
    history.locator("summary").tap()
    assert history.locator("li").count() == 3
    assert_fits_phone_width(phone)
    assert_accessible(phone)


@pytest.fixture
def phone_in_new_york(browser: Any) -> Iterator[Any]:
    with phone_page(browser, locale="en-US", timezone_id="America/New_York") as page:
        yield page


def test_a_signed_out_visitor_sees_times_in_their_own_zone(
    phone_in_new_york: Any, live_server: Any
) -> None:
    from django.utils import translation

    from rehabit.core.timefmt import format_when
    from tests.care.helpers import make_assessment

    page = phone_in_new_york
    assessment = make_assessment()
    page.goto(f"{live_server.url}/assessment/result/{assessment.pk}/")
    page.wait_for_url("**?tz=America%2FNew_York")  # the browser told us its zone once
    # The phone says en-US: American English, whose clock is the 12-hour one ("4:30 AM").
    with translation.override("en-us"):
        when = format_when(assessment.created_at, "America/New_York")
    assert " AM (EST" in when or " PM (EST" in when, when
    assert page.get_by_text(f"Assessment of {when}.").is_visible()
    assert "(UTC)" not in page.locator("main").inner_text()
    # The next page, without asking again.
    page.goto(f"{live_server.url}/care/{assessment.pk}/plan/")
    assert "?tz=" not in page.url
    assert "America/New York)" in page.locator("main").inner_text()


def test_account_pages_in_our_words_on_a_phone(phone: Any, live_server: Any) -> None:
    from tests.accounts.helpers import TOTP_SECRET, make_user

    phone.goto(live_server.url + "/account/login/")
    assert phone.get_by_role("heading", name="Sign in").is_visible()
    assert phone.get_by_label("E-mail address").is_visible()
    assert phone.get_by_label("Keep me signed in on this device").count() == 1
    assert phone.get_by_role("link", name="Create an account").is_visible()
    assert_accessible(phone)
    therapist = make_user("tess.phone@example.org", role="therapist", totp_secret=TOTP_SECRET)
    sign_in(phone, live_server.url, therapist, mfa=True)
    phone.goto(live_server.url + "/account/profile/")
    assert phone.get_by_text("As patients and colleagues see it.").is_visible()
    assert phone.get_by_label("Date of birth").count() == 0
    assert_fits_phone_width(phone)
    assert_accessible(phone)


@pytest.mark.parametrize("width", [320, 390])
def test_the_account_and_consent_pages_fit_a_phone(
    browser: Any, live_server: Any, width: int
) -> None:
    """Their tables (assessments; the consent history) stack on a phone instead of
    scrolling sideways; each cell keeps its column's name."""
    from rehabit.accounts.consent import set_consent
    from rehabit.accounts.models import ConsentPurpose
    from tests.accounts.helpers import assessment_for, make_user

    patient = make_user("narrow.phone@example.org", name="Nadia Narrow-Screen")
    for purpose in (ConsentPurpose.TERMS, ConsentPurpose.PRIVACY):
        set_consent(patient, purpose, True)
    assessment_for(patient)
    context = browser.new_context(viewport={"width": width, "height": 700}, is_mobile=True)
    page = context.new_page()
    sign_in(context, live_server.url, patient)
    for path in ("/account/", "/account/consent/"):
        page.goto(live_server.url + path)
        assert_fits_phone_width(page)
        assert_accessible(page)
    label = page.evaluate(
        "getComputedStyle(document.querySelector('td[data-label]'), '::before').content"
    )
    assert label == '"When: "'
    context.close()


@pytest.fixture
def phone_in_india(browser: Any) -> Iterator[Any]:
    with phone_page(browser, locale="en-IN", timezone_id="Asia/Kolkata") as page:
        yield page


def test_a_browser_that_reports_another_name_of_its_zone_finds_it_in_the_list(
    phone_in_india: Any, live_server: Any
) -> None:
    # The zone list names each zone once (Asia/Kolkata); Chromium may report Asia/Calcutta.
    # Either way the search shows the visitor's zone chosen, and a new account's profile
    # picks it.
    from tests.accounts.helpers import make_user

    page = phone_in_india
    reported = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    assert reported in ("Asia/Kolkata", "Asia/Calcutta"), reported
    page.goto(f"{live_server.url}/booking/")
    page.wait_for_url("**tz=*")
    assert page.locator('select[name="tz"]').input_value() == "Asia/Kolkata"
    newcomer = make_user("new.in.india@example.org", complete=False)
    sign_in(page, live_server.url, newcomer)
    page.goto(f"{live_server.url}/account/profile/")
    assert page.locator('select[name="time_zone"]').input_value() == "Asia/Kolkata"
