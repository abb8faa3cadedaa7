"""A person completes the guided assessment in real Chromium and reads the result."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from rehabit.assessments import wizard
from rehabit.clinical import load_questionnaire, triage_words
from rehabit.education.content import load_condition_pages
from tests.browser.axe import assert_accessible, assert_fits_phone_width, strict_violations
from tests.support import answers_for, completed, guided_case, page_of, vignette_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STOP = "/assessment/stop/"
NAMES_ON_PAGE = "els => [...new Set(els.map(e => e.name))]"


def answer_page(page: Any, answers: dict[str, Any]) -> list[str]:
    """Fill in every question field present on the page from ``answers``; returns the
    question ids the page asks."""
    questions = load_questionnaire().questions
    names = page.eval_on_selector_all("main form input[name]", NAMES_ON_PAGE)
    asked = [name for name in names if name in questions]
    for qid in asked:
        if qid not in answers:
            continue
        value = answers[qid]
        if questions[qid].type == "integer":
            page.locator(f'input[type="text"][name="{qid}"]').fill(str(value))
            continue
        for v in value if isinstance(value, list) else [value]:
            page.locator(f'input[name="{qid}"][value="{v}"]').check()
    return asked


def page_id_of(url: str) -> str:
    return url.rstrip("/").split("/")[-1]


def go_through(
    page: Any,
    answers: dict[str, Any],
    *,
    each: Callable[[Any], None] = lambda page: None,
    until: Callable[[str], bool] = lambda url: False,
) -> list[str]:
    """From the start page, answer each page (and finish the check after a stop page)
    until the result, or until ``until(url)``; ``each`` runs on every page first.
    Returns the paths visited."""
    visited: list[str] = []
    shown: list[str] = []  # the sections shown so far
    with page.expect_navigation():
        page.get_by_role("button", name="Start", exact=True).click()
    for _ in range(30):
        path = urlsplit(page.url).path
        visited.append(path)
        if "/assessment/result/" in path or until(path):
            return visited
        each(page)
        if path == STOP:
            with page.expect_navigation():
                page.get_by_role("button", name="Finish the check").click()
            continue
        assert path.startswith("/assessment/step/"), path
        # A step is a section shown (a section passed over is not counted), so the number
        # goes up by one from section to section and is never above the total.
        section = page_of(page_id_of(path)).section.id
        shown = list(dict.fromkeys([*shown, section]))
        label = page.locator("#progress-label")
        assert label.is_visible()
        step = re.fullmatch(r"Step (\d+) of (up to )?(\d+)", label.text_content() or "")
        assert step, label.text_content()
        number, total = int(step[1]), int(step[3])
        assert bool(step[2]) == (number < total), label.text_content()
        assert number == shown.index(section) + 1, (path, number, shown)
        assert number <= total <= len(load_questionnaire().sections), (path, number, total)
        asked = answer_page(page, answers)
        assert asked, f"{path} asks nothing"
        with page.expect_navigation():
            page.locator('main form button[name="action"][value="next"]').click()
    raise AssertionError("the assessment did not finish")


@pytest.mark.parametrize("level", ["emergency", "self_care"])
def test_complete_the_assessment_and_read_the_result(
    page: Any, live_server: Any, level: str
) -> None:
    case = guided_case(level)
    page.goto(live_server.url + "/")
    assert_accessible(page)
    page.get_by_role("link", name="Check my pain").first.click()
    assert_accessible(page)

    def check(page: Any) -> None:
        assert_accessible(page)
        if page.url.endswith(STOP):
            assert page.get_by_role("link", name="Call").first.is_visible()
        else:
            assert page.get_by_text("Answer only if").count() == 0
            last = page.get_by_role("button", name="See my result").count()
            assert last + page.get_by_role("button", name="Next").count() == 1

    visited = go_through(page, case["answers"], each=check)
    assert (STOP in visited) == (level == "emergency")
    assert len([p for p in visited if p.startswith("/assessment/step/")]) >= 4
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


def test_an_urgent_notice_is_announced_on_the_next_pages(page: Any, live_server: Any) -> None:
    answers = completed({**answers_for("self_care"), "fever": "yes", "very_unwell": "no"})
    page.goto(live_server.url + "/assessment/")
    seen: list[str] = []

    def check(page: Any) -> None:
        if page.locator(".notice-urgent").count():
            if not seen:  # in full, announced, on the first page after the sign
                notice = page.get_by_role("status")
                assert notice.get_by_role("heading", name="See a doctor today").is_visible()
            else:  # then folded under its headline, a tap away
                folded = page.locator("details.notice-urgent")
                assert folded.locator("summary").inner_text().startswith("See a doctor today")
                assert not folded.locator("p").first.is_visible()
                folded.locator("summary").click()
                assert folded.locator("p").first.is_visible()
            seen.append(page.url)
            assert_accessible(page)

    go_through(page, answers, each=check)
    assert len(seen) > 1 and all("/assessment/step/" in url for url in seen)
    assert page.locator(".disposition-urgent").is_visible()


def test_errors_are_announced_and_nothing_is_lost(page: Any, live_server: Any) -> None:
    first = wizard.pages()[0]
    number = next(q for q in first.questions if q.type == "integer")
    page.goto(live_server.url + "/assessment/")
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_label(number.text, exact=False).first.fill("abc")
    page.get_by_role("button", name="Next").click()
    summary = page.get_by_role("alert")
    assert summary.is_visible()
    # Focus moves to the list of problems, so it is read first.
    page.wait_for_function("document.activeElement.classList.contains('error-summary')")
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
    assert_fits_phone_width(phone_page)
    go_through(phone_page, case["answers"], each=assert_fits_phone_width)
    phone_page.wait_for_url("**/assessment/result/**")
    assert_fits_phone_width(phone_page)


@pytest.mark.parametrize(
    "change",
    [
        {"breathless_or_chest_pain": "yes"},
        {
            "pelvic_changes": "yes",
            "saddle_numbness": "yes",
            "bladder_trouble": "no",
            "bladder_bowel_leak": "no",
            "sexual_function_change": "no",
        },
    ],
    ids=["breathless", "saddle_numbness"],
)
def test_an_emergency_answer_stops_at_once_on_a_phone(
    phone_page: Any, live_server: Any, change: dict[str, Any]
) -> None:
    answers = completed({**answers_for("self_care"), **change})
    phone_page.goto(live_server.url + "/assessment/")
    visited = go_through(phone_page, answers, until=lambda path: path == STOP)
    # Straight from the warning-sign page where the answer was given.
    assert visited[-1] == STOP
    assert page_id_of(visited[-2]).startswith("warning_signs")
    assert "warning_signs" in visited[-2]
    page = phone_page
    assert page.get_by_role("heading", level=1).first.inner_text().startswith("Call an ambulance")
    call = page.get_by_role("link", name="Call")
    assert call.count() == 1
    assert call.is_visible()
    assert (call.get_attribute("href") or "").startswith("tel:")
    box = call.bounding_box()
    assert box is not None
    assert box["height"] >= 44 and box["width"] >= 44, box  # a thumb-sized target
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    assert box["y"] + box["height"] <= 667, "the call link is on the first screen"
    call.tap(trial=True)  # visible, enabled, not covered: a tap would reach it
    # No question on the stop page: the advice comes first.
    assert page.eval_on_selector_all("main form input[name]", NAMES_ON_PAGE) == [
        "csrfmiddlewaretoken"
    ]
    assert_fits_phone_width(page)
    assert_accessible(page)


def test_a_child_under_5_is_stopped_with_no_way_on(page: Any, live_server: Any) -> None:
    answers = completed({**answers_for("self_care"), "age": 3})
    page.goto(live_server.url + "/assessment/")
    visited = go_through(page, answers, until=lambda path: path == STOP)
    assert visited == ["/assessment/step/about_you/", STOP]
    assert page.get_by_role("heading", name="See a doctor today").is_visible()
    assert page.get_by_role("button", name="Finish the check").count() == 0
    assert page.get_by_role("button", name="Start again").is_visible()
    assert_accessible(page)


def test_every_cause_card_holds_its_text_on_a_small_phone(browser: Any, live_server: Any) -> None:
    """At 320 px the "Why it fits" and "Why it may not" columns stay inside their card."""
    from tests.care.helpers import make_assessment

    context = browser.new_context(
        viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    for level in ("urgent", "soon", "self_care"):
        assessment = make_assessment(level)
        page.goto(f"{live_server.url}/assessment/result/{assessment.pk}/")
        sticking_out = page.eval_on_selector_all(
            "li.cause",
            """cards => cards.flatMap(card => {
                const edge = card.getBoundingClientRect().right;
                return [...card.querySelectorAll('*')]
                    .filter(e => e.getBoundingClientRect().right > edge + 1)
                    .map(e => e.tagName + ': ' + e.textContent.slice(0, 40));
            })""",
        )
        assert not sticking_out, (level, sticking_out)
        assert_fits_phone_width(page)
    context.close()


@pytest.mark.parametrize(
    ("vignette", "change", "level"),
    [
        ("urgent", {}, "urgent"),
        ("self_care", {"pelvic_changes": "yes", "saddle_numbness": "yes"}, "emergency"),
    ],
)
@pytest.mark.parametrize("age", [40, 9])
def test_a_warning_sign_is_read_once_beside_the_action_on_a_phone(
    browser: Any, live_server: Any, vignette: str, change: dict[str, Any], level: str, age: int
) -> None:
    """A phone walk as a new patient: each warning sign was in the top box and again in a
    card further down, and "What to do now" gave the level's action beside the sign's own
    advice saying nearly the same. At 360 px each is read once, in the top box."""
    from tests.care.helpers import make_assessment

    assessment = make_assessment(answers=completed({**answers_for(vignette), "age": age, **change}))
    result = assessment.result
    assert result["disposition"]["level"] == level
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/assessment/result/{assessment.pk}/")
    top = page.locator("section.disposition")
    signs = top.get_by_role("list", name="Warning signs in your answers:")
    assert page.get_by_text("Warning signs in your answers").count() == 1
    assert signs.is_visible()
    labels = [f["label"] for f in result["red_flags"]]
    assert signs.locator("li").all_inner_texts() == labels
    items = top.locator("li").all_inner_texts()
    assert len(items) == len(set(items)), items
    main_text = page.locator("main").inner_text()
    for flag in result["red_flags"]:
        if flag["disposition"] == level:  # its advice, once, in the action's place
            assert main_text.count(flag["advice"]) == 1
    words = triage_words.CHILD_WORDS if age < 16 else triage_words.ADULT_WORDS
    assert words.actions[level] not in main_text
    if level == "emergency":
        assert top.locator("a.call-button").is_visible()
    assert_fits_phone_width(page)
    found = strict_violations(page)
    assert not found, found
    context.close()
