"""Background work, through Django's task framework (``django-tasks``).

With the default database backend (``django-tasks-db``) the tasks wait in a table until
``rehabit worker`` runs them; any other django-tasks backend can be configured with
``REHABIT_TASKS_BACKEND``. Tasks are enqueued only after the booking transaction commits
(one small row each, so the request does not wait for an e-mail to be written). A task
writes its e-mail into the outbox (``rehabit.mail``) and tries to send it at once; if
that fails, the worker retries it from there with back-off until it is sent or given up.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.crypto import get_random_string
from django_tasks import task

from rehabit.booking.models import Appointment, Reminder, WaitlistOffer


def _runner() -> str:
    return f"task-{get_random_string(8)}"


@task()
def send_notice(appointment_id: str, event: str, recipient_id: int, actor_id: int | None) -> str:
    from rehabit.booking.notifications import post_notice
    from rehabit.mail.outbox import deliver

    appointment = (
        Appointment.objects.select_related("therapist", "session_type", "patient", "moved_from")
        .filter(pk=appointment_id)
        .first()
    )
    recipient = get_user_model().objects.filter(pk=recipient_id, is_active=True).first()
    if appointment is None or recipient is None or not recipient.email:
        return "skipped"
    return deliver(post_notice(appointment, event, recipient, actor_id).pk, _runner())


@task()
def send_reminder(reminder_id: int) -> str:
    from rehabit.booking.reminders import deliver

    return deliver(reminder_id, worker_id="task")


@task()
def send_offer(offer_id: int) -> str:
    from rehabit.booking.notifications import post_offer
    from rehabit.mail.outbox import deliver

    found = WaitlistOffer.objects.select_related("entry__patient", "therapist", "session_type")
    item = found.filter(pk=offer_id, status="open").first()
    if item is None:
        return "skipped"
    return deliver(post_offer(item).pk, _runner())


def enqueue_notices(appointment_id: str, event: str, actor_id: int | None) -> None:
    appointment = Appointment.objects.select_related("therapist").get(pk=appointment_id)
    recipients = [appointment.patient_id, appointment.therapist.user_id]
    for recipient_id in recipients:
        if recipient_id is not None:
            send_notice.enqueue(str(appointment_id), event, recipient_id, actor_id)


def enqueue_reminders(reminders: Iterable[Reminder]) -> None:
    for item in reminders:
        send_reminder.using(run_after=item.due_at).enqueue(item.pk)


def enqueue_offers(offer_ids: Iterable[Any]) -> None:
    for offer_id in offer_ids:
        send_offer.enqueue(offer_id)
