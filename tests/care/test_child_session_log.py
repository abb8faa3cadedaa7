"""A parent logging their child's exercise session reads about their child: the guided
session page asks "Which exercises did your child do?" and "Your child's pain now, after
the exercises", and a refused log says "Choose the pain your child feels now ..."; an
adult's page keeps its wording. Through the Django test client and a real database, at
the test clock (tests/clock.py); reached from the child's pain diary by its exercises link.
"""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client

from rehabit.care.models import ExerciseSession
from tests.care.helpers import make_assessment
from tests.support import answers_for, completed

pytestmark = pytest.mark.django_db

ADULT_WORDING = (
    "Back to your program and log",
    "Which exercises did you do?",
    "The worst pain during the exercises",
    "Your pain now, after the exercises",
    "How hard was the session?<",
    "Hard but I managed",
    "Keep the pain during this exercise",
    "Save to my log",
    "Choose at least one exercise you did.",
    "Choose the worst pain you felt",
    "Choose the pain you feel now",
    "Choose how hard the session felt.",
)
CHILD_WORDING = (
    "Back to your child's program and log",
    "Your child does the exercises below in order.",
    "Which exercises did your child do?",
    "Your child's worst pain during the exercises (0 to 10)",
    "Your child's pain now, after the exercises (0 to 10)",
    "How hard was the session for your child?",
    "Hard but they managed",
    "Keep your child's pain during this exercise at or below",
    "Save to my child's log",
)


def _read(response: Any, status: int) -> str:
    assert response.status_code == status, response.content.decode()[:2000]
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("age", [9, 40])
def test_the_session_log_speaks_to_a_parent_about_their_child(client: Client, age: int) -> None:
    child = age < 16
    assessment = make_assessment(answers=completed({**answers_for("self_care"), "age": age}))
    diary = _read(client.get(f"/care/{assessment.pk}/diary/"), 200)
    assert f'href="/care/{assessment.pk}/program/"' in diary
    url = f"/care/{assessment.pk}/session/"
    page = _read(client.get(url), 200)
    refused = _read(client.post(url, {"token": "t1", "note": ""}), 422)
    assert not ExerciseSession.objects.exists()
    for body in (page, refused):
        for wording in CHILD_WORDING:
            assert (wording in body) is child, wording
    said = [w for w in ADULT_WORDING if w in page + refused]
    if child:
        assert not said, said
        for message in (
            "Choose at least one exercise your child did.",
            "Choose the worst pain your child felt during the exercises, from 0 to 10.",
            "Choose the pain your child feels now, after the exercises, from 0 to 10.",
            "Choose how hard the session felt for your child.",
        ):
            assert message in refused, message
    else:
        assert "Choose the pain you feel now, after the exercises, from 0 to 10." in refused
        assert "Which exercises did you do?" in page and "your child" not in page.lower()
