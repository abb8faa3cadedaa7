"""Changing a therapist's availability: the only code that writes it.

Every change is validated by building the slot engine's ``AvailabilityRules`` from the
result (so what is stored is exactly what the engine accepts), saved in one transaction
that holds the therapist's lock (a booking cannot interleave), and audited. Changes never
touch booked appointments: a session already booked stays booked.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from rehabit.audit.services import record
from rehabit.booking.loading import THERAPIST_RULE_FIELDS, build_rules, load_rules
from rehabit.booking.models import (
    DateOverride,
    Therapist,
    TimeOff,
    WorkingHours,
)
from rehabit.scheduling import RulesError, WorkingInterval
from rehabit.scheduling.rules import normalise_intervals

AUDIT_AVAILABILITY = "booking.availability_changed"
_SPAN = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})\s*$")


def parse_hours(text: str, where: str) -> list[tuple[time, time]]:
    """ "09:00-12:00, 13:00-17:00" as wall-clock intervals ("" is a day off)."""
    spans: list[tuple[str, str]] = []
    for part in (p for p in re.split(r"[,;]", text) if p.strip()):
        match = _SPAN.match(part)
        if not match:
            raise RulesError(
                _("“%(part)s” is not a time span; write it like 09:00-12:00.")
                % {"part": part.strip()}
            )
        start, end = (value.zfill(5) for value in match.groups())
        spans.append((start, "24:00" if end == "24:00" else end))
    intervals = normalise_intervals(spans, where)
    return [(iv.start, iv.end) for iv in intervals]


def format_hours(spans: list[tuple[time, time]]) -> str:
    return ", ".join(str(WorkingInterval(start, end)) for start, end in spans)


def check_availability(therapist: Therapist) -> None:
    """Raise ``RulesError`` when the therapist's stored availability (working hours, date
    overrides, time off, offered session types) no longer makes rules the slot engine
    accepts; every change to them, here or in the profile, is checked so."""
    row = Therapist.objects.filter(pk=therapist.pk).values(*THERAPIST_RULE_FIELDS).get()
    build_rules(
        row,
        therapist.working_hours.values_list("weekday", "start", "end"),
        therapist.overrides.values_list("day", "start", "end"),
        therapist.time_off.values_list("start", "end"),
        therapist.session_types.filter(is_offered=True).values_list("kind", "duration_minutes"),
    )


def _changed(therapist: Therapist, request: HttpRequest | None, what: str) -> None:
    check_availability(therapist)
    Therapist.objects.filter(pk=therapist.pk).update(updated_at=timezone.now())
    record(
        AUDIT_AVAILABILITY,
        request=request,
        target_type="therapist",
        target_id=therapist.pk,
        details={"what": what},
    )


def _locked(therapist: Therapist) -> Therapist:
    return Therapist.objects.select_for_update().get(pk=therapist.pk)


@transaction.atomic
def set_weekly_hours(
    therapist: Therapist, hours: dict[int, list[tuple[time, time]]], request: HttpRequest | None
) -> None:
    therapist = _locked(therapist)
    WorkingHours.objects.filter(therapist=therapist).delete()
    WorkingHours.objects.bulk_create(
        WorkingHours(therapist=therapist, weekday=day, start=start, end=end)
        for day, spans in sorted(hours.items())
        for start, end in spans
    )
    _changed(therapist, request, "weekly_hours")


RULE_FIELDS = (
    "minimum_notice_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "horizon_days",
    "daily_maximum",
    "slot_step_minutes",
)


@transaction.atomic
def update_rules(therapist: Therapist, values: dict[str, Any], request: HttpRequest | None) -> None:
    """Save the booking rules (notice, buffers, horizon, daily maximum, step); the keys of
    ``values`` are ``RULE_FIELDS``, already checked by the form or schema."""
    therapist = _locked(therapist)
    changed = {k: v for k, v in values.items() if k in RULE_FIELDS}
    Therapist.objects.filter(pk=therapist.pk).update(**changed)
    _changed(therapist, request, "settings")


@transaction.atomic
def replace_availability(
    therapist: Therapist,
    *,
    weekly: dict[int, list[tuple[time, time]]],
    overrides: dict[date, list[tuple[time, time]]],
    time_off: list[tuple[datetime, datetime, str]],
    notice_minutes: int,
    request: HttpRequest | None,
    today: date,
    now: datetime,
) -> None:
    """Replace the whole current availability at once (the API's PUT): the usual week,
    every override from ``today`` on and every time off not over at ``now`` (past ones
    are history and stay), and the notice. One transaction, one audit entry."""
    therapist = _locked(therapist)
    WorkingHours.objects.filter(therapist=therapist).delete()
    WorkingHours.objects.bulk_create(
        WorkingHours(therapist=therapist, weekday=day, start=start, end=end)
        for day, spans in sorted(weekly.items())
        for start, end in spans
    )
    DateOverride.objects.filter(therapist=therapist, day__gte=today).delete()
    rows = []
    for day, spans in sorted(overrides.items()):
        rows.extend(DateOverride(therapist=therapist, day=day, start=s, end=e) for s, e in spans)
        if not spans:
            rows.append(DateOverride(therapist=therapist, day=day))
    DateOverride.objects.bulk_create(rows)
    TimeOff.objects.filter(therapist=therapist, end__gt=now).delete()
    for start, end, _reason in time_off:
        if end <= start:
            raise RulesError(_("Time off must end after it starts."))
    TimeOff.objects.bulk_create(
        TimeOff(therapist=therapist, start=start, end=end, reason=reason)
        for start, end, reason in time_off
    )
    Therapist.objects.filter(pk=therapist.pk).update(minimum_notice_minutes=notice_minutes)
    _changed(therapist, request, "replaced")


@transaction.atomic
def set_override(
    therapist: Therapist, day: date, spans: list[tuple[time, time]], request: HttpRequest | None
) -> None:
    """Replace ``day``'s hours (an empty list makes it a day off)."""
    therapist = _locked(therapist)
    DateOverride.objects.filter(therapist=therapist, day=day).delete()
    if spans:
        DateOverride.objects.bulk_create(
            DateOverride(therapist=therapist, day=day, start=s, end=e) for s, e in spans
        )
    else:
        DateOverride.objects.create(therapist=therapist, day=day)
    _changed(therapist, request, "override")


@transaction.atomic
def remove_override(therapist: Therapist, day: date, request: HttpRequest | None) -> None:
    therapist = _locked(therapist)
    DateOverride.objects.filter(therapist=therapist, day=day).delete()
    _changed(therapist, request, "override_removed")


@transaction.atomic
def add_time_off(
    therapist: Therapist, start: datetime, end: datetime, reason: str, request: HttpRequest | None
) -> TimeOff:
    therapist = _locked(therapist)
    if end <= start:
        raise RulesError(_("Time off must end after it starts."))
    item = TimeOff.objects.create(therapist=therapist, start=start, end=end, reason=reason)
    _changed(therapist, request, "time_off")
    return item


@transaction.atomic
def remove_time_off(therapist: Therapist, time_off_id: Any, request: HttpRequest | None) -> None:
    therapist = _locked(therapist)
    TimeOff.objects.filter(therapist=therapist, pk=time_off_id).delete()
    _changed(therapist, request, "time_off_removed")


def rules_are_valid(therapist: Therapist) -> bool:
    return therapist.pk in load_rules([therapist.pk], timezone.now())
