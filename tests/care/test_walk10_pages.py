"""Phone walk 10 on the plan, program and session pages, through the Django test client and
a real database (self-care 2026.12.11, programs 2026.12.2):

- an emergency plan asks no medicine questions and shows no painkiller cards, and links back
  to the emergency advice; the signs the person already told are not listed to look out for;
- the session page says what comes first for the level (never "the urgent care" beside an
  Emergency result);
- a runner at 3/10 is not told the pain is "fairly strong", and gets a word on running;
- a child's program page speaks of the child (progress, check-in, log, stage), without the
  note asking a parent to read "you" as their child.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from rehabit.care.programs import program_for
from rehabit.care.services import check_in, log_session
from rehabit.clinical.selfcare_file import load_selfcare
from tests.care.helpers import make_assessment, session_data
from tests.clinical.answers import complete, person, vignette

pytestmark = pytest.mark.django_db

SADDLE = vignette("ces_saddle_bladder")
CHILD_FEVER = person(
    age=8, location=["middle_thigh", "front_thigh_knee"], side="right", days_since_onset=1,
    onset="no_clear_reason", course="worse", pain_now=6, bear_weight="no", fever="yes",
    very_unwell="no",
)  # fmt: skip
RUNNER = vignette("pht_marathoner")  # resting pain 3/10, worse with running


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def _watch(body: str) -> str:
    found = re.search(r'<section aria-labelledby="watch-title">.*?</section>', body, re.S)
    assert found is not None
    return found.group(0)


@pytest.mark.parametrize("answers", [SADDLE, CHILD_FEVER], ids=["adult_saddle", "child_fever"])
def test_an_emergency_plan_shows_what_to_do_now_and_no_medicine_questions(
    client: Client, answers: dict[str, Any]
) -> None:
    assessment = make_assessment(answers=answers)
    assert assessment.result["disposition"]["level"] == "emergency"
    body = _page(client, f"/care/{assessment.pk}/plan/")
    assert 'id="medicines"' not in body and "Medicine safety questions" not in body
    assert "Painkillers until" not in body and "SSRI" not in body
    assert "heart failure" not in body
    assert "Keep still and get help" in body
    link = re.search(r'<a id="emergency-advice-link" href="([^"]+)">([^<]+)</a>', body)
    assert link is not None
    assert link.group(1) == f"/assessment/result/{assessment.pk}/#disposition-headline"
    assert body.index(link.group(2)) < body.index("Keep still and get help")
    # A post of the medicine form has nothing to answer: back to the plan, nothing refused.
    posted = client.post(f"/care/{assessment.pk}/plan/", {})
    assert posted.status_code == 302


def test_an_urgent_plan_still_asks_the_medicine_questions(client: Client) -> None:
    assessment = make_assessment("urgent")
    body = _page(client, f"/care/{assessment.pk}/plan/")
    assert 'id="medicines"' in body and "emergency-advice-link" not in body


def test_the_plan_does_not_list_the_sign_the_person_has_now(client: Client) -> None:
    adult = make_assessment(answers=SADDLE)
    watch = _watch(_page(client, f"/care/{adult.pk}/plan/"))
    assert "between your legs" not in watch
    assert "both legs" in watch  # another emergency sign still to look out for
    child = make_assessment(answers=CHILD_FEVER)
    watch = _watch(_page(client, f"/care/{child.pk}/plan/"))
    assert "will not stand on the leg" not in watch
    assert "Your child" in watch


@pytest.mark.parametrize(
    ("answers", "said", "not_said"),
    [
        (SADDLE, "Get emergency help first", "urgent care"),
        (CHILD_FEVER, "Get emergency help for your child first", "urgent care"),
    ],
    ids=["adult", "child"],
)
def test_the_session_page_says_emergency_help_for_an_emergency(
    client: Client, answers: dict[str, Any], said: str, not_said: str
) -> None:
    assessment = make_assessment(answers=answers)
    body = _page(client, f"/care/{assessment.pk}/session/")
    assert said in body and not_said not in body


def test_the_session_page_says_a_doctor_today_for_an_urgent_result(client: Client) -> None:
    assessment = make_assessment("urgent")
    body = _page(client, f"/care/{assessment.pk}/session/")
    assert "Get emergency help" not in body and "urgent care" not in body
    assert "today" in body  # "See a doctor today" (or "today or tomorrow") first


def test_a_runner_at_three_out_of_ten_reads_one_threshold_and_a_word_on_running(
    client: Client,
) -> None:
    assessment = make_assessment(answers=RUNNER)
    body = _page(client, f"/care/{assessment.pk}/plan/")
    assert "up to about 3 out of 10, is fine" in body
    assert "fairly strong" not in body
    assert "Running while it hurts: cut back, do not stop everything" in body
    stronger = make_assessment(answers={**RUNNER, "pain_now": 4})
    assert "fairly strong" in _page(client, f"/care/{stronger.pk}/plan/")


def _child_with_a_checked_in_session() -> Any:
    answers = complete({**RUNNER, "age": 12, "days_since_onset": 10})
    assessment = make_assessment(answers=answers)
    program = program_for(assessment)
    assert not program.suppressed and program.items
    session, _ = log_session(assessment, session_data(program, pain_during=1))
    with time_machine.travel(timezone.now() + timedelta(hours=9), tick=False):
        check_in(assessment, session.pk, {"next_morning": "same", "settled_within_24h": "yes"})
    with time_machine.travel(timezone.now() + timedelta(hours=9.5), tick=False):
        log_session(assessment, session_data(program, pain_during=1))  # waits for its check-in
    return assessment


def test_a_child_s_program_page_speaks_of_the_child(client: Client) -> None:
    assessment = _child_with_a_checked_in_session()
    with time_machine.travel(timezone.now() + timedelta(hours=10), tick=False):
        body = _page(client, f"/care/{assessment.pk}/program/")
    assert "where this page says “you”, it means your child" not in body
    assert "Your child's home exercise program" in body
    assert "Your child's pain stayed at 1/10" in body  # the progress line of the step up
    assert "Your pain stayed" not in body and not re.search(r"\bmoved you\b", body)
    assert "No session is logged yet, so you start" not in body
    assert "Your child's log has" in body
    assert "Your child's exercise log" in body and "Your child's exercises" in body
    assert "Your answer decides whether your child's exercises get harder" in body
    stage = re.search(r'<p class="tag">([^<]+)</p>', body.split('id="progress"')[1])
    data = load_selfcare()
    assert stage is not None and stage.group(1) == data.child_stage_titles["loading"]
    assert stage.group(1) != data.stage_titles["loading"]
    progress = re.findall(r'<p class="progress-note[^"]*"><strong>[^<]*</strong>(.*?)</p>', body)
    assert progress
    for line in progress:
        assert not re.search(r"\byou (?:are|start|stay|keep)\b|\bmoved you\b", line)


def test_an_adult_s_program_page_is_as_it_was(client: Client) -> None:
    assessment = make_assessment()
    program = program_for(assessment)
    log_session(assessment, session_data(program, pain_during=1))
    body = _page(client, f"/care/{assessment.pk}/program/")
    assert "Your home exercise program" in body and "Your exercise log" in body
    assert "You have logged 1 session" in body and "your child" not in body.lower()
