"""Two things a patient read on the progress pages, worded right:

- Before any diary entry the streak line says where the pain's start comes from: the pain
  given in the check when the check asked about it (the chart's start is that), the first
  entry only when it did not.
- The diary download (CSV) is headed and filled in words, translatable
  ("Better than the morning before", not "better"; "Worst pain in 24 hours (0 to 10)",
  not "pain_worst_24h").

Django test client on a real database, the time frozen (entries and checks are dated)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from rehabit.assessments.models import Assessment
from tests.outcomes.helpers import assessment_days_ago, check_days_ago, diary_form, page_text

pytestmark = pytest.mark.django_db

FIRST_ENTRY = "Your first entry sets the starting point."
FROM_CHECK = "Your starting point is the pain you gave in your check."
FROM_CHILD_CHECK = "The starting point is the pain you gave in your child's check."


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(timezone.now(), tick=False):
        yield


def _without_pain(days: int) -> Any:
    """A check stored before it asked about pain (the question is required now)."""
    assessment = assessment_days_ago(days)
    answers = {k: v for k, v in assessment.answers.items() if not k.startswith("pain_")}
    Assessment.objects.filter(pk=assessment.pk).update(answers=answers)
    assessment.refresh_from_db()
    return assessment


@pytest.mark.parametrize("page", ["progress/", "diary/"])
def test_the_start_is_the_checks_pain_when_the_check_asked(client: Client, page: str) -> None:
    assessment = assessment_days_ago(2)
    assert "pain_worst" in assessment.answers  # the check asked about pain
    shown = page_text(client.get(f"/care/{assessment.pk}/{page}"))
    assert FROM_CHECK in shown
    assert FIRST_ENTRY not in shown


def test_a_parent_reads_of_their_childs_check(client: Client) -> None:
    assessment = check_days_ago(12, 2)
    shown = page_text(client.get(f"/care/{assessment.pk}/progress/"))
    assert FROM_CHILD_CHECK in shown
    assert FIRST_ENTRY not in shown and FROM_CHECK not in shown


def test_the_first_entry_is_the_start_when_the_check_did_not_ask(client: Client) -> None:
    assessment = _without_pain(2)
    shown = page_text(client.get(f"/care/{assessment.pk}/progress/"))
    assert FIRST_ENTRY in shown
    assert FROM_CHECK not in shown


def _rows(client: Client, assessment: Any) -> list[list[str]]:
    response = client.get(f"/care/{assessment.pk}/diary.csv")
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_diary_download_is_in_words(client: Client) -> None:
    assessment = assessment_days_ago(1)
    today = timezone.localdate()
    client.post(
        f"/care/{assessment.pk}/diary/",
        diary_form(today, 3, 5, activity="Stairs", sleep_disturbed="yes", next_morning="worse"),
    )
    head, row = _rows(client, assessment)
    assert head == [
        "Day",
        "Pain now (0 to 10)",
        "Worst pain in 24 hours (0 to 10)",
        "Pain during exercise (0 to 10)",
        "Pain after exercise (0 to 10)",
        "This morning, compared with the morning before",
        "Sleep disturbed by pain",
        "Activity",
        "Saved at (UTC)",
    ]
    assert row[:3] == [today.isoformat(), "3", "5"]
    assert row[5] == "Worse than the morning before"
    assert row[6] == "Yes" and row[7] == "Stairs"
    for code in ("worse", "better", "same", "yes", "pain_now", "pain_worst_24h"):
        assert code not in head and code not in row
