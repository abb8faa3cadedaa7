"""Security review 2, finding 4: logging exercise sessions and their next-morning check-ins
is limited per signed-in person, or per assessment nobody owns, on the pages and in the
API. A refused session is shown again as it was sent (its token kept, so sending it again
stores it once); nothing is stored."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from rehabit.care.models import ExerciseSession
from rehabit.care.programs import program_for
from tests.accounts.helpers import login
from tests.care.helpers import make_assessment, session_data

pytestmark = pytest.mark.django_db

PAUSED = escape(
    "That is many entries in a short time, so saving is paused for a moment. Please try "
    "again in 30 minutes. Nothing was saved."
)


def _log_form(program: Any, token: str, **overrides: Any) -> dict[str, Any]:
    return {
        "exercise_ids": [program.items[0].exercise.id],
        "pain_during": "3",
        "pain_after": "1",
        "difficulty": "about_right",
        "note": "Felt a pull on the third set.",
        "token": token,
        **overrides,
    }


def test_a_session_past_the_limit_is_shown_again_and_stored_once_later(
    client: Client, settings: Any
) -> None:
    settings.REHABIT_CARE_WRITES_PER_PERSON = 2
    assessment = make_assessment()
    program = program_for(assessment)
    url = f"/care/{assessment.pk}/session/"
    for token in ("a1", "a2"):
        assert client.post(url, _log_form(program, token)).status_code == 302
    refused = client.post(url, _log_form(program, "a3"))
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert wait == 1800
    html = refused.content.decode()
    assert PAUSED in html and "Felt a pull on the third set." in html
    assert re.search(r'name="token" value="a3"', html)  # the same token: stored once
    assert ExerciseSession.objects.count() == 2
    other = make_assessment()  # another assessment nobody owns: its own count
    assert client.post(f"/care/{other.pk}/session/", _log_form(program, "b1")).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(seconds=wait + 1)):
        assert client.post(url, _log_form(program, "a3")).status_code == 302
    assert ExerciseSession.objects.filter(assessment=assessment).count() == 3


def test_a_check_in_past_the_limit_keeps_the_answers(client: Client, settings: Any) -> None:
    settings.REHABIT_CARE_WRITES_PER_PERSON = 1
    settings.REHABIT_RATE_LIMIT_WINDOW_SECONDS = 24 * 3600  # still counted 10 hours later
    assessment = make_assessment()
    program = program_for(assessment)
    client.post(f"/care/{assessment.pk}/session/", _log_form(program, "c1"))
    session = ExerciseSession.objects.get()
    url = f"/care/{assessment.pk}/program/"
    answer = {"session": str(session.pk), "next_morning": "better", "settled_within_24h": "yes"}
    with time_machine.travel(timezone.now() + timedelta(hours=10), tick=False):
        refused = client.post(url, answer)
        assert refused.status_code == 429 and "Retry-After" in refused
        html = refused.content.decode()
        assert "saving is paused for a moment" in html
        assert 'name="next_morning" value="better" checked' in html
        assert 'name="settled_within_24h" value="yes" checked' in html
    session.refresh_from_db()
    assert session.checked_in_at is None


def test_the_api_s_log_and_check_in_are_limited_per_person(
    patient: Any, other_patient: Any, settings: Any
) -> None:
    settings.REHABIT_CARE_WRITES_PER_PERSON = 2
    mine, theirs = make_assessment(owner=patient), make_assessment(owner=other_patient)
    me, them = login(Client(), patient), login(Client(), other_patient)

    def log(client: Client, assessment: Any) -> Any:
        body = json.dumps(session_data(program_for(assessment)))
        return client.post(
            f"/api/v1/assessments/{assessment.pk}/sessions", body, content_type="application/json"
        )

    first = log(me, mine)
    assert first.status_code == 201 and log(me, mine).status_code == 201
    refused = log(me, mine)
    assert refused.status_code == 429
    assert refused.json()["detail"] == PAUSED.replace("&#x27;", "'")
    assert int(refused["Retry-After"]) == refused.json()["retry_after"] == 1800
    check_in = me.patch(
        f"/api/v1/assessments/{mine.pk}/sessions/{first.json()['id']}",
        json.dumps({"next_morning": "same", "settled_within_24h": True}),
        content_type="application/json",
    )
    assert check_in.status_code == 429
    assert ExerciseSession.objects.filter(assessment=mine).count() == 2
    assert log(them, theirs).status_code == 201  # another person is not affected
