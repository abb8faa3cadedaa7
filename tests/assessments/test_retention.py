"""Assessments nobody has claimed are erased after REHABIT_UNCLAIMED_ASSESSMENT_DAYS without
use (``rehabit.assessments.retention``), with everything logged on them; one in an
account, or one still in use, stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from rehabit.assessments.models import Assessment
from rehabit.assessments.retention import erase_unclaimed
from rehabit.care.models import ExerciseSession
from rehabit.care.programs import program_for
from rehabit.care.services import log_session
from rehabit.outcomes.models import DiaryEntry
from tests.accounts.helpers import make_user
from tests.care.helpers import make_assessment, session_data

pytestmark = pytest.mark.django_db

MADE = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def _made_at(when: datetime, **kwargs: Any) -> Assessment:
    with time_machine.travel(when, tick=False):
        return make_assessment(**kwargs)


def test_an_unclaimed_assessment_unused_for_the_set_days_is_erased_with_its_log(
    settings: Any,
) -> None:
    settings.REHABIT_UNCLAIMED_ASSESSMENT_DAYS = 90
    idle = _made_at(MADE)
    with time_machine.travel(MADE + timedelta(days=1), tick=False):
        log_session(idle, session_data(program_for(idle)))
    owned = _made_at(MADE, owner=make_user("kept@example.org"))
    recent = _made_at(MADE + timedelta(days=80))
    # Day 90 after the log: not yet (the last use counts, not the day it was made).
    assert erase_unclaimed(MADE + timedelta(days=90, hours=12)) == 0
    assert erase_unclaimed(MADE + timedelta(days=91, hours=1)) == 1
    assert set(Assessment.objects.values_list("pk", flat=True)) == {owned.pk, recent.pk}
    assert not ExerciseSession.objects.filter(assessment_id=idle.pk).exists()
    assert Client().get(f"/assessment/result/{idle.pk}/").status_code == 404


def test_writing_in_the_diary_keeps_an_unclaimed_assessment(settings: Any) -> None:
    settings.REHABIT_UNCLAIMED_ASSESSMENT_DAYS = 30
    kept = _made_at(MADE)
    day = MADE + timedelta(days=25)
    with time_machine.travel(day, tick=False):
        answer = Client().post(
            f"/api/v1/assessments/{kept.pk}/diary",
            {"entry_date": day.date().isoformat(), "pain_now": 2, "pain_worst": 3},
            content_type="application/json",
        )
        assert answer.status_code in (200, 201), answer.content
    assert DiaryEntry.objects.filter(assessment=kept).exists()
    assert erase_unclaimed(MADE + timedelta(days=40)) == 0
    assert erase_unclaimed(day + timedelta(days=31)) == 1
    assert not DiaryEntry.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker closes connections between rounds
def test_the_worker_erases_them_once_a_day(settings: Any) -> None:
    settings.REHABIT_UNCLAIMED_ASSESSMENT_DAYS = 10
    for _ in range(3):
        _made_at(MADE)
    with time_machine.travel(MADE + timedelta(days=11), tick=False):
        call_command("worker", once=True, verbosity=0)
    assert not Assessment.objects.exists()


def test_the_result_page_says_how_long_an_unclaimed_result_is_kept(settings: Any) -> None:
    settings.REHABIT_UNCLAIMED_ASSESSMENT_DAYS = 45
    page = Client().get(f"/assessment/result/{make_assessment().pk}/").content.decode()
    assert "deleted 45 days after you last use it" in page


def test_the_privacy_notice_says_how_long_what_is_done_without_an_account_is_kept(
    settings: Any,
) -> None:
    settings.REHABIT_UNCLAIMED_ASSESSMENT_DAYS = 45
    page = Client().get(reverse("accounts:privacy")).content.decode()
    assert "erased 45 days after you last use them" in page
