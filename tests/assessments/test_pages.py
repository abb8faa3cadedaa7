"""The multi-step assessment pages, through the test client and the real database."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from rehabit.assessments.models import Assessment
from rehabit.clinical import load_questionnaire
from tests.support import answers_for, section_form

pytestmark = pytest.mark.django_db


def walk(client: Client, answers: dict) -> str:
    """Answer every step as a browser would; return the result page URL."""
    response = client.post("/assessment/", {"action": "restart"})
    assert response.status_code == 302
    for section in load_questionnaire().sections:
        url = response["Location"]
        assert url == f"/assessment/step/{section.id}/", url
        response = client.post(url, section_form(section, answers))
        assert response.status_code == 302, response.content.decode()[:3000]
    return str(response["Location"])


@pytest.mark.parametrize("level", ["emergency", "urgent", "soon", "self_care"])
def test_walking_every_step_gives_the_stored_result(client: Client, level: str) -> None:
    url = walk(client, answers_for(level))
    match = re.fullmatch(r"/assessment/result/([0-9a-f-]{36})/", url)
    assert match
    assessment = Assessment.objects.get(pk=match.group(1))
    assert assessment.disposition == level
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    headline = assessment.result["disposition"]["headline"]
    assert headline in html
    # The disposition comes before the ranking of causes.
    assert html.index(headline) < html.index("What your answers point to")
    assert "does not diagnose" in html
    assert "no-store" in page["Cache-Control"]


def test_emergency_result_offers_the_call_button_first(client: Client) -> None:
    url = walk(client, answers_for("emergency"))
    html = client.get(url).content.decode()
    assert 'href="tel:' in html
    assert html.index('href="tel:') < html.index("What your answers point to")


def test_back_keeps_the_answers(client: Client) -> None:
    sections = load_questionnaire().sections
    answers = answers_for("self_care")
    client.post("/assessment/", {"action": "restart"})
    first, second = sections[0], sections[1]
    client.post(f"/assessment/step/{first.id}/", section_form(first, answers))
    response = client.post(f"/assessment/step/{second.id}/", {"action": "back"})
    assert response["Location"] == f"/assessment/step/{first.id}/"
    html = client.get(response["Location"]).content.decode()
    for question in first.questions:
        if question.id in answers and question.type == "integer":
            assert f'value="{answers[question.id]}"' in html


def test_a_typing_mistake_is_shown_back_with_a_clear_message(client: Client) -> None:
    section = load_questionnaire().sections[0]
    number = next(q for q in section.questions if q.type == "integer")
    data = section_form(section, answers_for("self_care"))
    data[number.id] = "thirty-five"
    client.post("/assessment/", {"action": "restart"})
    response = client.post(f"/assessment/step/{section.id}/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'value="thirty-five"' in html  # nothing typed is lost
    assert 'aria-invalid="true"' in html
    assert f'href="#q-{number.id}"' in html


def test_missing_required_answer_blocks_the_step(client: Client) -> None:
    section = load_questionnaire().sections[0]
    client.post("/assessment/", {"action": "restart"})
    response = client.post(f"/assessment/step/{section.id}/", {"action": "next"})
    assert response.status_code == 422
    assert "This question is required" in response.content.decode()
    assert Assessment.objects.count() == 0


def test_printable_version_lists_the_answers(client: Client) -> None:
    url = walk(client, answers_for("soon"))
    response = client.get(url + "print/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your answers" in html
    assert "UTC" in html


def test_unknown_step_and_result_are_404(client: Client) -> None:
    assert client.get("/assessment/step/nope/").status_code == 404
    assert client.get("/assessment/result/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_an_assessment_done_while_signed_in_belongs_to_the_account() -> None:
    from tests.accounts.helpers import login, make_user

    owner = make_user("signed.in@example.org")
    client = login(Client(), owner)
    url = walk(client, answers_for("self_care"))
    assessment = Assessment.objects.get(pk=url.split("/")[-2])
    assert assessment.owner == owner
    assert client.get(url).status_code == 200
    # The link alone opens nothing for someone else.
    assert Client().get(url).status_code == 404
    stranger = login(Client(), make_user("stranger@example.org"))
    assert stranger.get(url).status_code == 404
