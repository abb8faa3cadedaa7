"""Template tags other apps' pages use to show the clinic's part (attendance, messages)."""

from __future__ import annotations

from typing import Any

from django import template

from rehabit.booking.models import AppointmentStatus
from rehabit.clinic import messaging
from rehabit.clinic.relations import may_see_record, related, therapist_record

register = template.Library()


@register.inclusion_tag("clinic/_appointment_panel.html", takes_context=True)
def appointment_panel(context: Any, appointment: Any) -> dict[str, Any]:
    """On an appointment page: attendance (both participants), and the ways to write to
    each other; for the therapist, marking attendance and the patient's program."""
    request = context["request"]
    user = request.user
    mine = therapist_record(user)
    is_therapist = mine is not None and mine.pk == appointment.therapist_id
    is_patient = user.is_authenticated and user.pk == appointment.patient_id
    can_write = (is_therapist or is_patient) and related(appointment.therapist, appointment.patient)
    return {
        "appointment": appointment,
        "is_therapist": is_therapist,
        "is_patient": is_patient,
        "can_write": can_write,
        "can_mark": is_therapist and appointment.status == AppointmentStatus.BOOKED,
        "program": is_therapist and may_see_record(appointment.therapist, appointment.patient),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def unread_messages(context: Any) -> int:
    """Unread messages waiting for the signed-in person (for a navigation badge)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    return messaging.unread_count(request.user)
