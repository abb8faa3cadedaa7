"""Text at 200 % on a 320 x 640 phone, in real Chromium: no page scrolls sideways (WCAG 2.2
1.4.4 resize text, 1.4.10 reflow).

The text is enlarged as a browser's text-size setting does it: Chromium's default font size
doubled (16 to 32 px, by DevTools' Page.setFontSizes), so whatever is set in rem or em
doubles, the media queries' rem included. Checked: every page of the accessibility crawl as
each visitor who may open it (patient, therapist, one still setting up, administrator,
signed out), every page made from the reviewed data, each step of the guided assessment to
each of its four results, the guided player running and the menus open. A wide table may
scroll inside its own labelled region (.table-scroll); the page itself never does. On the
way, every time-zone picker must show its whole label ("America/Argentina/Buenos Aires
(UTC−03:00)"), not cut at the picker's edge.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.signin import sign_in
from tests.browser.test_accessibility_crawl import Site, _make_site, _user, data_pages, pages_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 640}
TEXT_200 = {"standard": 32, "fixed": 26}  # Chromium's defaults: 16 and 13 px

# The outermost elements, or else the words, that stick out past the screen's right edge
# (not those inside a container that scrolls or clips them): what widens the page.
STICKING_OUT = """() => {
  const edge = document.documentElement.clientWidth + 1;
  const inside = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement)
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    return false;
  };
  const words = node => {
    const range = document.createRange();
    range.selectNodeContents(node);
    return range.getBoundingClientRect().right;
  };
  const say = (el, right) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`
    + ` to ${Math.round(right)} px: ${el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40)}`;
  const out = [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > edge && !inside(el)
      && el.parentElement.getBoundingClientRect().right <= edge)
    .map(el => say(el, el.getBoundingClientRect().right));
  const text = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; out.length < 4 && (node = text.nextNode());) {
    const el = node.parentElement;
    if (node.textContent.trim() && words(node) > edge && !inside(el)
        && el.getBoundingClientRect().right <= edge) out.push(say(el, words(node)));
  }
  return out.slice(0, 4);
}"""


@pytest.fixture
def phone_200(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """A 320 x 640 touch screen with the text at 200 %, signed in as ``user`` if given."""
    contexts = []

    def open_page(user: tuple[Any, bool] | None = None) -> Any:
        context = browser.new_context(
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            locale="en-GB",
            timezone_id="Europe/London",
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        if user is not None:
            _show_the_session(user[0], sign_in(context, live_server.url, user[0], mfa=user[1]))
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        devtools.send("Page.enable")
        devtools.send("Page.setFontSizes", {"fontSizes": TEXT_200})
        return page

    yield open_page
    for context in contexts:
        context.close()


def _show_the_session(user: Any, session_key: str) -> None:
    """The session signed in without the forms, listed on "Where you are signed in" as a
    browser would be (its table is on the crawl)."""
    from allauth.usersessions.models import UserSession

    UserSession.objects.create(
        user=user,
        session_key=session_key,
        ip="2001:db8::7",
        user_agent="Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    )


def sideways(page: Any) -> str | None:
    """How far the page scrolls sideways, and what sticks out; None when it does not."""
    root = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert root == "32px", f"{page.url}: the text is not at 200 % ({root})"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow <= 0:
        return None
    return f"{overflow} px: " + "; ".join(page.evaluate(STICKING_OUT))


# Each time-zone picker on the page whose label, the one chosen or the widest of the list,
# is cut: the picker wider than the screen, or the label wider than the picker. A native
# <select> shows its label on one line, clipped (measured here in the picker's font); one
# drawn as base-select lays its label out as text, which may wrap but not run past it.
CUT_ZONE_LABELS = """() => {
  const edge = document.documentElement.clientWidth;
  const canvas = document.createElement('canvas').getContext('2d');
  const out = [];
  for (const select of document.querySelectorAll('select[name="time_zone"], select[name="tz"]')) {
    const style = getComputedStyle(select);
    canvas.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const wide = o => canvas.measureText(o.label).width;
    const widest = [...select.options].reduce((a, b) => (wide(b) > wide(a) ? b : a));
    const chosen = select.selectedIndex;
    const box = select.getBoundingClientRect();
    if (box.left < 0 || box.right > edge + 1)
      out.push(`${select.name}: the picker runs to ${Math.round(box.right)} px of ${edge}`);
    for (const option of new Set([select.options[chosen], widest])) {
      if (!option) continue;
      select.selectedIndex = option.index;
      const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
      const room = select.clientWidth - padding;
      const cut = style.appearance === 'base-select'
        ? select.scrollWidth > select.clientWidth + 1
          || select.scrollHeight > select.clientHeight + 1
        : wide(option) > room;
      if (cut) out.push(`${select.name}: "${option.label}" is cut (${Math.round(wide(option))} px`
        + ` of text, ${Math.round(room)} px of room, ${style.appearance})`);
    }
    select.selectedIndex = chosen;
  }
  return out;
}"""


def cut_zone_labels(page: Any) -> list[str]:
    """The time-zone pickers on the page whose label is cut (see CUT_ZONE_LABELS)."""
    return list(page.evaluate(CUT_ZONE_LABELS))


def has_zone_picker(page: Any) -> bool:
    return bool(page.locator('select[name="time_zone"], select[name="tz"]').count())


def _path(url: str) -> str:
    """A path with its ids as N and U (numbers, UUIDs), to name the pages a visitor saw."""
    path = re.sub(r"/[0-9a-f]{8}-[0-9a-f-]{27}/", "/U/", urlsplit(url).path)
    return re.sub(r"/\d+/", "/N/", path)


# The pages each visitor must have been shown (the crawl also shows the rest of theirs).
MAIN_PAGES = {
    "anonymous": {"/", "/conditions/", "/treatments/", "/exercises/", "/assessment/"},
    "patient": {
        "/",
        "/conditions/",
        "/conditions/hamstring_strain/treatments/",
        "/assessment/step/about_you/",
        "/assessment/result/U/",
        "/care/U/plan/",
        "/exercises/",
        "/exercises/glute_bridge/",
        "/care/U/program/",
        "/care/U/session/",
        "/care/U/progress/",
        "/care/U/diary/",
        "/booking/",
        "/booking/therapists/N/",
        "/booking/therapists/N/book/",
        "/booking/appointments/U/",
        "/booking/appointments/",
        "/account/sessions/",
    },
    "therapist": {
        "/therapist/",
        "/therapist/schedule/",
        "/therapist/patients/",
        "/therapist/patients/N/",
        "/therapist/patients/N/notes/U/",
        "/therapist/patients/N/notes/U/print/",
        "/clinic/patients/N/program/",
        "/booking/availability/",
        "/clinic/messages/",
    },
    "new_therapist": {"/therapist/welcome/", "/therapist/welcome/profile/"},
    "admin": {
        "/staff/invitations/",
        "/staff/patients/N/",
        "/booking/therapists/N/availability/",
        "/booking/therapists/N/sessions/",
    },
}


# The pages with a time-zone picker each visitor must have been shown (phone walk: the
# zone labels were cut at 320 px with the text at 200 %).
ZONE_PICKER_PAGES = {
    "anonymous": {"/booking/", "/booking/therapists/N/"},
    "patient": {"/account/profile/", "/booking/", "/booking/therapists/N/"},
    "therapist": {"/account/profile/", "/therapist/profile/"},
    "new_therapist": {"/therapist/welcome/profile/"},
    "admin": set(),
}


@pytest.mark.parametrize("visitor", ["anonymous", "patient", "therapist", "new_therapist", "admin"])
def test_no_page_scrolls_sideways_with_the_text_at_200_percent(
    visitor: str, phone_200: Callable[..., Any], live_server: Any
) -> None:
    site: Site = _make_site()
    page = phone_200(_user(visitor, site))
    seen: set[str] = set()
    wide: dict[str, str] = {}
    zone_pickers: set[str] = set()
    for url in pages_for(visitor, site):
        page.goto(live_server.url + url)
        page.wait_for_load_state()
        landed = urlsplit(page.url).path
        if landed in seen:
            continue
        seen.add(landed)
        found = sideways(page)
        if has_zone_picker(page):
            zone_pickers.add(_path(landed))
            found = "; ".join(filter(None, [found, *cut_zone_labels(page)]))
        if found:
            wide[landed] = found
    assert MAIN_PAGES[visitor] <= {_path(path) for path in seen}, sorted(seen)
    assert ZONE_PICKER_PAGES[visitor] <= zone_pickers, sorted(zone_pickers)
    assert not wide, f"{visitor}: {len(wide)} pages scroll sideways or cut a label\n" + "\n".join(
        f"{path}: {found}" for path, found in wide.items()
    )


def test_every_page_made_from_the_reviewed_data_fits(
    phone_200: Callable[..., Any], live_server: Any
) -> None:
    """Each condition, treatment, exercise and prevention page, with its own long words."""
    urls = data_pages()
    page = phone_200()
    wide = {}
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, url
        found = sideways(page)
        if found:
            wide[url] = found
    assert not wide, "\n".join(f"{url}: {found}" for url, found in wide.items())


@pytest.mark.parametrize("level", ["emergency", "urgent", "soon", "self_care"])
def test_each_step_of_the_assessment_and_its_result_fit(
    level: str, phone_200: Callable[..., Any], live_server: Any
) -> None:
    """The steps depend on the answers: a whole check to each result (with the warning-sign
    stop for an emergency), and the first step sent empty, with its errors."""
    from tests.browser.test_assessment_flow import go_through
    from tests.support import guided_case

    page = phone_200()
    wide: list[str] = []

    def check(page: Any) -> None:
        found = sideways(page)
        if found:
            wide.append(f"{urlsplit(page.url).path}: {found}")

    page.goto(live_server.url + "/assessment/")
    check(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Start", exact=True).click()
    with page.expect_navigation():
        page.locator('main form button[name="action"][value="next"]').click()
    assert page.locator(".error-summary").is_visible()
    check(page)
    page.goto(live_server.url + "/assessment/")
    visited = go_through(page, guided_case(level)["answers"], each=check)
    assert "/assessment/result/" in visited[-1]
    assert page.locator(f".disposition-{level}").is_visible()
    check(page)
    assert not wide, "\n".join(wide)


def test_the_player_running_and_the_menus_open_fit(
    phone_200: Callable[..., Any], live_server: Any, test_clock: datetime
) -> None:
    site = _make_site()
    wide: list[str] = []

    def check(page: Any, what: str) -> None:
        found = sideways(page)
        if found:
            wide.append(f"{what}: {found}")

    patient = phone_200(_user("patient", site))
    patient.clock.install(time=test_clock)
    for path in (f"/care/{site.assessment.pk}/session/", "/prevention/warm_up/"):
        patient.goto(live_server.url + path)
        patient.get_by_role("button", name="Start the guided session").tap()
        check(patient, f"{path}, the player open")
        patient.locator("#player-toggle").tap()
        patient.clock.run_for(5_000)
        assert patient.locator("#player").get_attribute("data-status") == "running"
        check(patient, f"{path}, the player running")
    patient.locator(".site-menu > summary").tap()
    assert patient.get_by_role("navigation", name="Main").get_by_role("link").first.is_visible()
    check(patient, "the menu open")

    therapist = phone_200(_user("therapist", site))
    therapist.goto(live_server.url + "/therapist/")
    therapist.locator(".workspace-menu > summary").tap()
    workspace = therapist.get_by_role("navigation", name="Therapist workspace")
    assert workspace.get_by_role("link", name="Schedule").is_visible()
    check(therapist, "the therapist's workspace menu open")
    assert not wide, "\n".join(wide)
