"""Background work, through Django's task framework (``django-tasks``).

With the default database backend (``django-tasks-db``) the tasks wait in a table until
``rehabit worker`` runs them; any other django-tasks backend can be configured with
``REHABIT_TASKS_BACKEND``. Notices are written into the outbox (``rehabit.mail``) only
after the booking transaction commits, each followed by a task that sends it at once;
the worker sends whatever that did not (a failure is retried with back-off).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django_tasks import task

from rehabit.booking.models import Appointment, Reminder, WaitlistOffer
from rehabit.mail.models import OutgoingMessage

logger = logging.getLogger(__name__)


def _post_and_send(what: str, write: Callable[[], OutgoingMessage]) -> OutgoingMessage | None:
    """Write a message into the outbox and queue its sending. A failure here must not
    undo the booking that has already committed: it is logged (and, once written, the
    worker sends the message even if the task could not be queued)."""
    from rehabit.mail.tasks import send_message

    try:
        message = write()
    except Exception:  # noqa: BLE001
        logger.exception("The %s e-mail could not be written.", what)
        return None
    try:
        send_message.enqueue(message.pk)
    except Exception:  # noqa: BLE001
        logger.exception("Sending %s is left to the worker's next round.", message.key)
    return message


def _recipient(user_id: Any) -> Any:
    found = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return found if found is not None and found.email else None


@task()
def send_notice(appointment_id: str, event: str, recipient_id: int, actor_id: int | None) -> str:
    """Kept for tasks queued by an earlier version: writes the notice into the outbox."""
    from rehabit.booking.notifications import post_notice

    appointment = _appointment(appointment_id)
    recipient = _recipient(recipient_id)
    if appointment is None or recipient is None:
        return "skipped"
    message = _post_and_send(event, partial(post_notice, appointment, event, recipient, actor_id))
    return "queued" if message is not None else "failed"


@task()
def send_reminder(reminder_id: int) -> str:
    from rehabit.booking.reminders import deliver

    return deliver(reminder_id, worker_id="task")


@task()
def send_offer(offer_id: int) -> str:
    """Kept for tasks queued by an earlier version: writes the offer into the outbox."""
    from rehabit.booking.notifications import post_offer

    item = _offer(offer_id)
    if item is None:
        return "skipped"
    return "queued" if _post_and_send("offer", partial(post_offer, item)) else "failed"


def _appointment(appointment_id: Any) -> Appointment | None:
    return (
        Appointment.objects.select_related("therapist", "session_type", "patient", "moved_from")
        .filter(pk=appointment_id)
        .first()
    )


def _offer(offer_id: Any) -> WaitlistOffer | None:
    found = WaitlistOffer.objects.select_related("entry__patient", "therapist", "session_type")
    return found.filter(pk=offer_id, status="open").first()


def enqueue_notices(appointment_id: str, event: str, actor_id: int | None) -> None:
    """After the commit: the notice to each participant, into the outbox and on its way."""
    from rehabit.booking.notifications import post_notice

    appointment = _appointment(appointment_id)
    if appointment is None:
        return
    for recipient_id in (appointment.patient_id, appointment.therapist.user_id):
        recipient = _recipient(recipient_id) if recipient_id is not None else None
        if recipient is not None:
            _post_and_send(event, partial(post_notice, appointment, event, recipient, actor_id))


def enqueue_reminders(reminders: Iterable[Reminder]) -> None:
    for item in reminders:
        send_reminder.using(run_after=item.due_at).enqueue(item.pk)


def enqueue_offers(offer_ids: Iterable[Any]) -> None:
    """After the commit: each waitlist offer, into the outbox and on its way."""
    from rehabit.booking.notifications import post_offer

    for offer_id in offer_ids:
        item = _offer(offer_id)
        if item is not None:
            _post_and_send("offer", partial(post_offer, item))
