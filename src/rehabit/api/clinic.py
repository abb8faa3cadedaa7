"""The therapist's workspace and the patient's side of it: prescriptions, messages, alerts,
attendance and what needs the therapist's attention.

The same services as the pages (``rehabit.clinic``). Every endpoint needs the site's
session sign-in (writes carry the CSRF token, ``X-CSRFToken``); anonymous callers get 403.
A prescription is read and changed only by a therapist who may see the patient's record
(an appointment relationship and the patient's share with them); messages need the
relationship only; a patient reads their own. Instants are ISO 8601 in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import SessionAuth
from pydantic import Field

from rehabit.accounts.records import audit_record_read
from rehabit.accounts.roles import is_staff_role
from rehabit.api.schemas import MessageOut, NotFoundOut, ValidationErrorOut, validation_error_body
from rehabit.booking.people import display_name
from rehabit.care.models import PRESCRIPTION_TEXT_MAX
from rehabit.care.presenters import dosage_lines, explain_item
from rehabit.care.programs import prescription_out, program_for
from rehabit.clinic import alerts as alert_service
from rehabit.clinic import attendance as attendance_service
from rehabit.clinic import messaging, prescribing
from rehabit.clinic.attention import needs_attention
from rehabit.clinic.errors import FieldErrors, NotPossible, Refused
from rehabit.clinic.models import MESSAGE_MAX_LENGTH, Message, MessageThread
from rehabit.clinic.relations import therapist_record
from rehabit.clinic.views.alerts import alert_view
from rehabit.clinical.program import DOSAGE_LIMITS

router = Router(tags=["therapist workspace"])


class SignedIn(SessionAuth):
    """The site's session sign-in (with its CSRF check on writes); anonymous: 403."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated:
            return request.user
        raise HttpError(403, "Sign in to use this endpoint.")


signed_in = SignedIn()
Rule = Literal["automatic", "hold", "with_therapist"]


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


# --- Prescriptions -------------------------------------------------------------------------


class DosageIn(Schema):
    sets: int | None = Field(None, ge=DOSAGE_LIMITS["sets"][0], le=DOSAGE_LIMITS["sets"][1])
    reps: int | None = Field(None, ge=DOSAGE_LIMITS["reps"][0], le=DOSAGE_LIMITS["reps"][1])
    hold_seconds: int | None = Field(None, ge=1, le=DOSAGE_LIMITS["hold_seconds"][1])
    minutes: int | None = Field(None, ge=1, le=DOSAGE_LIMITS["minutes"][1])
    rest_seconds: int | None = Field(None, ge=1, le=DOSAGE_LIMITS["rest_seconds"][1])
    per_day: int | None = Field(None, ge=1, le=DOSAGE_LIMITS["per_day"][1])
    days_per_week: int | None = Field(None, ge=1, le=DOSAGE_LIMITS["days_per_week"][1])


class PrescriptionItemIn(Schema):
    family: str = Field(max_length=64, description="The exercise family (see /exercises).")
    exercise_id: str | None = Field(
        max_length=64, description="The exercise (so the level) to do; null stops the family."
    )
    dosage: DosageIn = Field(
        default_factory=DosageIn, description="Numbers replacing the library's; omit to keep them."
    )  # type: ignore[arg-type]
    rule: Rule = Field("automatic", description="automatic | hold | with_therapist")
    note: str = Field("", max_length=PRESCRIPTION_TEXT_MAX, description="Shown to the patient.")


class PrescriptionIn(Schema):
    items: list[PrescriptionItemIn] = Field(
        max_length=20,
        description="The whole prescription: a family not listed goes back to the automatic "
        "program.",
    )
    reason: str = Field(
        min_length=1, max_length=PRESCRIPTION_TEXT_MAX, description="Shown to the patient."
    )


class PrescribedOut(Schema):
    family: str
    exercise_id: str | None
    dosage: dict[str, int]
    rule: str
    note: str
    reason: str
    prescribed_by: str
    prescribed_at: str


class PrescriptionProgramItemOut(Schema):
    exercise_id: str
    name: str
    family: str
    level: int
    levels: list[int]
    dosage: dict[str, Any]
    dosage_text: list[str]
    rule: str
    progress: str
    prescription: PrescribedOut | None


class PrescriptionOut(Schema):
    patient_id: int
    assessment_id: UUID | None = Field(description="The program's assessment (the latest).")
    prescribable: bool = Field(description="False while the program is withheld for safety.")
    phase: str | None
    items: list[PrescriptionProgramItemOut]
    stopped: list[PrescribedOut]


def _prescribed(found: Any) -> dict[str, Any] | None:
    out = prescription_out(found)
    if out is not None:
        out["prescribed_at"] = _iso(out["prescribed_at"])
    return out


def _prescription_body(patient: Any) -> dict[str, Any]:
    assessment = prescribing.current_assessment(patient)
    body: dict[str, Any] = {
        "patient_id": patient.pk,
        "assessment_id": assessment.pk if assessment else None,
        "prescribable": False,
        "phase": None,
        "items": [],
        "stopped": [],
    }
    if assessment is None:
        return body
    care = program_for(assessment)
    body.update(
        prescribable=care.prescribable,
        phase=care.phase,
        items=[
            {
                "exercise_id": item.exercise.id,
                "name": item.exercise.name,
                "family": item.family,
                "level": item.level,
                "levels": list(item.levels),
                "dosage": dict(item.dosage),
                "dosage_text": dosage_lines(item.dosage),
                "rule": item.rule,
                "progress": explain_item(item),
                "prescription": _prescribed(item.prescription),
            }
            for item in care.items
        ],
        stopped=[_prescribed(p) for p in care.stopped],
    )
    return body


def _patient_for_therapist(request: HttpRequest, patient_id: int) -> tuple[int, Any]:
    patient = get_user_model().objects.filter(pk=patient_id, is_active=True).first()
    if patient is None or is_staff_role(patient) or therapist_record(request.user) is None:
        return 404, {"detail": _("No such patient.")}
    assessment = prescribing.current_assessment(patient)
    if not audit_record_read(request, patient, target=assessment):
        return 403, {
            "detail": _(
                "Only a therapist the patient has a session with, and who the patient shares "
                "their record with, can see or change their program."
            )
        }
    return 200, patient


@router.get(
    "/patients/{patient_id}/prescription",
    auth=signed_in,
    response={200: PrescriptionOut, 403: MessageOut, 404: NotFoundOut},
    summary="A patient's home program as prescribed",
)
def get_prescription(request: HttpRequest, patient_id: int) -> Status[Any]:
    """The program of the patient's latest assessment with the therapist's prescription
    applied: each exercise at its level, dosage, progression rule and reason. Audited."""
    status, found = _patient_for_therapist(request, patient_id)
    if status != 200:
        return Status(status, found)
    return Status(200, _prescription_body(found))


@router.put(
    "/patients/{patient_id}/prescription",
    auth=signed_in,
    response={
        200: PrescriptionOut,
        403: MessageOut,
        404: NotFoundOut,
        409: MessageOut,
        422: ValidationErrorOut,
    },
    summary="Set a patient's home program",
)
def put_prescription(request: HttpRequest, patient_id: int, payload: PrescriptionIn) -> Status[Any]:
    """Replace the prescription: each listed family at the given exercise (null: stopped),
    dosage, rule and note; families not listed go back to the automatic program. The
    patient sees the change with ``reason`` and gets an e-mail without details. 409 when
    the patient has no assessment or their program is withheld for safety; 422 names
    every bad field."""
    status, patient = _patient_for_therapist(request, patient_id)
    if status != 200:
        return Status(status, patient)
    raw = [
        {**item.model_dump(), "dosage": item.dosage.model_dump(exclude_none=True)}
        for item in payload.items
    ]
    try:
        items = prescribing.clean_items(raw)
        reason = prescribing.clean_reason(payload.reason)
        prescribing.prescribe(request, patient, items, reason, replace=True)
    except FieldErrors as exc:
        return Status(422, _field_errors(exc))
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    except NotPossible as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, _prescription_body(patient))


def _field_errors(exc: FieldErrors) -> dict[str, Any]:
    """422 body: each error located in the body (``items.0.dosage.sets`` -> its parts)."""
    body = validation_error_body(exc.errors, ["body", "payload"])
    for entry in body["detail"]:
        entry["loc"] = [part for loc in entry["loc"] for part in str(loc).split(".")]
    return body


# --- Messages ---------------------------------------------------------------------------


class PartyOut(Schema):
    kind: str = Field(description="patient | therapist")
    id: int = Field(description="The patient's account id, or the therapist's id.")
    name: str


class ThreadOut(Schema):
    id: UUID
    with_: PartyOut = Field(alias="with")
    unread: int
    last_message_at: str | None
    reply_within_days: int = Field(description="The therapist usually replies within this.")
    can_send: bool


class ThreadStartIn(Schema):
    therapist_id: int | None = Field(None, description="For a patient: the therapist.")
    patient_id: int | None = Field(None, description="For a therapist: the patient.")


class MessageItemOut(Schema):
    id: UUID
    from_me: bool
    from_patient: bool
    body: str
    sent_at: str
    read_at: str | None


class ThreadDetailOut(ThreadOut):
    notice: str = Field(description="Messages are not for emergencies; the reply time.")
    messages: list[MessageItemOut]


class MessageIn(Schema):
    body: str = Field(min_length=1, max_length=MESSAGE_MAX_LENGTH)


class MarkedOut(Schema):
    marked: int


def _thread_out(user: Any, thread: MessageThread) -> dict[str, Any]:
    is_therapist = messaging.side_of(user, thread) == "therapist"
    return {
        "id": thread.pk,
        "with": {
            "kind": "patient" if is_therapist else "therapist",
            "id": thread.patient_id if is_therapist else thread.therapist_id,
            "name": display_name(thread.patient) if is_therapist else thread.therapist.name,
        },
        "unread": messaging.unread_in(user, thread),
        "last_message_at": _iso(thread.last_message_at),
        "reply_within_days": messaging.reply_days(thread.therapist),
        "can_send": messaging.can_send(user, thread),
    }


def _message_out(user: Any, message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "from_me": message.sender_id == user.pk,
        "from_patient": message.from_patient,
        "body": message.body,
        "sent_at": _iso(message.sent_at),
        "read_at": _iso(message.read_at),
    }


def _notice(days: int) -> str:
    return " ".join(
        (
            _("Messages are not for emergencies. In an emergency, call %(number)s.")
            % {"number": settings.REHABIT_EMERGENCY_NUMBER},
            _("The therapist usually replies within %(n)s working days.") % {"n": days},
        )
    )


def _readable_thread(request: HttpRequest, thread_id: UUID) -> MessageThread | None:
    found = (
        MessageThread.objects.select_related("patient", "therapist").filter(pk=thread_id).first()
    )
    if found is None or not messaging.can_read(request.user, found):
        return None
    return found


@router.get(
    "/messages/threads",
    auth=signed_in,
    response={200: list[ThreadOut], 403: MessageOut},
    summary="My conversations",
    by_alias=True,
)
def list_threads(request: HttpRequest) -> Status[Any]:
    """Conversations the signed-in person may open, newest first, with unread counts."""
    return Status(200, [_thread_out(request.user, t) for t in messaging.threads_of(request.user)])


@router.post(
    "/messages/threads",
    auth=signed_in,
    response={200: ThreadOut, 403: MessageOut, 422: ValidationErrorOut},
    summary="Open a conversation",
    by_alias=True,
)
def start_thread(request: HttpRequest, payload: ThreadStartIn) -> Status[Any]:
    """The conversation with a therapist (for a patient) or a patient (for a therapist),
    made on first use; 403 without an appointment relationship now."""
    try:
        thread = messaging.open_thread(
            request.user, therapist_id=payload.therapist_id, patient_id=payload.patient_id
        )
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    return Status(200, _thread_out(request.user, thread))


@router.get(
    "/messages/threads/{thread_id}",
    auth=signed_in,
    response={200: ThreadDetailOut, 403: MessageOut, 404: NotFoundOut},
    summary="Read a conversation",
    by_alias=True,
)
def get_thread(request: HttpRequest, thread_id: UUID) -> Status[Any]:
    """Every message, oldest first (a therapist's read is audited). Marks nothing read:
    ``POST …/read`` does."""
    thread = _readable_thread(request, thread_id)
    if thread is None:
        return Status(404, {"detail": _("No such conversation.")})
    shown = messaging.read_thread(request, thread)
    out = _thread_out(request.user, thread)
    out["notice"] = _notice(out["reply_within_days"])
    out["messages"] = [_message_out(request.user, m) for m in shown]
    return Status(200, out)


@router.post(
    "/messages/threads/{thread_id}/messages",
    auth=signed_in,
    response={
        200: MessageItemOut,
        201: MessageItemOut,
        403: MessageOut,
        404: NotFoundOut,
        422: ValidationErrorOut,
    },
    summary="Send a message",
)
def send_message(
    request: HttpRequest,
    response: HttpResponse,
    thread_id: UUID,
    payload: MessageIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=messaging.TOKEN_MAX,
        description="Optional. A retry with the same key returns the first message (200).",
    ),
) -> Status[Any]:
    """201 with the message. The other side gets an e-mail that a message is waiting
    (never its text). Text with control characters is refused (422)."""
    thread = _readable_thread(request, thread_id)
    if thread is None:
        return Status(404, {"detail": _("No such conversation.")})
    try:
        message, created = messaging.send(
            request.user, thread, payload.body, token=idempotency_key or ""
        )
    except FieldErrors as exc:
        return Status(422, _field_errors(exc))
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, _message_out(request.user, message))


@router.post(
    "/messages/threads/{thread_id}/read",
    auth=signed_in,
    response={200: MarkedOut, 404: NotFoundOut},
    summary="Mark a conversation read",
)
def mark_thread_read(request: HttpRequest, thread_id: UUID) -> Status[Any]:
    thread = _readable_thread(request, thread_id)
    if thread is None:
        return Status(404, {"detail": _("No such conversation.")})
    return Status(200, {"marked": messaging.mark_read(request.user, thread)})


# --- Alerts and attention ---------------------------------------------------------------


class SignOut(Schema):
    sign: str
    action: str = Field(description="The advice the patient was shown.")
    level: str


class StepOut(Schema):
    name: str
    text: str


class AlertOut(Schema):
    id: UUID
    kind: str = Field(description="warning_sign | worsening | ready")
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
        "raised_at": _iso(alert.raised_at),
        "acknowledged_at": _iso(alert.acknowledged_at),
        "signs": row["signs"],
        "steps": row["steps"],
    }


@router.get(
    "/alerts",
    auth=signed_in,
    response={200: list[AlertOut], 403: MessageOut},
    summary="My open alerts",
)
def list_alerts(request: HttpRequest, all: bool = False) -> Status[Any]:  # noqa: A002
    """For therapists: alerts from patients' check-ins (only patients who share their
    record with you; each listing audited). ``all=true`` includes acknowledged ones.
    Anyone else has none (an empty list)."""
    if therapist_record(request.user) is None:
        return Status(200, [])
    found = alert_service.alerts_for(request, include_acknowledged=all)
    return Status(200, [_alert_out(alert_view(a)) for a in found])


@router.post(
    "/alerts/{alert_id}/acknowledge",
    auth=signed_in,
    response={200: AlertOut, 404: NotFoundOut},
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
    response={200: list[AttentionOut], 403: MessageOut},
    summary="What needs my attention",
)
def attention(request: HttpRequest) -> Status[Any]:
    """For therapists: open alerts and unread messages, most urgent first (the therapist
    home page's list). Anyone else: an empty list."""
    items = [{**i.to_dict(), "at": _iso(i.at)} for i in needs_attention(request.user)]
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
    response={200: AttendanceOut, 404: NotFoundOut, 409: MessageOut, 422: ValidationErrorOut},
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
        return Status(422, _field_errors(exc))
    return Status(200, {"appointment_id": appointment.pk, "attendance": appointment.attendance})
