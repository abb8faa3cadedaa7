"""The alerts list says when the patient checked in, with its zone, beside when the alert
was raised (a therapist's walk read only "Raised …")."""

from __future__ import annotations

from datetime import datetime, timedelta
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from rehabit.care.models import ExerciseSession
from rehabit.care.services import log_session
from rehabit.core.timefmt import format_when
from tests.clinic.support import make_clinic

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("UTC"))


def test_the_alert_says_when_the_patient_checked_in(db: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        clinic = make_clinic()
        data = {"exercise_ids": ["seated_isometric_knee_flexion"], "pain_during": 3,
                "pain_after": 3, "difficulty": "hard", "note": ""}  # fmt: skip
        session, _ = log_session(clinic.assessment, data, now=timezone.now() - timedelta(hours=10))
        sent = {"session": str(session.pk), "next_morning": "same", "settled_within_24h": "yes",
                "signs": ["fever"]}  # fmt: skip
        url = f"/care/{clinic.assessment.pk}/program/"
        assert clinic.client("patient").post(url, sent).status_code == 302
    checked_in = ExerciseSession.objects.get(pk=session.pk).checked_in_at
    assert checked_in is not None
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        html = unescape(clinic.client("therapist").get("/clinic/alerts/").content.decode())
    assert f"The patient checked in {format_when(checked_in, 'Europe/London')}" in html
