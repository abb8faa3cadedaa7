"""E-mails about appointments, each in its recipient's language and time zone.

Booking, move and cancellation notices carry a calendar file (``ics``): METHOD:REQUEST
with the event's stable UID and current SEQUENCE, or METHOD:CANCEL. Links in e-mails
point to the appointment's page, which always shows the current time of the lineage
(a moved appointment redirects to where it went), and to the join page; neither
carries a secret, both need the participant to be signed in.
"""

from __future__ import annotations

from email.mime.text import MIMEText
from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from rehabit.booking import ics
from rehabit.booking.messages import policy_sentence
from rehabit.booking.models import Appointment, Reminder, WaitlistOffer
from rehabit.booking.people import display_name, language_of, zone_of
from rehabit.booking.timefmt import format_span, format_when
from rehabit.core.links import absolute_url

EVENTS = ("booked", "moved", "cancelled")


def _calendar_part(content: bytes, method: str, filename: str) -> MIMEText:
    part = MIMEText(content.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def _message(subject: str, body: str, recipient: Any, message_id: str) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(subject=subject, body=body, to=[recipient.email])
    # A stable id: a resent copy (after a crash) is recognisably the same message.
    message.extra_headers["Message-ID"] = f"<{message_id}@rehabit>"
    return message


def _common(appointment: Appointment, recipient: Any, zone: str) -> dict[str, Any]:
    from rehabit.booking.services import change_deadline

    is_patient = recipient.pk == appointment.patient_id
    return {
        "appointment": appointment,
        "is_patient": is_patient,
        "recipient_name": display_name(recipient),
        "therapist_name": appointment.therapist.name,
        "patient_name": display_name(appointment.patient),
        "kind": appointment.session_type.get_kind_display(),
        "minutes": appointment.session_type.duration_minutes,
        "when": format_span(appointment.start, appointment.end, zone),
        "policy": policy_sentence(change_deadline(appointment), zone),
        "join_url": ics.join_url(appointment),
        "manage_url": ics.manage_url(appointment),
        "opens_minutes": _opens_minutes(),
    }


def _opens_minutes() -> int:
    from django.conf import settings

    return int(settings.REHABIT_VIDEO_OPENS_MINUTES_BEFORE)


def notice(
    appointment: Appointment, event: str, recipient: Any, actor_id: int | None
) -> EmailMultiAlternatives:
    """The e-mail telling ``recipient`` that ``appointment`` was booked, moved or cancelled."""
    if event not in EVENTS:
        raise ValueError(f"Unknown appointment event {event!r}.")
    zone = zone_of(recipient)
    with translation.override(language_of(recipient)):
        context = _common(appointment, recipient, zone)
        actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
        context["by_you"] = actor is not None and actor.pk == recipient.pk
        context["actor_name"] = display_name(actor) if actor is not None else _("Rehabit")
        context["event"] = event
        previous = appointment.moved_from if event == "moved" else None
        context["previous_when"] = (
            format_span(previous.start, previous.end, zone) if previous is not None else ""
        )
        context["reason"] = appointment.cancel_reason
        subject = {
            "booked": _("Booked: %(when)s"),
            "moved": _("Moved: your session is now %(when)s"),
            "cancelled": _("Cancelled: %(when)s"),
        }[event] % {"when": format_when(appointment.start, zone)}
        body = render_to_string("booking/email/notice.txt", context)
        message = _message(
            subject,
            body,
            recipient,
            f"{appointment.pk}.{event}.{appointment.sequence}.{recipient.pk}",
        )
        content = ics.appointment_ics(
            appointment, recipient=recipient, recipient_name=context["recipient_name"], zone=zone
        )
    method = "CANCEL" if event == "cancelled" else "REQUEST"
    filename = "cancelled-session.ics" if event == "cancelled" else "session.ics"
    message.attach(_calendar_part(content, method, filename))
    return message


def reminder(reminder: Reminder) -> EmailMultiAlternatives:
    appointment = reminder.appointment
    recipient = reminder.recipient
    zone = zone_of(recipient)
    with translation.override(language_of(recipient)):
        context = _common(appointment, recipient, zone)
        context["hours"] = 24 if reminder.kind == "24h" else 1
        subject = (
            _("Tomorrow: %(when)s") if reminder.kind == "24h" else _("In one hour: %(when)s")
        ) % {"when": format_when(appointment.start, zone)}
        body = render_to_string("booking/email/reminder.txt", context)
    return _message(subject, body, recipient, f"reminder.{reminder.pk}")


def offer(offer: WaitlistOffer) -> EmailMultiAlternatives:
    recipient = offer.entry.patient
    zone = zone_of(recipient)
    with translation.override(language_of(recipient)):
        context = {
            "recipient_name": display_name(recipient),
            "therapist_name": offer.therapist.name,
            "kind": offer.session_type.get_kind_display(),
            "when": format_span(offer.start, offer.end, zone),
            "offer_url": absolute_url(reverse("booking:offer", args=[offer.token])),
            "moves_existing": offer.entry.appointment_id is not None,
        }
        subject = _("An earlier time is free: %(when)s") % {"when": format_when(offer.start, zone)}
        body = render_to_string("booking/email/offer.txt", context)
    return _message(subject, body, recipient, f"offer.{offer.pk}")
