"""Booking a session, and the signed-in person's upcoming appointments (the
``/appointments`` collection)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Header, Query, Router, Status

from rehabit.api.auth import signed_in
from rehabit.api.booking.appointments import (
    AppointmentIn,
    AppointmentOut,
    ConflictOut,
    TooManyOut,
    appointment_out,
    refused_answer,
)
from rehabit.api.booking.common import error_body, response_zone, zone_error
from rehabit.api.schemas import NotFoundOut, ValidationErrorOut
from rehabit.booking import idempotency, limits, services
from rehabit.booking.messages import BookingRefused
from rehabit.booking.models import Therapist
from rehabit.booking.people import set_sharing, shares_record
from rehabit.booking.selectors import upcoming_for

router = Router(tags=["booking"])


def _current_share(user: Any, therapist_id: int) -> bool:
    """The person's current sharing choice for this therapist (False for an unknown one:
    the booking itself then says the therapist does not exist)."""
    return shares_record(user, Therapist.objects.filter(pk=therapist_id).first())


@router.post(
    "/appointments",
    auth=signed_in,
    response={
        201: AppointmentOut,
        400: ValidationErrorOut,
        403: NotFoundOut,
        404: NotFoundOut,
        409: ConflictOut,
        422: ValidationErrorOut,
        429: TooManyOut,
    },
    summary="Book a session",
    operation_id="rehabit_api_booking_create_appointment",
)
def create_appointment(
    request: HttpRequest,
    response: HttpResponse,
    payload: AppointmentIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=idempotency.MAX_KEY_LENGTH,
        description="Required. A retry with the same key and body replays the first answer; "
        "the same key with another body is refused with 422.",
    ),
) -> Status[dict[str, Any]]:
    """Books `start` with the therapist if the slot engine offers it at that moment. The
    loser of a race for the same time gets 409 with the nearest free alternatives."""
    if not idempotency_key or not idempotency_key.strip():
        return Status(
            400, error_body(["header", "Idempotency-Key"], "Send an Idempotency-Key header.")
        )
    zone = response_zone(request, payload.time_zone)
    problem = zone_error(zone, ["body", "payload", "time_zone"])
    if problem:
        return Status(422, problem)
    try:
        limits.count_write(request)
    except BookingRefused as refused:
        return refused_answer(refused, zone, response)
    body = json.loads(payload.model_dump_json())

    def work() -> idempotency.Outcome:
        try:
            appointment = services.book(
                patient=request.user,
                therapist_id=payload.therapist_id,
                kind=payload.session_type,
                start=payload.start,
                share_record=(
                    payload.share_record
                    if payload.share_record is not None
                    else _current_share(request.user, payload.therapist_id)
                ),
                request=request,
            )
        except BookingRefused as refused:
            answer = refused_answer(refused, zone)
            body = json.loads(json.dumps(answer.value, default=_json))
            return idempotency.Outcome(answer.status_code, body)
        set_sharing(appointment, request)
        out = appointment_out(appointment, request.user, zone)
        return idempotency.Outcome(201, json.loads(json.dumps(out, default=_json)))

    try:
        outcome = idempotency.run(
            request.user,
            "api:" + idempotency_key.strip(),
            idempotency.fingerprint("POST", "/api/v1/appointments", body),
            work,
        )
    except idempotency.KeyMisuse as exc:
        if exc.status == 409:
            return Status(409, {"detail": exc.message, "code": "in_progress", "alternatives": []})
        return Status(422, error_body(["header", "Idempotency-Key"], exc.message))
    if outcome.replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(outcome.status, outcome.body)


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


@router.get(
    "/appointments",
    auth=signed_in,
    response={200: list[AppointmentOut], 403: NotFoundOut, 422: ValidationErrorOut},
    summary="My upcoming appointments",
    operation_id="rehabit_api_booking_list_appointments",
)
def list_appointments(
    request: HttpRequest, tz: str | None = Query(None, max_length=64)
) -> Status[Any]:
    """The signed-in person's active appointments that are not over yet (as patient or
    therapist), soonest first, in `tz` (default: their profile's zone)."""
    zone = response_zone(request, tz)
    problem = zone_error(zone, ["query", "tz"])
    if problem:
        return Status(422, problem)
    return Status(200, [appointment_out(a, request.user, zone) for a in upcoming_for(request.user)])
