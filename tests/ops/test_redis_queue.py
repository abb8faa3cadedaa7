"""The Redis queue (RQ through django-tasks-rq) in `rehabit worker`: booking notices,
reminders and waitlist offers run from Redis, and the claims in the database still make
every e-mail go out once, even when Redis hands a task out twice."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.utils import timezone

from rehabit.booking.management.commands.worker import run_queued_tasks
from rehabit.booking.models import Reminder, ReminderStatus
from rehabit.booking.tasks import send_reminder
from rehabit.ops import queues
from tests.booking.support import Mailbox, book, free_start, make_patient, make_therapist

pytestmark = pytest.mark.django_db(transaction=True)


def kinds(mailbox: Mailbox) -> Counter[str]:
    """Messages by kind and recipient, from the stable Message-ID (``<kind.id@rehabit>``)."""
    return Counter(
        f"{m['Message-ID'].strip('<>').split('.')[0]} {m['To']}" for m in mailbox.messages
    )


def test_the_worker_runs_booking_tasks_from_redis_and_each_e_mail_goes_once(
    redis_queue: str, mailbox: Mailbox
) -> None:
    therapist = make_therapist("Ria Redis")
    patient = make_patient("rq.patient@example.org", "Rq Patient")
    appointment = book(patient, therapist, free_start(therapist))
    assert queues.kind() == queues.REDIS
    # Two notices queued now; four reminders scheduled for later, waiting in Redis.
    assert queues.tasks_ready() == 2

    call_command("worker", once=True, verbosity=0, worker_id="w1")
    therapist_address = therapist.user.email
    assert sorted(m["To"] for m in mailbox.messages) == sorted([patient.email, therapist_address])
    assert queues.tasks_ready() == 0
    call_command("worker", once=True, verbosity=0, worker_id="w2")
    assert len(mailbox.messages) == 2

    # The day-before reminders come due: RQ's scheduler moves their jobs onto the queue,
    # and the queued task (not the sweep) sends each.
    day_before = Reminder.objects.filter(appointment=appointment, kind="24h").first()
    assert day_before is not None
    with time_machine.travel(day_before.due_at + timedelta(seconds=1), tick=True):
        assert queues.tasks_ready() == 2
        assert run_queued_tasks("w1") == 2
        assert kinds(mailbox)[f"reminder {patient.email}"] == 1
        assert kinds(mailbox)[f"reminder {therapist_address}"] == 1
        # Redis hands the same reminder out again (a retried or duplicated job): the
        # claim in the database refuses it.
        send_reminder.enqueue(day_before.pk)
        assert run_queued_tasks("w2") == 1
        call_command("worker", once=True, verbosity=0, worker_id="w2")  # sweep included
    assert len(mailbox.messages) == 4
    assert set(
        Reminder.objects.filter(appointment=appointment, kind="24h").values_list(
            "status", flat=True
        )
    ) == {ReminderStatus.SENT}


def test_a_failing_task_does_not_stop_the_round(redis_queue: str, mailbox: Mailbox) -> None:
    from rehabit.booking.tasks import send_offer

    send_offer.enqueue("not-a-number")  # fails inside the task
    send_offer.enqueue(424242)  # no such offer: skipped
    assert run_queued_tasks("w1") == 2
    assert queues.tasks_ready() == 0
    (failed,) = queues.rq_queues()[0].failed_job_registry.get_job_ids()
    assert failed


def test_the_database_queue_stays_the_default(settings: Any) -> None:
    assert queues.kind() == queues.DATABASE
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_with_redis_down_the_worker_still_sends_due_reminders_and_the_outbox(
    settings: Any, mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    """A round whose queue cannot be reached logs it and goes on: due reminders (the
    sweep) and e-mails waiting in the outbox are sent from the database."""
    from rehabit.mail import outbox
    from tests.booking.support import free_port

    therapist = make_therapist("Rita Redisless")
    patient = make_patient("redisless@example.org", "Redisless Patient")
    appointment = book(patient, therapist, free_start(therapist))  # database queue
    Reminder.objects.filter(appointment=appointment, kind="24h").update(
        due_at=timezone.now() - timedelta(minutes=1)
    )
    letter = outbox.post(
        EmailMessage("Waiting", "A message waiting in the outbox.", to=["waiting@example.org"]),
        key="waiting.1",
        kind="test",
    )
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq"]
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{free_port()}/0"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}

    call_command("worker", once=True, verbosity=0, worker_id="w1")

    assert kinds(mailbox)[f"reminder {patient.email}"] == 1
    assert [m["Subject"] for m in mailbox.to("waiting@example.org")] == ["Waiting"]
    letter.refresh_from_db()
    assert letter.status == "sent"
    assert "Worker w1: queued tasks not run this round." in caplog.text


def test_erasure_removes_the_patients_jobs_from_redis_in_every_state(redis_queue: str) -> None:
    """Queued, scheduled and finished jobs about an erased patient hold their appointment,
    reminder and account numbers: they go, as the database queue's rows do; another
    patient's stay."""
    from rq.job import Job

    from rehabit.booking.erasure import forget_queued_work

    leaving = make_patient("leaving@example.org", "Leaving Patient")
    staying = make_patient("staying@example.org", "Staying Patient")
    first, second = make_therapist("Tess One"), make_therapist("Tom Two")
    gone = book(leaving, first, free_start(first))
    run_queued_tasks("w1")  # its two notices run: finished jobs now
    kept = book(staying, second, free_start(second))
    queue = queues.rq_queues()[0]

    def jobs() -> list[Any]:
        ids = set(queue.get_job_ids()) | set(queue.scheduled_job_registry.get_job_ids())
        ids |= set(queue.finished_job_registry.get_job_ids())
        return [job for job in Job.fetch_many(sorted(ids), connection=queue.connection) if job]

    assert len(jobs()) == 12  # per booking: 2 notices, 4 reminders

    assert forget_queued_work(leaving) == 6
    left = [(job.func_name, job.args) for job in jobs()]
    assert len(left) == 6
    gone_reminders = set(Reminder.objects.filter(appointment=gone).values_list("pk", flat=True))
    for name, args in left:
        assert str(gone.pk) not in map(str, args) and leaving.pk not in args[2:3], (name, args)
        assert not (name.endswith("send_reminder") and args[0] in gone_reminders)
    assert {str(args[0]) for name, args in left if name.endswith("send_notice")} == {str(kept.pk)}
