"""The therapist's own workspace in the API: their schedule and their availability.

Only a signed-in account with its own therapist record may call these (403 for anyone
else, with a sentence saying what is missing). Times go out on the therapist's clock
(ISO 8601 with its UTC offset) and name the zone; times coming in must carry an offset.
The availability document is the one the pages edit, checked by the same rules
(``rehabit.booking.week_grid``): what the page refuses, the API refuses, field by field.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import SessionAuth

from rehabit.api.schemas import MessageOut, ValidationErrorOut
from rehabit.booking import availability as actions
from rehabit.booking import video
from rehabit.booking.ics import join_url, manage_url
from rehabit.booking.models import Therapist
from rehabit.booking.month_calendar import overrides_by_day
from rehabit.booking.people import display_name, therapist_of, zone_of
from rehabit.booking.rules_text import explain
from rehabit.booking.schedule import MAX_DAYS, appointments_between, local_today, with_people
from rehabit.booking.week_grid import DayCheck, Range, check_day, check_week, rows_of
from rehabit.core.inputs import Day, Instant
from rehabit.scheduling import RulesError, validate_zone

router = Router(tags=["therapist"])

NO_PROFILE = (
    "This is for therapists with a therapist profile, and this account has none. A "
    "therapist finishes theirs at /therapist/welcome/; otherwise ask an administrator."
)


class TherapistOnly(SessionAuth):
    """The site's session sign-in (CSRF checked on writes) of an account with its own
    therapist record; everyone else gets 403 with the reason."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            raise HttpError(403, "Sign in to use this endpoint.")
        therapist = therapist_of(user)
        if therapist is None:
            raise HttpError(403, NO_PROFILE)
        request.therapist = therapist  # type: ignore[attr-defined]
        return user


therapist_only = TherapistOnly()

HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class RangeIO(Schema):
    start: str = Field(pattern=HHMM, description="HH:MM on the therapist's clock")
    end: str = Field(pattern=HHMM, description="HH:MM; 00:00 is midnight")
    ends_next_day: bool = Field(False, description="The range runs past midnight")


class DayIO(Schema):
    weekday: int = Field(ge=0, le=6, description="0 is Monday, 6 is Sunday")
    ranges: list[RangeIO] = Field(max_length=12, description="Empty: not working that day")


class OverrideIO(Schema):
    date: Day
    ranges: list[RangeIO] = Field(
        default_factory=list, max_length=12, description="Empty: not working that date"
    )


class TimeOffIn(Schema):
    start: Instant = Field(description="ISO 8601 with a UTC offset")
    end: Instant = Field(description="ISO 8601 with a UTC offset, after start")
    reason: str = Field("", max_length=120, description="Only the therapist sees it")


class TimeOffOut(TimeOffIn):
    id: int


class AvailabilityIn(Schema):
    weekly: list[DayIO] = Field(max_length=7, description="Weekdays left out are days off")
    overrides: list[OverrideIO] = Field(default_factory=list, max_length=400)
    time_off: list[TimeOffIn] = Field(default_factory=list, max_length=200)
    notice_hours: float = Field(
        ge=0, le=720, description="Patients book at least this far ahead (kept to the minute)"
    )


class AvailabilityOut(Schema):
    therapist_id: int
    time_zone: str = Field(description="IANA zone of every wall-clock time here")
    weekly: list[DayIO]
    overrides: list[OverrideIO] = Field(description="From today on (the therapist's date)")
    time_off: list[TimeOffOut] = Field(description="Not over yet")
    notice_hours: float


class PatientRef(Schema):
    id: int
    name: str
    time_zone: str = Field(description="The patient's own zone")


class SessionTypeRef(Schema):
    id: str = Field(description="first_assessment | follow_up")
    name: str
    duration_minutes: int


class ScheduledOut(Schema):
    id: UUID
    status: str = Field(description="booked | cancelled")
    start: datetime = Field(description="On the therapist's clock (time_zone)")
    end: datetime
    time_zone: str
    patient_start: datetime = Field(description="The same instant on the patient's clock")
    patient: PatientRef
    session_type: SessionTypeRef
    manage_url: str
    join_url: str | None = Field(description="Set from shortly before the start until the end")


class ScheduleOut(Schema):
    therapist_id: int
    time_zone: str
    start: date
    end: date
    appointments: list[ScheduledOut]


class ScheduleQuery(Schema):
    start: Day | None = Field(None, description="First date (therapist's); default today")
    end: Day | None = Field(None, description="Last date; default 6 days after start")
    include_cancelled: bool = False


def _errors(items: list[tuple[list[Any], str]]) -> dict[str, Any]:
    detail = [
        {"loc": [str(part) for part in loc], "msg": msg, "type": "value_error"}
        for loc, msg in items
    ]
    errors: dict[str, list[str]] = {}
    for loc, msg in items:
        errors.setdefault(".".join(str(p) for p in loc[1:]) or "__all__", []).append(msg)
    return {"detail": detail, "errors": errors}


@router.get(
    "/therapist/schedule",
    response={200: ScheduleOut, 403: MessageOut, 422: ValidationErrorOut},
    auth=therapist_only,
    summary="My schedule (therapists)",
)
def therapist_schedule(request: HttpRequest, query: Query[ScheduleQuery]) -> Status[Any]:
    """The signed-in therapist's sessions starting on their dates `start`..`end` (at most
    62 days), each on the therapist's clock and the patient's."""
    therapist: Therapist = request.therapist  # type: ignore[attr-defined]
    now = timezone.now()
    first = query.start or local_today(therapist, now)
    last = query.end or first + timedelta(days=6)
    if last < first:
        return Status(422, _errors([(["query", "end"], "end must not be before start.")]))
    if (last - first).days + 1 > MAX_DAYS:
        return Status(
            422, _errors([(["query", "end"], f"Ask for at most {MAX_DAYS} days at once.")])
        )
    zone = therapist.time_zone
    tz = validate_zone(zone)
    found = with_people(
        appointments_between(therapist, first, last, include_cancelled=query.include_cancelled)
    )
    items = []
    for appointment in found:
        patient_zone = zone_of(appointment.patient)
        open_now = appointment.is_active and video.is_open(appointment, now)
        items.append(
            {
                "id": appointment.pk,
                "status": appointment.status,
                "start": appointment.start.astimezone(tz),
                "end": appointment.end.astimezone(tz),
                "time_zone": zone,
                "patient_start": appointment.start.astimezone(validate_zone(patient_zone)),
                "patient": {
                    "id": appointment.patient_id,
                    "name": display_name(appointment.patient),
                    "time_zone": patient_zone,
                },
                "session_type": {
                    "id": appointment.session_type.kind,
                    "name": str(appointment.session_type.get_kind_display()),
                    "duration_minutes": appointment.session_type.duration_minutes,
                },
                "manage_url": manage_url(appointment),
                "join_url": join_url(appointment) if open_now else None,
            }
        )
    return Status(
        200,
        {
            "therapist_id": therapist.pk,
            "time_zone": zone,
            "start": first,
            "end": last,
            "appointments": items,
        },
    )


def _range_out(item: Range) -> dict[str, Any]:
    return {"start": item.start, "end": item.end, "ends_next_day": item.next_day}


def availability_document(therapist: Therapist, now: datetime) -> dict[str, Any]:
    zone = therapist.time_zone
    tz = validate_zone(zone)
    today = local_today(therapist, now)
    weekly: dict[int, list[Any]] = {day: [] for day in range(7)}
    for weekday, start, end in therapist.working_hours.values_list("weekday", "start", "end"):
        weekly[weekday].append((start, end))
    overrides = overrides_by_day(
        therapist.overrides.filter(day__gte=today).values_list("day", "start", "end")
    )
    return {
        "therapist_id": therapist.pk,
        "time_zone": zone,
        "weekly": [
            {"weekday": day, "ranges": [_range_out(r) for r in rows_of(weekly[day])]}
            for day in range(7)
        ],
        "overrides": [
            {"date": day, "ranges": [_range_out(r) for r in rows_of(spans)]}
            for day, spans in sorted(overrides.items())
        ],
        "time_off": [
            {
                "id": item.pk,
                "start": item.start.astimezone(tz),
                "end": item.end.astimezone(tz),
                "reason": item.reason,
            }
            for item in therapist.time_off.filter(end__gt=now).order_by("start")
        ],
        "notice_hours": therapist.minimum_notice_minutes / 60,
    }


@router.get(
    "/therapist/availability",
    response={200: AvailabilityOut, 403: MessageOut},
    auth=therapist_only,
    summary="My availability (therapists)",
)
def get_availability(request: HttpRequest) -> Status[Any]:
    """The usual week, dates with other hours from today, time off not over yet, notice."""
    therapist: Therapist = request.therapist  # type: ignore[attr-defined]
    return Status(200, availability_document(therapist, timezone.now()))


def _rows(ranges: list[RangeIO]) -> list[Range]:
    return [Range(r.start, r.end, next_day=r.ends_next_day) for r in ranges]


def _day_errors(check: DayCheck, loc: list[Any]) -> list[tuple[list[Any], str]]:
    found = []
    for (row, part), messages in sorted(check.errors.items()):
        where = [*loc, "ranges"] if row < 0 else [*loc, "ranges", row, part]
        if part == "row" and row >= 0:
            where = [*loc, "ranges", row]
        found.extend((where, message) for message in messages)
    return found


def _check(payload: AvailabilityIn, therapist: Therapist, now: datetime) -> Any:
    """The values to store, or the list of (loc, message) problems."""
    body = ["body", "payload"]
    problems: list[tuple[list[Any], str]] = []
    seen: dict[int, int] = {}
    for index, day in enumerate(payload.weekly):
        if day.weekday in seen:
            problems.append(([*body, "weekly", index, "weekday"], "This weekday is given twice."))
        seen.setdefault(day.weekday, index)
    week = check_week({d: _rows(payload.weekly[i].ranges) for d, i in seen.items()})
    for weekday, check in week.items():
        if weekday in seen:
            problems += _day_errors(check, [*body, "weekly", seen[weekday]])
    today = local_today(therapist, now)
    overrides: dict[date, Any] = {}
    for index, item in enumerate(payload.overrides):
        loc = [*body, "overrides", index]
        if item.date < today:
            problems.append(([*loc, "date"], "Give today or a later date; past dates stay."))
        if item.date in overrides:
            problems.append(([*loc, "date"], "This date is given twice."))
        check = check_day(_rows(item.ranges), item.date.isoformat())
        problems += _day_errors(check, loc)
        overrides[item.date] = check.spans
    leave = []
    for index, off in enumerate(payload.time_off):
        loc = [*body, "time_off", index]
        naive = [
            name
            for name in ("start", "end")
            if getattr(off, name).tzinfo is None or getattr(off, name).utcoffset() is None
        ]
        problems += [([*loc, name], "Give the time with its UTC offset.") for name in naive]
        if naive:
            continue
        if off.end <= off.start:
            problems.append(([*loc, "end"], "The time off must end after it starts."))
        elif off.end <= now:
            problems.append(([*loc, "end"], "This time off is over already."))
        leave.append((off.start, off.end, off.reason))
    if problems:
        return problems
    return {
        "weekly": {day: week[day].spans for day in range(7)},
        "overrides": overrides,
        "time_off": leave,
        "notice_minutes": round(payload.notice_hours * 60),
        "today": today,
    }


@router.put(
    "/therapist/availability",
    response={200: AvailabilityOut, 403: MessageOut, 422: ValidationErrorOut},
    auth=therapist_only,
    summary="Replace my availability (therapists)",
)
def put_availability(request: HttpRequest, payload: AvailabilityIn) -> Status[Any]:
    """Replace the usual week, every date with other hours from today and every time off
    not over yet (past ones stay as history), and the notice; all at once or nothing."""
    therapist: Therapist = request.therapist  # type: ignore[attr-defined]
    now = timezone.now()
    checked = _check(payload, therapist, now)
    if isinstance(checked, list):
        return Status(422, _errors(checked))
    try:
        actions.replace_availability(therapist, request=request, now=now, **checked)
    except RulesError as exc:
        return Status(422, _errors([(["body", "payload"], explain(exc))]))
    therapist.refresh_from_db()
    return Status(200, availability_document(therapist, now))
