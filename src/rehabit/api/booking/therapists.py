"""Therapists you can book, and one therapist's free slots on the viewer's dates and clock."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.responses import NinjaJSONEncoder

from rehabit.api.booking.common import error_body, zone_error
from rehabit.api.schemas import NotFoundOut, ValidationErrorOut
from rehabit.booking import day_parts, freshness
from rehabit.booking import slots as engine
from rehabit.booking.models import SessionKind, SessionType, Specialty, Therapist
from rehabit.core.inputs import Day
from rehabit.scheduling import Slot, validate_zone

router = Router(tags=["booking"])

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
    "afternoon 12:00-17:00, evening 17:00-22:00, night 22:00-06:00 (to the next morning), "
    "or daytime 06:00-22:00 (the three parts before the night together; start included, "
    "end not). `any` (the default, unchanged for old clients) lists every slot, night "
    "included; the booking pages show the daytime unless asked otherwise."
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


class TherapistFilters(Schema):
    specialty: Specialty | None = None
    language: str | None = Field(None, max_length=10)


class SlotQuery(Schema):
    start: Day = Field(description="First date, in the viewer's zone")
    end: Day = Field(description="Last date (inclusive), at most 31 days after start")
    tz: str = Field("UTC", max_length=64, description="IANA zone of the viewer")
    session_type: str | None = Field(None, max_length=32)
    time_of_day: day_parts.DayPart = Field(day_parts.DayPart.ANY, description=TIME_OF_DAY)


def session_type_out(session_type: SessionType) -> dict[str, Any]:
    return {
        "id": session_type.kind,
        "name": str(session_type.get_kind_display()),
        "duration_minutes": session_type.duration_minutes,
    }


def slot_out(slot: Slot, zone: str | ZoneInfo) -> dict[str, Any]:
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
        "session_types": [
            session_type_out(s) for s in therapist.session_types.all() if s.is_offered
        ],
    }


@router.get(
    "/therapists",
    response={200: list[TherapistOut], 422: ValidationErrorOut},
    summary="Therapists you can book",
    operation_id="rehabit_api_booking_list_therapists",
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
    operation_id="rehabit_api_booking_therapist_slots",
)
def therapist_slots(
    request: HttpRequest, therapist_id: int, query: Query[SlotQuery]
) -> Status[dict[str, Any]] | HttpResponse:
    """Every bookable start on the viewer's dates `start`..`end`, in the viewer's zone `tz`,
    or only those starting in the part of the day `time_of_day` on that clock. The same
    engine decides bookings, so any slot listed here can be booked (until someone else
    takes it)."""
    problem = zone_error(query.tz, ["query", "tz"])
    if problem:
        return Status(422, problem)
    if query.end < query.start:
        return Status(422, error_body(["query", "end"], "end must not be before start."))
    if query.end - query.start > timedelta(days=MAX_RANGE_DAYS):
        return Status(
            422, error_body(["query", "end"], f"Ask for at most {MAX_RANGE_DAYS} days at once.")
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
        "slots": [slot_out(s, zone) for s in day_parts.slots_in_part(found, part, zone)],
    }
    # Already in SlotsOut's shape: encoded as django-ninja encodes it, without validating
    # each of the hundreds of slots again (that was most of this endpoint's time; issue 10).
    encoded = json.dumps(body, cls=NinjaJSONEncoder).encode()
    freshness.keep(key, generation, encoded)
    return HttpResponse(encoded, content_type="application/json; charset=utf-8")
