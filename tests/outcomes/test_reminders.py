"""The gentle reminder to log: the rule (pure), the time in the person's zone across DST,
and the real path: saved on the diary page, queued as a django-tasks task, run by the
worker at its time, written into the outbox and received by a real SMTP server."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from rehabit.accounts.models import Profile
from rehabit.booking.management.commands.worker import run_queued_tasks
from rehabit.outcomes.models import DiaryReminder
from rehabit.outcomes.nudges import decide, next_time
from tests.accounts.helpers import login
from tests.booking.support import text_body
from tests.outcomes.helpers import assessment_days_ago, diary_form

DAY = date(2027, 1, 13)


def test_at_most_one_a_day_none_after_a_log_and_quiet_after_a_week() -> None:
    base = {"today": DAY, "enabled": True, "logged_today": False, "last_sent": None,
            "unanswered_since": None, "due": ("nprs",)}  # fmt: skip
    assert decide(**base).send
    assert decide(**{**base, "last_sent": DAY}).reason == "sent_today"
    assert decide(**{**base, "logged_today": True}).reason == "logged_today"
    assert decide(**{**base, "due": ()}).reason == "not_due"
    assert decide(**{**base, "enabled": False}).reason == "off"
    six = DAY - timedelta(days=6)
    assert decide(**{**base, "unanswered_since": six}).send
    seven = DAY - timedelta(days=7)
    assert decide(**{**base, "unanswered_since": seven}).reason == "no_response"


def test_the_time_is_the_persons_local_time_across_a_dst_change() -> None:
    london = ZoneInfo("Europe/London")
    before = datetime(2027, 3, 27, 12, 0, tzinfo=ZoneInfo("UTC"))
    first = next_time(time(19, 0), "Europe/London", before)
    assert first.astimezone(london).hour == 19 and first.hour == 19  # GMT
    second = next_time(time(19, 0), "Europe/London", first)
    assert second.astimezone(london).hour == 19 and second.hour == 18  # BST
    # 01:30 does not exist in London on 28 March 2027: the instant after the change.
    gap = next_time(time(1, 30), "Europe/London", datetime(2027, 3, 28, 0, 0, tzinfo=london))
    assert gap.astimezone(london).hour == 2
    kolkata = next_time(time(7, 30), "Asia/Kolkata", before)
    assert kolkata.astimezone(ZoneInfo("Asia/Kolkata")).time() == time(7, 30)


def _reminder_at_eight_in_kolkata(patient: Any) -> tuple[Client, Any]:
    """A signed-in patient in Kolkata turns the reminder on for 20:00 on the diary page."""
    Profile.objects.filter(user=patient).update(time_zone="Asia/Kolkata")
    assessment = assessment_days_ago(1, owner=patient)
    client = login(Client(), patient)
    saved = client.post(
        f"/care/{assessment.pk}/diary/",
        {"form": "reminder", "enabled": "on", "time": "20:00", "time_zone": "Asia/Kolkata"},
    )
    assert saved.status_code == 302
    return client, assessment


@pytest.mark.django_db(transaction=True)
def test_the_reminder_arrives_at_its_time_once_and_not_after_a_log(
    patient: Any, mailbox: Any
) -> None:
    client, assessment = _reminder_at_eight_in_kolkata(patient)
    item = DiaryReminder.objects.get()
    due = item.next_due_at
    assert due is not None
    assert due.astimezone(ZoneInfo("Asia/Kolkata")).time() == time(20, 0)
    run_queued_tasks("w1")  # not yet due: nothing runs
    assert mailbox.messages == []
    with time_machine.travel(due + timedelta(seconds=5), tick=False):
        run_queued_tasks("w1")
        run_queued_tasks("w2")  # a second worker finds nothing more to do
    assert len(mailbox.messages) == 1
    message = mailbox.messages[0]
    assert message["To"] == patient.email and message["Subject"] == "Your weekly check-in"
    body = text_body(message)
    assert f"/care/{assessment.pk}/diary/" in body and "at most once a day" in body
    item.refresh_from_db()
    assert item.last_sent_on is not None and item.next_due_at > due
    # The person logs the next day before the reminder time: no reminder that day.
    next_due = item.next_due_at
    with time_machine.travel(next_due - timedelta(hours=2), tick=False):
        today = timezone.localdate(timezone=ZoneInfo("Asia/Kolkata"))
        client = login(Client(), patient)  # a new sign-in: a day has passed
        logged = client.post(f"/care/{assessment.pk}/diary/", diary_form(today, 2, 3))
        assert logged.status_code == 302
    with time_machine.travel(next_due + timedelta(seconds=5), tick=False):
        run_queued_tasks("w1")
    assert len(mailbox.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_reminders_stop_after_a_quiet_week_and_start_again_with_a_log(
    patient: Any, mailbox: Any
) -> None:
    assessment = assessment_days_ago(0, owner=patient)
    client = login(Client(), patient)
    setting = {"form": "reminder", "enabled": "on", "time": "08:00", "time_zone": "UTC"}
    client.post(f"/care/{assessment.pk}/diary/", setting)
    for _ in range(9):
        due = DiaryReminder.objects.get().next_due_at
        if due is None:
            break
        with time_machine.travel(due + timedelta(seconds=5), tick=False):
            run_queued_tasks("w1")
    item = DiaryReminder.objects.get()
    assert len(mailbox.messages) == 7  # daily in the first two weeks, then quiet
    assert item.stopped_on is not None and item.next_due_at is None
    page = client.get(f"/care/{assessment.pk}/diary/").content.decode()
    assert "Reminders paused after a quiet week" in page
    client.post(f"/care/{assessment.pk}/diary/", diary_form(timezone.localdate(), 2, 3))
    item.refresh_from_db()
    assert item.stopped_on is None and item.next_due_at is not None


@pytest.mark.django_db
def test_reminders_need_the_signed_in_owner(client: Client) -> None:
    assessment = assessment_days_ago(0)
    setting = {"form": "reminder", "enabled": "on", "time": "08:00"}
    response = client.post(f"/care/{assessment.pk}/diary/", setting, follow=True)
    assert "Sign in to get reminders by e-mail." in response.content.decode()
    assert not DiaryReminder.objects.exists()


@pytest.mark.django_db
def test_a_bad_time_is_said_plainly(patient: Any) -> None:
    assessment = assessment_days_ago(0, owner=patient)
    client = login(Client(), patient)
    setting = {"form": "reminder", "enabled": "on", "time": "25:99"}
    response = client.post(f"/care/{assessment.pk}/diary/", setting, follow=True)
    assert "Enter the time as hours and minutes" in response.content.decode()
    assert not DiaryReminder.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_reminder_queued_under_the_old_task_path_still_runs(patient: Any, mailbox: Any) -> None:
    """The reminder task moved to ``rehabit.outcomes.nudges`` (2026-12-06). A reminder
    queued by the previous version is stored as ``rehabit.outcomes.tasks.send_diary_reminder``
    and must still be sent by the new worker."""
    from django_tasks_db.models import DBTaskResult

    _reminder_at_eight_in_kolkata(patient)
    queued = DBTaskResult.objects.get(task_path__endswith=".send_diary_reminder")
    assert queued.task_path == "rehabit.outcomes.nudges.send_diary_reminder"
    DBTaskResult.objects.filter(pk=queued.pk).update(
        task_path="rehabit.outcomes.tasks.send_diary_reminder"
    )
    due = DiaryReminder.objects.get().next_due_at
    assert due is not None
    with time_machine.travel(due + timedelta(seconds=5), tick=False):
        run_queued_tasks("w1")
    assert len(mailbox.messages) == 1
    assert mailbox.messages[0]["Subject"] == "Your weekly check-in"


@pytest.mark.django_db
def test_neither_reminder_subject_names_a_body_part_or_a_condition(patient: Any) -> None:
    """A subject shows on a locked phone and in a shared inbox (security review 2,
    finding 6: it was "How is your leg today?")."""
    import re
    from datetime import date

    from rehabit.outcomes import nudges

    _reminder_at_eight_in_kolkata(patient)
    item = DiaryReminder.objects.get()
    daily = nudges._post(item, date(2026, 12, 7), ())
    weekly = nudges._post(item, date(2026, 12, 8), ("psfs",))
    assert (daily.subject, weekly.subject) == ("Your daily check-in", "Your weekly check-in")
    for subject in (daily.subject, weekly.subject):
        assert not re.search(r"leg|pain|thigh|hamstring|sciatic|back|hip", subject, re.I)
