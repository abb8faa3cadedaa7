"""A patient closes their account: their bookings, inside the erasure's transaction.

Called by ``rehabit.accounts.erasure`` before anything is deleted (security finding 9):

- the patient's waitlist entries are closed first, so no freed time is offered to them;
- every appointment that is not over yet is cancelled through the booking action
  (``services.cancel``), whatever the change window says (the patient is leaving, not
  changing their mind late): the time is free at once and offered to the waitlist,
  reminders stop and the cancellation is audited;
- each therapist is told by e-mail with a calendar cancellation for the same event (UID
  and a higher SEQUENCE), written into the outbox (``rehabit.mail``) in the same
  transaction, so it is sent exactly when the erasure commits, retried until it is. The
  message is built from the time and the session alone, never from the patient: the
  appointment is erased with the account, and the notice names nobody whose data has just
  been erased (nor is it linked to them, so it is not erased with them);
- queued work about the patient's appointments (notices and reminders not yet run, and
  the stored results of those that ran) is removed with them.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from email.mime.text import MIMEText
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

from rehabit.booking import services, waitlist
from rehabit.booking.ics import download_name
from rehabit.booking.messages import BookingRefused
from rehabit.booking.models import (
    Appointment,
    Reminder,
    SessionKind,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)
from rehabit.booking.people import language_of, zone_of
from rehabit.booking.timefmt import format_span, format_when

# Stored as the cancellation reason (the row is erased right after; kept for the audit).
REASON = "account closed"


def close_bookings(
    patient: Any, *, request: HttpRequest | None = None, now: datetime | None = None
) -> list[Appointment]:
    """Cancel the patient's appointments that are not over yet; returns them."""
    now = now or timezone.now()
    for entry in WaitlistEntry.objects.filter(patient=patient, status=WaitlistStatus.WAITING):
        waitlist.leave(entry)
    cancelled = []
    upcoming = Appointment.objects.active().filter(patient=patient, end__gt=now)
    for appointment_id in upcoming.order_by("start").values_list("pk", flat=True):
        try:
            appointment = services.cancel(
                appointment_id,
                actor=patient,
                reason=REASON,
                request=request,
                now=now,
                enforce_window=False,
                notify=False,
            )
        except BookingRefused:  # cancelled meanwhile by the therapist: nothing to do
            continue
        _tell_therapist(appointment)
        cancelled.append(appointment)
    return cancelled


def _tell_therapist(appointment: Appointment) -> None:
    from rehabit.mail import outbox

    recipient = appointment.therapist.user
    if recipient is None or not recipient.is_active or not recipient.email:
        return
    # The key is stable (one message per event) but names no record: the outbox keeps it
    # after sending, when the message itself (which carries the calendar UID the
    # therapist's calendar already holds) has been dropped.
    seed = f"{appointment.ical_uid}.{appointment.sequence}.{recipient.pk}"
    outbox.post(
        account_closed_notice(appointment, recipient),
        key="account-closed." + hashlib.sha256(seed.encode()).hexdigest()[:40],
        kind="account_closed",
        recipient=recipient,
    )


def forget_queued_work(patient: Any) -> int:
    """Remove queued and finished booking tasks about the patient's appointments (their
    arguments hold appointment, reminder and offer numbers and the patient's id), in the
    database queue and in Redis (``REHABIT_TASKS_BACKEND=redis``)."""
    from rehabit.ops.queues import forget_jobs

    appointments = [
        str(pk) for pk in Appointment.objects.filter(patient=patient).values_list("pk", flat=True)
    ]
    reminders = list(
        Reminder.objects.filter(appointment__patient=patient).values_list("pk", flat=True)
    )
    offers = list(WaitlistOffer.objects.filter(entry__patient=patient).values_list("pk", flat=True))
    path = "rehabit.booking.tasks."

    def about_patient(task_path: str, args: list[Any]) -> bool:
        first = args[0] if args else None
        if task_path == path + "send_notice":
            return str(first) in appointments or (len(args) > 2 and args[2] == patient.pk)
        if task_path == path + "send_reminder":
            return first in reminders
        return task_path == path + "send_offer" and first in offers

    deleted = forget_jobs(about_patient)
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another task backend keeps no table here
        return deleted
    rows = DBTaskResult.objects.filter(
        task_path__in=[path + "send_notice", path + "send_reminder", path + "send_offer"]
    )
    doomed = (
        rows.filter(task_path=path + "send_notice", args_kwargs__args__0__in=appointments)
        | rows.filter(task_path=path + "send_notice", args_kwargs__args__2=patient.pk)
        | rows.filter(task_path=path + "send_reminder", args_kwargs__args__0__in=reminders)
        | rows.filter(task_path=path + "send_offer", args_kwargs__args__0__in=offers)
    )
    in_table, _by_model = DBTaskResult.objects.filter(pk__in=doomed.values("pk")).delete()
    return deleted + in_table


def _calendar(facts: dict[str, Any], start: datetime, end: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Rehabit//Online physiotherapy//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL")
    event = Event()
    event.add("uid", facts["uid"])
    event.add("sequence", facts["sequence"])
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("status", "CANCELLED")
    event.add("summary", _("Cancelled online physiotherapy session"))
    from_name, from_email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{from_email}")
    organizer.params["CN"] = from_name or "Rehabit"
    event.add("organizer", organizer)
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def account_closed_notice(appointment: Appointment, recipient: Any) -> EmailMultiAlternatives:
    """The e-mail telling a therapist that a session was cancelled because the patient
    closed their account, in the therapist's language and time zone, with the calendar
    cancellation. Nothing in it comes from the patient."""
    begins, ends = appointment.start, appointment.end
    zone = zone_of(recipient)
    kind = appointment.session_type.kind
    with translation.override(language_of(recipient)):
        when = format_span(begins, ends, zone)
        label = str(SessionKind(kind).label) if kind in SessionKind.values else kind
        subject = _("Cancelled: %(when)s") % {"when": format_when(begins, zone)}
        body = "\n\n".join(
            [
                _("Your session on %(when)s (%(kind)s) is cancelled.")
                % {"when": when, "kind": label},
                _(
                    "The patient closed their Rehabit account, and their data has been "
                    "erased, so this message does not name them. The time is free again "
                    "and has been offered to your waitlist."
                ),
                _("The calendar file attached removes the session from your calendar."),
            ]
        )
        content = _calendar(
            {"uid": appointment.ical_uid, "sequence": appointment.sequence}, begins, ends
        )
    message = EmailMultiAlternatives(subject=subject, body=body + "\n", to=[recipient.email])
    message.extra_headers["Message-ID"] = (
        f"<{appointment.ical_uid}.closed.{appointment.sequence}.{recipient.pk}@rehabit>"
    )
    part = MIMEText(content.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", "CANCEL")
    # Named like every calendar file (the appointment is cancelled by now), the day on the
    # therapist's clock.
    part.add_header("Content-Disposition", "attachment", filename=download_name(appointment, zone))
    message.attach(part)
    return message


def on_erasure_begun(sender: Any, user: Any, request: HttpRequest | None = None, **kw: Any) -> None:
    """``accounts.erasure.account_erasure_begun``: close the person's bookings first."""
    close_bookings(user, request=request)


def on_personal_data_erasing(sender: Any, user: Any, **kwargs: Any) -> None:
    """``accounts.erasure.personal_data_erasing``: forget the queued tasks about them."""
    forget_queued_work(user)
