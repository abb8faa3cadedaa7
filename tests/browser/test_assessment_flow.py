"""A person completes the assessment in real Chromium and reads the result."""

from __future__ import annotations

from typing import Any

import pytest

from rehabit.clinical import load_questionnaire
from rehabit.education.content import load_condition_pages
from tests.browser.axe import assert_accessible, assert_fits_phone_width
from tests.support import vignette_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_step(page: Any, section: Any, answers: dict[str, Any]) -> None:
    for question in section.questions:
        if question.id not in answers:
            continue
        value = answers[question.id]
        if question.type == "integer":
            page.get_by_label(question.text, exact=False).first.fill(str(value))
        else:
            for v in value if isinstance(value, list) else [value]:
                page.locator(f'input[name="{question.id}"][value="{v}"]').check()


@pytest.mark.parametrize("level", ["emergency", "self_care"])
def test_complete_the_assessment_and_read_the_result(
    page: Any, live_server: Any, level: str
) -> None:
    case = vignette_for(level)
    page.goto(live_server.url + "/")
    assert_accessible(page)
    page.get_by_role("link", name="Check my pain").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Start").click()
    sections = load_questionnaire().sections
    for number, section in enumerate(sections, start=1):
        page.wait_for_url(f"**/assessment/step/{section.id}/")
        assert page.get_by_text(f"Step {number} of {len(sections)}").first.is_visible()
        assert_accessible(page)
        answer_step(page, section, case["answers"])
        label = "See my result" if number == len(sections) else "Next"
        page.get_by_role("button", name=label).click()
    page.wait_for_url("**/assessment/result/**")
    headline = page.locator("#disposition-headline")
    assert headline.is_visible()
    # The disposition is the first heading after the page title.
    assert page.locator("h2").first.get_attribute("id") == "disposition-headline"
    assert page.locator(f".disposition-{level}").is_visible()
    if level == "emergency":
        assert page.get_by_role("link", name="Call").first.is_visible()
    assert page.locator(".causes > li").count() >= 1
    assert_accessible(page)
    page.get_by_role("link", name="Printable version").click()
    assert page.get_by_text("Your answers").first.is_visible()
    assert_accessible(page)


def test_errors_are_announced_and_nothing_is_lost(page: Any, live_server: Any) -> None:
    section = load_questionnaire().sections[0]
    number = next(q for q in section.questions if q.type == "integer")
    page.goto(live_server.url + "/assessment/")
    page.get_by_role("button", name="Start").click()
    page.get_by_label(number.text, exact=False).first.fill("abc")
    page.get_by_role("button", name="Next").click()
    summary = page.get_by_role("alert")
    assert summary.is_visible()
    assert page.get_by_label(number.text, exact=False).first.input_value() == "abc"
    assert_accessible(page)


def test_education_pages_are_accessible(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/conditions/")
    assert_accessible(page)
    for condition_id in load_condition_pages():
        page.goto(f"{live_server.url}/conditions/{condition_id}/")
        assert page.locator("h1").is_visible()
        assert_accessible(page)


def test_pages_fit_a_phone_screen(phone_page: Any, live_server: Any) -> None:
    case = vignette_for("soon")
    phone_page.goto(live_server.url + "/")
    assert_fits_phone_width(phone_page)
    phone_page.goto(live_server.url + "/conditions/hamstring_strain/")
    assert_fits_phone_width(phone_page)
    phone_page.goto(live_server.url + "/assessment/")
    phone_page.get_by_role("button", name="Start").click()
    for section in load_questionnaire().sections:
        assert_fits_phone_width(phone_page)
        answer_step(phone_page, section, case["answers"])
        phone_page.get_by_role("button", name="Next").or_(
            phone_page.get_by_role("button", name="See my result")
        ).click()
    phone_page.wait_for_url("**/assessment/result/**")
    assert_fits_phone_width(phone_page)
