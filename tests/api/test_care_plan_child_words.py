"""The care API's plan read by whom: a child's self-care plan and home program (its notes
and each exercise's "why") speak of "your child" to the parent who answers for them (the
account's owner) and keep the patient's own words for the treating therapist, as the pages
do (``care.selectors.read_by_a_parent``). Through the Django test client on the real
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


def _plan(client: Client, clinic: Clinic) -> dict[str, Any]:
    response = client.get(f"/api/v1/assessments/{clinic.assessment.pk}/plan")
    assert response.status_code == 200, response.content
    plan: dict[str, Any] = response.json()["plan"]
    assert plan["items"] and not plan["suppressed"]
    return plan


def _plan_words(plan: dict[str, Any]) -> str:
    """The plan's own items, stage and recheck and its advice on anti-inflammatories: what
    the clinical core words for its reader. (The booking's headline is the result's,
    stored as told; a child's paracetamol advice and a child's own warning signs have only
    a parent's words.)"""
    items = [[i["title"], i["text"], *i["steps"]] for i in plan["items"]]
    medicines = [i["text"] for i in plan["medication"]["items"] if i["id"] == "nsaid_ask_first"]
    return json.dumps([items, medicines, plan["stage"], plan["recheck"]])


def test_the_parent_reads_their_child_s_plan(clinic: Clinic) -> None:
    plan = _plan(login(Client(), clinic.patient), clinic)
    assert plan["stage"]["reason"].startswith("Your child's pain did not start")
    assert plan["recheck"]["title"] == "Until your child's appointment"
    assert "Let your child's pain be the guide" in _plan_words(plan)
    assert "Do not give your child anti-inflammatory painkillers" in _plan_words(plan)


def test_the_treating_therapist_reads_the_plan_in_the_patient_s_words(clinic: Clinic) -> None:
    plan = _plan(clinic.client("therapist"), clinic)
    assert plan["stage"]["reason"].startswith("Your pain did not start")
    assert plan["recheck"]["title"] == "Until your appointment"
    assert "Let pain be your guide" in _plan_words(plan)
    assert "Do not take anti-inflammatory painkillers" in _plan_words(plan)
    assert "child" not in _plan_words(plan).lower()
