"""How much one person may book, and how fast anyone may change bookings.

- **Cap**: a patient holds at most ``REHABIT_MAX_ACTIVE_BOOKINGS`` upcoming sessions, and at
  most ``REHABIT_MAX_ACTIVE_BOOKINGS_PER_THERAPIST`` with one therapist. ``check_cap`` runs
  inside the booking transaction after ``lock_patient``: on PostgreSQL the patient's row is
  locked (FOR NO KEY UPDATE, so other rows may still refer to it), on SQLite IMMEDIATE
  transactions admit one writer at a time, so two bookings at once cannot both pass.
- **Rate**: booking writes (book, move, cancel, the waitlist) are limited per person and
  per client network (``REHABIT_BOOKING_WRITES_PER_USER`` / ``_PER_ADDRESS`` in
  ``REHABIT_BOOKING_WRITES_WINDOW_SECONDS``), counted in the database
  (``rehabit.core.throttle``), so every process and node sees the same count.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from rehabit.booking import messages as msg
from rehabit.booking.messages import BookingRefused
from rehabit.booking.models import Appointment, AppointmentStatus, Therapist
from rehabit.core import throttle

_REFUSAL = gettext_lazy(
    "That is many booking changes in a short time, so we have paused them for a moment. "
    "Please try again in %(wait)s. Nothing was changed."
)


def lock_patient(patient: Any) -> None:
    """Serialise one patient's bookings (call first, before the therapist's lock)."""
    rows = get_user_model().objects.select_for_update(no_key=True).filter(pk=patient.pk)
    list(rows.values_list("pk", flat=True))


def check_cap(patient: Any, therapist: Therapist, now: datetime) -> None:
    """Refuse a booking that would pass either cap (caller holds ``lock_patient``)."""
    active = Appointment.objects.filter(
        patient_id=patient.pk, status=AppointmentStatus.BOOKED, end__gt=now
    )
    most = int(settings.REHABIT_MAX_ACTIVE_BOOKINGS)
    most_with = int(settings.REHABIT_MAX_ACTIVE_BOOKINGS_PER_THERAPIST)
    if active.count() >= most:
        raise BookingRefused(
            msg.TOO_MANY_BOOKINGS,
            ngettext(
                "You already have %(n)d upcoming session, the most one person can book at "
                "once. Cancel it, or book again after it has taken place.",
                "You already have %(n)d upcoming sessions, the most one person can book at "
                "once. Cancel one, or book again after one has taken place.",
                most,
            )
            % {"n": most},
        )
    if active.filter(therapist_id=therapist.pk).count() >= most_with:
        raise BookingRefused(
            msg.TOO_MANY_BOOKINGS,
            ngettext(
                "You already have %(n)d upcoming session with %(name)s, the most with one "
                "therapist. Cancel or move it, or book again after it has taken place.",
                "You already have %(n)d upcoming sessions with %(name)s, the most with one "
                "therapist. Cancel or move one, or book again after one has taken place.",
                most_with,
            )
            % {"n": most_with, "name": therapist.name},
        )


def count_write(request: HttpRequest) -> None:
    """Count one booking write by this person from this network; ``BookingRefused`` with
    code ``rate_limited`` (HTTP 429, ``retry_after`` seconds) when either limit is reached.
    A refused write is not counted."""
    limits = throttle.request_limits(
        request,
        "booking",
        per_user=settings.REHABIT_BOOKING_WRITES_PER_USER,
        per_network=settings.REHABIT_BOOKING_WRITES_PER_ADDRESS,
    )
    try:
        throttle.count(
            limits, window=settings.REHABIT_BOOKING_WRITES_WINDOW_SECONDS, refusal=_REFUSAL
        )
    except throttle.RateLimited as refused:
        raise BookingRefused(
            msg.RATE_LIMITED, refused.message, retry_after=refused.retry_after
        ) from None
