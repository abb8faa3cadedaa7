"""Booking API: therapists, their free slots, and the signed-in person's appointments.

The same slot engine and booking actions as the pages (``rehabit.booking``). Times go out
in ISO 8601 with the viewer's UTC offset; times coming in must carry an offset. Field
errors are 422 in the shape of ``ValidationErrorOut``; "that time was just taken" and
other state conflicts are 409 with the nearest free alternatives.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.responses import NinjaJSONEncoder
from ninja.security import SessionAuth

from rehabit.api.schemas import NotFoundOut, ValidationErrorOut
from rehabit.booking import day_parts, freshness, idempotency, limits, services, video
from rehabit.booking import messages as msg
from rehabit.booking import slots as engine
from rehabit.booking.ics import join_url, manage_url
from rehabit.booking.messages import BookingRefused
from rehabit.booking.models import (
    CANCEL_REASON_MAX,
    Appointment,
    SessionKind,
    SessionType,
    Specialty,
    Therapist,
)
from rehabit.booking.people import set_sharing, shares_record, zone_of
from rehabit.booking.selectors import find_appointment, upcoming_for, visible_appointments
from rehabit.core.inputs import Day, Instant
from rehabit.mail.words import their_words
from rehabit.scheduling import Slot, UnknownTimeZone, validate_zone

router = Router(tags=["booking"])


class SignedIn(SessionAuth):
    """The site's session sign-in (with its CSRF check on writes). Anonymous callers get
    403, like every private page, so nothing tells them whether an appointment exists."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated:
            return request.user
        raise HttpError(403, "Sign in to use this endpoint.")


signed_in = SignedIn()

MAX_RANGE_DAYS = 31


class SessionTypeOut(Schema):
    id: str = Field(description="first_assessment | follow_up")
    name: str
    duration_minutes: int


class TherapistOut(Schema):
    id: int
    name: str
    title: str
    specialties: list[str]
    languages: list[str] = Field(description="ISO 639-1 language codes")
    time_zone: str = Field(description="IANA zone the therapist's working hours are in")
    session_types: list[SessionTypeOut]


class SlotOut(Schema):
    start: datetime = Field(description="ISO 8601 with the viewer's UTC offset")
    end: datetime
    session_type: str


TIME_OF_DAY = (
    "Only slots starting in this part of the day on the clock of `tz`: morning 06:00-12:00, "
    "afternoon 12:00-17:00, evening 17:00-22:00 (start included, end not; starts from "
    "22:00 to 06:00 are in none of them). `any` (the default) lists every slot."
)


class SlotsOut(Schema):
    therapist_id: int
    time_zone: str = Field(description="The viewer's zone the slots are shown in")
    start: date
    end: date
    time_of_day: day_parts.DayPart = Field(
        day_parts.DayPart.ANY, description="The part of the day the slots were kept to"
    )
    slots: list[SlotOut]


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


class TherapistFilters(Schema):
    specialty: Specialty | None = None
    language: str | None = Field(None, max_length=10)


class SlotQuery(Schema):
    start: Day = Field(description="First date, in the viewer's zone")
    end: Day = Field(description="Last date (inclusive), at most 31 days after start")
    tz: str = Field("UTC", max_length=64, description="IANA zone of the viewer")
    session_type: str | None = Field(None, max_length=32)
    time_of_day: day_parts.DayPart = Field(day_parts.DayPart.ANY, description=TIME_OF_DAY)


def _errors(loc: list[str], message: str) -> dict[str, Any]:
    return {
        "detail": [{"loc": loc, "msg": message, "type": "value_error"}],
        "errors": {".".join(loc[1:]) or "__all__": [message]},
    }


def _zone_error(name: str, loc: list[str]) -> dict[str, Any] | None:
    try:
        validate_zone(name)
    except UnknownTimeZone as exc:
        return _errors(loc, msg.unknown_zone(name, exc.suggestion))
    return None


def _session_out(session_type: SessionType) -> dict[str, Any]:
    return {
        "id": session_type.kind,
        "name": str(session_type.get_kind_display()),
        "duration_minutes": session_type.duration_minutes,
    }


def _slot_out(slot: Slot, zone: str | ZoneInfo) -> dict[str, Any]:
    start, end = slot.in_zone(zone)
    return {"start": start, "end": end, "session_type": slot.session_type_id}


def _therapist_out(therapist: Therapist) -> dict[str, Any]:
    return {
        "id": therapist.pk,
        "name": therapist.name,
        "title": therapist.title,
        "specialties": [s.specialty for s in therapist.specialties.all()],
        "languages": [lang.language for lang in therapist.languages.all()],
        "time_zone": therapist.time_zone,
        "session_types": [_session_out(s) for s in therapist.session_types.all() if s.is_offered],
    }


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
        "session_type": _session_out(appointment.session_type),
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


def _current_share(user: Any, therapist_id: int) -> bool:
    """The person's current sharing choice for this therapist (False for an unknown one:
    the booking itself then says the therapist does not exist)."""
    return shares_record(user, Therapist.objects.filter(pk=therapist_id).first())


def _refused(
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
                "alternatives": [_slot_out(s, zone) for s in refused.alternatives],
            },
        )
    if refused.status == 404:
        return Status(404, {"detail": refused.message})
    body = _errors(["body", "payload", refused.field], refused.message)
    return Status(422, {**body, "code": refused.code})


def _response_zone(request: HttpRequest, requested: str | None) -> str:
    return requested or zone_of(request.user)


@router.get(
    "/therapists",
    response={200: list[TherapistOut], 422: ValidationErrorOut},
    summary="Therapists you can book",
)
def list_therapists(
    request: HttpRequest, filters: Query[TherapistFilters]
) -> Status[list[dict[str, Any]]]:
    """Listed therapists, optionally only those with a specialty and speaking a language."""
    found = Therapist.objects.filter(is_listed=True)
    if filters.specialty:
        found = found.filter(specialties__specialty=filters.specialty.value)
    if filters.language:
        found = found.filter(languages__language=filters.language)
    found = found.distinct().prefetch_related("specialties", "languages", "session_types")
    return Status(200, [_therapist_out(t) for t in found.order_by("name", "id")])


@router.get(
    "/therapists/{therapist_id}/slots",
    response={200: SlotsOut, 404: NotFoundOut, 422: ValidationErrorOut},
    summary="Free slots of one therapist",
)
def therapist_slots(
    request: HttpRequest, therapist_id: int, query: Query[SlotQuery]
) -> Status[dict[str, Any]] | HttpResponse:
    """Every bookable start on the viewer's dates `start`..`end`, in the viewer's zone `tz`,
    or only those starting in the part of the day `time_of_day` on that clock. The same
    engine decides bookings, so any slot listed here can be booked (until someone else
    takes it)."""
    problem = _zone_error(query.tz, ["query", "tz"])
    if problem:
        return Status(422, problem)
    if query.end < query.start:
        return Status(422, _errors(["query", "end"], "end must not be before start."))
    if query.end - query.start > timedelta(days=MAX_RANGE_DAYS):
        return Status(
            422, _errors(["query", "end"], f"Ask for at most {MAX_RANGE_DAYS} days at once.")
        )
    # The same answer for everyone asking in the same few seconds (not a person's data):
    # kept in the shared cache until a booking changes or KEEP_SECONDS pass (issue 10).
    part = query.time_of_day
    key = freshness.key(
        "slots",
        therapist_id,
        query.start,
        query.end,
        query.tz,
        query.session_type or "",
        part.value,
    )
    kept, generation = freshness.lookup(key)
    if kept is not None:
        return HttpResponse(kept, content_type="application/json; charset=utf-8")
    therapist = Therapist.objects.filter(pk=therapist_id, is_listed=True).first()
    if therapist is None:
        return Status(404, {"detail": "No therapist with this id."})
    now = timezone.now()
    schedule = engine.schedule_of(therapist.pk, now, therapist=therapist)
    kinds = [query.session_type] if query.session_type else list(SessionKind.values)
    found: list[Slot] = []
    if schedule is not None:
        for kind in kinds:
            if schedule.offers(kind):
                found += engine.slots_between(schedule, kind, query.start, query.end, query.tz, now)
    found.sort(key=lambda s: (s.start, s.session_type_id))
    zone = validate_zone(query.tz)  # once, not per slot
    body = {
        "therapist_id": therapist.pk,
        "time_zone": query.tz,
        "start": query.start,
        "end": query.end,
        "time_of_day": part.value,
        "slots": [_slot_out(s, zone) for s in day_parts.slots_in_part(found, part, zone)],
    }
    # Already in SlotsOut's shape: encoded as django-ninja encodes it, without validating
    # each of the hundreds of slots again (that was most of this endpoint's time; issue 10).
    encoded = json.dumps(body, cls=NinjaJSONEncoder).encode()
    freshness.keep(key, generation, encoded)
    return HttpResponse(encoded, content_type="application/json; charset=utf-8")


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
            400, _errors(["header", "Idempotency-Key"], "Send an Idempotency-Key header.")
        )
    zone = _response_zone(request, payload.time_zone)
    problem = _zone_error(zone, ["body", "payload", "time_zone"])
    if problem:
        return Status(422, problem)
    try:
        limits.count_write(request)
    except BookingRefused as refused:
        return _refused(refused, zone, response)
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
            answer = _refused(refused, zone)
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
        return Status(422, _errors(["header", "Idempotency-Key"], exc.message))
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
)
def list_appointments(
    request: HttpRequest, tz: str | None = Query(None, max_length=64)
) -> Status[Any]:
    """The signed-in person's active appointments that are not over yet (as patient or
    therapist), soonest first, in `tz` (default: their profile's zone)."""
    zone = _response_zone(request, tz)
    problem = _zone_error(zone, ["query", "tz"])
    if problem:
        return Status(422, problem)
    return Status(200, [appointment_out(a, request.user, zone) for a in upcoming_for(request.user)])


@router.get(
    "/appointments/{appointment_id}",
    auth=signed_in,
    response={200: AppointmentOut, 403: NotFoundOut, 404: NotFoundOut, 422: ValidationErrorOut},
    summary="One of my appointments",
)
def get_appointment(
    request: HttpRequest, appointment_id: UUID, tz: str | None = Query(None, max_length=64)
) -> Status[dict[str, Any]]:
    zone = _response_zone(request, tz)
    problem = _zone_error(zone, ["query", "tz"])
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
)
def reschedule_appointment(
    request: HttpRequest, response: HttpResponse, appointment_id: UUID, payload: RescheduleIn
) -> Status[dict[str, Any]]:
    """Moves the appointment to `start` (checked by the slot engine). Returns the new
    appointment; `moved_from` links back to the old one, which now has status `moved`.
    Patients may do this only until `change_deadline`; therapists at any time."""
    zone = _response_zone(request, payload.time_zone)
    problem = _zone_error(zone, ["body", "payload", "time_zone"])
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
        return _refused(refused, zone, response)
    return Status(200, appointment_out(moved, request.user, zone))


@router.post(
    "/appointments/{appointment_id}/cancel",
    auth=signed_in,
    response=_CHANGE_RESPONSES,
    summary="Cancel an appointment, with a reason",
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
            _errors(
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
    zone = _response_zone(request, tz)
    problem = _zone_error(zone, ["query", "tz"])
    if problem:
        return Status(422, problem)
    # As the page's form: what the other person reads, cleaned by the one rule for it.
    words, wrong = their_words(reason, limit=CANCEL_REASON_MAX, required=False, what="reason")
    if wrong:
        return Status(422, _errors(where, wrong))
    found = visible_appointments(request.user).filter(pk=appointment_id).first()
    if found is None:
        return Status(404, {"detail": "No such appointment."})
    try:
        limits.count_write(request)
        cancelled = services.cancel(
            found.pk, actor=request.user, reason=words, zone=zone, request=request
        )
    except BookingRefused as refused:
        return _refused(refused, zone, response)
    return Status(200, appointment_out(cancelled, request.user, zone))
