"""Template tags other apps' pages use to show the clinic's part (attendance, messages)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from rehabit.accounts.roles import is_staff_role
from rehabit.booking.models import AppointmentStatus
from rehabit.clinic import messaging
from rehabit.clinic.relations import may_see_record, related, therapist_record

register = template.Library()


@register.inclusion_tag("clinic/_appointment_panel.html", takes_context=True)
def appointment_panel(context: Any, appointment: Any, write_below: bool = False) -> dict[str, Any]:
    """On an appointment page: attendance (both participants, once the session has begun
    or was marked), and the ways to write to each other; for the therapist, marking
    attendance and the patient's program. ``write_below``: the page offers the patient
    "Write to <therapist>" further down (once they can no longer move or cancel it online,
    under the sentence telling them to write), so the panel offers no second button to the
    same thread."""
    request = context["request"]
    user = request.user
    mine = therapist_record(user)
    is_therapist = mine is not None and mine.pk == appointment.therapist_id
    is_patient = user.is_authenticated and user.pk == appointment.patient_id
    can_write = (is_therapist or (is_patient and not write_below)) and related(
        appointment.therapist, appointment.patient
    )
    # Attendance is a fact about a session that has begun: before then there is nothing to
    # mark or read ("Attendance: Not marked yet" on a session days away read as a worry).
    started = appointment.start <= timezone.now()
    return {
        "appointment": appointment,
        "is_therapist": is_therapist,
        "is_patient": is_patient,
        "can_write": can_write,
        "attendance_shown": bool(appointment.attendance)
        or (started and appointment.status != AppointmentStatus.CANCELLED),
        "can_mark": is_therapist and started and appointment.status == AppointmentStatus.BOOKED,
        "program": is_therapist and may_see_record(appointment.therapist, appointment.patient),
        "csrf_token": context.get("csrf_token"),
    }


def _patient_unread(request: Any) -> tuple[bool, int]:
    """(whether the site navigation has a "Messages" item: a signed-in patient's; their
    unread messages), asked once per request (the menu button and the item both show it)."""
    found = getattr(request, "_rehabit_unread", None)
    if found is None:
        user = getattr(request, "user", None)
        shown = bool(user is not None and user.is_authenticated and not is_staff_role(user))
        found = (shown, messaging.unread_for_patient(user) if shown else 0)
        if request is not None:
            request._rehabit_unread = found
    return found


@register.simple_tag(takes_context=True)
def unread_messages(context: Any) -> int:
    """A signed-in patient's unread messages (0 for anyone else): shown on the phone's
    closed "Menu" button too, where the "Messages" item is out of sight."""
    return _patient_unread(context.get("request"))[1]


@register.inclusion_tag("clinic/_nav_messages.html", takes_context=True)
def messages_nav(context: Any) -> dict[str, Any]:
    """The "Messages" item of the site navigation for a signed-in patient, with the number
    of unread messages (therapists have theirs in the workspace navigation)."""
    request = context.get("request")
    shown, unread = _patient_unread(request)
    return {
        "shown": shown,
        "unread": unread,
        "current": shown
        and request.resolver_match is not None
        and request.resolver_match.namespace == "clinic",
    }
