"""The patient's summary on an appointment's page, for the appointment's therapist.

What it holds (the latest assessment, its intake summary, the exercise log), and whether
the therapist may see it (the patient's consent, two-factor authentication, the audit
entry), belong to the charts app, which hands its function over at start-up
(``register_patient_summary``): booking imports nothing of charts. Without it the page
shows no summary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

_summary: list[Callable[[HttpRequest, Any], Any]] = []


def register_patient_summary(summary: Callable[[HttpRequest, Any], Any]) -> None:
    """``summary(request, appointment)``: what this request may see of the patient, or
    None (for anyone but the appointment's therapist)."""
    _summary[:] = [summary]


def patient_summary(request: HttpRequest, appointment: Any) -> Any:
    found = _summary[0](request, appointment) if _summary else None
    if found is not None and not found.visible and _ended_by_cancelling(appointment):
        # The patient still shares, but nothing else relates them now: the reason is the
        # cancellation, not their choice (a therapist's walk read "does not share").
        found.why_not = _(
            "You no longer see the patient's assessments and progress: access ended "
            "with the cancellation of this session."
        )
    return found


def _ended_by_cancelling(appointment: Any) -> bool:
    """Was the therapist's access taken away by this session's cancellation: it is
    cancelled, the patient still shares with them, and no session of theirs is booked?"""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from rehabit.accounts.consent import shares_with
    from rehabit.booking.models import Appointment, AppointmentStatus

    therapist = appointment.therapist.user
    # As ``BookingAppointmentRelation`` counts a relation (rehabit.booking.access).
    since = timezone.now() - timedelta(days=settings.REHABIT_THERAPIST_ACCESS_DAYS)
    return (
        appointment.status == AppointmentStatus.CANCELLED
        and therapist is not None
        and shares_with(appointment.patient, therapist)
        and not Appointment.objects.active()
        .filter(therapist=appointment.therapist, patient=appointment.patient, end__gte=since)
        .exists()
    )
