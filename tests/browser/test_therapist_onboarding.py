"""A new therapist's start in real Chromium on a desktop: an administrator invites them,
the e-mail arrives on a real SMTP server, its link sets the password, a TOTP code from
the page's secret turns on two-factor authentication, the recovery codes, the profile,
the first week (pasted, then a break added with the page's own script), and the home
page shows that week. axe finds no serious or critical problem on any page."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from rehabit.booking.models import Therapist, WorkingHours
from tests.accounts.helpers import TOTP_SECRET, make_user, totp_code
from tests.booking.conftest import mailbox  # noqa: F401  (fixture: a real SMTP server)
from tests.booking.support import Mailbox, text_body
from tests.browser.axe import assert_accessible, assert_fits_phone_width
from tests.browser.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "bruno.browser@clinic.example"
PASSWORD = "quartz hamstring lighthouse 58"


def invitation_link(box: Mailbox, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if box.to(EMAIL):
            found = re.search(r"https?://\S+(/invitation/\S+/)", text_body(box.to(EMAIL)[-1]))
            assert found
            return found[1]
        time.sleep(0.1)
    raise AssertionError(f"no e-mail to {EMAIL}")


def test_invitation_to_a_week_on_the_home_page(
    page: Any,
    live_server: Any,
    mailbox: Mailbox,  # noqa: F811
) -> None:
    base = live_server.url
    admin = make_user("ada.admin@example.org", role="admin", totp_secret=TOTP_SECRET)

    # The administrator invites.
    sign_in(page, live_server.url, admin, mfa=True)
    page.goto(base + "/staff/invitations/")
    assert_accessible(page)
    page.get_by_label("The therapist's e-mail address").fill(EMAIL)
    page.get_by_label("Their name (optional)").fill("Bruno Browser")
    page.get_by_role("button", name="Send the invitation").click()
    assert page.get_by_text(f"An invitation was sent to {EMAIL}").is_visible()
    assert_accessible(page)
    page.context.clear_cookies()

    # The therapist opens the link: name, zone (the browser's), password, terms.
    page.goto(base + invitation_link(mailbox))
    page.wait_for_url("**/invitation/")
    assert page.get_by_label("Your time zone").input_value() == "Europe/London"
    assert page.get_by_label("Your full name").input_value() == "Bruno Browser"
    assert_accessible(page)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD + "x")
    page.get_by_label("I have read and accept").check()
    page.get_by_role("button", name="Create my account").click()
    assert page.get_by_role("alert").is_visible()  # the passwords differ
    assert_accessible(page)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    # Two-factor authentication: read the secret as an app would scan it.
    page.wait_for_url("**/therapist/welcome/two-factor/")
    assert page.locator("img.qr-code").is_visible()
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("The 6-digit code your app shows now").fill(totp_code(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.wait_for_url("**/therapist/welcome/recovery-codes/")
    assert page.locator("#recovery_codes").input_value().strip()
    assert_accessible(page)
    page.get_by_label("I have stored my recovery codes somewhere safe").check()
    page.get_by_role("button", name="Continue").click()

    # The therapist profile.
    page.wait_for_url("**/therapist/welcome/profile/")
    assert_accessible(page)
    page.get_by_label("Hamstring injuries").check()
    page.get_by_label("Sports injuries").check()
    assert page.get_by_label("English", exact=True).is_checked()
    page.get_by_role("button", name="Save and continue").click()

    # The first week: pasted, then Monday split by a break added in the page.
    page.wait_for_url("**/therapist/welcome/availability/")
    assert_accessible(page)
    page.get_by_text("Paste your hours instead").click()
    page.get_by_label("Paste your hours").fill("Mon-Fri 09:00-17:00")
    page.get_by_role("button", name="Fill the grid from this text").click()
    page.wait_for_load_state()
    assert page.get_by_text("The grid was filled from your text").is_visible()
    assert page.get_by_label("Until (Friday, range 1)").input_value() == "17:00"
    assert_accessible(page)
    url_before = page.url
    page.get_by_role("button", name="Add a range (Monday)").click()
    assert page.url == url_before  # added in the page, no round trip
    assert page.get_by_label("From (Monday, range 2)").evaluate("e => e === document.activeElement")
    page.get_by_label("Until (Monday, range 1)").fill("12:00")
    page.get_by_label("From (Monday, range 2)").fill("13:00")
    page.get_by_label("Until (Monday, range 2)").fill("17:00")
    page.get_by_label("Notice, in hours").fill("24")
    page.get_by_role("button", name="Save and finish").click()

    # Home: the week, in the therapist's zone, with their own navigation.
    page.wait_for_url(base + "/therapist/")
    assert page.get_by_text("Welcome to Rehabit. Your week is saved").is_visible()
    week = page.locator("table.week-table")
    assert "times in" in week.locator("caption").inner_text()  # the next 7 days, today first

    def day(name: str) -> Any:
        return week.locator("tbody tr").filter(has=page.locator("th", has_text=name))

    assert "09:00–12:00, 13:00–17:00" in day("Monday").inner_text()
    assert "09:00–17:00" in day("Friday").inner_text()
    assert "Not working" in day("Sunday").inner_text()
    assert "Europe/London" in page.locator(".zone-note").first.inner_text()
    nav = page.get_by_role("navigation", name="Therapist workspace")
    assert nav.get_by_role("link", name="Availability").is_visible()
    assert_accessible(page)

    therapist = Therapist.objects.get(user__email=EMAIL)
    assert therapist.is_listed and therapist.minimum_notice_minutes == 24 * 60
    assert WorkingHours.objects.filter(therapist=therapist).count() == 6

    page.goto(base + "/booking/availability/")
    assert_accessible(page)
    page.goto(base + "/therapist/schedule/?view=day")
    assert_accessible(page)


def test_the_sent_invitations_fit_a_phone(
    phone_page: Any,
    live_server: Any,
    mailbox: Mailbox,  # noqa: F811
) -> None:
    """The list of sent invitations stacks on a phone (each value named by its column)
    instead of pushing the page 268 px sideways at 360 px."""
    admin = make_user("ada.admin@example.org", role="admin", totp_secret=TOTP_SECRET)
    page = phone_page
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, admin, mfa=True)
    page.goto(live_server.url + "/staff/invitations/")
    page.get_by_label("The therapist's e-mail address").fill(EMAIL)
    page.get_by_label("Their name (optional)").fill("Bruno Browser")
    page.get_by_role("button", name="Send the invitation").click()
    assert page.get_by_text(f"An invitation was sent to {EMAIL}").is_visible()
    assert_fits_phone_width(page)
    row = page.locator("table tbody tr").first
    assert row.get_by_role("button", name="Withdraw").is_visible()
    assert row.locator('td[data-label="State"]').inner_text().startswith("Open until ")
    assert_accessible(page)
