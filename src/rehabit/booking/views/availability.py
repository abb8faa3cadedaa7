"""The therapist's availability page (also open to admins for any therapist)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rehabit.booking import availability as actions
from rehabit.booking.forms import OverrideForm, SettingsForm, TimeOffForm, WeeklyHoursForm
from rehabit.booking.models import Therapist
from rehabit.booking.people import is_admin, therapist_of
from rehabit.booking.timefmt import format_when, zone_label
from rehabit.booking.views.common import account_required
from rehabit.core import inputs
from rehabit.scheduling import RulesError, validate_zone


def _editable(request: HttpRequest, therapist_id: int | None) -> Therapist:
    """The signed-in therapist's own profile, or (admins only) any therapist's."""
    if therapist_id is None:
        own = therapist_of(request.user)
        if own is None:
            raise Http404("You have no therapist profile.")
        return own
    found = Therapist.objects.filter(pk=therapist_id).first()
    if found is None:
        raise Http404("No such therapist.")
    if found.user_id == request.user.pk or is_admin(request.user):
        return found
    raise Http404("No such therapist.")


def _weekly_initial(therapist: Therapist) -> dict[str, str]:
    spans: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for weekday, start, end in therapist.working_hours.values_list("weekday", "start", "end"):
        spans[weekday].append((start, end))
    return {f"day{d}": actions.format_hours(spans[d]) for d in range(7)}


def _aware(day: Any, at: time, zone: str) -> datetime:
    return datetime.combine(day, at, tzinfo=validate_zone(zone))


@account_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, therapist_id: int | None = None) -> HttpResponse:
    therapist = _editable(request, therapist_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    weekly = WeeklyHoursForm(
        request.POST if action == "weekly" else None, initial=_weekly_initial(therapist)
    )
    settings_form = SettingsForm(request.POST if action == "settings" else None, instance=therapist)
    override = OverrideForm(request.POST if action == "override" else None)
    time_off = TimeOffForm(request.POST if action == "time_off" else None)
    try:
        if action == "weekly" and weekly.is_valid():
            actions.set_weekly_hours(therapist, weekly.cleaned_data["hours"], request)
        elif action == "settings" and settings_form.is_valid():
            actions.update_settings(therapist, settings_form, request)
        elif action == "override" and override.is_valid():
            data = override.cleaned_data
            actions.set_override(therapist, data["day"], data["spans"], request)
        elif action == "remove_override":
            day = inputs.parse_date(request.POST.get("day", ""))
            actions.remove_override(therapist, day, request)
        elif action == "time_off" and time_off.is_valid():
            data = time_off.cleaned_data
            actions.add_time_off(
                therapist,
                _aware(data["start_day"], data["start_time"], therapist.time_zone),
                _aware(data["end_day"], data["end_time"], therapist.time_zone),
                data["reason"],
                request,
            )
        elif action == "remove_time_off":
            actions.remove_time_off(therapist, request.POST.get("time_off_id"), request)
        elif action:
            raise RulesError("")
    except (RulesError, ValueError) as exc:
        if str(exc):
            messages.error(request, _("That change was not saved: %(why)s") % {"why": exc})
        status = 422
    else:
        if action:
            messages.success(request, _("Your availability was saved."))
            return redirect(request.path)
        status = 200
    now = timezone.now()
    zone = therapist.time_zone
    return render(
        request,
        "booking/availability.html",
        {
            "therapist": therapist,
            "weekly": weekly,
            "settings_form": settings_form,
            "override_form": override,
            "time_off_form": time_off,
            "overrides": therapist.overrides.filter(day__gte=now.date()).order_by("day", "start"),
            "time_off": [
                {"item": t, "start": format_when(t.start, zone), "end": format_when(t.end, zone)}
                for t in therapist.time_off.filter(end__gt=now).order_by("start")
            ],
            "zone_label": zone_label(now, zone),
        },
        status=status,
    )
