"""The care API's plan read by whom: a child's home program (its notes and each exercise's
"why") speaks of "your child" to the parent who answers for them (the account's owner) and
keeps the patient's own words for the treating therapist, as the program page does
(``care.selectors.read_by_a_parent``). Through the Django test client on the real
database, at the test clock (tests/clock.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.accounts.helpers import login
from tests.care.helpers import make_assessment
from tests.clinic.support import Clinic, make_clinic
from tests.clinical.answers import complete, vignette

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(db: Any) -> Clinic:
    """A parent who shares their record with their child's therapist; their child of 12,
    a runner with 10 days of pain, has a home program."""
    clinic = make_clinic()
    answers = complete({**vignette("pht_marathoner"), "age": 12, "days_since_onset": 10})
    clinic.assessment = make_assessment(owner=clinic.patient, answers=answers)
    return clinic


def _program(client: Client, clinic: Clinic) -> dict[str, Any]:
    response = client.get(f"/api/v1/assessments/{clinic.assessment.pk}/plan")
    assert response.status_code == 200, response.content
    program: dict[str, Any] = response.json()["program"]
    assert program["items"]
    return program


def _words(program: dict[str, Any]) -> str:
    return json.dumps([program["notes"], [i["why"] for i in program["items"]]])


def test_the_parent_reads_their_child_s_program(clinic: Clinic) -> None:
    program = _program(login(Client(), clinic.patient), clinic)
    assert any("the easiest level that is safe for your child" in n for n in program["notes"])
    assert "keeps your child moving" in _words(program)


def test_the_treating_therapist_reads_the_program_in_the_patient_s_words(clinic: Clinic) -> None:
    program = _program(clinic.client("therapist"), clinic)
    assert any("the easiest level that is safe for you." in n for n in program["notes"])
    assert "keeps you moving" in _words(program)
    assert "your child" not in _words(program).lower()
