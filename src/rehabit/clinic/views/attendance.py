"""The therapist marks one of their sessions attended or a no-show."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rehabit.booking.models import Attendance
from rehabit.booking.people import display_name, zone_of
from rehabit.booking.timefmt import format_span
from rehabit.clinic import attendance as service
from rehabit.clinic.errors import FieldErrors, NotPossible, Refused
from rehabit.clinic.views.common import therapist_only


@require_http_methods(["GET", "POST"])
@therapist_only
def attendance(request: HttpRequest, appointment_id: UUID) -> HttpResponse:
    try:
        appointment = service.appointment_for_therapist(request, appointment_id)
    except Refused:
        raise Http404(_("No such session of yours.")) from None
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            service.mark(request, appointment, request.POST.get("attendance"))
        except FieldErrors as exc:
            errors = exc.errors
        except NotPossible as exc:
            flash.error(request, str(exc))
            return redirect("clinic:attendance", appointment_id=appointment.pk)
        else:
            flash.success(request, _("Attendance saved."))
            return redirect("booking:appointment", appointment_id=appointment.pk)
    return render(
        request,
        "clinic/attendance.html",
        {
            "appointment": appointment,
            "patient_name": display_name(appointment.patient),
            "when": format_span(appointment.start, appointment.end, zone_of(request.user)),
            "choices": [(v, label) for v, label in Attendance.choices if v],
            "errors": errors,
        },
        status=422 if errors else 200,
    )
