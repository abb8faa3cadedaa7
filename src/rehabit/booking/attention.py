"""Patients who need the therapist's attention, for the therapist's home page.

Each *source* is a small function ``source(therapist, since, now) -> list[AttentionItem]``
(``since``: the therapist's previous visit, or None on the first). Booking adds new
bookings; other apps add theirs with ``register`` from their ``AppConfig.ready`` (for
example worsening check-ins and unread messages)::

    from rehabit.booking.attention import register
    register(unread_messages)

A source must return only what this therapist may see, and name a patient only by the
name they gave. Items are shown newest first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from rehabit.booking.models import Appointment, AppointmentStatus
from rehabit.booking.people import display_name
from rehabit.booking.timefmt import format_when

# On a first visit, bookings made this long before count as new.
FIRST_VISIT_LOOKBACK = timedelta(days=7)


@dataclass(frozen=True)
class AttentionItem:
    kind: str  # "new_booking", "worsening_check_in", "unread_message", ...
    patient: str
    text: str
    url: str
    at: datetime


Source = Callable[[Any, datetime | None, datetime], list[AttentionItem]]


def new_bookings(therapist: Any, since: datetime | None, now: datetime) -> list[AttentionItem]:
    """Sessions booked (or moved to a new time) since the last visit that are still ahead."""
    after = since or now - FIRST_VISIT_LOOKBACK
    from rehabit.booking.schedule import with_people

    found = with_people(
        Appointment.objects.filter(
            therapist=therapist,
            status=AppointmentStatus.BOOKED,
            created_at__gt=after,
            end__gt=now,
        ).order_by("-created_at")[:50]
    )
    items = []
    for appointment in found:
        name = display_name(appointment.patient)
        when = format_when(appointment.start, therapist.time_zone)
        if appointment.moved_from_id:
            text = _("%(name)s moved their session to %(when)s.")
        else:
            text = _("%(name)s booked a %(kind)s for %(when)s.")
        items.append(
            AttentionItem(
                kind="new_booking",
                patient=name,
                text=text
                % {
                    "name": name,
                    "when": when,
                    "kind": appointment.session_type.get_kind_display().lower(),
                },
                url=reverse("booking:appointment", args=[appointment.pk]),
                at=appointment.created_at,
            )
        )
    return items


_sources: list[Source] = [new_bookings]


def register(source: Source) -> None:
    """Add a source (once)."""
    if source not in _sources:
        _sources.append(source)


def sources() -> list[Source]:
    return list(_sources)


# Listed first, in this order (a warning sign before a worsening check-in before an
# unread message); every other kind after them. Within a rank, newest first.
KIND_RANK = {"warning_sign": 0, "worsening_check_in": 1, "unread_message": 2}


def needing_attention(therapist: Any, since: datetime | None, now: datetime) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    for source in _sources:
        items.extend(source(therapist, since, now))
    items.sort(key=lambda item: item.at, reverse=True)
    items.sort(key=lambda item: KIND_RANK.get(item.kind, len(KIND_RANK)))
    return items
