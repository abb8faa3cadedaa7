"""One of the signed-in person's appointments: read it, move it, or cancel it (with a
reason for the other person, or without)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from rehabit.api.auth import signed_in
from rehabit.api.booking.appointments import (
    AppointmentOut,
    CancelIn,
    ConflictOut,
    RescheduleIn,
    TooManyOut,
    appointment_out,
    refused_answer,
)
from rehabit.api.booking.common import error_body, response_zone, zone_error
from rehabit.api.schemas import NotFoundOut, ValidationErrorOut
from rehabit.booking import limits, services
from rehabit.booking.messages import BookingRefused
from rehabit.booking.models import CANCEL_REASON_MAX
from rehabit.booking.selectors import find_appointment, visible_appointments
from rehabit.mail.words import their_words

router = Router(tags=["booking"])


@router.get(
    "/appointments/{appointment_id}",
    auth=signed_in,
    response={200: AppointmentOut, 403: NotFoundOut, 404: NotFoundOut, 422: ValidationErrorOut},
    summary="One of my appointments",
    operation_id="rehabit_api_booking_get_appointment",
)
def get_appointment(
    request: HttpRequest, appointment_id: UUID, tz: str | None = Query(None, max_length=64)
) -> Status[dict[str, Any]]:
    zone = response_zone(request, tz)
    problem = zone_error(zone, ["query", "tz"])
    if problem:
        return Status(422, problem)
    found = find_appointment(request.user, appointment_id)
    if found is None:
        return Status(404, {"detail": "No such appointment."})
    return Status(200, appointment_out(found, request.user, zone))


# What a move or a cancellation may answer.
_CHANGE_RESPONSES = {
    200: AppointmentOut,
    403: NotFoundOut,
    404: NotFoundOut,
    409: ConflictOut,
    422: ValidationErrorOut,
    429: TooManyOut,
}


@router.patch(
    "/appointments/{appointment_id}",
    auth=signed_in,
    response=_CHANGE_RESPONSES,
    summary="Move an appointment",
    operation_id="rehabit_api_booking_reschedule_appointment",
)
def reschedule_appointment(
    request: HttpRequest, response: HttpResponse, appointment_id: UUID, payload: RescheduleIn
) -> Status[dict[str, Any]]:
    """Moves the appointment to `start` (checked by the slot engine). Returns the new
    appointment; `moved_from` links back to the old one, which now has status `moved`.
    Patients may do this only until `change_deadline`; therapists at any time."""
    zone = response_zone(request, payload.time_zone)
    problem = zone_error(zone, ["body", "payload", "time_zone"])
    if problem:
        return Status(422, problem)
    found = visible_appointments(request.user).filter(pk=appointment_id).first()
    if found is None:
        return Status(404, {"detail": "No such appointment."})
    try:
        limits.count_write(request)
        moved = services.reschedule(
            found.pk,
            actor=request.user,
            start=payload.start,
            kind=payload.session_type,
            zone=zone,
            request=request,
        )
    except BookingRefused as refused:
        return refused_answer(refused, zone, response)
    return Status(200, appointment_out(moved, request.user, zone))


@router.post(
    "/appointments/{appointment_id}/cancel",
    auth=signed_in,
    response=_CHANGE_RESPONSES,
    summary="Cancel an appointment, with a reason",
    operation_id="rehabit_api_booking_cancel_appointment_with_reason",
)
def cancel_appointment_with_reason(
    request: HttpRequest,
    response: HttpResponse,
    appointment_id: UUID,
    payload: CancelIn,
    tz: str | None = Query(None, max_length=64),
) -> Status[dict[str, Any]]:
    """Cancels the appointment, telling the other person why (`reason`, up to 300
    characters, in the body: an address's query is written in access logs, and the reason
    may say how the person is). Patients may do this only until `change_deadline`;
    therapists at any time."""
    return _cancel(request, response, appointment_id, payload.reason, tz, ["body", "reason"])


@router.delete(
    "/appointments/{appointment_id}",
    auth=signed_in,
    response=_CHANGE_RESPONSES,
    summary="Cancel an appointment",
    operation_id="rehabit_api_booking_cancel_appointment",
)
def cancel_appointment(
    request: HttpRequest,
    response: HttpResponse,
    appointment_id: UUID,
    tz: str | None = Query(None, max_length=64),
) -> Status[dict[str, Any]]:
    """Cancels the appointment without a reason; its time is free at once. Patients may do
    this only until `change_deadline`; therapists at any time. A reason goes in the body of
    `POST /appointments/{appointment_id}/cancel`: one in this address's query is refused
    (422), as query strings are written in access logs."""
    if request.GET.get("reason"):
        return Status(
            422,
            error_body(
                ["query", "reason"],
                _(
                    "Send the reason in the body of POST /api/v1/appointments/{id}/cancel, "
                    "not in the address: addresses are written in access logs."
                ),
            ),
        )
    return _cancel(request, response, appointment_id, "", tz, ["body", "reason"])


def _cancel(
    request: HttpRequest,
    response: HttpResponse,
    appointment_id: UUID,
    reason: str,
    tz: str | None,
    where: list[str],
) -> Status[dict[str, Any]]:
    zone = response_zone(request, tz)
    problem = zone_error(zone, ["query", "tz"])
    if problem:
        return Status(422, problem)
    # As the page's form: what the other person reads, cleaned by the one rule for it.
    words, wrong = their_words(reason, limit=CANCEL_REASON_MAX, required=False, what="reason")
    if wrong:
        return Status(422, error_body(where, wrong))
    found = visible_appointments(request.user).filter(pk=appointment_id).first()
    if found is None:
        return Status(404, {"detail": "No such appointment."})
    try:
        limits.count_write(request)
        cancelled = services.cancel(
            found.pk, actor=request.user, reason=words, zone=zone, request=request
        )
    except BookingRefused as refused:
        return refused_answer(refused, zone, response)
    return Status(200, appointment_out(cancelled, request.user, zone))
