"""Bad input to the progress API's diary, as found walking the diary (the pages refuse it
with a message; the API stored it)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from rehabit.outcomes.models import DiaryEntry
from tests.outcomes.helpers import assessment_days_ago

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["pain_now", "pain_during_exercise"])
def test_a_pain_score_sent_as_true_is_refused_with_a_message_not_stored_as_1(
    client: Client, field: str
) -> None:
    assessment = assessment_days_ago(3)
    body = {"pain_now": 2, "pain_worst": 4, field: True}
    response = client.post(
        f"/api/v1/assessments/{assessment.pk}/diary",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    said = "Give the pain as a whole number from 0 to 10, not true or false."
    assert response.json()["detail"][0]["msg"] == said
    assert response.json()["detail"][0]["loc"][-1] == field
    assert not DiaryEntry.objects.filter(assessment=assessment).exists()
