"""The guided assessment pages, through the test client and the real database."""

from __future__ import annotations

import math
import re
import statistics
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils.html import escape

from rehabit.assessments import views, wizard
from rehabit.assessments.models import Assessment
from rehabit.clinical import assess, flow, load_questionnaire
from rehabit.clinical.engine import load_model
from tests.support import (
    answers_for,
    completed,
    guided_case,
    page_of,
    section_form,
    vignette_for,
    vignettes,
    walk_pages,
)

pytestmark = pytest.mark.django_db

STOP = "/assessment/stop/"
RESULT = re.compile(r"/assessment/result/([0-9a-f-]{36})/")


def step_url(page_id: str) -> str:
    return f"/assessment/step/{page_id}/"


def flag(flag_id: str) -> Any:
    return next(f for f in load_model().red_flags if f.id == flag_id)


def visit(client: Client, answers: dict[str, Any]) -> list[tuple[str, str]]:
    """Go through the pages as a browser would, opening each page before answering it and
    finishing the check after a stop page; returns (URL, HTML) of every page opened, the
    result page last."""
    seen: list[tuple[str, str]] = []
    response = client.post("/assessment/", {"action": "restart"})
    for _ in range(40):
        assert response.status_code == 302, response.content.decode()[:3000]
        url = str(response["Location"])
        page = client.get(url)
        assert page.status_code == 200, url
        seen.append((url, page.content.decode()))
        if RESULT.fullmatch(url):
            return seen
        if url == STOP:
            response = client.post(url)
            continue
        page_id = url.rstrip("/").split("/")[-1]
        response = client.post(url, section_form(page_of(page_id), answers))
    raise AssertionError("the guided pages did not end")


def post_page(client: Client, page_id: str, answers: dict[str, Any]) -> Any:
    return client.post(step_url(page_id), section_form(page_of(page_id), answers))


def walk_to(client: Client, answers: dict[str, Any], target: str) -> str:
    """Answer every page before ``target`` (no stop on the way); returns the HTML of
    ``target`` as the person sees it."""
    response = client.post("/assessment/", {"action": "restart"})
    for _ in range(40):
        assert response.status_code == 302, response.content.decode()[:3000]
        url = str(response["Location"])
        assert url.startswith("/assessment/step/"), url
        if url == step_url(target):
            return client.get(url).content.decode()
        response = post_page(client, url.rstrip("/").split("/")[-1], answers)
    raise AssertionError(f"never reached {target}")


def question_inputs(html: str) -> set[str]:
    """The question ids that have a form field on this page."""
    ids = set(load_questionnaire().questions)
    return {name for name in re.findall(r'<input[^>]* name="([a-z_0-9]+)"', html) if name in ids}


def vignette(case_id: str) -> dict[str, Any]:
    return dict(next(c for c in vignettes() if c["id"] == case_id)["answers"])


def result_of(url: str) -> Assessment:
    match = RESULT.fullmatch(url)
    assert match, url
    return Assessment.objects.get(pk=match.group(1))


# --- The whole check -----------------------------------------------------------------------


@pytest.mark.parametrize("level", ["emergency", "urgent", "soon", "self_care"])
def test_walking_the_pages_gives_the_stored_result(client: Client, level: str) -> None:
    answers = dict(guided_case(level)["answers"])
    url = walk_pages(client, answers)
    assessment = result_of(url)
    assert assessment.disposition == level
    # Stored: exactly the answers the pages asked for.
    given, _ = flow.walk(answers)
    assert assessment.answers == given
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    headline = assessment.result["disposition"]["headline"]
    assert escape(headline) in html
    # The disposition comes before the ranking of causes.
    assert html.index(escape(headline)) < html.index("What your answers point to")
    assert "does not diagnose" in html
    assert "no-store" in page["Cache-Control"]
    # A cause's percentage is its share of the fit, not how often the first is right
    # (a first cause at 90 % beside "about 5 in 10" read as a contradiction).
    assert "Fit compared with the other causes:" in html and "How well it fits" not in html
    assert "do not say how often the first one is right" in html


def test_emergency_result_offers_the_call_button_first(client: Client) -> None:
    url = walk_pages(client, answers_for("emergency"))
    html = client.get(url).content.decode()
    assert 'href="tel:' in html
    assert html.index('href="tel:') < html.index("What your answers point to")


@pytest.mark.parametrize(
    ("level", "booking"),
    [
        ("emergency", None),
        ("urgent", "After you have seen a doctor: book a physiotherapist"),
        ("soon", "Book an online session"),
        ("self_care", "Book an online session"),
    ],
)
def test_a_result_offers_a_physiotherapist_only_in_its_place(
    client: Client, level: str, booking: str | None
) -> None:
    """A physiotherapist's first free time is a day or more away: an urgent result (see a
    doctor today) offers one only for after the doctor, an emergency result not at all."""
    html = client.get(walk_pages(client, answers_for(level))).content.decode()
    offered = [text for text in BOOKING_LINKS if f">{text}</a>" in html]
    assert offered == ([booking] if booking else [])


BOOKING_LINKS = ("Book an online session", "After you have seen a doctor: book a physiotherapist")


def test_back_from_the_result_says_the_check_is_finished_not_an_empty_check(
    client: Client,
) -> None:
    """Back from the result opened the last step again, empty, as "Step 4 of up to 7": the
    person could not tell whether their result still stood (phone walk 6)."""
    seen = visit(client, dict(guided_case("soon")["answers"]))
    result_url, _html = seen[-1]
    last_step = seen[-2][0]
    back = client.get(last_step)
    assert back.status_code == 200
    html = back.content.decode()
    assert "You have finished this check" in html
    assert f'href="{result_url}"' in html
    assert 'name="action" value="restart"' in html
    assert 'type="radio"' not in html and "Step " not in html
    # A new check is a new check: its first page, empty, and its steps after it.
    first = client.post("/assessment/", {"action": "restart"})
    opened = client.get(first["Location"]).content.decode()
    assert "You have finished this check" not in opened and "Step 1 of" in opened


def test_the_error_summary_counts_what_it_lists(client: Client) -> None:
    """Answers needing a change on later pages are asked there; the summary counted them
    all ("problems with 20 answers") above a list of two (phone walk 6)."""
    session = client.session
    page = wizard.pages()[0]
    others = {q: ["This question is required."] for q in ("fever", "lump", "night_pain")}
    session[views.ERRORS_KEY] = {page.questions[0].id: ["This question is required."], **others}
    session.save()
    html = client.get(step_url(page.id)).content.decode()
    assert "There is a problem with 1 answer" in html
    assert html.count('class="error-message"') == 1
    # A question ends with its own mark, not "?:" (a phone walk).
    first = page.questions[0]
    text = first.text
    said = f'<a href="#q-{first.id}">{text}{"" if text.endswith("?") else ":"} This question'
    assert said in html and "?: This question" not in html


def test_the_pages_keep_the_disposition_of_every_vignette() -> None:
    """Including the mild ones: "mild" needs both walk_test and weakness, which the pages
    ask while both answers together could still make it self-care."""
    changed = []
    for case in vignettes():
        given, _ = flow.walk(case["answers"])
        walked = assess(given).disposition.level
        if walked != assess(case["answers"]).disposition.level:
            changed.append((case["id"], walked))
    assert not changed


def test_the_pages_only_ask_what_the_walk_of_the_clinical_core_asks(client: Client) -> None:
    """The pages show exactly the questions clinical.flow.walk counts, page by page."""
    case = vignette_for("soon")
    given, count = flow.walk(case["answers"])
    pages = visit(client, case["answers"])
    asked = [
        qid
        for url, html in pages
        if url.startswith("/assessment/step/")
        for qid in sorted(question_inputs(html))
    ]
    assert len(asked) == count
    assert set(asked) >= set(given)


# --- Stop at an emergency ------------------------------------------------------------------


EMERGENCIES = {
    # pelvic_changes opens the cauda equina follow-ups on the next page.
    "saddle_numbness": (
        {
            "pelvic_changes": "yes",
            "saddle_numbness": "yes",
            "bladder_trouble": "no",
            "bladder_bowel_leak": "no",
            "sexual_function_change": "no",
        },
        "warning_signs-2",
        "ces_saddle_numbness",
    ),
    "breathless": (
        {"breathless_or_chest_pain": "yes"},
        "warning_signs-3",
        "pulmonary_embolism",
    ),
}


@pytest.mark.parametrize("case", sorted(EMERGENCIES))
def test_an_emergency_answer_leads_straight_to_the_advice(client: Client, case: str) -> None:
    change, answered_on, flag_id = EMERGENCIES[case]
    answers = completed({**answers_for("self_care"), **change})
    walk_to(client, answers, answered_on)
    response = post_page(client, answered_on, answers)
    # Straight to the advice: no further question first.
    assert response.status_code == 302
    assert response["Location"] == STOP
    stop = client.get(STOP)
    assert stop.status_code == 200
    html = stop.content.decode()
    fired = flag(flag_id)
    assert f'href="tel:{settings.REHABIT_EMERGENCY_NUMBER}"' in html
    assert escape(fired.label) in html
    assert escape(fired.advice) in html
    assert html.index('href="tel:') < html.index(escape(fired.advice))
    assert not question_inputs(html)
    assert "Finish the check" in html
    assert Assessment.objects.count() == 0

    # "Finish the check" goes on with the next page that asks something.
    index = wizard.page_index(answered_on)
    assert index is not None
    following = wizard.next_index(index, wizard.prune(answers))
    finish = client.post(STOP)
    assert finish.status_code == 302
    if following is None:
        assert RESULT.fullmatch(finish["Location"])
    else:
        assert finish["Location"] == step_url(wizard.pages()[following].id)
        next_page = client.get(finish["Location"]).content.decode()
        assert question_inputs(next_page)
        # The emergency advice stays in view on the pages that finish the check, with no
        # slower "see a doctor today" notice beside it.
        assert "notice-emergency" in next_page and escape(fired.advice) in next_page
        assert "notice-urgent" not in next_page
    # ... and on to a stored result that keeps the emergency.
    response = finish
    for _ in range(20):
        url = str(response["Location"])
        if RESULT.fullmatch(url):
            break
        assert url != STOP, "the same emergency is not shown twice"
        response = post_page(client, url.rstrip("/").split("/")[-1], answers)
        assert response.status_code == 302
    assessment = result_of(str(response["Location"]))
    assert assessment.disposition == "emergency"
    assert flag_id in {f["id"] for f in assessment.result["red_flags"]}


def test_the_breathless_emergency_stops_before_the_follow_up_questions(client: Client) -> None:
    change, _, _ = EMERGENCIES["breathless"]
    # Numbness opens a follow-up question on the page after the warning signs.
    answers = completed({**answers_for("self_care"), **change, "numbness": "yes"})
    assert walk_pages(client, answers, finish_after_stop=False) == STOP
    finish = client.post(STOP)
    # The follow-ups of the warning signs come after the advice, not before it.
    assert finish["Location"] == step_url("warning_signs-4")


def test_signs_that_share_their_advice_say_it_once_on_the_stop_page(client: Client) -> None:
    # Numbness in the saddle and new trouble peeing are two signs of one emergency: both
    # are listed, their shared advice is given once (it was printed twice).
    change = {**EMERGENCIES["saddle_numbness"][0], "bladder_trouble": "yes"}
    answers = completed({**answers_for("self_care"), **change})
    assert walk_pages(client, answers, finish_after_stop=False) == STOP
    html = client.get(STOP).content.decode()
    saddle, bladder = flag("ces_saddle_numbness"), flag("ces_bladder")
    assert saddle.advice == bladder.advice
    assert escape(saddle.label) in html and escape(bladder.label) in html
    assert html.count(escape(saddle.advice)) == 1


def test_signs_that_share_their_advice_say_it_once_in_the_notice_when_finishing(
    client: Client,
) -> None:
    # Walk 4: finishing the check after the stop, each page's notice printed "Go to the
    # emergency department now. Say you may have cauda equina syndrome ..." once per sign.
    change = {**EMERGENCIES["saddle_numbness"][0], "bladder_trouble": "yes"}
    answers = completed({**answers_for("self_care"), **change})
    assert walk_pages(client, answers, finish_after_stop=False) == STOP
    finish = client.post(STOP)
    html = client.get(finish["Location"]).content.decode()
    saddle, bladder = flag("ces_saddle_numbness"), flag("ces_bladder")
    assert "notice-emergency" in html
    assert escape(saddle.label) in html and escape(bladder.label) in html
    assert html.count(escape(saddle.advice)) == 1


def test_a_child_under_5_stops_at_once_with_no_way_to_continue(client: Client) -> None:
    answers = completed({**answers_for("self_care"), "age": 3})
    client.post("/assessment/", {"action": "restart"})
    response = post_page(client, "about_you", answers)
    assert response["Location"] == STOP
    html = client.get(STOP).content.decode()
    child = flag("child_under_5")
    assert child.ends_check
    assert escape(child.advice) in html
    assert "Finish the check" not in html
    assert "cannot help further" in html
    assert 'value="restart"' in html  # the only way on is to start again
    # Posting the stop page does not go on either.
    again = client.post(STOP)
    assert again.status_code == 200
    assert "Finish the check" not in again.content.decode()
    assert Assessment.objects.count() == 0


def test_a_child_under_5_cannot_continue_by_typing_a_page_address(client: Client) -> None:
    answers = completed({**answers_for("self_care"), "age": 3})
    client.post("/assessment/", {"action": "restart"})
    post_page(client, "about_you", answers)
    response = client.get(step_url("pain"))
    assert response.status_code == 302 and response["Location"] == STOP


# --- Urgent notices ------------------------------------------------------------------------


def test_an_urgent_answer_is_shown_as_a_notice_on_the_following_pages(client: Client) -> None:
    # A person with many pages after the warning signs (an older man with hip pain).
    answers = completed({**vignette("ref_hip_oa"), "fever": "yes", "very_unwell": "no"})
    fever = flag("fever")
    assert fever.disposition == "urgent"
    pages = visit(client, answers)
    urls = [url for url, _ in pages]
    assert STOP not in urls, "an urgent flag does not stop the check"
    after = urls.index(step_url("warning_signs-3")) + 1
    later = [html for url, html in pages[after:] if url.startswith("/assessment/step/")]
    assert len(later) >= 3
    for html in later:
        assert "See a doctor today" in html
        assert escape(fever.label) in html
        assert escape(fever.advice) in html
        # A later answer can still stop the check at the emergency advice ("very unwell"
        # comes after a fever), so the notice never promises the advice will not change
        # (found by a phone walk as a parent).
        assert "can only make this advice more urgent, never less" in html
        assert "It will not change this advice" not in html
    for url, html in pages[:after]:
        assert escape(fever.label) not in html, url
    assessment = result_of(urls[-1])
    assert assessment.disposition == "urgent"
    assert "fever" in {f["id"] for f in assessment.result["red_flags"]}


def test_signs_that_give_a_day_or_two_are_not_headed_see_a_doctor_today(client: Client) -> None:
    # A suspected torn-off hamstring tendon: every sign says "within a day or two", so the
    # notice during the check and the result say "today or tomorrow", not "today" above a
    # flag's advice that gives a day or two.
    answers = completed(vignette("av_waterski"))
    avulsion = flag("suspected_avulsion")
    assert avulsion.within == "two_days"
    pages = visit(client, answers)
    noticed = [html for url, html in pages[:-1] if escape(avulsion.advice) in html]
    assert noticed, "the urgent sign is shown during the check"
    # In full on the first page after the sign, folded under its headline after that
    # (a phone walk scrolled past the same words at the top of five pages).
    assert "See a doctor today or tomorrow</h2>" in noticed[0]
    assert "<details" not in noticed[0].split("<main")[1].split("<form")[0]
    assert len(noticed) > 1
    for html in noticed[1:]:
        assert "<summary><strong>See a doctor today or tomorrow</strong>" in html
    for html in noticed:
        assert "See a doctor today</h2>" not in html
        assert "See a doctor today</strong>" not in html
    assessment = result_of(pages[-1][0])
    assert assessment.disposition == "urgent"
    assert assessment.result["disposition"]["headline"] == "See a doctor today or tomorrow"
    result_html = pages[-1][1]
    assert "Urgent: within two days" in result_html
    assert "Urgent: today" not in result_html
    assert "If you cannot be seen today" not in result_html
    plan = client.get(f"/care/{assessment.pk}/plan/").content.decode()
    assert "Urgent: within two days" in plan and "See a doctor today or tomorrow" in plan


# --- What a page shows ---------------------------------------------------------------------


@pytest.mark.parametrize("level", ["urgent", "soon", "self_care"])
def test_no_page_shows_answer_only_if_hints(client: Client, level: str) -> None:
    pages = visit(client, answers_for(level))
    assert len(pages) > 5
    for url, html in pages:
        assert "Answer only if" not in html, url
        assert "only applies when" not in html, url


def test_a_follow_up_page_shows_only_the_questions_that_apply(client: Client) -> None:
    answers = completed({**answers_for("self_care"), "pelvic_changes": "no", "numbness": "yes"})
    html = walk_to(client, answers, "warning_signs-4")
    shown = question_inputs(html)
    assert "numbness_spreading" in shown
    assert not shown & {"saddle_numbness", "bladder_trouble", "bladder_bowel_leak"}


# A person hit by a blow to the thigh is asked about their weak bones or steroids (a break
# after a fall); the same person whose pain began while sprinting is not: found with
# clinical.flow.is_useful on the vignette hs_hockey_mild.
USEFUL_QUESTION = "weak_bones_or_steroids"
USEFUL_PAGE = "history"


@pytest.mark.parametrize(("onset", "useful"), [("fall_or_blow", True), ("sprinting", False)])
def test_a_when_useful_question_is_asked_only_when_useful(
    client: Client, onset: str, useful: bool
) -> None:
    question = load_questionnaire().questions[USEFUL_QUESTION]
    assert question.ask == "when_useful"
    answers = completed({**answers_for("self_care"), "onset": onset})
    index = wizard.page_index(USEFUL_PAGE)
    assert index is not None
    # The case still shows what this test is about (the clinical data may be retuned).
    assert flow.applies(question, answers)
    assert flow.is_useful(question, wizard.before(index, answers)) is useful
    html = walk_to(client, answers, USEFUL_PAGE)
    shown = question_inputs(html)
    assert shown, "the page itself is shown either way"
    assert (USEFUL_QUESTION in shown) is useful
    assert (escape(question.text) in html) is useful


STEP = re.compile(r'<p id="progress-label">Step (\d+) of (up to )?(\d+)</p>')


def sections_walked(answers: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(the sections the guided pages show for these answers, in order; those passed over
    because none of their questions is shown), by clinical.flow as the pages use it."""
    given: dict[str, Any] = {}
    shown: list[str] = []
    for page in wizard.pages():
        questions = flow.visible(page, given)
        if questions and page.section.id not in shown:
            shown.append(page.section.id)
        given.update({q.id: answers[q.id] for q in questions if q.id in answers})
    return shown, [s.id for s in load_questionnaire().sections if s.id not in shown]


def vignette_passing_over(where: str) -> dict[str, Any]:
    """The first vignette whose guided pages pass over a section between two shown ones
    (``between``), or only sections after the last one shown (``at_the_end``)."""
    order = [s.id for s in load_questionnaire().sections]
    for case in vignettes():
        shown, skipped = sections_walked(case["answers"])
        if not skipped:
            continue
        last_shown = order.index(shown[-1])
        between = any(order.index(s) < last_shown for s in skipped)
        if (where == "between") == between:
            return case
    raise AssertionError(f"no vignette passes over a section {where}: choose another test case")


@pytest.mark.parametrize("where", ["between", "at_the_end"])
def test_the_step_counter_counts_only_the_sections_shown(client: Client, where: str) -> None:
    """A section in which no question is shown is not a step: "Step 4 of up to 7" is
    followed by "Step 5 of up to 6", never by "Step 6 of 7" (phone walk); the total is the
    most there can be, so it says "up to" until the last step (a later phone walk read
    "Step 3 of 7" then "Step 4 of 4" as a mistake)."""
    case = vignette_passing_over(where)
    shown, skipped = sections_walked(case["answers"])
    steps = []
    for url, html in visit(client, case["answers"]):
        if url.startswith("/assessment/step/"):
            found = STEP.findall(html)
            assert len(found) == 1, url
            number, total = int(found[0][0]), int(found[0][2])
            # The total is the most there can be until the last step, and says so.
            up_to = "up to " if number < total else ""
            assert found[0][1] == up_to, (url, found[0])
            assert f'<progress max="{total}" value="{number}"' in html, url
            assert f"· Step {number} of {up_to}{total} · Rehabit</title>" in html, url
            page = page_of(url.rstrip("/").split("/")[-1])
            steps.append((page.section.id, number, total, "See my result" in html))
    assert list(dict.fromkeys(section for section, *_ in steps)) == shown
    # One step per section shown, counted without a gap; a follow-up page is the same step.
    assert [number for _, number, _, _ in steps] == [shown.index(s) + 1 for s, *_ in steps]
    totals = [total for _, _, total, _ in steps]
    assert all(number <= total for _, number, total, _ in steps)
    assert totals == sorted(totals, reverse=True), totals  # it only drops
    assert totals[0] == len(load_questionnaire().sections)
    section, number, total, last = steps[-1]
    assert number == len(shown), steps[-1]
    # The last page shown says so, unless its own answers decide that nothing follows (the
    # page cannot know them before they are given): then it still says "up to" (checked
    # above) and "Next" leads to the result.
    assert number == total if last else number < total, steps[-1]
    assert skipped and not set(skipped) & {section for section, *_ in steps}


def test_going_back_keeps_the_answers(client: Client) -> None:
    answers = answers_for("self_care")
    client.post("/assessment/", {"action": "restart"})
    assert post_page(client, "about_you", answers)["Location"] == step_url("pain")
    response = post_page(client, "pain", answers)
    assert response["Location"] == step_url("pain-2")
    # Back from the follow-up page to the page before it: everything is still there.
    back = client.post(step_url("pain-2"), {"action": "back"})
    assert back["Location"] == step_url("pain")
    html = client.get(step_url("pain")).content.decode()
    assert f'value="{answers["days_since_onset"]}"' in html
    for value in answers["location"]:
        assert re.search(rf'name="location" value="{value}" checked', html), value
    assert re.search(rf'name="onset" value="{answers["onset"]}" checked', html)
    # Back again to the first page.
    back = client.post(
        step_url("pain"), {**section_form(page_of("pain"), answers), "action": "back"}
    )
    assert back["Location"] == step_url("about_you")
    html = client.get(step_url("about_you")).content.decode()
    assert f'value="{answers["age"]}"' in html


def test_going_back_keeps_what_was_typed_even_when_it_is_wrong(client: Client) -> None:
    answers = answers_for("self_care")
    client.post("/assessment/", {"action": "restart"})
    post_page(client, "about_you", answers)
    data = {
        **section_form(page_of("pain"), answers),
        "days_since_onset": "a week",
        "action": "back",
    }
    assert client.post(step_url("pain"), data)["Location"] == step_url("about_you")
    html = client.get(step_url("pain")).content.decode()
    assert 'value="a week"' in html


def test_a_typing_mistake_is_shown_back_with_a_clear_message(client: Client) -> None:
    page = wizard.pages()[0]
    number = next(q for q in page.questions if q.type == "integer")
    data = section_form(page, answers_for("self_care"))
    data[number.id] = "thirty-five"
    client.post("/assessment/", {"action": "restart"})
    response = client.post(step_url(page.id), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'value="thirty-five"' in html  # nothing typed is lost
    assert 'aria-invalid="true"' in html
    assert f'href="#q-{number.id}"' in html
    assert "Enter the age in whole years, for example 35." in html


def _days_typed(client: Client, typed: str) -> Any:
    """The page that asks how many days ago the pain began, sent with ``typed`` there."""
    page = next(p for p in wizard.pages() if "days_since_onset" in {q.id for q in p.questions})
    answers = answers_for("self_care")
    walk_to(client, answers, page.id)
    data = {**section_form(page, answers), "days_since_onset": typed}
    return client.post(step_url(page.id), data)


@pytest.mark.parametrize(
    "typed",
    ["9" * 5000 + " days", "9" * 5000, "\u00b2", "\u00b2 days"],
    ids=["5000 digits and a unit", "5000 digits", "superscript two", "superscript and a unit"],
)
def test_a_number_no_one_could_mean_is_asked_for_again_not_a_server_error(
    client: Client, typed: str
) -> None:
    """Over 4,300 digits with a unit, which Python will not make a number of, and a
    superscript two (a digit, but no number) were server errors (a review)."""
    response = _days_typed(client, typed)
    assert response.status_code == 422
    assert "Enter a whole number of days" in response.content.decode()


def test_a_number_of_days_typed_in_words_is_asked_for_in_days(client: Client) -> None:
    response = _days_typed(client, "three weeks")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter a whole number of days, for example 21 for three weeks." in html
    assert 'value="three weeks"' in html


@pytest.mark.parametrize(
    ("typed", "days"),
    [("3 days", 3), ("1 day", 1), ("3days", 3), (" 2 Weeks ", 14), ("10 d", 10)],
)
def test_a_number_of_days_typed_with_its_unit_is_taken(
    client: Client, typed: str, days: int
) -> None:
    # Found by a phone walk: the box says "days" beside it, and "3 days" was refused.
    response = _days_typed(client, typed)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.session[wizard.DRAFT_KEY]["answers"]["days_since_onset"] == days


@pytest.mark.parametrize("typed", ["3 months", "3 years", "3 4 days", "days 3", "3.5 days"])
def test_a_number_with_another_unit_is_asked_for_in_days(client: Client, typed: str) -> None:
    response = _days_typed(client, typed)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter a whole number of days, for example 21 for three weeks." in html
    assert f'value="{typed}"' in html


def test_a_number_out_of_range_is_asked_for_in_the_questions_unit(client: Client) -> None:
    # Was the validator's "Must be between 0 and 120.", in English whatever the language.
    page = wizard.pages()[0]
    answers = answers_for("self_care")
    client.post("/assessment/", {"action": "restart"})
    data = section_form(page, answers)
    data["age"] = "130"
    response = client.post(step_url(page.id), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter an age from 0 to 120 years." in html
    assert "Must be between" not in html
    assert 'value="130"' in html  # nothing typed is lost


def test_missing_required_answer_blocks_the_page(client: Client) -> None:
    page = wizard.pages()[0]
    client.post("/assessment/", {"action": "restart"})
    response = client.post(step_url(page.id), {"action": "next"})
    assert response.status_code == 422
    assert "This question is required" in response.content.decode()
    assert Assessment.objects.count() == 0


def test_the_start_page_says_how_many_questions_and_minutes(client: Client) -> None:
    html = client.get("/assessment/").content.decode()
    assert f"About {views.TYPICAL_MINUTES} minutes" in html
    assert f"about {views.TYPICAL_QUESTIONS} questions" in html


def test_the_start_page_states_the_measured_length() -> None:
    """The number on the start page is the median the guided pages show over the tuning
    part of the published cases, both entries, and the minutes follow from it."""
    from tests.clinical.cases.score import score

    shown = [o.shown for kind in ("story", "selftests") for o in score("tuning", kind).outcomes]
    assert statistics.median(shown) == views.TYPICAL_QUESTIONS
    assert math.ceil(views.TYPICAL_QUESTIONS * 15 / 60) == views.TYPICAL_MINUTES


def test_printable_version_lists_the_answers(client: Client) -> None:
    url = walk_pages(client, answers_for("soon"))
    response = client.get(url + "print/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(">Your answers<") == 1  # one heading, which also names the table
    assert "UTC" in html
    # The less likely causes print too (open), and the page leads back to the result.
    assert '<details class="card" open>' in html
    assert f'href="{url}">Back to your result</a>' in html
    assert '<details class="card">' in client.get(url).content.decode()  # folded on screen


def test_a_number_of_days_or_years_reads_as_a_person_would_say_it() -> None:
    from rehabit.assessments.presenters import answer_rows

    rows = {r["question"]: r["answer"] for r in answer_rows({"age": 1, "days_since_onset": 1})}
    assert "1 year" in rows.values() and "1 day" in rows.values()
    rows = {r["question"]: r["answer"] for r in answer_rows({"age": 40, "days_since_onset": 21})}
    assert "40 years" in rows.values() and "21 days" in rows.values()


def test_unknown_page_and_result_are_404(client: Client) -> None:
    assert client.get("/assessment/step/nope/").status_code == 404
    assert client.get("/assessment/result/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_the_stop_page_without_a_warning_sign_goes_back_to_the_start(client: Client) -> None:
    client.post("/assessment/", {"action": "restart"})
    response = client.get(STOP)
    assert response.status_code == 302
    assert response["Location"] == "/assessment/"


def test_an_assessment_done_while_signed_in_belongs_to_the_account() -> None:
    from tests.accounts.helpers import login, make_user

    owner = make_user("signed.in@example.org")
    client = login(Client(), owner)
    url = walk_pages(client, answers_for("self_care"))
    assessment = result_of(url)
    assert assessment.owner == owner
    assert client.get(url).status_code == 200
    # The link alone opens nothing for someone else.
    assert Client().get(url).status_code == 404
    stranger = login(Client(), make_user("stranger@example.org"))
    assert stranger.get(url).status_code == 404


def test_a_not_sure_answer_is_told_back_as_not_sure_on_the_stop_page(client: Client) -> None:
    answers = completed({**answers_for("self_care"), "breathless_or_chest_pain": "not_sure"})
    assert walk_pages(client, answers, finish_after_stop=False) == STOP
    html = client.get(STOP).content.decode()
    embolism = flag("pulmonary_embolism")
    assert embolism.label_unsure
    assert escape(embolism.label_unsure) in html
    assert escape(embolism.label) not in html
    assert 'href="tel:' in html


# --- A check begun before the service was upgraded --------------------------------------


def draft_from(client: Client, version: str, **changes: Any) -> None:
    """Make the session's draft one saved by a service running questionnaire ``version``."""
    session = client.session
    draft = session[wizard.DRAFT_KEY]
    draft["version"] = version
    draft["answers"].update(changes)
    session[wizard.DRAFT_KEY] = draft
    session.save()


def test_a_check_begun_under_the_previous_questionnaire_keeps_its_answers(
    client: Client,
) -> None:
    answers = answers_for("self_care")
    html = walk_to(client, answers, "warning_signs-3")
    assert re.search(r'name="bear_weight" value="yes" checked', html) is None
    # Saved by 2026.12.1 after its limp follow-up: the limp is read into standing.
    draft_from(client, "2026.12.1", bear_weight="yes", limp="yes")
    html = client.get(step_url("warning_signs-3")).content.decode()
    assert re.search(r'name="bear_weight" value="limping" checked', html)
    draft = wizard.load_draft(client.session)
    assert draft.version == load_questionnaire().version and "limp" not in draft.answers
    assert draft.answers["age"] == answers["age"]  # earlier pages are kept


def test_a_yes_saved_before_its_limp_follow_up_is_asked_again(client: Client) -> None:
    answers = answers_for("self_care")
    walk_to(client, answers, "warning_signs-3")
    draft_from(client, "2026.12.1", bear_weight="yes")
    assert "bear_weight" not in wizard.load_draft(client.session).answers
    html = client.get(step_url("warning_signs-3")).content.decode()
    assert 'name="bear_weight" value="yes" checked' not in html
    assert f'value="{answers["days_since_onset"]}"' in client.get(step_url("pain")).content.decode()


def test_a_draft_of_an_unknown_version_starts_afresh(client: Client) -> None:
    answers = answers_for("self_care")
    walk_to(client, answers, "warning_signs")
    draft_from(client, "1999.1.1")
    assert wizard.load_draft(client.session).answers == {}


@pytest.mark.parametrize("age", [9, 40])
def test_a_parent_answering_for_a_child_reads_the_child_wording(client: Client, age: int) -> None:
    questions = load_questionnaire().questions
    screener, fever = questions["pelvic_changes"], questions["fever"]
    assert screener.child_text is not None and fever.child_help is not None
    answers = completed({**answers_for("self_care"), "age": age})
    html = walk_to(client, answers, "warning_signs")
    child = age < 16
    # The screening question does not ask a child's parent about sex (the follow-up about
    # sex is asked only from 16); an adult is asked.
    assert (escape(screener.child_text) in html) is child
    assert (escape(screener.text) in html) is not child
    # The fever hint about a child is shown only for a child.
    html = walk_to(client, answers, "warning_signs-3")
    assert (escape(fever.child_help) in html) is child
    # The printed answers say what was asked.
    url = walk_pages(client, answers)
    printed = client.get(url + "print/").content.decode()
    assert (escape(screener.child_text) in printed) is child
    assert (escape(screener.text) in printed) is not child


@pytest.mark.parametrize("age", [9, 40])
def test_a_parent_picks_answers_that_speak_of_their_child(client: Client, age: int) -> None:
    """A parent does not read "Yes, but I limp" about their child: under 16 the answers
    that speak of the person say "my child" (for_a_child options), on the page and in the
    printed answers; an adult reads their own first-person answers."""
    child = age < 16
    answers = completed({**answers_for("self_care"), "age": age, "bear_weight": "limping"})
    html = walk_to(client, answers, "warning_signs-3")
    assert ("Yes, but my child limps" in html) is child
    assert ("Yes, but I limp" in html) is not child
    assert ("It wakes my child when they move or turn over" in html) is child
    assert ("It wakes me when I move or turn over" in html) is not child
    # The value sent is the same at any age: only its words differ.
    assert 'name="bear_weight" value="limping"' in html
    url = walk_pages(client, answers)
    printed = client.get(url + "print/").content.decode()
    assert ("Yes, but my child limps" in printed) is child
    assert ("Yes, but I limp" in printed) is not child


@pytest.mark.parametrize("age", [9, 40])
def test_the_questions_speak_to_a_parent_of_their_child(client: Client, age: int) -> None:
    """2026.12.9: a parent reads "Where does your child feel the pain?", not "Where do you
    feel the pain?" with a note to read "you" as their child; an adult reads "you"."""
    child = age < 16
    answers = completed({**answers_for("self_care"), "age": age})
    html = walk_to(client, answers, "pain")
    assert ("Where does your child feel the pain?" in html) is child
    assert ("Where do you feel the pain?" in html) is not child
    assert ("The bony spot your child sits on (sitting bone)" in html) is child
    assert ("the questions ask about your child" in html) is child
    assert "it means your child" not in html
    url = walk_pages(client, answers)
    printed = client.get(url + "print/").content.decode()
    questions = load_questionnaire().questions
    for qid in ("location", "bear_weight", "walk_test"):
        assert qid in answers
        question = questions[qid]
        assert (escape(question.worded_for(9).text) in printed) is child, qid
        assert (escape(question.text) in printed) is not child, qid
    assert ("Ask your child to walk 10 steps" in printed) is child


@pytest.mark.parametrize("age", [9, 40])
def test_the_sex_at_birth_is_asked_once_the_age_is_known(client: Client, age: int) -> None:
    """2026.12.11: the sex question was asked beside the age, before anyone knew whether a
    parent was answering, so a parent read "What sex were you given at birth?". It is now
    asked in the health section, in the words of whoever answers."""
    child = age < 16
    answers = completed({**answers_for("self_care"), "age": age})
    first = client.get(step_url("about_you")).content.decode()
    assert "sex" not in question_inputs(first)
    html = walk_to(client, answers, "history")
    assert "sex" in question_inputs(html)
    assert ("What sex was your child given at birth?" in html) is child
    assert ("What sex were you given at birth?" in html) is not child
    url = walk_pages(client, answers)
    assert result_of(url).answers["sex"] == answers["sex"]


def test_a_child_s_check_saved_by_2026_12_8_opens_and_scores_the_same(client: Client) -> None:
    """A check saved under 2026.12.8 (the same questions, worded for "you") opens with
    today's wording and is read, and scored again, with the same answers."""
    answers = completed({**answers_for("self_care"), "age": 9})
    url = walk_pages(client, answers)
    saved = result_of(url)
    Assessment.objects.filter(pk=saved.pk).update(questionnaire_version="2026.12.8")
    saved = Assessment.objects.get(pk=saved.pk)
    assert saved.result["questionnaire_version"] == "2026.12.8"
    assert saved.current_answers == saved.answers
    again = assess(saved.current_answers).to_dict()
    assert again["questionnaire_version"] == load_questionnaire().version == "2026.12.11"
    assert {**again, "questionnaire_version": "2026.12.8"} == saved.result
    page = client.get(url)
    assert page.status_code == 200
    printed = client.get(url + "print/")
    assert printed.status_code == 200
    assert "Where does your child feel the pain?" in printed.content.decode()


@pytest.mark.parametrize("age", [7, 40])
def test_the_emergency_advice_and_the_result_speak_to_a_parent_about_their_child(
    client: Client, age: int
) -> None:
    """A parent at the stop page is told what to say about their child (not "that you have
    new pain", "do not drive yourself"), and the result speaks of the child without a note
    that its "you" is the child (triage's words too: tests/assessments/
    test_child_result_wording.py)."""
    child = age < 16
    # A child with a fever who will not stand on the leg; an adult short of breath.
    emergency = (
        {"fever": "yes", "very_unwell": "no", "bear_weight": "no"}
        if child
        else {"breathless_or_chest_pain": "yes"}
    )
    answers = completed({**answers_for("self_care"), "age": age, **emergency})
    assert walk_pages(client, answers, finish_after_stop=False) == STOP
    html = client.get(STOP).content.decode()
    assert "What to say when you call" in html
    assert ("how old your child is, that your child has new pain" in html) is child
    assert ("that you have new pain" in html) is not child
    assert ("Do not drive yourself." in html) is not child
    # The warning signs speak of the child (red flags 2026.12.9), so the stop page no longer
    # asks a parent to read its "you" as their child.
    assert "where this page says “you”, it means your child." not in html
    url = walk_pages(client, answers)
    note = "where this result says “you”, it means your child."
    assert note not in client.get(url).content.decode()
    assert note not in client.get(url + "print/").content.decode()


@pytest.mark.parametrize("age", [14, 40])
def test_a_parent_reads_the_warning_sign_and_its_advice_about_their_child(
    client: Client, age: int
) -> None:
    """Saddle numbness for a 14-year-old: the stop page and the result say "Your child has
    numbness ..." and "Take your child to the emergency department now" (red flags
    2026.12.9); an adult's words are unchanged."""
    child = age < 16
    answers = completed(
        {
            **answers_for("self_care"),
            "age": age,
            "pelvic_changes": "yes",
            "saddle_numbness": "yes",
            "bladder_bowel_leak": "no",
        }
    )
    assert walk_pages(client, answers, finish_after_stop=False) == STOP
    sign = flag("ces_saddle_numbness")
    label, advice = (sign.child_label, sign.child_advice) if child else (sign.label, sign.advice)
    assert label and advice
    assert label.startswith("Your child has numbness") is child
    assert advice.startswith("Take your child to the emergency department now.") is child
    html = client.get(STOP).content.decode()
    for text in (label, advice):
        assert escape(text) in html
    for other in (sign.label, sign.advice) if child else (sign.child_label, sign.child_advice):
        assert escape(str(other)) not in html
    assert ("for the doctor who sees your child." in html) is child
    url = walk_pages(client, answers)
    saved = result_of(url)
    told = {f["id"]: f for f in saved.result["red_flags"]}["ces_saddle_numbness"]
    assert (told["label"], told["advice"]) == (label, advice)
    for page in (url, url + "print/"):
        html = client.get(page).content.decode()
        assert escape(label) in html and escape(advice) in html, page
        assert escape(str(sign.label if child else sign.child_label)) not in html, page


@pytest.mark.parametrize("age", [9, 40])
def test_a_child_with_a_fever_who_will_not_stand_is_told_of_in_the_child_s_words(
    client: Client, age: int
) -> None:
    """Age 9, a fever and a leg the child cannot stand on: the result lists "Your child
    cannot stand on the painful leg." (an adult: "You cannot stand on the painful leg.")."""
    child = age < 16
    answers = completed(
        {**answers_for("self_care"), "age": age, "fever": "yes", "very_unwell": "no",
         "bear_weight": "no"}
    )  # fmt: skip
    if child:
        assert walk_pages(client, answers, finish_after_stop=False) == STOP
        html = client.get(STOP).content.decode()
        assert "Take your child to the emergency department now." in html
    url = walk_pages(client, answers)
    sign = flag("cannot_bear_weight")
    label = sign.child_label if child else sign.label
    assert label == ("Your child cannot stand" if child else "You cannot stand") + (
        " on the painful leg."
    )
    html = client.get(url).content.decode()
    assert escape(label) in html
    assert escape(sign.child_label if not child else sign.label) not in html
    told = {f["id"]: f for f in result_of(url).result["red_flags"]}["cannot_bear_weight"]
    assert told["label"] == label
    assert told["advice"] == (sign.child_advice if child else sign.advice)


def _at_the_saddle_items(client: Client) -> dict[str, Any]:
    """A person who said yes to the cauda equina screening question, at its four items
    (the page after it); returns their answers."""
    answers = completed(
        {**answers_for("self_care"), "pelvic_changes": "yes", "bladder_bowel_leak": "no"}
    )
    walk_to(client, answers, "warning_signs-2")
    return answers


def test_an_emergency_stops_the_check_before_the_rest_of_its_page_is_answered(
    client: Client,
) -> None:
    # Found by a phone walk: numbness between the legs and new trouble peeing, said for
    # sure, were answered with "This question is required" for the two questions below them.
    answers = _at_the_saddle_items(client)
    response = client.post(
        step_url("warning_signs-2"),
        {"action": "next", "saddle_numbness": "yes", "bladder_trouble": "yes"},
    )
    assert response.status_code == 302 and response["Location"] == STOP
    html = client.get(STOP).content.decode()
    assert escape(flag("ces_saddle_numbness").advice) in html
    assert "Finish the check" in html
    # Finishing the check asks the rest of that page first, with what was said kept.
    finish = client.post(STOP)
    assert finish["Location"] == step_url("warning_signs-2")
    page = client.get(finish["Location"]).content.decode()
    assert "This question is required" not in page
    assert re.search(r'name="saddle_numbness" value="yes" checked', page)
    assert {"bladder_bowel_leak", "sexual_function_change"} <= question_inputs(page)
    response = post_page(client, "warning_signs-2", {**answers, "bladder_trouble": "yes"})
    assert response.status_code == 302
    assert response["Location"] not in (STOP, step_url("warning_signs-2"))


def test_a_sign_with_advice_already_given_joins_the_notice_and_does_not_stop_again(
    client: Client,
) -> None:
    # Phone walk 5: after the stop for numbness between the legs, "not sure" about a change
    # in sex on the same page stopped the check a second time with the same advice.
    answers = _at_the_saddle_items(client)
    first = client.post(step_url("warning_signs-2"), {"action": "next", "saddle_numbness": "yes"})
    assert first["Location"] == STOP
    assert client.post(STOP)["Location"] == step_url("warning_signs-2")
    rest = {**answers, "saddle_numbness": "yes", "sexual_function_change": "not_sure"}
    response = post_page(client, "warning_signs-2", rest)
    assert response.status_code == 302
    assert response["Location"] not in (STOP, step_url("warning_signs-2"))
    later = client.get(response["Location"]).content.decode()
    sexual = flag("ces_sexual_function")
    assert sexual.advice == flag("ces_saddle_numbness").advice  # the same advice, once
    assert escape(sexual.label_unsure or sexual.label) in later  # in the notice
    assert later.count(escape(sexual.advice)) == 1
    # A sign with advice not given yet still stops at once.
    response = post_page(client, "warning_signs-3", {**rest, "breathless_or_chest_pain": "yes"})
    assert response["Location"] == STOP


def test_the_page_asked_again_after_its_stop_keeps_the_emergency_in_view(
    client: Client,
) -> None:
    # Found by an attack walk: finishing the check after a stop that came before its page
    # was complete went back to that page with no word of the emergency on it, though every
    # page after a stop keeps the advice in view.
    _at_the_saddle_items(client)
    client.post(step_url("warning_signs-2"), {"action": "next", "saddle_numbness": "yes"})
    finish = client.post(STOP)
    assert finish["Location"] == step_url("warning_signs-2")
    page = client.get(finish["Location"]).content.decode()
    assert "notice-emergency" in page
    assert escape(flag("ces_saddle_numbness").advice) in page
    # Still there when the rest of the page comes back with an error.
    response = client.post(
        step_url("warning_signs-2"), {"action": "next", "saddle_numbness": "yes"}
    )
    assert response.status_code == 422
    assert escape(flag("ces_saddle_numbness").advice) in response.content.decode()


def test_a_wrong_answer_does_not_stop_the_check(client: Client) -> None:
    # An age typed wrongly is asked again, not read as a child under 5.
    page = wizard.pages()[0]
    client.post("/assessment/", {"action": "restart"})
    data = section_form(page, answers_for("self_care"))
    data["age"] = "-3"
    response = client.post(step_url(page.id), data)
    assert response.status_code == 422
    assert "Enter an age from 0 to 120 years." in response.content.decode()


@pytest.mark.parametrize(
    ("change", "flag_ids"),
    [
        (
            {"pelvic_changes": "yes", "saddle_numbness": "yes", "bladder_trouble": "yes"},
            ["ces_saddle_numbness", "ces_bladder"],
        ),
        (
            {"age": 9, "fever": "yes", "very_unwell": "no", "bear_weight": "limping"},
            ["child_limp_with_fever"],
        ),
    ],
)
def test_the_result_gives_each_signs_advice_once(
    client: Client, change: dict[str, Any], flag_ids: list[str]
) -> None:
    # Found by a phone walk: the result said the advice under "What to do now" and again
    # beside each sign in "Warning signs in your answers" (three times for the two signs of
    # cauda equina), on the page and on the printout.
    answers = completed({**answers_for("self_care"), **change})
    url = walk_pages(client, answers)
    assessment = result_of(url)
    assert set(flag_ids) <= {f["id"] for f in assessment.result["red_flags"]}
    for html in (client.get(url).content.decode(), client.get(url + "print/").content.decode()):
        assert "Warning signs in your answers" in html
        for flag_id in flag_ids:
            fired = flag(flag_id)
            # Worded after what the person told us (the case of the rule that held), in a
            # parent's words about their child for a 9-year-old (red_flags.yaml 2026.12.11).
            told = next(f for f in assessment.result["red_flags"] if f["id"] == flag_id)
            child = change.get("age") == 9
            said = [b.child_label if child else b.label for b in fired.branches]
            assert told["label"] in {fired.child_label if child else fired.label, *said}
            assert escape(told["label"]) in html
            assert html.count(escape(fired.advice)) == 1


def test_none_of_these_with_another_answer_is_explained_in_the_page_s_words(
    client: Client,
) -> None:
    # Found by an i18n review: without JavaScript, "None of these" ticked with a long
    # journey gave the validator's English for API clients ("'none' (...) cannot be
    # combined with other options."), which the page could not translate.
    question = load_questionnaire().questions["clot_risks"]
    page = next(p for p in wizard.pages() if question in p.questions)
    answers = answers_for("self_care")
    walk_to(client, answers, page.id)
    chosen = ["long_travel", "none"]
    response = post_page(client, page.id, {**answers, "clot_risks": chosen})
    html = response.content.decode()
    assert response.status_code == 422, response.status_code
    label = question.labels["none"]
    expected = f"“{label}” cannot be chosen with other answers: untick it, or untick the others."
    assert escape(expected) in html
    assert "cannot be combined" not in html and "'none'" not in html
    for value in chosen:  # what was ticked is kept, to correct
        assert re.search(rf'name="clot_risks" value="{value}" checked', html), value


def test_an_urgent_result_for_today_is_labelled_today_as_its_headline_says(client: Client) -> None:
    """The label said "Urgent: within 24 hours" above "See a doctor today" (a phone walk:
    at 00:15 the two read as different deadlines)."""
    from tests.care.helpers import make_assessment

    urgent = make_assessment("urgent")
    assert urgent.result["disposition"]["headline"] == "See a doctor today"
    for url in (f"/assessment/result/{urgent.pk}/", f"/care/{urgent.pk}/plan/"):
        html = client.get(url).content.decode()
        assert '<p class="disposition-level">Urgent: today</p>' in html, url
        assert "within 24 hours" not in html, url


def test_after_an_urgent_result_the_plan_is_not_the_page_s_main_button(client: Client) -> None:
    """A phone walk: the solid "For after you have been seen: your self-care plan" button
    was the most prominent thing under "See a doctor today"."""
    from tests.care.helpers import make_assessment

    for level, secondary in (("urgent", True), ("emergency", True), ("self_care", False)):
        html = client.get(f"/assessment/result/{make_assessment(level).pk}/").content.decode()
        care = html[html.index('<p class="care-link no-print">') :][:200]
        assert ('class="button button-secondary"' in care) is secondary, level


def test_the_menu_leads_back_to_the_latest_check_done_in_this_browser(client: Client) -> None:
    """A phone walk lost a result by tapping the logo: without an account, its address
    was the only way back."""
    from tests.accounts.helpers import login, make_user

    first = result_of(walk_pages(client, dict(guided_case("soon")["answers"])))
    second = result_of(walk_pages(client, dict(guided_case("self_care")["answers"])))
    home = client.get("/").content.decode()
    assert f'<a href="/assessment/result/{second.pk}/">My latest check</a>' in home
    assert str(first.pk) not in home
    here = client.get(f"/assessment/result/{second.pk}/").content.decode()
    assert 'aria-current="page">My latest check</a>' in here
    # Erased (unused for months), the one before it is the latest.
    second.delete()
    assert f'/assessment/result/{first.pk}/">My latest check' in client.get("/").content.decode()
    # Nobody else sees it; signed in, the check is in the account ("My program").
    assert "My latest check" not in Client().get("/").content.decode()
    login(client, make_user("walker@example.org"))
    assert "My latest check" not in client.get("/").content.decode()


def test_the_start_page_names_the_number_to_call_instead_of_doing_the_check(
    client: Client, settings: Any
) -> None:
    settings.REHABIT_EMERGENCY_NUMBER = "112"
    html = client.get("/assessment/?fresh").content.decode()
    main = html[html.index("<main") :]
    assert (
        'do not do this check: call <a class="tel" href="tel:112">112</a> or your local '
        "emergency number now." in main
    )


@pytest.mark.parametrize("age", [9, 40])
def test_a_parent_reads_the_reasons_and_the_headings_about_their_child(
    client: Client, age: int
) -> None:
    """2026.12.10: a child's result gives each likely cause's reasons in a parent's words
    ("Your child feels the pain ..."), and the step pages head their sections "Your child's
    pain"; an adult's pages read as before."""
    child = age < 16
    answers = completed({**answers_for("self_care"), "age": age})
    html = walk_to(client, answers, "pain")
    assert ("<h1>Your child&#x27;s pain" in html or "<h1>Your child's pain" in html) is child
    assert ("<h1>Your pain" in html) is not child
    html = walk_to(client, answers, "history")
    assert ("Your child&#x27;s health and activity" in html) is child
    assert ("Your health and activity" in html) is not child
    url = walk_pages(client, answers)
    saved = result_of(url)
    shown = [c for c in saved.result["causes"][:3] if c["why_for"] or c["why_against"]]
    assert len(shown) >= 2
    reasons = [r for c in shown for r in c["why_for"] + c["why_against"]]
    assert any(r.startswith("Your child") for r in reasons) is child
    page = client.get(url).content.decode()
    for reason in reasons:
        assert escape(reason) in page, reason
    differential = load_model().differential
    words = differential.child_code_list if child else differential.code_list
    assert set(reasons) <= set(words)
    if child:
        # Reasons that said "you" say "your child" (the ranking itself does not change:
        # tests/clinical/test_child_reasons.py).
        adult = dict(zip(differential.child_code_list, differential.code_list, strict=True))
        assert any(adult[r] != r for r in reasons)
        assert not any(escape(adult[r]) in page for r in reasons if adult[r] != r)
        # Triage's headline, advice and severity speak of the child too, so no note says
        # that "you" means the child.
        assert "it means your child" not in page
