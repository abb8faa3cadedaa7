"""The progress API read by whom: a child's verdicts and advice speak of "your child" to
the parent who answers for them (the account's owner) and keep the patient's own words for
the treating therapist, as the progress pages do (``presenters.read_by_a_parent``). Through
the Django test client on the real database, at the test clock (tests/clock.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from rehabit.assessments.models import Assessment
from tests.accounts.helpers import login
from tests.care.helpers import make_assessment
from tests.clinic.support import Clinic, make_clinic
from tests.support import answers_for, completed

pytestmark = pytest.mark.django_db

READS = ("progress", "measures")  # the two reads that carry the verdicts and advice


@pytest.fixture
def clinic(db: Any) -> Clinic:
    """A parent who shares their record with their child's therapist, and a week of worse
    pain logged for their child of 9 (pain now 2 at the check, 7 each day since)."""
    clinic = make_clinic()
    child = make_assessment(
        owner=clinic.patient, answers=completed({**answers_for("self_care"), "age": 9})
    )
    Assessment.objects.filter(pk=child.pk).update(created_at=timezone.now() - timedelta(days=7))
    clinic.assessment = Assessment.objects.get(pk=child.pk)
    parent = login(Client(), clinic.patient)
    today = timezone.localdate()
    for n in range(7):
        day = (today - timedelta(days=6 - n)).isoformat()
        response = parent.post(
            f"/api/v1/assessments/{child.pk}/diary",
            {"entry_date": day, "pain_now": 7, "pain_worst": 8},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
    return clinic


def said(client: Client, clinic: Clinic, read: str) -> str:
    """The verdicts' and the advice's words in one read of the API."""
    response = client.get(f"/api/v1/assessments/{clinic.assessment.pk}/{read}")
    assert response.status_code == 200, response.content
    progress = response.json()["progress"]
    assert progress["verdict"] == "worse"
    return " ".join(
        [c["text"] for c in progress["changes"]] + [a["text"] for a in progress["advice"]]
    )


@pytest.mark.parametrize("read", READS)
def test_the_parent_reads_about_their_child(clinic: Clinic, read: str) -> None:
    words = said(login(Client(), clinic.patient), clinic, read)
    assert "Your child's pain has gone up from 2 to 7 out of 10" in words
    assert "Go back to the last exercise level that felt fine for your child." in words
    assert "Your pain has" not in words


@pytest.mark.parametrize("read", READS)
def test_the_treating_therapist_reads_the_patient_s_own_words(clinic: Clinic, read: str) -> None:
    words = said(clinic.client("therapist"), clinic, read)
    assert "Your pain has gone up from 2 to 7 out of 10" in words
    assert "Go back to the last exercise level that felt fine." in words
    assert "your child" not in words.lower()
