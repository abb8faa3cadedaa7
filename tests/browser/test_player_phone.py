"""The guided player on a 390×844 phone (issue 13): Start in view without scrolling, the
screen kept on while the session runs, the progress bar moving from the first hold, and
the whole session usable with the keyboard alone and a screen reader's live region."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from rehabit.care.programs import program_for
from tests.browser.axe import assert_accessible
from tests.care.helpers import make_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
START = datetime(2026, 3, 10, 8, 0, 0, tzinfo=UTC)

# The Screen Wake Lock API as the page sees it, recording what the player asks for (the
# real one cannot be observed from a test, and headless Chromium may refuse it).
RECORD_WAKE_LOCK = """
window.__lock = [];
const Sentinel = class extends EventTarget {
  constructor() { super(); this.released = false; this.type = "screen"; }
  release() {
    if (!this.released) { this.released = true; window.__lock.push("release");
      this.dispatchEvent(new Event("release")); }
    return Promise.resolve();
  }
};
Object.defineProperty(Navigator.prototype, "wakeLock", { configurable: true, get() {
  return { request(type) { window.__lock.push("request:" + type);
    return Promise.resolve(new Sentinel()); } };
} });
"""
NO_WAKE_LOCK = "delete Navigator.prototype.wakeLock;"
RECORD_ANNOUNCEMENTS = """() => {
  window.__said = [];
  const live = document.getElementById('player-live');
  new MutationObserver(() => { if (live.textContent) window.__said.push(live.textContent); })
    .observe(live, {childList: true, characterData: true, subtree: true});
}"""


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def _open_player(page: Any, live_server: Any, assessment: Any) -> None:
    page.clock.install(time=START)
    page.goto(f"{live_server.url}/care/{assessment.pk}/session/")
    page.clock.pause_at(START + timedelta(minutes=1))


def _in_view(page: Any, locator: Any) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_start_is_on_screen_after_opening_the_player(phone: Any, live_server: Any) -> None:
    assessment = make_assessment()
    _open_player(phone, live_server, assessment)
    phone.get_by_role("button", name="Start the guided session").tap()
    start = phone.get_by_role("button", name="Start", exact=True)
    assert _in_view(phone, start), start.bounding_box()
    assert _in_view(phone, phone.locator("#player-title"))
    assert _in_view(phone, phone.locator("#player-time"))


def test_the_progress_bar_moves_during_the_first_hold(phone: Any, live_server: Any) -> None:
    assessment = make_assessment()
    first = program_for(assessment).items[0]
    assert first.dosage["kind"] == "hold"
    hold_s, holds = first.dosage["hold_seconds"], first.dosage["reps"]
    _open_player(phone, live_server, assessment)
    phone.get_by_role("button", name="Start the guided session").tap()
    bar = phone.locator("#player-steps-done")
    assert float(bar.evaluate("b => b.value")) == 0
    phone.get_by_role("button", name="Start", exact=True).tap()
    phone.clock.run_for(hold_s * 500)  # half of the first hold
    value, top = bar.evaluate("b => [b.value, b.max]")
    assert top >= 2 * holds - 1  # every hold and rest of the exercise
    assert 0.4 <= value <= 0.6, value  # half of the first of its steps


def test_the_screen_stays_on_while_the_session_runs(phone: Any, live_server: Any) -> None:
    phone.add_init_script(RECORD_WAKE_LOCK)
    assessment = make_assessment()
    _open_player(phone, live_server, assessment)
    lock = lambda: phone.evaluate("window.__lock.slice()")  # noqa: E731
    assert lock() == []  # nothing before the session
    phone.get_by_role("button", name="Start the guided session").tap()
    phone.get_by_role("button", name="Start", exact=True).tap()
    assert lock() == ["request:screen"]
    phone.clock.run_for(5_000)
    assert lock() == ["request:screen"]  # asked once, held
    phone.get_by_role("button", name="Pause").tap()
    assert lock() == ["request:screen", "release"]
    phone.get_by_role("button", name="Resume").tap()
    assert lock() == ["request:screen", "release", "request:screen"]
    phone.get_by_role("button", name="Finish the session").tap()
    assert lock() == ["request:screen", "release", "request:screen", "release"]
    assert phone.errors == []


def test_without_the_wake_lock_api_the_player_runs_without_an_error(
    phone: Any, live_server: Any
) -> None:
    phone.add_init_script(NO_WAKE_LOCK)
    assessment = make_assessment()
    _open_player(phone, live_server, assessment)
    assert phone.evaluate("'wakeLock' in navigator") is False
    phone.get_by_role("button", name="Start the guided session").tap()
    phone.get_by_role("button", name="Start", exact=True).tap()
    phone.clock.run_for(3_000)
    phone.get_by_role("button", name="Pause").tap()
    assert phone.locator("#player").get_attribute("data-status") == "paused"
    assert phone.errors == []


def _focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement.id || document.activeElement.tagName"))


def _tab_to(page: Any, element_id: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _focused(page) == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_a_whole_session_with_the_keyboard_alone(page: Any, live_server: Any) -> None:
    """No mouse, no touch: Tab, Enter and Space only; every change is announced."""
    assessment = make_assessment()
    program = program_for(assessment)
    count = len(program.items)
    _open_player(page, live_server, assessment)
    _tab_to(page, "player-begin")
    page.keyboard.press("Enter")
    assert _focused(page) == "player-title"  # the focus moves to what the player shows
    page.evaluate(RECORD_ANNOUNCEMENTS)
    live = page.locator("#player-live")
    assert live.get_attribute("aria-live") == "polite" and live.get_attribute("aria-atomic")
    # Tab from the title reaches Start first: what to do now comes before the picture.
    page.keyboard.press("Tab")
    assert _focused(page) == "player-toggle"
    page.keyboard.press("Space")  # presses the focused Start button once
    assert page.locator("#player").get_attribute("data-status") == "running"
    page.clock.run_for(5_100)
    # Space on a focused button presses that button (it used to pause the player instead).
    _tab_to(page, "player-next")
    page.keyboard.press("Space")
    page.clock.run_for(100)  # the live region is filled a moment after it is cleared
    assert page.locator("#player-position").text_content() == f"Exercise 2 of {count}"
    assert page.locator("#player").get_attribute("data-status") == "ready"
    # Back to the first exercise: "Previous" becomes disabled, the focus stays in the player.
    _tab_to(page, "player-prev")
    page.keyboard.press("Enter")
    page.clock.run_for(100)
    assert page.locator("#player-position").text_content() == f"Exercise 1 of {count}"
    assert _focused(page) == "player-title"
    # Away from the buttons, Space is the shortcut to start and pause.
    page.keyboard.press("Space")
    assert page.locator("#player").get_attribute("data-status") == "running"
    page.keyboard.press("Space")
    assert page.locator("#player").get_attribute("data-status") == "paused"
    page.clock.run_for(100)
    said = page.evaluate("window.__said.splice(0)")
    name2, name1 = program.items[1].exercise.name, program.items[0].exercise.name
    assert any(f"Exercise 2 of {count}: {name2}" in text for text in said), said
    assert any(f"Exercise 1 of {count}: {name1}" in text for text in said), said
    assert "Paused." in said
    # Skipping the last steps with Enter ends the session on the log, focused.
    _tab_to(page, "player-finish")
    page.keyboard.press("Enter")
    assert _focused(page) == "log-title"
    page.clock.resume()
    assert_accessible(page)
