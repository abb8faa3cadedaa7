"""An appointment as the booking API shows and takes it, and the refusals it answers with
(409 with the nearest free alternatives, 429 with the wait)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpResponse
from ninja import Field, Schema, Status

from rehabit.api.booking.common import error_body
from rehabit.api.booking.therapists import SessionTypeOut, SlotOut, session_type_out, slot_out
from rehabit.booking import messages as msg
from rehabit.booking import video
from rehabit.booking.ics import join_url, manage_url
from rehabit.booking.messages import BookingRefused
from rehabit.booking.models import Appointment
from rehabit.core.inputs import Instant
from rehabit.scheduling import validate_zone


class TherapistRef(Schema):
    id: int
    name: str
    time_zone: str


class AppointmentOut(Schema):
    id: UUID
    status: str = Field(description="booked | moved | cancelled")
    therapist: TherapistRef
    session_type: SessionTypeOut
    start: datetime = Field(description="In the viewer's zone (time_zone)")
    end: datetime
    time_zone: str
    therapist_start: datetime = Field(description="The same instant in the therapist's zone")
    share_record: bool
    moved_from: UUID | None
    moved_to: UUID | None
    change_deadline: datetime = Field(
        description="Until this instant the patient may cancel or move the appointment"
    )
    cancellation_policy: str
    manage_url: str
    join_url: str | None = Field(
        description="Set for the two participants from shortly before the start until the end"
    )
    attendance: str = Field(
        "", description="attended | no_show, once the therapist has marked it; empty before"
    )


class ConflictOut(Schema):
    detail: str
    code: str = Field(
        description="taken | daily_limit | window_closed | not_active | too_many_bookings"
    )
    alternatives: list[SlotOut]


class TooManyOut(Schema):
    detail: str
    code: str = Field(description="rate_limited")
    retry_after: int = Field(description="Seconds to wait (also in the Retry-After header)")


class AppointmentIn(Schema):
    therapist_id: int
    session_type: str = Field(max_length=32, description="first_assessment | follow_up")
    start: Instant = Field(description="ISO 8601 with a UTC offset, e.g. 2026-03-02T09:00:00Z")
    share_record: bool | None = Field(
        None,
        description="Share my assessments and progress with this therapist (consent). Left "
        "out, the current choice for this therapist is kept (not shared if never chosen).",
    )
    time_zone: str | None = Field(None, max_length=64, description="Zone for the response")


class RescheduleIn(Schema):
    start: Instant = Field(description="The new start, ISO 8601 with a UTC offset")
    session_type: str | None = Field(None, max_length=32)
    time_zone: str | None = Field(None, max_length=64)


class CancelIn(Schema):
    reason: str = Field(
        "",
        description="Shown to the other person in the cancellation e-mail (up to 300 "
        "characters; invisible formatting characters are removed).",
    )


def appointment_out(appointment: Appointment, user: Any, zone: str) -> dict[str, Any]:
    tz = validate_zone(zone)
    therapist = appointment.therapist
    successor = Appointment.objects.filter(moved_from=appointment).values_list("pk", flat=True)
    deadline = msg.change_deadline(appointment)
    participant = video.is_participant(user, appointment)
    return {
        "id": appointment.pk,
        "status": appointment.status,
        "therapist": {"id": therapist.pk, "name": therapist.name, "time_zone": therapist.time_zone},
        "session_type": session_type_out(appointment.session_type),
        "start": appointment.start.astimezone(tz),
        "end": appointment.end.astimezone(tz),
        "time_zone": zone,
        "therapist_start": appointment.start.astimezone(validate_zone(therapist.time_zone)),
        "share_record": appointment.share_record,
        "attendance": appointment.attendance,
        "moved_from": appointment.moved_from_id,
        "moved_to": successor.first(),
        "change_deadline": deadline.astimezone(tz),
        "cancellation_policy": msg.policy_sentence(deadline, zone),
        "manage_url": manage_url(appointment),
        "join_url": join_url(appointment) if participant and video.is_open(appointment) else None,
    }


def refused_answer(
    refused: BookingRefused, zone: str, response: HttpResponse | None = None
) -> Status[dict[str, Any]]:
    if refused.status == 429:
        if response is not None:
            response["Retry-After"] = str(refused.retry_after or 1)
        return Status(
            429,
            {
                "detail": refused.message,
                "code": refused.code,
                "retry_after": refused.retry_after or 1,
            },
        )
    if refused.status == 409:
        return Status(
            409,
            {
                "detail": refused.message,
                "code": refused.code,
                "alternatives": [slot_out(s, zone) for s in refused.alternatives],
            },
        )
    if refused.status == 404:
        return Status(404, {"detail": refused.message})
    body = error_body(["body", "payload", refused.field], refused.message)
    return Status(422, {**body, "code": refused.code})
