"""Treatment pages and the prevention programme in real Chromium: axe on phone and desktop,
the links from the condition and result pages, and a prevention routine run end to end in
the guided player and saved to the log."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from rehabit.care.models import PreventionSession
from rehabit.clinical.prevention import load_prevention
from tests.browser.axe import assert_accessible, assert_fits_phone_width
from tests.care.helpers import make_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = datetime(2027, 1, 13, 9, 30, tzinfo=UTC)
PAGES = [
    "/treatments/",
    "/treatments/platelet_rich_plasma/",
    "/treatments/nsaids/",
    "/treatments/proximal_hamstring_repair/",
    "/conditions/hamstring_strain/treatments/",
    "/conditions/sciatica/treatments/",
    "/conditions/dvt/treatments/",
    "/prevention/",
    "/prevention/strength/",
]


def test_treatment_and_prevention_pages_pass_axe_on_desktop(page: Any, live_server: Any) -> None:
    for path in PAGES:
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)


def test_treatment_and_prevention_pages_fit_a_phone(phone_page: Any, live_server: Any) -> None:
    page = phone_page
    for path in PAGES:
        page.goto(live_server.url + path)
        assert_fits_phone_width(page)
        assert_accessible(page)


def test_from_a_condition_page_to_its_treatments_and_a_treatment_page(
    page: Any, live_server: Any
) -> None:
    page.goto(live_server.url + "/conditions/hamstring_strain/")
    page.get_by_role("link", name=re.compile("^Treatments for this")).click()
    page.wait_for_url("**/conditions/hamstring_strain/treatments/")
    option = page.locator(".options li").filter(has_text="Platelet-rich plasma")
    assert option.get_by_text("Not recommended").is_visible()
    assert option.get_by_text("High certainty").is_visible()
    option.get_by_role("link", name=re.compile("Platelet-rich plasma")).click()
    page.wait_for_url("**/treatments/platelet_rich_plasma/")
    page.get_by_role("link", name="Source R15").first.click()
    assert page.locator("#ref-R15").is_visible()
    assert "Reurink" in page.locator("#ref-R15").text_content()


def test_the_result_page_links_each_cause_to_its_treatments(page: Any, live_server: Any) -> None:
    assessment = make_assessment("self_care")
    page.goto(f"{live_server.url}/assessment/result/{assessment.pk}/")
    links = page.get_by_role("link", name=re.compile("^Treatments for this"))
    assert links.count() >= 1
    href = links.first.get_attribute("href")
    assert re.fullmatch(r"/conditions/[a-z_]+/treatments/", href)
    links.first.click()
    page.wait_for_url("**" + href)
    assert page.get_by_role("heading", name=re.compile("^Treatments for ")).is_visible()
    assert_accessible(page)


def test_run_the_strength_routine_in_the_player_and_log_it(page: Any, live_server: Any) -> None:
    routine = load_prevention().routines["strength"]
    page.clock.install(time=START)
    page.goto(live_server.url + "/prevention/")
    page.locator("#week").fill("6")
    page.get_by_role("button", name="Show this week").click()
    assert page.get_by_text("Week 6:").is_visible()
    page.get_by_role("link", name="Start: Strength: Nordic curl and hip extension").click()
    page.wait_for_url("**/prevention/strength/?week=6")
    page.clock.pause_at(START + timedelta(minutes=1))
    player = page.locator("#player")
    page.get_by_role("button", name="Start the guided session").click()
    assert player.is_visible()
    assert page.locator("#player-title").text_content() == "Nordic hamstring curl"
    assert page.locator("#player-position").text_content() == f"Exercise 1 of {len(routine.items)}"
    page.clock.resume()
    assert_accessible(page)
    page.clock.pause_at(START + timedelta(minutes=2))

    # The Nordic curl of week 6: three sets of 12, 10 and 8, counted rep by rep.
    page.keyboard.press("Space")
    for reps in (12, 10, 8):
        assert page.locator("#player-time").text_content() == f"0/{reps}"
        for _ in range(reps):
            page.locator("#player-count").click()
        if reps != 8:
            assert page.locator("#player-phase").text_content() == "Rest"
            page.locator("#player-skip").click()
    assert page.locator("#player-title").text_content() == "Single-leg bridge"
    # The other exercises are stepped through with the skip button.
    while player.is_visible():
        if page.locator("#player").get_attribute("data-status") == "ready":
            page.get_by_role("button", name="Start", exact=True).click()
        page.locator("#player-skip").click()
        page.clock.run_for(100)

    for item in routine.items:
        assert page.locator(f"#done-{item.exercise_id}").is_checked()
    page.locator("#pain_during-1").check()
    page.locator("#pain_after-0").check()
    page.get_by_label("About right").check()
    page.clock.resume()
    assert_accessible(page)
    page.get_by_role("button", name="Save to my prevention log").click()
    page.wait_for_url("**/prevention/#log")
    assert page.get_by_text("Well done. Your session is saved in your prevention log.").is_visible()
    row = page.locator(".log-table tbody tr").first
    assert "Strength: Nordic curl and hip extension" in row.text_content()
    assert "week 6" in row.text_content()
    zone_named = r"\d{2}:\d{2} \((UTC|[A-Z0-9+:]+, [A-Z][a-z]+/[A-Za-z_ ]+)\)"  # the one format
    assert re.search(zone_named, row.text_content())
    entry = PreventionSession.objects.get()
    assert entry.owner is None and entry.week == 6
    assert entry.exercises == [i.exercise_id for i in routine.items]
    assert_accessible(page)


def test_the_warm_up_routine_on_a_phone(phone_page: Any, live_server: Any) -> None:
    page = phone_page
    page.goto(live_server.url + "/prevention/warm_up/")
    assert_fits_phone_width(page)
    page.get_by_role("button", name="Start the guided session").tap()
    assert page.locator("#player").is_visible()
    assert page.locator("#player-title").text_content() == "Easy jog"
    assert_fits_phone_width(page)
    assert_accessible(page)
