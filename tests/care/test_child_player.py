"""The guided exercise player of a child's program speaks to the parent about their child:
its steps say "Your child's sore side" and "at their own pace", the switch says "your
child gets ready on their other side", the therapist's note is "A note from your child's
physiotherapist:" and the end of the session asks how it went for the child; an adult's
player is as it was. Through the Django test client and a real database, at the test
clock (tests/clock.py), with a therapist's note prescribed for the first exercise."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from django.test import Client

from rehabit.care.models import PrescribedExercise
from rehabit.care.player import session_steps
from rehabit.care.programs import program_for
from tests.care.helpers import make_assessment
from tests.support import answers_for, completed

pytestmark = pytest.mark.django_db


def _player_data(page: str) -> dict[str, Any]:
    found = re.search(r'<script[^>]*id="player-data"[^>]*>(.*?)</script>', page, re.S)
    assert found, "the player's data is on the page"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def _steps_text(data: dict[str, Any]) -> str:
    return " ".join(
        f"{s.get('detail', '')} {s.get('announce', '')}"
        for exercise in data["exercises"]
        for s in exercise["steps"]
    )


@pytest.mark.parametrize("age", [9, 40])
def test_the_player_speaks_to_a_parent_about_their_child(client: Client, age: int) -> None:
    child = age < 16
    assessment = make_assessment(answers=completed({**answers_for("self_care"), "age": age}))
    first = program_for(assessment).items[0]
    PrescribedExercise.objects.create(
        assessment=assessment,
        family=first.exercise.family,
        exercise_id=first.exercise.id,
        note="Press gently.",
        reason="Easy now.",
    )
    page = html.unescape(_read(client.get(f"/care/{assessment.pk}/session/")))
    data = _player_data(page)
    steps = _steps_text(data)
    assert "Press gently." in page
    assert ("A note from your child's physiotherapist:" in page) is child
    assert ("Your physiotherapist's note:" in page) is not child
    assert data["strings"]["note_prefix"] == (
        "A note from your child's physiotherapist:" if child else "Your physiotherapist's note:"
    )
    assert ("then save it to their log" in data["strings"]["session_done"]) is child
    if child:
        assert "Your sore side" not in steps and "at your own pace" not in steps
        assert "get ready on your" not in steps
    else:
        assert "your child" not in steps.lower()


def _read(response: Any) -> str:
    assert response.status_code == 200, response.content.decode()[:2000]
    return str(response.content.decode())


def test_each_kind_of_step_has_a_parent_s_words() -> None:
    reps = {"kind": "reps", "reps": 6, "sets": 1, "sides": "affected"}
    holds = {"kind": "hold", "hold_seconds": 30, "reps": 1, "sets": 1, "sides": "both"}
    for dosage in (reps, holds):
        adult = " ".join(f"{s['detail']} {s['announce']}" for s in session_steps(dosage))
        said = " ".join(f"{s['detail']} {s['announce']}" for s in session_steps(dosage, child=True))
        assert not re.search(r"\byour? (?!child)", said.lower()), said
        assert "your child" in said.lower() or "their" in said, said
        assert "your child" not in adult.lower()
    sore = session_steps(reps, child=True)[0]
    assert sore["detail"] == "Your child's sore side"
    assert sore["announce"] == (
        "Your child does 6 repetitions at their own pace. Your child's sore side."
    )
    switch = [s for s in session_steps(holds, child=True) if s["kind"] == "switch"][0]
    assert switch["announce"] == "Switch sides: your child gets ready on their right side."
    assert session_steps(reps)[0]["detail"] == "Your sore side"
