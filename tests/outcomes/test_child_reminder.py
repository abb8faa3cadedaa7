"""The reminder e-mail of a child's diary (a parent set it up) asks about their child's
pain and links to "your child's pain diary"; an adult's is as it was. Its time is on the
reader's clock with the zone named: "20:00 (Asia/Kolkata)" in British English, "8:00 PM
(Asia/Kolkata)" in American English (it was a fixed "%H:%M"). The real path: set on the
diary page, queued, run by the worker at its time (travelled to), received by a real SMTP
server; from the test clock (tests/clock.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from rehabit.accounts.models import Profile
from rehabit.assessments.models import Assessment
from rehabit.booking.management.commands.worker import run_queued_tasks
from rehabit.outcomes.models import DiaryReminder, MeasureRecord
from tests.accounts.helpers import login
from tests.booking.support import text_body
from tests.outcomes.helpers import assessment_days_ago

pytestmark = pytest.mark.django_db(transaction=True)


def _reminder_body(
    patient: Any, mailbox: Any, *, age: int, language: str = "en-gb", weekly: bool = True
) -> str:
    """The reminder at 20:00 in Kolkata for a check made yesterday: the weekly one (pain,
    activities and the bridge test are due), or the daily one (pain only: the activities
    and the bridge test were done yesterday)."""
    Profile.objects.filter(user=patient).update(time_zone="Asia/Kolkata", language=language)
    assessment = assessment_days_ago(1, owner=patient)
    answers = {**assessment.answers, "age": age}
    Assessment.objects.filter(pk=assessment.pk).update(answers=answers)
    if not weekly:
        yesterday = timezone.localdate() - timedelta(days=1)
        for measure, values, score in (
            ("psfs", {"ratings": [3, 4, 5]}, 4.0),
            ("bridge", {"sore": 8, "other": 12, "stopped_for_pain": False}, 8.0),
        ):
            MeasureRecord.objects.create(
                assessment=assessment, measure=measure, taken_on=yesterday, values=values,
                score=score,
            )  # fmt: skip
    client = login(Client(), patient)
    saved = client.post(
        f"/care/{assessment.pk}/diary/",
        {"form": "reminder", "enabled": "on", "time": "20:00", "time_zone": "Asia/Kolkata"},
    )
    assert saved.status_code == 302
    due = DiaryReminder.objects.get().next_due_at
    assert due is not None
    with time_machine.travel(due + timedelta(seconds=5), tick=False):
        run_queued_tasks("w1")
    assert len(mailbox.messages) == 1
    body = " ".join(text_body(mailbox.messages[0]).split())
    assert f"/care/{assessment.pk}/diary/" in body
    return body


ADULT = ("your weekly check: your pain", "note how your pain is today", "Open your pain diary")


def test_a_child_s_weekly_reminder_asks_about_the_child(patient: Any, mailbox: Any) -> None:
    body = _reminder_body(patient, mailbox, age=9)
    assert "time for your child's weekly check: their pain, and how their activities" in body
    assert "Open your child's pain diary" in body
    assert not [w for w in ADULT if w in body]
    assert "at most once a day, at 20:00 (Asia/Kolkata)" in body


def test_a_child_s_daily_reminder_asks_about_the_child(patient: Any, mailbox: Any) -> None:
    body = _reminder_body(patient, mailbox, age=9, weekly=False)
    assert "note how your child's pain is today" in body
    assert "helps you, your child and their physiotherapist see the trend" in body
    assert not [w for w in ADULT if w in body]


@pytest.mark.parametrize("weekly", [True, False])
def test_an_adult_s_reminder_keeps_its_words(patient: Any, mailbox: Any, weekly: bool) -> None:
    body = _reminder_body(patient, mailbox, age=40, weekly=weekly)
    assert ADULT[0 if weekly else 1] in body and "Open your pain diary" in body
    assert "your child" not in body.lower()


def test_the_reminder_s_time_is_on_the_reader_s_clock(patient: Any, mailbox: Any) -> None:
    body = _reminder_body(patient, mailbox, age=40, language="en-us")
    assert "at most once a day, at 8:00 PM (Asia/Kolkata)" in body
    assert "20:00" not in body
