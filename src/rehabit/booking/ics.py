"""Calendar files (RFC 5545) made with ``icalendar``.

Every appointment lineage is one calendar event: a stable UID (kept when the appointment
is moved) and a SEQUENCE raised on each change, so a calendar updates the event instead
of adding a second one. Times are given in the recipient's zone with its VTIMEZONE block.
Every link is built by ``rehabit.core.links.absolute_url``; names typed by people pass
through ``rehabit.mail.words.name`` (no invisible characters, nothing that links).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

from rehabit.booking.messages import change_deadline, patient_bound
from rehabit.booking.timefmt import format_when
from rehabit.core.links import absolute_url
from rehabit.mail.words import name as their_name
from rehabit.scheduling import validate_zone

PRODID = "-//Rehabit//Online physiotherapy//EN"


def join_url(appointment: Any) -> str:
    return absolute_url(reverse("booking:join", args=[appointment.pk]))


def manage_url(appointment: Any) -> str:
    return absolute_url(reverse("booking:appointment", args=[appointment.pk]))


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = name
    for key, value in params.items():
        address.params[key] = value
    return address


def _what_they_can_do(appointment: Any, zone: str, recipient: Any, now: datetime) -> list[str]:
    """The event's line about the appointment's page. The description is fixed when the
    file is made and read any time after, so for the patient it says until when the session
    can be moved or cancelled online (in ``zone``, named), not a bare "move or cancel" that
    stops being true at the deadline; past it, or once cancelled, only what stays true."""
    url = manage_url(appointment)
    if appointment.status == "cancelled":
        return [_("See the appointment: %(url)s") % {"url": url}]
    if not patient_bound(appointment, recipient):
        return [_("See, move or cancel the appointment: %(url)s") % {"url": url}]
    deadline = change_deadline(appointment)
    if now < deadline:
        return [
            _(
                "You can move or cancel it online until %(deadline)s; after that, "
                "write to your therapist."
            )
            % {"deadline": format_when(deadline, zone)},
            _("See the appointment: %(url)s") % {"url": url},
        ]
    return [
        _("It can no longer be moved or cancelled online: to change it, write to your therapist."),
        _("See the appointment and write to your therapist: %(url)s") % {"url": url},
    ]


def download_name(appointment: Any, zone: str) -> str:
    """The calendar file's name: what and when, the day in ``zone`` (the zone the file's
    times are in), ASCII only so it needs no encoding in a Content-Disposition header:
    "rehabit-session-2026-12-08.ics", "rehabit-cancelled-session-2026-12-08.ics"."""
    day = appointment.start.astimezone(validate_zone(zone)).date().isoformat()
    what = "cancelled-session" if appointment.status == "cancelled" else "session"
    return f"rehabit-{what}-{day}.ics"


def _event(
    appointment: Any, zone: str, recipient: Any, recipient_name: str, now: datetime
) -> Event:
    tz = validate_zone(zone)
    therapist = appointment.therapist
    cancelled = appointment.status == "cancelled"
    summary = _("Online physiotherapy session with %(name)s") % {"name": their_name(therapist.name)}
    lines = [
        _("%(kind)s, %(minutes)d minutes, by video.")
        % {
            "kind": appointment.session_type.get_kind_display(),
            "minutes": appointment.session_type.duration_minutes,
        },
        _("Join the video call (opens %(minutes)d minutes before the start): %(url)s")
        % {"minutes": settings.REHABIT_VIDEO_OPENS_MINUTES_BEFORE, "url": join_url(appointment)},
        *_what_they_can_do(appointment, zone, recipient, now),
    ]
    from_name, from_email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    event = Event.new(
        uid=appointment.ical_uid,
        sequence=appointment.sequence,
        stamp=now,
        start=appointment.start.astimezone(tz),
        end=appointment.end.astimezone(tz),
        summary=summary,
        description="\n".join(lines),
        location=join_url(appointment),
        url=manage_url(appointment),
        status="CANCELLED" if cancelled else "CONFIRMED",
        organizer=_address(from_email, from_name or "Rehabit"),
        attendees=[
            _address(
                recipient.email,
                their_name(recipient_name),
                ROLE="REQ-PARTICIPANT",
                PARTSTAT="ACCEPTED",
            )
        ],
    )
    event.add(
        "CONFERENCE",
        join_url(appointment),
        parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": _("Video call")},
    )
    return event


def _calendar(method: str | None, events: Iterable[Event], around: list[datetime]) -> bytes:
    calendar = Calendar.new(prodid=PRODID, method=method) if method else Calendar.new(prodid=PRODID)
    for event in events:
        calendar.add_component(event)
    if around:
        first = (min(around) - timedelta(days=366)).date()
        last = (max(around) + timedelta(days=366)).date()
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return bytes(calendar.to_ical())


def appointment_ics(appointment: Any, *, recipient: Any, recipient_name: str, zone: str) -> bytes:
    """METHOD:REQUEST for a booked or moved appointment, METHOD:CANCEL for a cancelled one."""
    method = "CANCEL" if appointment.status == "cancelled" else "REQUEST"
    event = _event(appointment, zone, recipient, recipient_name, timezone.now())
    return _calendar(method, [event], [appointment.start])


def feed_ics(appointments: Iterable[Any], *, owner: Any, owner_name: str, zone: str) -> bytes:
    """A subscription feed: the person's active appointments (no METHOD)."""
    now = timezone.now()
    items = list(appointments)
    events = [_event(a, zone, owner, owner_name, now) for a in items]
    return _calendar(None, events, [a.start for a in items])
