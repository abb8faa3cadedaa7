"""Alerts from check-ins, what needs the therapist's attention, and attendance."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from rehabit.api.auth import signed_in
from rehabit.api.clinic.common import field_errors, iso
from rehabit.api.schemas import MessageOut, NotFoundOut, ValidationErrorOut
from rehabit.clinic import alerts as alert_service
from rehabit.clinic import attendance as attendance_service
from rehabit.clinic.attention import needs_attention
from rehabit.clinic.errors import FieldErrors, NotPossible, Refused
from rehabit.clinic.relations import therapist_record
from rehabit.clinic.views.alerts import alert_view, alert_views

router = Router(tags=["therapist workspace"])


class SignOut(Schema):
    sign: str
    action: str = Field(description="The advice the patient was shown.")
    level: str


class StepOut(Schema):
    name: str
    text: str


class AlertOut(Schema):
    id: UUID
    kind: str = Field(description="warning_sign | worsening | ready | exercise_paused")
    urgency: str = Field(description="emergency | urgent | soon | routine")
    patient_id: int
    patient_name: str
    raised_at: str
    acknowledged_at: str | None
    signs: list[SignOut]
    steps: list[StepOut]


def _alert_out(row: dict[str, Any]) -> dict[str, Any]:
    alert = row["alert"]
    return {
        "id": alert.pk,
        "kind": alert.kind,
        "urgency": alert.urgency,
        "patient_id": alert.patient_id,
        "patient_name": row["patient_name"],
        "raised_at": iso(alert.raised_at),
        "acknowledged_at": iso(alert.acknowledged_at),
        "signs": row["signs"],
        "steps": row["steps"],
    }


@router.get(
    "/alerts",
    auth=signed_in,
    response={200: list[AlertOut], 403: MessageOut, 422: ValidationErrorOut},
    summary="My open alerts",
)
def list_alerts(request: HttpRequest, all: bool = False) -> Status[Any]:  # noqa: A002
    """For therapists: alerts from patients' check-ins (only patients who share their
    record with you; each listing audited). ``all=true`` includes acknowledged ones.
    Anyone else has none (an empty list)."""
    if therapist_record(request.user) is None:
        return Status(200, [])
    found = alert_service.alerts_for(request, include_acknowledged=all)
    return Status(200, [_alert_out(row) for row in alert_views(found)])


@router.post(
    "/alerts/{alert_id}/acknowledge",
    auth=signed_in,
    response={200: AlertOut, 404: NotFoundOut, 403: MessageOut, 422: ValidationErrorOut},
    summary="Acknowledge an alert",
)
def acknowledge_alert(request: HttpRequest, alert_id: UUID) -> Status[Any]:
    try:
        alert = alert_service.acknowledge(request, alert_id)
    except Refused:
        return Status(404, {"detail": _("No such alert for you.")})
    return Status(200, _alert_out(alert_view(alert)))


class AttentionOut(Schema):
    kind: str = Field(description="alert | messages")
    urgency: str = Field(description="emergency | urgent | soon | message | routine")
    title: str
    patient_id: int
    patient_name: str
    at: str
    url: str
    count: int
    alert_id: str | None
    alert_kind: str | None
    thread_id: str | None


@router.get(
    "/attention",
    auth=signed_in,
    response={200: list[AttentionOut], 403: MessageOut, 422: ValidationErrorOut},
    summary="What needs my attention",
)
def attention(request: HttpRequest) -> Status[Any]:
    """For therapists: open alerts and unread messages, most urgent first (the therapist
    home page's list). Anyone else: an empty list."""
    items = [
        {**i.to_dict(), "at": iso(i.at)} for i in needs_attention(request.user, request=request)
    ]
    return Status(200, items)


# --- Attendance -------------------------------------------------------------------------


class AttendanceIn(Schema):
    attendance: Literal["attended", "no_show"]


class AttendanceOut(Schema):
    appointment_id: UUID
    attendance: str = Field(description='"" (not marked) | attended | no_show')


@router.put(
    "/appointments/{appointment_id}/attendance",
    auth=signed_in,
    response={
        200: AttendanceOut,
        403: MessageOut,
        404: NotFoundOut,
        409: MessageOut,
        422: ValidationErrorOut,
    },
    summary="Mark a session attended or a no-show",
)
def put_attendance(
    request: HttpRequest, appointment_id: UUID, payload: AttendanceIn
) -> Status[Any]:
    """Only the session's therapist, once it has started (409 before, or for a moved or
    cancelled session)."""
    try:
        appointment = attendance_service.appointment_for_therapist(request, appointment_id)
        attendance_service.mark(request, appointment, payload.attendance)
    except Refused:
        return Status(404, {"detail": _("No such session of yours.")})
    except NotPossible as exc:
        return Status(409, {"detail": str(exc)})
    except FieldErrors as exc:
        return Status(422, field_errors(exc))
    return Status(200, {"appointment_id": appointment.pk, "attendance": appointment.attendance})
