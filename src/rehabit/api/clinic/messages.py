"""Messages between a patient and their therapist: list, open, read, send, mark read."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Router, Schema, Status
from pydantic import Field

from rehabit.api.auth import signed_in
from rehabit.api.clinic.common import field_errors, iso
from rehabit.api.schemas import MessageOut, NotFoundOut, RateLimitedOut, ValidationErrorOut
from rehabit.booking.people import display_name
from rehabit.clinic import messaging
from rehabit.clinic.errors import FieldErrors, Refused
from rehabit.clinic.models import MESSAGE_MAX_LENGTH, Message, MessageThread
from rehabit.core.emergency import current_number

router = Router(tags=["therapist workspace"])


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
        "last_message_at": iso(thread.last_message_at),
        "reply_within_days": messaging.reply_days(thread.therapist),
        "can_send": messaging.can_send(user, thread),
    }


def _message_out(user: Any, message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "from_me": message.sender_id == user.pk,
        "from_patient": message.from_patient,
        "body": message.body,
        "sent_at": iso(message.sent_at),
        "read_at": iso(message.read_at),
    }


def _notice(days: int) -> str:
    return " ".join(
        (
            _("Messages are not for emergencies. In an emergency, call %(number)s.")
            % {"number": current_number()},
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
    response={200: list[ThreadOut], 403: MessageOut, 422: ValidationErrorOut},
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
    response={200: ThreadDetailOut, 403: MessageOut, 404: NotFoundOut, 422: ValidationErrorOut},
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
        429: RateLimitedOut,
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
    (never its text). Text with control characters is refused (422). Past
    `REHABIT_MESSAGES_PER_CONVERSATION` messages from one person in one conversation in an
    hour: 429 with `retry_after` (also `Retry-After`), nothing sent."""
    thread = _readable_thread(request, thread_id)
    if thread is None:
        return Status(404, {"detail": _("No such conversation.")})
    try:
        message, created = messaging.send(
            request.user, thread, payload.body, token=idempotency_key or ""
        )
    except FieldErrors as exc:
        return Status(422, field_errors(exc))
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, _message_out(request.user, message))


@router.post(
    "/messages/threads/{thread_id}/read",
    auth=signed_in,
    response={200: MarkedOut, 404: NotFoundOut, 403: MessageOut, 422: ValidationErrorOut},
    summary="Mark a conversation read",
)
def mark_thread_read(request: HttpRequest, thread_id: UUID) -> Status[Any]:
    thread = _readable_thread(request, thread_id)
    if thread is None:
        return Status(404, {"detail": _("No such conversation.")})
    return Status(200, {"marked": messaging.mark_read(request.user, thread)})
