"""The self-care plan, exercise library and guided player in real Chromium."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from rehabit.care.models import ExerciseSession
from rehabit.care.programs import program_for
from rehabit.clinical.exercises import load_exercises
from tests.browser.axe import assert_accessible, assert_fits_phone_width
from tests.care.helpers import make_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = datetime(2026, 3, 10, 8, 0, 0, tzinfo=UTC)

RECORD_ANNOUNCEMENTS = """() => {
  window.__said = [];
  const live = document.getElementById('player-live');
  new MutationObserver(() => { if (live.textContent) window.__said.push(live.textContent); })
    .observe(live, {childList: true, characterData: true, subtree: true});
}"""


def said(page: Any) -> list[str]:
    return page.evaluate("window.__said.splice(0)")


def check_accessible_on_a_paused_clock(page: Any) -> None:
    """axe-core waits on timers: let the page's clock run for the check (the player is
    between timed steps), then pause it again."""
    page.clock.resume()
    assert_accessible(page)
    now = datetime.fromtimestamp(page.evaluate("Date.now()") / 1000, tz=UTC)
    page.clock.pause_at(now + timedelta(seconds=1))


def test_library_and_exercise_pages(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Exercises", exact=True).click()
    page.wait_for_url("**/exercises/")
    assert page.locator(".exercise-card").count() == len(load_exercises())
    assert_accessible(page)
    page.get_by_role("link", name="Glute bridge", exact=True).click()
    page.wait_for_url("**/exercises/glute_bridge/")
    image = page.locator(".exercise-figure img")
    assert image.get_attribute("alt")
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", image.element_handle())
    assert page.get_by_role("heading", name="When not to do it").is_visible()
    assert_accessible(page)


@pytest.mark.parametrize("level", ["self_care", "urgent", "emergency"])
def test_the_plan_page(page: Any, live_server: Any, level: str) -> None:
    assessment = make_assessment(level)
    page.goto(f"{live_server.url}/assessment/result/{assessment.pk}/")
    page.locator(f'a[href="/care/{assessment.pk}/plan/"]').click()
    page.wait_for_url(f"**/care/{assessment.pk}/plan/")
    first = page.locator("h2").first
    if level == "emergency":
        assert first.get_attribute("id") == "urgent-title"
        assert page.get_by_role("link", name=re.compile("^Call")).first.is_visible()
        # What to do now and keeping still; no medicine questions or painkiller cards
        # before emergency care (self-care 2026.12.11); a link back to the advice.
        assert page.get_by_role("heading", name="Keep still and get help").is_visible()
        assert page.locator("#medicines").count() == 0
        assert page.get_by_role("button", name="Save my answers").count() == 0
        assert_accessible(page)
        assert_fits_phone_width(page)
        page.get_by_role("link", name="Read the emergency advice in your result").click()
        page.wait_for_url(f"**/assessment/result/{assessment.pk}/#disposition-headline")
        return
    if level == "urgent":
        # Painkiller safety until seen, after the urgent advice, with its questions.
        assert first.get_attribute("id") == "urgent-title"
        assert page.get_by_role("heading", name="Painkillers until you are seen").is_visible()
        page.get_by_role("button", name="Save my answers").click()
        assert page.get_by_role("alert").is_visible()
    else:
        assert page.get_by_role("heading", name="Medicine safety questions").is_visible()
        page.get_by_role("button", name="Save my answers").click()
        assert page.get_by_role("alert").is_visible()
    assert_accessible(page)


def test_run_a_short_session_with_the_player_and_see_it_in_the_log(
    page: Any, live_server: Any
) -> None:
    assessment = make_assessment()
    program = program_for(assessment)
    first, *rest = program.items
    assert first.dosage["kind"] == "hold"
    holds, hold_s, rest_s = (
        first.dosage["reps"],
        first.dosage["hold_seconds"],
        first.dosage["rest_seconds"],
    )

    page.clock.install(time=START)
    page.goto(f"{live_server.url}/care/{assessment.pk}/session/")
    page.clock.pause_at(START + timedelta(minutes=1))
    player = page.locator("#player")
    assert player.is_hidden() and page.locator("#exercise-list").is_visible()
    page.get_by_role("button", name="Start the guided session").click()
    assert player.is_visible() and page.locator("#exercise-list").is_hidden()
    page.evaluate(RECORD_ANNOUNCEMENTS)
    assert page.locator("#player-title").text_content() == first.exercise.name
    assert page.locator("#player-position").text_content() == f"Exercise 1 of {len(program.items)}"
    assert page.locator("#player-instructions li").count() == len(first.exercise.steps)
    assert page.locator("#player-image").get_attribute("alt") == first.exercise.alt
    assert not page.locator("#player-sound").is_checked()  # sound is off by default
    check_accessible_on_a_paused_clock(page)
    for button in page.locator(".player-controls button:visible").all():
        box = button.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 48, button.text_content()

    # Space starts the first hold; the countdown runs on the page's clock.
    page.keyboard.press("Space")
    assert page.locator("#player-phase").text_content() == "Hold"
    page.clock.run_for(10_100)
    assert page.locator("#player-time").text_content() == f"0:{hold_s - 10:02d}"
    # Space pauses: the clock moves on, the countdown does not.
    page.keyboard.press("Space")
    assert player.get_attribute("data-status") == "paused"
    page.clock.run_for(5_000)
    assert page.locator("#player-time").text_content() == f"0:{hold_s - 10:02d}"
    page.keyboard.press("Space")
    assert player.get_attribute("data-status") == "running"
    page.clock.run_for((hold_s - 10) * 1000 + 300)
    assert page.locator("#player-phase").text_content() == "Rest"
    announced = said(page)
    expected = [
        f"{hold_s - 5} seconds left",
        f"{hold_s - 10} seconds left",
        "Paused.",
        "Resumed.",
        "10 seconds left",
        "5 seconds left",
        "3",
        "2",
        "1",
        f"Rest. {rest_s} seconds.",
    ]
    positions = [announced.index(text) for text in expected]
    assert positions == sorted(positions), announced
    # Let the clock run through the remaining holds and rests of the first exercise.
    page.clock.run_for(((holds - 1) * (hold_s + rest_s) + rest_s) * 1000 + 1_000)
    assert page.locator("#player-position").text_content() == f"Exercise 2 of {len(program.items)}"
    assert "Well done. Next exercise:" in " | ".join(said(page))

    # The arrow keys move between exercises; the next ones are done by skipping steps.
    page.keyboard.press("ArrowLeft")
    assert page.locator("#player-title").text_content() == first.exercise.name
    page.keyboard.press("ArrowRight")
    for position, item in enumerate(rest, start=2):
        assert page.locator("#player-title").text_content() == item.exercise.name
        page.get_by_role("button", name="Start", exact=True).click()
        if position == 2:  # Space on the focused button pauses once, not twice
            page.keyboard.press("Space")
            assert player.get_attribute("data-status") == "paused"
            page.keyboard.press("Space")
            assert player.get_attribute("data-status") == "running"
        if item.dosage["kind"] == "reps":
            for _ in range(item.dosage["reps"]):  # the first set, counted rep by rep
                page.locator("#player-count").click()
        else:  # the first hold or timed part runs out on the clock
            minutes, seconds = page.locator("#player-time").text_content().split(":")
            page.clock.run_for((int(minutes) * 60 + int(seconds)) * 1000 + 300)
        while (
            page.locator("#player-position").text_content()
            == (f"Exercise {position} of {len(program.items)}")
            and player.is_visible()
        ):
            page.locator("#player-skip").click()
            page.clock.run_for(100)

    # At the end the log form appears with the exercises done already ticked.
    log = page.locator("#log")
    assert player.is_hidden() and log.is_visible()
    for item in program.items:
        assert page.locator(f"#done-{item.exercise.id}").is_checked()
    check_accessible_on_a_paused_clock(page)
    page.locator("#pain_during-2").check()
    page.locator("#pain_after-1").check()
    page.get_by_label("About right").check()
    page.get_by_label("A note for yourself or your physiotherapist").fill("Left knee was fine.")
    page.get_by_role("button", name="Save to my log").click()
    page.wait_for_url(f"**/care/{assessment.pk}/program/#log")
    assert page.get_by_text("Well done. Your session is saved in your log.").is_visible()
    row = page.locator(".log-table tbody tr").first
    assert "Left knee was fine." in row.text_content() and "2/10" in row.text_content()
    # Signed out: the browser's zone (Europe/London here), as booking detects it (issue 12).
    assert ", Europe/London)" in row.text_content() and "(UTC)" not in row.text_content()
    assert page.get_by_text(re.compile(r"1 of \d+ sessions? done this week")).first.is_visible()
    page.clock.resume()
    assert_accessible(page)
    session = ExerciseSession.objects.get(assessment=assessment)
    assert session.exercise_ids == [i.exercise.id for i in program.items]
    assert (session.pain_during, session.pain_after) == (2, 1)


def test_an_exercise_whose_every_step_was_skipped_is_not_ticked_as_done(
    page: Any, live_server: Any
) -> None:
    """Skipping every hold and rest of an exercise is not doing it: the log form leaves it
    unticked (the person can tick it there if they did it without the timer); an exercise
    whose hold ran out on the clock is ticked."""
    assessment = make_assessment()
    program = program_for(assessment)
    first, second = program.items[:2]
    assert first.dosage["kind"] == "hold"
    page.clock.install(time=START)
    position = page.locator("#player-position")
    for n, one_hold_done in enumerate((False, True)):
        page.goto(f"{live_server.url}/care/{assessment.pk}/session/")
        page.clock.pause_at(START + timedelta(minutes=1 + 30 * n))
        page.get_by_role("button", name="Start the guided session").click()
        page.get_by_role("button", name="Start", exact=True).click()
        if one_hold_done:
            page.clock.run_for(first.dosage["hold_seconds"] * 1000 + 300)
        while position.text_content().startswith("Exercise 1 "):
            page.locator("#player-skip").click()
            page.clock.run_for(100)
        assert page.locator("#player-title").text_content() == second.exercise.name
        page.get_by_role("button", name="Finish the session").click()
        assert page.locator("#log").is_visible()
        assert page.locator(f"#done-{first.exercise.id}").is_checked() == one_hold_done
        for item in program.items[1:]:
            assert not page.locator(f"#done-{item.exercise.id}").is_checked(), item.exercise.id


def test_the_player_and_program_on_a_phone(phone_page: Any, live_server: Any) -> None:
    page = phone_page
    assessment = make_assessment()
    page.goto(f"{live_server.url}/care/{assessment.pk}/session/")
    assert_fits_phone_width(page)
    page.get_by_role("button", name="Start the guided session").tap()
    assert page.locator("#player").is_visible()
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.locator("#player-toggle").tap()
    assert page.locator("#player").get_attribute("data-status") == "running"
    for url in ("program", "plan"):
        page.goto(f"{live_server.url}/care/{assessment.pk}/{url}/")
        assert_fits_phone_width(page)
        assert_accessible(page)
    # The exercise log stacks on a phone: every column in view, none in a sideways box.
    from rehabit.care.services import log_session
    from tests.care.helpers import session_data

    log_session(assessment, session_data(program_for(assessment), note="Felt fine"))
    page.goto(f"{live_server.url}/care/{assessment.pk}/program/#log")
    hidden = page.evaluate(
        "(() => { const box = document.querySelector('#log .table-scroll');"
        " return box.scrollWidth - box.clientWidth; })()"
    )
    assert hidden <= 1, f"the log hides {hidden}px of columns"
    assert page.locator("#log td.note").first.is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/exercises/")
    assert_fits_phone_width(page)
