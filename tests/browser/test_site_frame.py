"""The frame of every page on a 390×844 phone and a desktop, in real Chromium: a compact
navigation (a disclosure menu that works without JavaScript), the emergency number as a
phone link, and a home page that says what Rehabit does before the warning signs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from rehabit.clinical.flow import TYPICAL_MINUTES
from tests.browser.axe import assert_accessible, assert_fits_phone_width
from tests.browser.phones import PHONE, phone_page
from tests.browser.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """The phone of the issue: 390×844, touch, British English, London."""
    with phone_page(browser) as page:
        yield page


@pytest.fixture
def phone_without_javascript(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB", java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_on_a_phone_the_header_is_one_row_and_the_menu_opens_on_tap(
    phone: Any, live_server: Any
) -> None:
    phone.goto(live_server.url + "/")
    header = phone.locator("header.site-header").bounding_box()
    assert header["height"] <= 130, header  # brand + menu button + emergency strip
    menu = phone.get_by_text("Menu", exact=True)
    learn = phone.get_by_role("link", name="Learn", exact=True)
    assert menu.is_visible() and not learn.is_visible()
    menu.tap()
    assert learn.is_visible()
    assert phone.get_by_role("link", name="Create account").is_visible()
    assert_fits_phone_width(phone)
    assert_accessible(phone)


def test_the_menu_works_without_javascript(phone_without_javascript: Any, live_server: Any) -> None:
    page = phone_without_javascript
    page.goto(live_server.url + "/")
    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("link", name="Exercises").click()
    page.wait_for_url("**/exercises/")


def test_on_a_desktop_the_links_are_in_a_row_without_a_menu_button(
    page: Any, live_server: Any
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/")
    assert not page.get_by_text("Menu", exact=True).is_visible()
    links = page.locator("nav[aria-label=Main] a")
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    assert len(tops) == 1, tops
    assert page.locator("header.site-header").bounding_box()["height"] <= 100
    page.get_by_role("link", name="Book a session").click()
    page.wait_for_url("**/booking/")


def test_the_home_page_shows_what_rehabit_does_and_the_check_on_the_first_screen(
    phone: Any, live_server: Any
) -> None:
    phone.goto(live_server.url + "/")
    check = phone.get_by_role("link", name=f"Check my pain (about {TYPICAL_MINUTES} minutes)")
    assert check.bounding_box()["y"] + check.bounding_box()["height"] <= PHONE["height"]
    help_now = phone.get_by_role("heading", name="Get help now")
    assert help_now.bounding_box()["y"] < PHONE["height"]  # starts on the first screen
    box = phone.locator("section.help-now")
    assert box.locator("li").count() == 4
    assert box.bounding_box()["height"] < PHONE["height"]  # the whole list is elsewhere
    from rehabit.education.content import load_overview

    count = len(load_overview()["get_help_now"])
    box.get_by_role("link", name=f"All {count} warning signs and what to do").click()
    phone.wait_for_url("**/conditions/#get-help-now")
    assert_accessible(phone)


def _number_in(zone: str) -> str:
    from django.conf import settings

    from rehabit.core.emergency import number_for_zone

    return number_for_zone(zone, str(settings.REHABIT_EMERGENCY_NUMBER))


def test_the_emergency_number_is_a_phone_link_in_the_banner(phone: Any, live_server: Any) -> None:
    phone.goto(live_server.url + "/contact/")
    banner = phone.get_by_role("banner")
    number = _number_in("Europe/London")  # the phone's clock: its country's number
    call = banner.get_by_role("link", name=number, exact=True)
    assert call.get_attribute("href") == f"tel:{number}"
    assert call.bounding_box()["height"] >= 24
    footer = phone.get_by_role("contentinfo")
    for name in ("Contact", "Privacy notice", "Terms of use"):
        assert footer.get_by_role("link", name=name).is_visible()
    assert_accessible(phone)


def test_an_unknown_address_gets_the_styled_page_and_the_site_has_an_icon(
    phone: Any, live_server: Any
) -> None:
    response = phone.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    assert phone.get_by_role("heading", name="We cannot find that page").is_visible()
    number = _number_in("Europe/London")
    assert phone.get_by_role("banner").get_by_role("link", name=number, exact=True).is_visible()
    assert_fits_phone_width(phone)
    assert_accessible(phone)
    for link in phone.locator("link[rel=icon]").all():
        icon = phone.request.get(live_server.url + link.get_attribute("href"))
        assert icon.ok and icon.headers["content-type"] in {
            "image/x-icon",
            "image/svg+xml",
            "image/vnd.microsoft.icon",
        }


def test_a_therapists_workspace_navigation_is_one_row_on_a_phone(
    phone: Any, live_server: Any
) -> None:

    from tests.booking.support import make_therapist

    therapist = make_therapist("Tara Therapist")
    sign_in(phone, live_server.url, therapist.user, mfa=True)
    phone.goto(live_server.url + "/therapist/")
    nav = phone.get_by_role("navigation", name="Therapist workspace")
    assert nav.bounding_box()["height"] <= 60  # it took 140 px in three rows
    schedule = nav.get_by_role("link", name="Schedule")
    assert not schedule.is_visible()
    nav.get_by_text("Workspace: Today").tap()
    schedule.tap()
    phone.wait_for_url("**/therapist/schedule/")
    assert_accessible(phone)


def test_a_message_with_a_long_e_mail_address_wraps_on_a_small_phone(
    browser: Any, live_server: Any
) -> None:
    from tests.accounts.helpers import fill_sign_up

    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True,
                                  has_touch=True, locale="en-GB")  # fmt: skip
    context.set_default_timeout(10_000)
    page = context.new_page()
    address = "maximilian.schwarzenberg@outlook.com"
    page.goto(live_server.url + "/account/signup/")
    fill_sign_up(page, address)
    page.get_by_role("button", name="Create my account").tap()
    page.wait_for_url("**/account/confirm-email/")
    message = page.locator(".message", has_text=address)
    assert message.is_visible()
    assert_fits_phone_width(page)
    box, main = message.bounding_box(), page.locator("main").bounding_box()
    assert box["x"] + box["width"] <= main["x"] + main["width"] + 1, (box, main)
    context.close()


@pytest.mark.parametrize(
    ("zone", "number"), [("America/Chicago", "911"), ("Australia/Perth", "000")]
)
def test_a_phone_on_another_countrys_clock_gets_that_countrys_number_everywhere(
    browser: Any, live_server: Any, zone: str, number: str
) -> None:
    """The page is the one kept for every signed-out visitor, built with the deployment's
    number; the phone's own clock names the country (core/emergency.js). The stop page of
    the assessment says it on its big button too."""
    from tests.browser.test_assessment_flow import STOP, go_through
    from tests.support import answers_for, completed

    with phone_page(browser, timezone_id=zone) as page:
        page.goto(live_server.url + "/")
        banner = page.get_by_role("banner")
        call = banner.get_by_role("link", name=number, exact=True)
        call.wait_for()
        assert call.get_attribute("href") == f"tel:{number}"
        assert page.locator('a[href="tel:112"]').count() == 0
        answers = completed({**answers_for("self_care"), "breathless_or_chest_pain": "yes"})
        page.goto(live_server.url + "/assessment/")
        go_through(page, answers, until=lambda path: path == STOP)
        button = page.get_by_role("link", name=f"Call {number}")
        assert button.get_attribute("href") == f"tel:{number}"
        assert_accessible(page)


def test_without_javascript_or_for_a_country_not_in_the_table_the_server_number_stays(
    phone_without_javascript: Any, browser: Any, live_server: Any
) -> None:
    phone_without_javascript.goto(live_server.url + "/")
    banner = phone_without_javascript.get_by_role("banner")
    assert banner.get_by_role("link", name="112", exact=True).get_attribute("href") == "tel:112"
    with phone_page(browser, timezone_id="Antarctica/Troll") as page:
        page.goto(live_server.url + "/")
        page.wait_for_load_state("load")
        link = page.get_by_role("banner").get_by_role("link", name="112", exact=True)
        assert link.get_attribute("href") == "tel:112"
