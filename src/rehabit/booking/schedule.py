"""A therapist's own schedule: the sessions of a day or a week on their wall clock, their
working hours on each date, and the next session with its join button.

Dates are the therapist's local dates (their record's zone); every time shown carries
the zone's abbreviation in force at that moment, so a week across a clock change still
reads right.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from rehabit.booking import video
from rehabit.booking.models import Appointment, AppointmentStatus, Therapist
from rehabit.booking.month_calendar import overrides_by_day
from rehabit.booking.people import display_name
from rehabit.booking.timefmt import (
    format_date,
    format_day,
    format_day_without_year,
    format_month_day,
    format_time,
    format_when,
    format_zone_short,
    zone_label,
)
from rehabit.booking.week_grid import hours_text
from rehabit.scheduling import validate_zone

MAX_DAYS = 62


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_today(therapist: Therapist, now: datetime) -> date:
    return now.astimezone(validate_zone(therapist.time_zone)).date()


def day_bounds(first: date, last: date, zone: str) -> tuple[datetime, datetime]:
    """The instants from the start of ``first`` to the end of ``last`` on the zone's clock."""
    tz = validate_zone(zone)
    return (
        datetime.combine(first, time(0, 0), tz),
        datetime.combine(last + timedelta(days=1), time(0, 0), tz),
    )


def with_people(appointments: QuerySet[Appointment]) -> list[Appointment]:
    """The appointments with each patient's profile and therapist record read in the same
    query, and left where ``people.display_name``/``zone_of`` look first (no query per
    row)."""
    from django.core.exceptions import ObjectDoesNotExist

    rows = list(
        appointments.select_related(
            "patient__profile", "patient__therapist_profile", "session_type", "therapist"
        )
    )
    for appointment in rows:
        patient = appointment.patient
        with suppress(ObjectDoesNotExist):  # a missing profile is made on first use
            patient._rehabit_profile = patient.profile
        try:
            patient._rehabit_therapist_zone = patient.therapist_profile.time_zone
        except ObjectDoesNotExist:
            patient._rehabit_therapist_zone = ""
    return rows


def appointments_between(
    therapist: Therapist, first: date, last: date, *, include_cancelled: bool = False
) -> QuerySet[Appointment]:
    """The therapist's appointments starting on their local dates ``first``..``last``;
    moved ones are left out (their new time is listed), cancelled ones only on request."""
    lo, hi = day_bounds(first, last, therapist.time_zone)
    statuses = [AppointmentStatus.BOOKED]
    if include_cancelled:
        statuses.append(AppointmentStatus.CANCELLED)
    return (
        Appointment.objects.filter(
            therapist=therapist, start__gte=lo, start__lt=hi, status__in=statuses
        )
        .select_related("patient", "session_type", "therapist")
        .order_by("start")
    )


@dataclass
class SessionRow:
    """One session as the schedule shows it."""

    appointment: Appointment
    time: str
    when: str
    patient: str
    kind: str
    url: str
    join_url: str
    join_opens: str
    is_open: bool


def session_row(appointment: Appointment, zone: str, now: datetime) -> SessionRow:
    start, end = appointment.start, appointment.end
    # On the reader's clock ("16:30–17:15 GMT", "4:30 PM–5:15 PM GMT"), with the zone's
    # abbreviation at the start.
    shown = f"{format_time(start, zone)}–{format_time(end, zone)}"
    return SessionRow(
        appointment=appointment,
        time=f"{shown} {format_zone_short(start, zone)}",
        when=format_when(appointment.start, zone),
        patient=display_name(appointment.patient),
        kind=appointment.session_type.get_kind_display(),
        url=reverse("booking:appointment", args=[appointment.pk]),
        join_url=reverse("booking:join", args=[appointment.pk]),
        join_opens=format_when(video.opens_at(appointment), zone),
        is_open=video.is_open(appointment, now),
    )


@dataclass
class DayColumn:
    day: date
    heading: str
    is_today: bool
    hours: str
    sessions: list[SessionRow] = field(default_factory=list)


def _hours_by_day(therapist: Therapist, days: list[date]) -> dict[date, str]:
    """What each date's working hours are, in words (the override's, else the week's),
    with time off named."""
    weekly: dict[int, list[tuple[time, time]]] = {}
    for weekday, start, end in therapist.working_hours.values_list("weekday", "start", "end"):
        weekly.setdefault(weekday, []).append((start, end))
    overrides = overrides_by_day(
        therapist.overrides.filter(day__gte=days[0], day__lte=days[-1]).values_list(
            "day", "start", "end"
        )
    )
    lo, hi = day_bounds(days[0], days[-1], therapist.time_zone)
    leave = list(therapist.time_off.filter(start__lt=hi, end__gt=lo).values_list("start", "end"))
    tz = validate_zone(therapist.time_zone)
    found: dict[date, str] = {}
    for day in days:
        spans = sorted(overrides[day] if day in overrides else weekly.get(day.weekday(), []))
        text = ", ".join(hours_text(s, e) for s, e in spans) if spans else _("Not working")
        day_lo = datetime.combine(day, time(0, 0), tz)
        day_hi = datetime.combine(day + timedelta(days=1), time(0, 0), tz)
        if any(s < day_hi and e > day_lo for s, e in leave):
            text = _("%(hours)s; time off this day") % {"hours": text}
        found[day] = text
    return found


def columns(therapist: Therapist, first: date, last: date, now: datetime) -> list[DayColumn]:
    """One column per local date, each with its hours and sessions."""
    if (last - first).days + 1 > MAX_DAYS:
        raise ValueError("Ask for at most 62 days.")
    zone = therapist.time_zone
    today = local_today(therapist, now)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    hours = _hours_by_day(therapist, days)
    cols = {
        day: DayColumn(
            day=day,
            heading=format_day_without_year(day),
            is_today=day == today,
            hours=hours[day],
        )
        for day in days
    }
    tz = validate_zone(zone)
    for appointment in with_people(appointments_between(therapist, first, last)):
        local = appointment.start.astimezone(tz).date()
        cols[local].sessions.append(session_row(appointment, zone, now))
    return [cols[day] for day in days]


def next_session(therapist: Therapist, now: datetime) -> Appointment | None:
    """The session in progress or the next one to start."""
    found = with_people(
        Appointment.objects.filter(
            therapist=therapist, status=AppointmentStatus.BOOKED, end__gt=now
        ).order_by("start")[:1]
    )
    return found[0] if found else None


def _zone_from(first: date, zone: str) -> str:
    """The zone's label as it reads at noon of a table's first day."""
    return zone_label(datetime.combine(first, time(12, 0), validate_zone(zone)), zone)


def week_caption(first: date, zone: str) -> str:
    last = first + timedelta(days=6)
    return _("Week of %(first)s to %(last)s, times in %(zone)s") % {
        "first": format_month_day(first),
        "last": format_date(last),
        "zone": _zone_from(first, zone),
    }


def days_caption(first: date, last: date, zone: str) -> str:
    return _("%(first)s to %(last)s, times in %(zone)s") % {
        "first": format_day_without_year(first),
        "last": format_day(last),
        "zone": _zone_from(first, zone),
    }


def coming_days(therapist: Therapist, now: datetime, days: int = 7) -> dict[str, Any]:
    """Today and the days after it (the workspace's home: on a Sunday the calendar week is
    all behind, so it shows what is coming instead)."""
    first = local_today(therapist, now)
    last = first + timedelta(days=days - 1)
    return {
        "week": columns(therapist, first, last, now),
        "week_caption": days_caption(first, last, therapist.time_zone),
        "next_week": last + timedelta(days=1),
    }


def schedule_context(therapist: Therapist, day: date, now: datetime) -> dict[str, Any]:
    """Everything the day and week calendar show for the week containing ``day``."""
    first = monday_of(day)
    week = columns(therapist, first, first + timedelta(days=6), now)
    chosen = next(col for col in week if col.day == day)
    return {
        "week": week,
        "chosen": chosen,
        "week_caption": week_caption(first, therapist.time_zone),
        "previous_week": first - timedelta(days=7),
        "next_week": first + timedelta(days=7),
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "today": local_today(therapist, now),
        "zone_label": zone_label(now, therapist.time_zone),
    }
