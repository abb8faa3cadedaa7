"""The clinic's part of a patient's data: exported, erased with the account, imported back."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from rehabit.accounts.data_rights import build_export, import_personal_data
from rehabit.accounts.erasure import erase_account
from rehabit.care.models import PrescribedExercise
from rehabit.care.services import check_in, log_session
from rehabit.clinic import messaging
from rehabit.clinic.models import Alert, Message, MessageThread
from tests.clinic.support import Clinic

pytestmark = pytest.mark.django_db


def _everything(clinic: Clinic) -> None:
    thread = messaging.open_thread(clinic.patient, therapist_id=clinic.therapist.pk)
    messaging.send(clinic.patient, thread, "My thigh is sore after the bridge.")
    messaging.send(clinic.therapist.user, thread, "Thank you, we will look at it.")
    response = clinic.client("therapist").post(
        f"/clinic/patients/{clinic.patient.pk}/program/",
        {"action": "save", "family": "walking", "exercise": "walking_programme",
         "dosage_minutes": "15", "rule": "hold", "note": "Flat ground.", "reason": "Gently."},
    )  # fmt: skip
    assert response.status_code == 302
    data = {"exercise_ids": ["walking_programme"], "pain_during": 2, "pain_after": 2,
            "difficulty": "about_right", "note": ""}  # fmt: skip
    session, _ = log_session(clinic.assessment, data, now=timezone.now() - timedelta(hours=10))
    check_in(
        clinic.assessment,
        session.pk,
        {"next_morning": "same", "settled_within_24h": True, "signs": ["fever"]},
    )


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in {"exported_at", "audit"}}


def test_exported_erased_and_imported_back(clinic: Clinic) -> None:
    _everything(clinic)
    first = build_export(clinic.patient)
    (conversation,) = first["clinic"]["conversations"]
    assert [m["body"] for m in conversation["messages"]] == [
        "My thigh is sore after the bridge.",
        "Thank you, we will look at it.",
    ]
    assert first["clinic"]["alerts"][0]["kind"] == "warning_sign"
    (prescription,) = first["care"]["prescriptions"]
    assert prescription["note"] == "Flat ground." and prescription["dosage"] == {"minutes": 15}
    assert first["care"]["exercise_sessions"][0]["warning_signs"] == ["fever"]
    erase_account(clinic.patient)
    for model in (MessageThread, Message, Alert, PrescribedExercise):
        assert not model.objects.exists(), model
    user = import_personal_data(json.loads(json.dumps(first)))
    assert _comparable(build_export(user)) == _comparable(first)
