"""The emergency stop page says what to tell the call handler about a blood thinner from
the answer to ``blood_thinners`` (clinical/data/questionnaire.yaml): "Say that ..." after a
yes, "Say if ..." when it is not answered (or not sure), and nothing after a no (it once
said "Say if you take a blood thinner." to someone who had just said they take none). An
adult and a parent answering for a child, through the Django test client and the session.

The warning signs come before the history page that asks about blood thinners, so a
person reaches the stop page with it answered by going back after the history page and
changing a warning sign, as a browser would."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.assessments.test_pages import STOP, post_page, walk_to
from tests.support import answers_for, completed, walk_pages

pytestmark = pytest.mark.django_db

EMERGENCY = {"breathless_or_chest_pain": "yes"}  # a clot in the lung: call an ambulance
ADULT = ("Say that you take a blood thinner.", "Say if you take a blood thinner.")
CHILD = (
    "Say that your child takes a blood thinner.",
    "Say if your child takes a blood thinner.",
)


def _call_advice(client: Client) -> str:
    page = client.get(STOP)
    assert page.status_code == 200
    html = page.content.decode()
    assert "What to say when you call" in html
    return html.split("What to say when you call", 1)[1].split("</p>", 1)[0]


def _stop_after_answering(client: Client, age: int, blood_thinners: str) -> str:
    """Answer up to and including the history page (blood thinners among it), then go
    back and answer the emergency warning sign: the stop page's call advice."""
    answers = completed({**answers_for("self_care"), "age": age})
    answers["blood_thinners"] = blood_thinners
    history = walk_to(client, answers, "history")
    assert 'name="blood_thinners"' in history
    assert post_page(client, "history", answers).status_code == 302
    stop = post_page(client, "warning_signs-3", {**answers, **EMERGENCY})
    assert stop.status_code == 302 and stop["Location"] == STOP
    return _call_advice(client)


def _wording(age: int) -> tuple[str, str]:
    return CHILD if age < 16 else ADULT


def _no_blood_thinner_at_all(advice: str) -> bool:
    return "blood thinner" not in advice


@pytest.mark.parametrize("age", [9, 40])
def test_after_no_the_stop_page_says_nothing_about_a_blood_thinner(
    client: Client, age: int
) -> None:
    advice = _stop_after_answering(client, age, "no")
    assert _no_blood_thinner_at_all(advice), advice
    assert "read out the warning signs listed above." in advice
    assert ("Do not drive yourself." in advice) is (age >= 16)


@pytest.mark.parametrize("age", [9, 40])
def test_after_yes_the_stop_page_says_to_tell_them_about_the_blood_thinner(
    client: Client, age: int
) -> None:
    said, asked = _wording(age)
    other_said, other_asked = _wording(40 if age < 16 else 9)
    advice = _stop_after_answering(client, age, "yes")
    assert said in advice
    assert asked not in advice and other_said not in advice and other_asked not in advice


@pytest.mark.parametrize("answer", ["not_sure", None])
@pytest.mark.parametrize("age", [9, 40])
def test_unanswered_or_not_sure_the_stop_page_says_to_say_if(
    client: Client, age: int, answer: Any
) -> None:
    """Not answered yet (the usual way: the warning signs come first) or "not sure": the
    person is told to say if they (or their child) take one."""
    said, asked = _wording(age)
    if answer is None:
        answers = completed({**answers_for("self_care"), "age": age, **EMERGENCY})
        answers.pop("blood_thinners", None)
        assert walk_pages(client, answers, finish_after_stop=False) == STOP
        advice = _call_advice(client)
    else:
        advice = _stop_after_answering(client, age, answer)
    assert asked in advice
    assert said not in advice
    assert ("Do not drive yourself." in advice) is (age >= 16)
