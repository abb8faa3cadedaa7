"""Reminder e-mails 24 hours and 1 hour before each session, each sent exactly once.

A reminder that comes due is written into the outbox (``rehabit.mail.outbox``) and sent
from there at once; if that fails the outbox retries it with back-off, and staff see it
there. A reminder's status "sent" means its message was handed to the outbox.

A reminder row is the unit of work. Whoever sends it (the queued task, or the worker's
sweep that catches anything the queue lost) first *claims* it with one conditional
UPDATE, like Healthchecks' alert sender:

    UPDATE reminder SET claimed_by=…, claimed_at=now WHERE id=… AND status='pending'
        AND (claimed_at IS NULL OR claimed_at < now - lease)

Only the caller whose update changed a row sends, then marks the row sent. A worker
killed after claiming but before sending leaves a claim that expires after
``REHABIT_REMINDER_LEASE_SECONDS`` and is then retried; cancelling an appointment marks
its reminders cancelled in the same transaction, so it gets none. Its message has its
own claim in the outbox: one worker sends it, whichever path reaches it first.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Min, Q
from django.utils import timezone

from rehabit.booking.models import AppointmentStatus, Reminder, ReminderStatus

logger = logging.getLogger(__name__)


def _lease() -> timedelta:
    return timedelta(seconds=settings.REHABIT_REMINDER_LEASE_SECONDS)


def _claimable(now: datetime) -> Q:
    return Q(status=ReminderStatus.PENDING, due_at__lte=now) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - _lease())
    )


def claim(reminder_id: int, worker_id: str, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    changed = Reminder.objects.filter(_claimable(now), pk=reminder_id).update(
        claimed_by=worker_id[:64], claimed_at=now, attempts=F("attempts") + 1
    )
    return changed == 1


def _too_late(reminder: Reminder, now: datetime) -> bool:
    """A reminder is pointless once the session has started, and the day-before one once
    the hour-before one is due."""
    from rehabit.booking.notifications import reminder_pointless_after

    return now >= reminder_pointless_after(reminder)


def deliver(reminder_id: int, worker_id: str) -> str:
    """Claim one reminder, write its e-mail into the outbox and send it from there.
    Returns what happened: "sent"; "queued" (the outbox retries it); "in flight"
    (another worker is sending its message: it stays claimed, looked at again after the
    lease); "dropped"; "not claimed"."""
    from rehabit.booking.notifications import post_reminder
    from rehabit.mail import outbox

    now = timezone.now()
    if not claim(reminder_id, worker_id, now):
        return "not claimed"
    item = Reminder.objects.select_related(
        "appointment__therapist", "appointment__session_type", "appointment__patient", "recipient"
    ).get(pk=reminder_id)
    if item.appointment.status != AppointmentStatus.BOOKED or _too_late(item, now):
        Reminder.objects.filter(pk=reminder_id, claimed_by=worker_id[:64]).update(
            status=ReminderStatus.CANCELLED
        )
        return "dropped"
    if not item.recipient.is_active or not item.recipient.email:
        Reminder.objects.filter(pk=reminder_id).update(status=ReminderStatus.CANCELLED)
        return "dropped"
    outcome = outbox.deliver(post_reminder(item).pk, worker_id)
    if outcome == outbox.BUSY:
        return "in flight"
    Reminder.objects.filter(pk=reminder_id, claimed_by=worker_id[:64]).update(
        status=ReminderStatus.SENT, sent_at=timezone.now()
    )
    return "sent" if outcome == outbox.SENT else "queued"


def due_ids(now: datetime | None = None, limit: int = 100) -> list[int]:
    now = now or timezone.now()
    return list(
        Reminder.objects.filter(_claimable(now))
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )


def sweep(worker_id: str, limit: int = 100) -> int:
    """Send every reminder that is due and not claimed (or whose claim expired); returns
    how many went out now."""
    sent = 0
    for reminder_id in due_ids(limit=limit):
        try:
            if deliver(reminder_id, worker_id) == "sent":
                sent += 1
        except Exception:  # noqa: BLE001 - one bad address must not stop the others
            logger.exception("Reminder %s could not be written; it will be retried.", reminder_id)
    return sent


def reminder_lag(now: datetime | None = None) -> float:
    """Seconds since the oldest reminder that is due and not yet sent came due (0 if none)."""
    now = now or timezone.now()
    oldest = Reminder.objects.filter(status=ReminderStatus.PENDING, due_at__lte=now).aggregate(
        oldest=Min("due_at")
    )["oldest"]
    return max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0
