"""A therapist's workspace on a phone, in real Chromium: Today, Schedule, Patients, a
patient's chart, an appointment and the home-program page fit a 320 and a 390 px wide
screen without sideways scrolling (wide tables scroll inside their own labelled region)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.signin import sign_in
from tests.charts.support import logged_with_check_in
from tests.clinic.support import make_clinic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONES = ({"width": 320, "height": 640}, {"width": 390, "height": 844})


@pytest.fixture(params=PHONES, ids=lambda size: f"{size['width']}px")
def therapist_phone(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(
        viewport=request.param, is_mobile=True, has_touch=True, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _too_wide(page: Any) -> int | None:
    """The page's width when it is wider than the screen. A mobile browser zooms out to
    show a page that is too wide, so window.innerWidth grows with it: the viewport's own
    width counts too."""
    width = int(page.evaluate("document.documentElement.scrollWidth"))
    screen = min(int(page.evaluate("window.innerWidth")), page.viewport_size["width"])
    return width if width > screen else None


def test_the_therapists_pages_fit_a_phone_screen(therapist_phone: Any, live_server: Any) -> None:
    clinic = make_clinic()
    logged_with_check_in(clinic.assessment)
    page, base = therapist_phone, live_server.url
    sign_in(page, base, clinic.therapist.user, mfa=True)
    patient = clinic.patient.pk
    urls = [
        "/therapist/",
        "/therapist/schedule/",
        "/therapist/patients/",
        f"/therapist/patients/{patient}/",
        f"/booking/appointments/{clinic.appointment.pk}/",
        f"/clinic/patients/{patient}/program/",
    ]
    wide = {}
    for url in urls:
        page.goto(base + url)
        assert page.url.startswith(base + url), page.url  # not sent elsewhere
        width = _too_wide(page)
        if width:
            wide[url] = width
        assert_accessible(page)
    assert not wide, f"wider than the {page.viewport_size['width']} px screen: {wide}"


def _open_links_too_small(page: Any) -> list[str]:
    """Each stand-alone "Open" link of a session smaller than 24 x 24 px (WCAG 2.2 2.5.8)."""
    small = []
    for link in page.locator(".session-list a", has_text="Open").all():
        box = link.bounding_box()
        if box["width"] < 24 or box["height"] < 24:
            small.append(f"{round(box['width'])}x{round(box['height'])}")
    return small


def test_the_open_link_of_a_session_is_a_big_enough_target(
    therapist_phone: Any, live_server: Any
) -> None:
    clinic = make_clinic()
    page, base = therapist_phone, live_server.url
    sign_in(page, base, clinic.therapist.user, mfa=True)
    day = clinic.appointment.start.astimezone(ZoneInfo(clinic.therapist.time_zone)).date()
    for url in (
        "/therapist/",
        f"/therapist/schedule/?date={day.isoformat()}",
        f"/therapist/schedule/?view=day&date={day.isoformat()}",
    ):
        page.goto(base + url)
        if "schedule" in url:
            assert page.locator(".session-list a", has_text="Open").count() == 1, url
        assert not _open_links_too_small(page), (url, _open_links_too_small(page))
