"""Scoped reads: every appointment is read through here, with the reader's identity.

An appointment is visible to its patient, to its therapist (while the account holds the
therapist role) and to admins; to anyone else it does not exist (404), so its existence is
not leaked (engineering.md §1.8, rule 3).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from rehabit.booking.models import Appointment, AppointmentStatus, Therapist
from rehabit.booking.people import is_admin, own_appointments


def _related(query: QuerySet[Appointment]) -> QuerySet[Appointment]:
    return query.select_related("therapist", "session_type", "patient", "moved_from")


def visible_appointments(user: Any) -> QuerySet[Appointment]:
    if not getattr(user, "is_authenticated", False):
        return Appointment.objects.none()
    if is_admin(user):
        return _related(Appointment.objects.all())
    return _related(Appointment.objects.filter(own_appointments(user)))


def appointment_for(user: Any, appointment_id: Any) -> Appointment:
    """The appointment if ``user`` may see it, else ``Http404``."""
    try:
        return visible_appointments(user).get(pk=appointment_id)
    except (Appointment.DoesNotExist, ValueError, TypeError, ValidationError):
        # ValidationError: an id that is no UUID ("nope"), as a form field may send it.
        raise Http404("No such appointment.") from None


def find_appointment(user: Any, appointment_id: Any) -> Appointment | None:
    try:
        return appointment_for(user, appointment_id)
    except Http404:
        return None


def upcoming_for(user: Any, now: datetime | None = None) -> QuerySet[Appointment]:
    """The signed-in person's own appointments (as patient or as therapist), active and
    not yet over, soonest first."""
    now = now or timezone.now()
    if not getattr(user, "is_authenticated", False):
        return Appointment.objects.none()
    mine = Appointment.objects.filter(own_appointments(user))
    return _related(mine.filter(status=AppointmentStatus.BOOKED, end__gt=now)).order_by("start")


def recent_for(user: Any, now: datetime | None = None, days: int = 90) -> QuerySet[Appointment]:
    """Past, cancelled and moved appointments of the last ``days`` days, newest first."""
    now = now or timezone.now()
    if not getattr(user, "is_authenticated", False):
        return Appointment.objects.none()
    mine = Appointment.objects.filter(own_appointments(user))
    recent = mine.filter(start__gte=now - timedelta(days=days)).exclude(
        status=AppointmentStatus.BOOKED, end__gt=now
    )
    return _related(recent).order_by("-start")


def listed_therapist(pk: Any) -> Therapist:
    try:
        return Therapist.objects.prefetch_related("specialties", "languages", "session_types").get(
            pk=pk, is_listed=True
        )
    except (Therapist.DoesNotExist, ValueError, TypeError):
        raise Http404("No such therapist.") from None
