"""A new patient's phone walk through the account pages, 360 px and 320 px wide with the
text at 200 %, in real Chromium, each fix checked where it shows, with axe-core's every
rule (strict) and no sideways scrolling:

- the phone field's example number stays on one line ("+1 201-" / "555-0123" before);
- a long time-zone label wraps after a "/" or a space, not inside a word
  ("America/Arg|entina/Buen|os Aires" before);
- the account page shows the next session (it only linked to the sessions page);
- an en-US browser reads the 12-hour clock and "physical therapist".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from tests.browser.axe import assert_accessible_strictly, assert_fits_phone_width
from tests.browser.signin import sign_in
from tests.browser.test_text_200_reflow import TEXT_200, cut_zone_labels

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONES = {"360": {"width": 360, "height": 740}, "320": {"width": 320, "height": 640}}


@pytest.fixture(params=sorted(PHONES))
def phone(request: Any, browser: Any) -> Iterator[Callable[..., Any]]:
    """A touch phone of the width in the test's id, with the text at 200 %, in the locale
    asked for (Chromium sends it as Accept-Language)."""
    contexts = []

    def open_page(locale: str = "en-GB") -> Any:
        context = browser.new_context(
            viewport=PHONES[request.param],
            is_mobile=True,
            has_touch=True,
            locale=locale,
            timezone_id="Europe/London",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        devtools.send("Page.enable")
        devtools.send("Page.setFontSizes", {"fontSizes": TEXT_200})
        page.phone_width = PHONES[request.param]["width"]
        return page

    yield open_page
    for context in contexts:
        context.close()


# Each group of the example ("+1", "201-555-0123") on one line; whether all are on one
# line; whether the full stop is on the line of the last group.
EXAMPLE_LINES = """() => {
  const hint = document.getElementById('id_phone_helptext');
  const groups = [...hint.querySelectorAll('.phone-example > span')];
  const tops = groups.map(g => Math.round(g.getBoundingClientRect().top));
  const range = document.createRange();
  const box = hint.querySelector('.phone-example');
  range.selectNodeContents(box.lastChild);
  const whole = document.createElement('span');
  whole.style.whiteSpace = 'nowrap';
  whole.textContent = box.textContent;
  hint.append(whole);
  const fits = whole.getBoundingClientRect().width <= hint.clientWidth;
  whole.remove();
  return {
    text: hint.textContent,
    fits,
    groups: groups.map(g => g.textContent),
    broken: groups.filter(g => g.getClientRects().length > 1).map(g => g.textContent),
    lines: new Set(tops).size,
    stopWithNumber: Math.round(range.getBoundingClientRect().top) === tops[tops.length - 1],
  };
}"""


def _newcomer(zone: str = "") -> Any:
    from rehabit.accounts.consent import set_consent
    from rehabit.accounts.models import ConsentPurpose, Profile
    from tests.accounts.helpers import make_user

    user = make_user("nouvelle@example.org", complete=False)
    for purpose in (ConsentPurpose.TERMS, ConsentPurpose.PRIVACY):
        set_consent(user, purpose, True)
    if zone:
        Profile.objects.filter(user=user).update(time_zone=zone)
    return user


def test_the_phone_example_stays_on_one_line(phone: Any, live_server: Any) -> None:
    """Server-rendered (New York saved) and after the script changes it (Paris, then New
    York again): each group never breaks; a number no wider than the line is on one line,
    with its full stop ("+1 201-555-0123" at 360 px); one wider ("+1 201-555-0123" at
    320 px, the French example at both) wraps only between groups. Nothing scrolls
    sideways."""
    user = _newcomer("America/New_York")
    page = phone()
    sign_in(page, live_server.url, user)
    page.goto(f"{live_server.url}/account/profile/")
    zone = page.get_by_label("Time zone")
    for chosen in (None, "Europe/Paris", "America/New_York"):
        if chosen is not None:
            zone.select_option(chosen)
        shown = page.evaluate(EXAMPLE_LINES)
        assert shown["text"].startswith("For example +"), shown
        assert shown["broken"] == [], shown
        assert shown["stopWithNumber"], shown
        if shown["fits"]:  # a number as wide as the line or less: on one line
            assert shown["lines"] == 1, shown
        if chosen != "Europe/Paris":  # "+33 1 23 45 67 89" is wider than the line at 200 %
            assert shown["fits"] == (page.phone_width == 360), shown
        assert_fits_phone_width(page)
    assert shown["groups"] == ["+1", "201-555-0123"]
    assert_accessible_strictly(page)


# The picker's label laid out as the picker lays it out (its font, its wrapping rules, the
# width its text has: the content box less the arrow, ::picker-icon, and the gap before
# it), in a copy measured piece by piece: the pieces between spaces and after each "/"
# that fit on a line by themselves (measured unwrapped) but were broken across two. (A
# base-select picker draws its text inside the browser, out of reach of the page's DOM,
# hence the copy.)
BROKEN_WORDS = """label => {
  const select = document.getElementById('id_time_zone');
  const style = getComputedStyle(select);
  const icon = getComputedStyle(select, '::picker-icon');
  const room = select.clientWidth - parseFloat(style.paddingLeft)
    - parseFloat(style.paddingRight) - (parseFloat(style.columnGap) || 0)
    - (parseFloat(icon.width) || 0);
  const copy = white => {
    const div = document.createElement('div');
    for (const name of ['font-family', 'font-size', 'font-weight', 'line-height',
                        'letter-spacing', 'overflow-wrap', 'word-break', 'hyphens'])
      div.style.setProperty(name, style.getPropertyValue(name));
    div.style.width = white === 'nowrap' ? 'max-content' : `${room}px`;
    div.style.whiteSpace = white;
    div.style.position = 'absolute';
    div.style.visibility = 'hidden';
    div.textContent = label;
    document.body.append(div);
    return div;
  };
  const wrapped = copy('normal');
  const unwrapped = copy('nowrap');
  const piece = (div, at, length) => {
    const range = document.createRange();
    range.setStart(div.firstChild, at);
    range.setEnd(div.firstChild, at + length);
    return range;
  };
  const broken = [];
  const pieces = /[^\\s\\/\\u200b]+\\/?/g;
  for (let found; (found = pieces.exec(label));) {
    const width = piece(unwrapped, found.index, found[0].length).getBoundingClientRect().width;
    const lines = piece(wrapped, found.index, found[0].length).getClientRects().length;
    if (width <= room && lines > 1) broken.push(found[0]);
  }
  wrapped.remove();
  unwrapped.remove();
  return {broken, room, appearance: style.appearance};
}"""

LONG_ZONES = ("America/Argentina/Buenos_Aires", "America/North_Dakota/New_Salem")


def test_a_long_zone_label_wraps_between_words(phone: Any, live_server: Any) -> None:
    user = _newcomer("America/Argentina/Buenos_Aires")
    page = phone()
    sign_in(page, live_server.url, user)
    page.goto(f"{live_server.url}/account/profile/")
    zone = page.get_by_label("Time zone")
    for chosen in LONG_ZONES:
        zone.select_option(chosen)
        label = zone.evaluate("select => select.selectedOptions[0].label")
        assert label.replace("\u200b", "").startswith(chosen.replace("_", " ")), label
        measured = page.evaluate(BROKEN_WORDS, label)
        assert measured["appearance"] == "base-select", measured
        assert measured["broken"] == [], f"{label!r}: {measured}"
        assert cut_zone_labels(page) == []
        assert_fits_phone_width(page)
    assert_accessible_strictly(page)


def test_the_account_page_shows_the_next_session(phone: Any, live_server: Any) -> None:
    """With the browser in en-US: the time on the 12-hour clock with its zone, the
    therapist, a link to the session, move and cancel; "physical therapist" on booking."""
    from rehabit.core.timefmt import format_span
    from tests.booking.support import book, free_start, make_patient, make_therapist

    therapist = make_therapist("Tara Therapist")
    patient = make_patient("pat.next@example.org", "Pat Next", zone="America/New_York")
    session = book(patient, therapist, free_start(therapist, after=timedelta(days=2)))
    page = phone(locale="en-US")
    sign_in(page, live_server.url, patient)
    page.goto(f"{live_server.url}/account/")
    section = page.locator("#next-session")
    assert section.get_by_role("heading", name="Next session").is_visible()
    when = section.locator(".next-session-when").inner_text()
    from django.utils import translation

    with translation.override("en-us"):
        assert when == format_span(session.start, session.end, "America/New_York")
    assert " AM" in when or " PM" in when, when
    assert "America/New York)" in when
    assert section.get_by_text("With Tara Therapist").is_visible()
    section.get_by_role("link", name="Move to another time").scroll_into_view_if_needed()
    assert section.get_by_role("link", name="Cancel the session").is_visible()
    assert_fits_phone_width(page)
    assert_accessible_strictly(page)

    section.get_by_role("link", name=when).click()
    page.wait_for_url(f"{live_server.url}/booking/appointments/{session.pk}/")

    page.goto(f"{live_server.url}/booking/")
    assert page.get_by_role(
        "heading", name="Book an online session with a physical therapist"
    ).is_visible()
