"""The diary and measures in the personal-data export (with the diary CSV and the PDF
report), back again on import, and gone with the account."""

from __future__ import annotations

import base64
import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from rehabit.accounts.data_rights import build_export, import_personal_data
from rehabit.accounts.erasure import erase_account
from rehabit.outcomes.models import DiaryEntry, DiaryReminder, MeasureRecord
from tests.accounts.helpers import PASSWORD, login
from tests.outcomes.helpers import assessment_days_ago

pytestmark = pytest.mark.django_db


def fill(client: Client, assessment: Any) -> None:
    today = timezone.localdate()
    for n in range(3):
        client.post(
            f"/api/v1/assessments/{assessment.pk}/diary",
            {
                "entry_date": (today - timedelta(days=n)).isoformat(),
                "pain_now": 2,
                "pain_worst": 3 + n,
                "activity": "Walked to work",
            },  # fmt: skip
            content_type="application/json",
        )
    client.put(
        f"/api/v1/assessments/{assessment.pk}/measures/activities",
        {"activities": ["Running", "Stairs", "Sitting"]},
        content_type="application/json",
    )
    client.post(
        f"/api/v1/assessments/{assessment.pk}/measures/psfs",
        {"ratings": [3, 5, 7]},
        content_type="application/json",
    )


def test_export_holds_the_diary_measures_csv_and_pdf(patient: Any) -> None:
    assessment = assessment_days_ago(3, owner=patient)
    client = login(Client(), patient)
    fill(client, assessment)
    reminder = {"form": "reminder", "enabled": "on", "time": "20:15", "time_zone": "Asia/Kolkata"}
    client.post(f"/care/{assessment.pk}/diary/", reminder)
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    data = client.post("/account/data/export/").json()
    section = data["outcomes"]
    assert len(section["diary_entries"]) == 3
    assert [a["name"] for a in section["function_activities"]] == ["Running", "Stairs", "Sitting"]
    assert section["measures"][0]["score"] == 5.0
    assert section["reminders"][0]["local_time"] == "20:15"
    documents = {d["media_type"]: d for d in section["documents"]}
    assert documents["text/csv"]["text"].splitlines()[0].startswith("Day,Pain now")
    assert "Walked to work" in documents["text/csv"]["text"]
    pdf = PdfReader(io.BytesIO(base64.b64decode(documents["application/pdf"]["base64"])))
    assert "Rehabit progress report" in pdf.pages[0].extract_text()


def test_erase_then_import_loses_nothing(patient: Any) -> None:
    assessment = assessment_days_ago(3, owner=patient)
    fill(login(Client(), patient), assessment)
    first = build_export(patient)
    erase_account(patient)
    assert not DiaryEntry.objects.exists() and not MeasureRecord.objects.exists()
    user = import_personal_data(json.loads(json.dumps(first)))
    second = build_export(user)
    for key in ("diary_entries", "function_activities", "measures", "reminders"):
        assert second["outcomes"][key] == first["outcomes"][key], key
    assert [d["name"] for d in second["outcomes"]["documents"]] == [
        d["name"] for d in first["outcomes"]["documents"]
    ]
    csv_first = next(d for d in first["outcomes"]["documents"] if d["media_type"] == "text/csv")
    csv_second = next(d for d in second["outcomes"]["documents"] if d["media_type"] == "text/csv")
    assert csv_first["text"] == csv_second["text"]
    assert not DiaryReminder.objects.exists()
