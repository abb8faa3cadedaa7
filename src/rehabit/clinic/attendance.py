"""The therapist marks a session attended or a no-show: once it has started, only its own
therapist, audited; shown to both on the appointment page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from rehabit.audit.models import AuditAction
from rehabit.audit.services import record
from rehabit.booking.models import Appointment, AppointmentStatus, Attendance
from rehabit.clinic.errors import FieldErrors, NotPossible, Refused
from rehabit.clinic.relations import therapist_record

MARKS = (Attendance.ATTENDED, Attendance.NO_SHOW)


def appointment_for_therapist(request: HttpRequest, appointment_id: Any) -> Appointment:
    """The signed-in therapist's own appointment (Refused for anyone else)."""
    therapist = therapist_record(request.user)
    found = (
        Appointment.objects.filter(pk=appointment_id, therapist=therapist)
        .select_related("therapist", "patient", "session_type")
        .first()
        if therapist is not None
        else None
    )
    if found is None:
        raise Refused(_("Only the session's therapist can mark attendance."))
    return found


def mark(request: HttpRequest, appointment: Appointment, value: Any) -> Appointment:
    """Record attended / no-show (a correction replaces the earlier mark)."""
    therapist = therapist_record(request.user)
    if therapist is None or appointment.therapist_id != therapist.pk:
        raise Refused(_("Only the session's therapist can mark attendance."))
    if value not in MARKS:
        raise FieldErrors({"attendance": [_("Choose attended or did not attend.")]})
    if appointment.status != AppointmentStatus.BOOKED:
        raise NotPossible(_("This session was moved or cancelled, so there is nothing to mark."))
    if timezone.now() < appointment.start:
        raise NotPossible(_("Attendance can be marked once the session has started."))
    if appointment.attendance != value:
        before = appointment.attendance
        Appointment.objects.filter(pk=appointment.pk).update(attendance=value)
        appointment.attendance = value
        record(
            AuditAction.RECORD_CHANGED,
            request=request,
            subject=appointment.patient,
            target_type="appointment",
            target_id=appointment.pk,
            details={"change": "attendance", "from": before, "to": value},
        )
    return appointment
