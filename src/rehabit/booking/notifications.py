"""E-mails about appointments, each in its recipient's language and time zone.

Booking, move and cancellation notices carry a calendar file (``ics``): METHOD:REQUEST
with the event's stable UID and current SEQUENCE, or METHOD:CANCEL. Links in e-mails
point to the appointment's page, which always shows the current time of the lineage
(a moved appointment redirects to where it went), and to the join page; neither
carries a secret, both need the participant to be signed in.

Each message is a ``rehabit.mail.letter.Letter`` (a plain-text and an HTML part laid
out from the same blocks). What another person typed, their name or their reason for
cancelling, goes in as their words: names through ``words.name``, reasons as a quoted,
attributed ``Quote``; neither can carry invisible direction controls or a clickable
link. ``post_*`` put the finished message in the outbox (``rehabit.mail.outbox``),
which sends it, retrying until it is sent or given up on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rehabit.booking import ics
from rehabit.booking.messages import policy_sentence, therapist_policy_sentence
from rehabit.booking.models import Appointment, Reminder, WaitlistOffer
from rehabit.booking.people import display_name, is_admin, language_of, zone_of
from rehabit.booking.timefmt import format_span, format_when
from rehabit.core.links import absolute_url
from rehabit.mail import outbox
from rehabit.mail.letter import Letter, new_letter
from rehabit.mail.models import OutgoingMessage
from rehabit.mail.words import name as their_name

EVENTS = ("booked", "moved", "cancelled")


def _calendar_part(content: bytes, method: str, filename: str) -> MIMEText:
    part = MIMEText(content.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


@dataclass
class _Session:
    """What every appointment e-mail says about the session, for one recipient."""

    is_patient: bool
    recipient_name: str
    therapist_name: str
    patient_name: str
    when: str
    kind: str
    minutes: int
    policy: str
    join_url: str
    manage_url: str
    may_change: bool


def _session(appointment: Appointment, recipient: Any, zone: str) -> _Session:
    from rehabit.booking.messages import change_deadline, patient_bound, patient_may_change

    is_patient = recipient.pk == appointment.patient_id
    policy = policy_sentence if is_patient else therapist_policy_sentence
    now = timezone.now()
    return _Session(
        is_patient=is_patient,
        recipient_name=their_name(display_name(recipient)),
        therapist_name=their_name(appointment.therapist.name),
        patient_name=their_name(display_name(appointment.patient)),
        when=format_span(appointment.start, appointment.end, zone),
        kind=str(appointment.session_type.get_kind_display()),
        minutes=appointment.session_type.duration_minutes,
        policy=policy(change_deadline(appointment), zone, now),
        join_url=ics.join_url(appointment),
        manage_url=ics.manage_url(appointment),
        # What the recipient can still do when the message is written (it is written when
        # it is sent: a reminder once due, which is past the patient's change window).
        may_change=not patient_bound(appointment, recipient)
        or patient_may_change(appointment, now),
    )


def _describe(letter: Letter, s: _Session, when_line: str) -> None:
    letter.add(
        when_line,
        _("Session: %(kind)s (%(minutes)s minutes), by video")
        % {"kind": s.kind, "minutes": s.minutes},
        _("Therapist: %(therapist)s") % {"therapist": s.therapist_name}
        if s.is_patient
        else _("Patient: %(patient)s") % {"patient": s.patient_name},
    )


def _links(letter: Letter, s: _Session) -> None:
    letter.link(
        _("Join the video call here (it opens %(minutes)s minutes before the start):")
        % {"minutes": settings.REHABIT_VIDEO_OPENS_MINUTES_BEFORE},
        s.join_url,
    )
    if s.may_change:
        letter.link(_("See, move or cancel the appointment:"), s.manage_url)
    else:
        # Less than the change window before the start the patient can no longer move or
        # cancel it online (the policy sentence says so); the page has "Write to <name>".
        letter.link(_("See the appointment and write to your therapist:"), s.manage_url)


def _opening(event: str, s: _Session, by_you: bool, actor_name: str) -> str:
    if event == "booked":
        if not s.is_patient:
            return _("%(patient)s booked an online session with you.") % {"patient": s.patient_name}
        if by_you:
            return _("Your online session with %(therapist)s is booked.") % {
                "therapist": s.therapist_name
            }
        return _("An online session with %(therapist)s was booked for you.") % {
            "therapist": s.therapist_name
        }
    if event == "moved":
        if by_you:
            return _("You moved this session to a new time.")
        return _("%(actor)s moved this session to a new time.") % {"actor": actor_name}
    if by_you:
        return _("You cancelled this session.")
    return _("%(actor)s cancelled this session.") % {"actor": actor_name}


def notice(
    appointment: Appointment, event: str, recipient: Any, actor_id: int | None
) -> EmailMultiAlternatives:
    """The e-mail telling ``recipient`` that ``appointment`` was booked, moved or cancelled."""
    if event not in EVENTS:
        raise ValueError(f"Unknown appointment event {event!r}.")
    zone = zone_of(recipient)
    cancelled = event == "cancelled"
    with translation.override(language_of(recipient)):
        s = _session(appointment, recipient, zone)
        actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
        by_you = actor is not None and actor.pk == recipient.pk
        # An administrator who is neither of the two is a stranger to them: the e-mail
        # names the Rehabit team, not the admin's own name.
        team = (
            actor is not None
            and actor.pk not in (appointment.patient_id, appointment.therapist.user_id)
            and is_admin(actor)
        )
        if team:
            actor_name = _("The Rehabit team")
        else:
            actor_name = their_name(display_name(actor)) if actor is not None else _("Rehabit")
        subject = {
            "booked": _("Booked: %(when)s"),
            "moved": _("Moved: your session is now %(when)s"),
            "cancelled": _("Cancelled: %(when)s"),
        }[event] % {"when": format_when(appointment.start, zone)}
        letter = new_letter(subject, s.recipient_name)
        previous = appointment.moved_from if event == "moved" else None
        letter.add(
            _opening(event, s, by_you, actor_name),
            _("It was: %(when)s") % {"when": format_span(previous.start, previous.end, zone)}
            if previous is not None
            else "",
        )
        if cancelled:
            if by_you:
                said = _("The reason you gave:")
            elif team:
                said = _("The reason the Rehabit team gave:")
            else:
                said = _("The reason %(actor)s gave, in their own words:") % {"actor": actor_name}
            letter.quote(said, appointment.cancel_reason)
        _describe(
            letter,
            s,
            (_("Cancelled session: %(when)s") if cancelled else _("When: %(when)s"))
            % {"when": s.when},
        )
        if cancelled:
            letter.add(_("The attached calendar file removes the session from your calendar."))
            if s.is_patient and not by_you:
                letter.link(
                    # An unlisted therapist (deactivated, or one who left) cannot be booked.
                    _("To book another session, with this therapist or another:")
                    if appointment.therapist.is_listed
                    else _("To book another session with another therapist:"),
                    absolute_url(reverse("booking:search")),
                )
        else:
            _links(letter, s)
            letter.add(s.policy)
            letter.add(
                _("The attached calendar file adds the session to your calendar, or updates it.")
            )
        letter.add(_("Rehabit"))
        content = ics.appointment_ics(
            appointment, recipient=recipient, recipient_name=s.recipient_name, zone=zone
        )
        method = "CANCEL" if cancelled else "REQUEST"
        filename = ics.download_name(appointment, zone)
        return letter.email(
            recipient.email,
            notice_key(appointment, event, recipient),
            [_calendar_part(content, method, filename)],
        )


def reminder(reminder: Reminder) -> EmailMultiAlternatives:
    appointment = reminder.appointment
    recipient = reminder.recipient
    zone = zone_of(recipient)
    with translation.override(language_of(recipient)):
        s = _session(appointment, recipient, zone)
        day_before = reminder.kind == "24h"
        subject = (_("Tomorrow: %(when)s") if day_before else _("In one hour: %(when)s")) % {
            "when": format_when(appointment.start, zone)
        }
        letter = new_letter(subject, s.recipient_name)
        letter.add(
            _("A reminder: your online session is tomorrow.")
            if day_before
            else _("A reminder: your online session starts in one hour.")
        )
        _describe(letter, s, _("When: %(when)s") % {"when": s.when})
        _links(letter, s)
        if s.is_patient:
            letter.add(s.policy)
        letter.add(_("Rehabit"))
        return letter.email(recipient.email, f"reminder.{reminder.pk}")


def offer(offer: WaitlistOffer) -> EmailMultiAlternatives:
    recipient = offer.entry.patient
    zone = zone_of(recipient)
    with translation.override(language_of(recipient)):
        therapist = their_name(offer.therapist.name)
        subject = _("An earlier time is free: %(when)s") % {"when": format_when(offer.start, zone)}
        letter = new_letter(subject, their_name(display_name(recipient)))
        letter.add(
            _("An earlier time with %(therapist)s has just become free:") % {"therapist": therapist}
        )
        letter.add(
            _("When: %(when)s") % {"when": format_span(offer.start, offer.end, zone)},
            _("Session: %(kind)s, by video") % {"kind": offer.session_type.get_kind_display()},
        )
        if offer.entry.appointment_id is not None:
            letter.add(_("If you take it, your current appointment moves to this time."))
        letter.link(
            _(
                "Other people on the waitlist were told too: the first to accept gets it. "
                "The link works once."
            ),
            absolute_url(reverse("booking:offer", args=[offer.token])),
        )
        letter.add(_("Rehabit"))
        return letter.email(recipient.email, f"offer.{offer.pk}")


# --- Into the outbox ------------------------------------------------------------------


def notice_key(appointment: Appointment, event: str, recipient: Any) -> str:
    return f"{appointment.pk}.{event}.{appointment.sequence}.{recipient.pk}"


def post_notice(
    appointment: Appointment, event: str, recipient: Any, actor_id: int | None
) -> OutgoingMessage:
    key = notice_key(appointment, event, recipient)
    return outbox.find(key) or outbox.post(
        notice(appointment, event, recipient, actor_id),
        key=key,
        kind=event,
        recipient=recipient,
        about=appointment.patient,
    )


def reminder_pointless_after(item: Reminder) -> datetime:
    """The day-before reminder is pointless once the hour-before one is due; that one
    once the session has started."""
    start = item.appointment.start
    return start - timedelta(hours=1) if item.kind == "24h" else start


def post_reminder(item: Reminder) -> OutgoingMessage:
    key = f"reminder.{item.pk}"
    return outbox.find(key) or outbox.post(
        reminder(item),
        key=key,
        kind="reminder",
        recipient=item.recipient,
        about=item.appointment.patient,
        give_up_at=reminder_pointless_after(item),
    )


def post_offer(item: WaitlistOffer) -> OutgoingMessage:
    key = f"offer.{item.pk}"
    patient = item.entry.patient
    return outbox.find(key) or outbox.post(
        offer(item),
        key=key,
        kind="offer",
        recipient=patient,
        about=patient,
        give_up_at=item.expires_at,
    )
