"""A whole number typed into a form is read by one rule (``core.inputs.whole_number``):
``str.isdigit`` then ``int`` let through what ``int`` refuses ("²", a superscript two, is
a digit but no number) and strings of thousands of digits, and each was a server error, some
reachable without signing in (a review). Each now gets the field's own message, and what
was typed is kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from rehabit.care.models import ExerciseSession
from rehabit.care.programs import program_for
from rehabit.clinic.models import MessagingSettings
from rehabit.core.inputs import MAX_DIGITS, whole_number
from tests.care.helpers import make_assessment, session_data
from tests.clinic.support import Clinic, make_clinic

pytestmark = pytest.mark.django_db

NOT_NUMBERS = ["\u00b2", "\u2460", "1e3", "-1", "3.5", "", " ", "9" * 5000, "\u0669" * 10]


@pytest.fixture
def clinic(db: Any) -> Clinic:
    return make_clinic()


def _client() -> Client:
    return Client(raise_request_exception=False)


def test_the_rule() -> None:
    assert whole_number(" 7 ", 0, 10) == 7
    assert whole_number("\u0667", 0, 10) == 7  # an Arabic-Indic seven is a seven
    assert whole_number(7, 0, 10) == 7 and whole_number(11, 0, 10) is None
    assert whole_number(True) is None and whole_number(None) is None
    assert whole_number("9" * MAX_DIGITS, low=None) == int("9" * MAX_DIGITS)
    for text in NOT_NUMBERS:
        assert whole_number(text, low=None) is None, text


@pytest.mark.parametrize("typed", ["\u00b2", "9" * 5000], ids=["superscript two", "5000 digits"])
def test_a_prevention_week_anyone_may_ask_for(typed: str) -> None:
    response = _client().get("/prevention/", {"week": typed})
    assert response.status_code in (200, 422)
    assert "Choose a week from 1 to" in response.content.decode()


@pytest.mark.parametrize("typed", ["\u00b2", "9" * 5000], ids=["superscript two", "5000 digits"])
def test_a_pain_rating_in_the_exercise_log_and_the_diary(typed: str) -> None:
    assessment = make_assessment()  # nobody's yet: its link is enough to write
    client = _client()
    data = session_data(program_for(assessment), pain_during=typed)
    logged = client.post(f"/care/{assessment.pk}/session/", data)
    assert logged.status_code == 422
    assert not ExerciseSession.objects.filter(assessment=assessment).exists()
    diary = client.post(f"/care/{assessment.pk}/diary/", {"pain_now": typed, "pain_worst": "3"})
    assert diary.status_code == 422
    assert "0 to 10" in diary.content.decode() or "0 and 10" in diary.content.decode()


def test_a_therapists_reply_days(clinic: Clinic) -> None:
    client = clinic.client("therapist")
    client.raise_request_exception = False
    response = client.post("/clinic/settings/", {"reply_within_days": "\u00b2"})
    assert response.status_code == 422
    assert "Enter a whole number of working days from 1 to" in response.content.decode()
    assert not MessagingSettings.objects.exists()


def test_an_appointment_id_that_is_no_id(clinic: Clinic) -> None:
    patient = clinic.client("patient")
    patient.raise_request_exception = False
    waitlist = patient.post(
        "/booking/waitlist/",
        {
            "therapist": clinic.therapist.pk,
            "session": "first_assessment",
            "wanted_before": "2027-02-20",
            "appointment": "nope",
        },
    )
    assert waitlist.status_code < 500
    therapist = clinic.client("therapist")
    therapist.raise_request_exception = False
    note = therapist.post(
        f"/therapist/patients/{clinic.patient.pk}/notes/new/",
        {"kind": "follow_up", "appointment": "nope"},
    )
    assert note.status_code < 500


@pytest.mark.parametrize("typed", ["\u00b2", "9" * 5000], ids=["superscript two", "5000 digits"])
def test_a_pain_rating_in_a_prevention_log_anyone_may_keep(typed: str) -> None:
    from tests.care.test_prevention import GOOD

    data = {**GOOD, "pain_during": typed, "token": "n1"}
    response = _client().post("/prevention/strength/", data)
    assert response.status_code == 422
